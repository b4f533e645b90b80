/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small state records as text, one "key=value" per line, for the files
 * kexec-tdx keeps between runs (what it staged in /run/kexec-tdx, what the
 * reboot check decided in /var/lib/kexec-tdx).  Values are escaped so any
 * byte but NUL survives a round trip: "\\", "\n" and other control bytes as
 * "\xHH".  A file is written whole to a temporary name and renamed, so a
 * reader sees the old record or the new one, never part of one.  These are
 * our own files: they are read from the real file system, not the sysroot.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

struct kx_ctx;
struct kx_buf;

/* Append "key=escaped value\n" (nothing for a NULL @val). */
void kx_kv_put(struct kx_buf *b, const char *key, const char *val);
void kx_kv_putf(struct kx_buf *b, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Write @b to @path with @mode, creating its directory (mode 0755) if
 * needed.  0 or -errno with ctx->err naming the file.
 */
int kx_kv_write(struct kx_ctx *ctx, const char *path, const struct kx_buf *b, mode_t mode);

/* Called per line with the key and the unescaped value; 0 to go on or -errno. */
typedef int (*kx_kv_fn)(void *arg, const char *key, const char *val, unsigned int line);

/*
 * Read @path (at most 64 KiB) and call @fn for every line.  -ENOENT when
 * there is no file; -EBADMSG with ctx->err naming the file and line for a
 * line that is not "key=value" or a bad escape.
 */
int kx_kv_read(struct kx_ctx *ctx, const char *path, kx_kv_fn fn, void *arg);

/* Remove @path; a missing file is not an error.  0 or -errno with ctx->err. */
int kx_kv_remove(struct kx_ctx *ctx, const char *path);
