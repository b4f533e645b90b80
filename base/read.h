/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Typed reads of one-value kernel files (sysfs, procfs) through ctx->root. */
#pragma once

#include <stdint.h>

struct kx_ctx;

/*
 * Read @path (one number and an optional newline, as sysfs writes them) in
 * @base (16 accepts a 0x prefix).  Returns 0, or -errno with ctx->err naming
 * the file: why it could not be read, or what it held instead of a number.
 */
int kx_read_u64(struct kx_ctx *ctx, const char *path, int base, uint64_t *v);

/*
 * MemTotal from /proc/meminfo in bytes: totalram_pages(), which the kernel's
 * half-of-RAM rule for kexec segments uses.  0, or -errno with ctx->err.
 */
int kx_mem_total(struct kx_ctx *ctx, uint64_t *bytes);

/*
 * This kernel's command line, /proc/cmdline without its newline, malloc'd.
 * 0, or -errno with ctx->err naming the file.
 */
int kx_read_cmdline(struct kx_ctx *ctx, char **out);
