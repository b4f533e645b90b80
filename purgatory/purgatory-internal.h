/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Functions shared between the purgatory's own files. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "purgatory/console.h"

struct kx_verify_stats;

/* Called from entry.S on our stack; ends in kx_jump_to_kernel(). */
void purgatory_main(void);
/* Called from entry.S for an exception we did not expect; prints and halts. */
__attribute__((noreturn)) void kx_exception(uint64_t vector, uint64_t error, uint64_t rip);

/* Cold reset through the reset control register, triple fault as the fallback. */
__attribute__((noreturn)) void kx_cold_reset(void);

/* The TDX gate (gate-hw.c): check and record; resets instead of returning when it
 * enforces on a TDX host and a reading is certain to stop TDX in the new kernel. */
struct kx_gate_run {
	uint64_t entry_cr4;		/* CR4 as the old kernel left it */
	uint64_t entry_wbinvd_tsc;	/* TSC ticks of the flush at entry, 0: none */
	uint32_t flags;			/* KX_GATE_F_* from the flush and verification */
	uint64_t verify_bytes, verify_tsc;
};
void kx_gate_run(struct kx_con *con, const struct kx_gate_run *run);

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
