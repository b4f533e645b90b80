/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one reader of /proc/cpuinfo.  Only the first processor's block is
 * read: the kernel generates the file one CPU at a time, and every CPU shows
 * the same vendor, flags and bugs (arch/x86/kernel/cpu/proc.c).
 */
#pragma once

struct kx_ctx;

/* The values of the lines we use, NULL for a line the block does not have. */
struct kx_cpuinfo {
	char *vendor;	/* vendor_id */
	char *family;	/* cpu family */
	char *model;	/* model */
	char *flags;	/* flags: tdx_host_platform, ... */
	char *bugs;	/* bugs: tdx_pw_mce, seamret_invd_vmcs, ... */
};

/*
 * Read the first processor's block.  0, or -errno with ctx->err saying why;
 * -EBADMSG when it is not an x86 /proc/cpuinfo, with ctx->err naming the file
 * and what was expected.
 */
int kx_cpuinfo_read(struct kx_ctx *ctx, struct kx_cpuinfo *ci);
void kx_cpuinfo_free(struct kx_cpuinfo *ci);
