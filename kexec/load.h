/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The loader's actions.  Each returns 0 or -errno with ctx->err explaining a
 * failure a person can act on; none prints.  All kernel calls go through
 * ctx->ops.
 */
#pragma once

#include <stdbool.h>

struct kx_ctx;
struct kx_opts;

/*
 * The new kernel's command line: /proc/cmdline without BOOT_IMAGE= (and,
 * for -p, without crashkernel=) when --reuse-cmdline is given, then the
 * --append/--command-line string.  *out is malloc'd, never NULL on success.
 */
int kx_cmdline_build(struct kx_ctx *ctx, const struct kx_opts *o, char **out);

/* kexec_file_load(2) of o->kernel.  -ENOSYS etc. come back unchanged for the fallback. */
int kx_load_file(struct kx_ctx *ctx, const struct kx_opts *o, const char *cmdline);
/* kexec_load(2) of o->kernel with our purgatory. */
int kx_load_classic(struct kx_ctx *ctx, const struct kx_opts *o, const char *cmdline);
/* Unload the normal or (o->crash) crash image through either syscall. */
int kx_unload(struct kx_ctx *ctx, const struct kx_opts *o, bool file_syscall);
/* 1 if a normal (or crash) image is loaded, 0 if not, -errno if unknown. */
int kx_loaded(struct kx_ctx *ctx, bool crash);

/* The errnos after which kexec-tools' -a retries with kexec_load. */
bool kx_file_load_falls_back(int err);
