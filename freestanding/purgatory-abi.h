/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the loader hands the purgatory besides the digest table
 * (digest-table.h) and the TDX gate record (gate-record.h): the register
 * state for the jump into the new kernel.  The loader fills the purgatory's
 * global "entry64_regs" with it by name (kexec/purgatory-config.c); the
 * purgatory loads it in entry.S.
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
