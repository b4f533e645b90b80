/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every kexec_load image entered at a 64-bit Linux entry point needs
 * besides the kernel itself: our purgatory, the boot parameters (the zero
 * page, with the purgatory's TDX gate record in setup_data), the initrd,
 * and the purgatory's registers and digests.  Shared by the bzImage64,
 * elf-x86_64 and uki image types.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "freestanding/gate-record.h"
#include "kexec/zeropage.h"

struct kx_classic;
struct kx_bzimage;
struct kx_purgatory;

struct kx_boot64 {
	struct kx_purgatory *purg;
	struct kx_zeropage zp;
	uint64_t initrd_addr, initrd_size;
	size_t purg_idx, zp_idx;
	char *crash_cmdline;		/* -p: the user's command line and elfcorehdr=, ... */
	enum kx_tdx_gate_mode gate;
	bool expect_tdx;
	/* the record's setup_data node, 8-byte aligned for kx_tdx_gate_node_init() */
	uint64_t gate_node[(KX_TDX_GATE_NODE_SIZE + 7) / 8];
};

/* Place and relocate the purgatory (high, above 0x3000). */
int kx_boot64_purgatory(struct kx_classic *st, struct kx_boot64 *b);
/*
 * Size and place the boot parameters for @bz's setup header (a real one, or
 * one made up for a kernel without it), at or below @max.
 */
int kx_boot64_params(struct kx_classic *st, struct kx_boot64 *b, const struct kx_bzimage *bz,
		     uint64_t max);
/* Place @size bytes of initrd (none when @buf is NULL) above 16 MiB, at or below @max. */
int kx_boot64_initrd(struct kx_classic *st, struct kx_boot64 *b, const void *buf, size_t size,
		     uint64_t max);
/*
 * Last: fill the boot parameters for their address and the initrd's, then
 * the purgatory's registers (rip = @entry, rsi = the zero page) and the
 * digests of every other segment; sets the plan's entry.
 */
int kx_boot64_finish(struct kx_classic *st, struct kx_boot64 *b, const struct kx_bzimage *bz,
		     uint64_t entry);
void kx_boot64_free(struct kx_boot64 *b);
