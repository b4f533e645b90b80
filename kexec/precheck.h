/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the kernel's kexec_file_load would refuse, said before the call: the
 * checks of arch/x86/kernel/kexec-bzimage64.c (bzImage64_load) and of
 * kernel/kexec_core.c (sanity_check_segment_list) that our own inputs
 * decide.  kexec-tools learns them from the kernel's EINVAL.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct kx_ctx;
struct kx_bzimage;

/*
 * Would kexec_file_load take bzImage @bz's sizes (@name for messages)?  0, or
 * -EINVAL with ctx->err saying why and ctx->other_call set: kexec_load may
 * still take it (kexec-tools' -a falls back after the kernel's EINVAL).
 * @ram_bytes is MemTotal (0: not known, the half-of-RAM rule is left to the
 * kernel).  The command line is kx_cmdline_fits()'s (kexec/load.h).
 */
int kx_file_load_precheck(struct kx_ctx *ctx, const char *name, const struct kx_bzimage *bz,
			  uint64_t ram_bytes);
