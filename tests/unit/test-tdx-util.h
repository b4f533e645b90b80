/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers for the TDX library's tests: host trees on disk (images: tests/helpers/testimage.h). */
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
