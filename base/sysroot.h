/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One root for every read of /proc, /sys, /dev, /boot and /etc.  The default
 * is the running system ("/"); --sysroot points it at a recorded host tree.
 * Paths are always absolute ("/proc/cmdline"); under a sysroot other than "/"
 * they are resolved with openat2(RESOLVE_IN_ROOT), so an absolute symlink in a
 * recorded tree stays inside the tree; a kernel without openat2 (before 5.6)
 * cannot read a tree at all (-ENOSYS from kx_sysroot_new), never unconfined.
 */
#pragma once

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct kx_sysroot;

/* @dir NULL or "/" means the running system.  Returns 0 or -errno. */
int kx_sysroot_new(const char *dir, struct kx_sysroot **out);
void kx_sysroot_free(struct kx_sysroot *root);
const char *kx_sysroot_dir(const struct kx_sysroot *root);
bool kx_sysroot_is_host(const struct kx_sysroot *root);

/* open(2) relative to the root; returns an fd or -errno. */
int kx_sysroot_open(const struct kx_sysroot *root, const char *path, int flags);
int kx_sysroot_stat(const struct kx_sysroot *root, const char *path, struct stat *st);
int kx_sysroot_opendir(const struct kx_sysroot *root, const char *path, DIR **out);

/*
 * Read a whole (small) file into a NUL-terminated malloc'd buffer.  Works for
 * /proc and /sys files whose st_size is 0.  -EFBIG if it exceeds @max bytes.
 */
int kx_sysroot_read(const struct kx_sysroot *root, const char *path, size_t max,
		    char **buf, size_t *len);
/* Read exactly @len bytes at @off (MSR device files).  -EIO on a short read. */
int kx_sysroot_pread(const struct kx_sysroot *root, const char *path, off_t off,
		     void *buf, size_t len);
