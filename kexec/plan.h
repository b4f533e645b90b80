/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Placing kexec_load segments in physical memory, under the kernel's rules
 * (kernel/kexec_core.c sanity_check_segment_list): at most 16 segments, page
 * aligned, not overlapping, each and all together at most half of RAM.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kexec/memmap.h"
#include "kexec/ops.h"

struct kx_ctx;

struct kx_place {
	const char *what;
	const void *buf;
	uint64_t bufsz;
	uint64_t memsz;		/* rounded up to a page multiple */
	uint64_t align;		/* at least a page */
	uint64_t min, max;	/* window for the whole segment (max inclusive) */
	bool top_down;		/* highest fit; otherwise lowest */
};

/*
 * Find room for @pl in RAM of @map, outside the segments already in @plan and
 * inside [@mem_min, @mem_max], add it to the plan and return its address in
 * *@addr.  Returns -ENOSPC (no hole, with the largest hole in ctx->err) or
 * -E2BIG (segment limit).
 */
int kx_plan_place(struct kx_ctx *ctx, struct kx_plan *plan, const struct kx_memmap *map,
		  uint64_t mem_min, uint64_t mem_max, const struct kx_place *pl, uint64_t *addr);
/* The kernel's checks on the finished plan, against @ram_bytes of RAM (MemTotal). */
int kx_plan_check(struct kx_ctx *ctx, const struct kx_plan *plan, uint64_t ram_bytes);
uint64_t kx_plan_total(const struct kx_plan *plan);
