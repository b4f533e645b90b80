/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the loader hands the purgatory besides the digest table
 * (digest-table.h) and the TDX gate record (gate-record.h): the register
 * state for the jump into the new kernel, and the values of its mismatch
 * policy.  The loader fills the purgatory's globals ("entry64_regs",
 * "on_mismatch", ...) by name (kexec/purgatory-config.c); the purgatory loads
 * the registers in entry.S.
 */
#pragma once

#include <stdint.h>

/* The 64-bit boot protocol's register state for the new kernel. */
struct kx_entry_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip;
};

_Static_assert(sizeof(struct kx_entry_regs) == 136, "entry64_regs layout");

/*
 * The purgatory's "on_mismatch" parameter: what it does when a segment's
 * digest does not match what was loaded (or the digest table is malformed).
 * Either way it prints what differs first and never jumps.
 */
enum kx_mismatch_action {
	KX_MISMATCH_RESET = 0,	/* cold reset through firmware (the default) */
	KX_MISMATCH_HALT = 1,	/* halt forever, for debugging at the console */
};
