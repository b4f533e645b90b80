/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers for the TDX library's tests: host trees on disk and synthetic kernels. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct kx_ctx;
struct kx_sysroot;
struct tdx_ctx;

/* A fresh directory under $TMPDIR (or /tmp); abort()s on failure. */
char *tt_tree(void);
void tt_rmtree(char *root);
/* Create @rel (and its parents) under @root with @content. */
void tt_write(const char *root, const char *rel, const char *content);
void tt_write_bin(const char *root, const char *rel, const void *buf, size_t len, long off);
void tt_mkdir(const char *root, const char *rel);
void tt_symlink(const char *root, const char *rel, const char *target);
/* A TDX context over @root; free with tt_ctx_free. */
struct tdx_ctx *tt_ctx(const char *root, struct kx_ctx *kx);
void tt_ctx_free(struct tdx_ctx *t, struct kx_ctx *kx);

/* An LZ4 legacy frame as the kernel build makes it (with the size appended). */
int tt_lz4_legacy(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen);
/*
 * A bzImage (setup header only, as the probe needs) whose payload is a fake
 * vmlinux, carrying @config as IKCONFIG when not NULL, compressed with
 * @comp: "none", "gzip", "xz" or "lz4".  Returns 0 or -1.
 */
int tt_mkimage(const char *version, const char *comp, const char *config, uint8_t **out,
	       size_t *len);
