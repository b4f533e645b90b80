// SPDX-License-Identifier: GPL-2.0-or-later
/* Segment placement; the search works like kexec-tools' locate_hole(). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kexec/abi.h"
#include "base/ctx.h"
#include "kexec/plan.h"

struct search {
	const struct kx_place *pl;
	uint64_t lo, hi;	/* the window, inclusive */
	uint64_t size, align;
	bool found;
	uint64_t best;
	uint64_t largest;	/* largest free piece seen in the window, for the message */
};

/* Offer the free piece [start, end] of RAM to the search. */
static void offer(struct search *s, uint64_t start, uint64_t end)
{
	uint64_t cand;

	if (start < s->lo)
		start = s->lo;
	if (end > s->hi)
		end = s->hi;
	if (start > end)
		return;
	if (end - start + 1 > s->largest)
		s->largest = end - start + 1;
	if (end - start + 1 < s->size)
		return;
	if (s->pl->top_down) {
		cand = KX_ALIGN_DOWN(end - s->size + 1, s->align);
		if (cand < start)
			return;
		if (!s->found || cand > s->best)
			s->best = cand;
	} else {
		cand = KX_ALIGN_UP(start, s->align);
		if (cand < start || cand > end || end - cand + 1 < s->size)
			return;
		if (!s->found || cand < s->best)
			s->best = cand;
	}
	s->found = true;
}

/* The lowest segment start above @addr, or UINT64_MAX. */
static const struct kx_plan_seg *next_seg(const struct kx_plan *plan, uint64_t addr)
{
	const struct kx_plan_seg *best = NULL;
	size_t i;

	for (i = 0; i < plan->nr; i++) {
		const struct kx_plan_seg *sg = &plan->seg[i];

		if (sg->mem + sg->memsz > addr && (!best || sg->mem < best->mem))
			best = sg;
	}
	return best;
}

/* Walk RAM range @r minus the planned segments. */
static void offer_range(struct search *s, const struct kx_plan *plan, const struct kx_range *r)
{
	uint64_t pos = r->start;

	while (pos <= r->end) {
		const struct kx_plan_seg *sg = next_seg(plan, pos);

		if (!sg || sg->mem > r->end) {
			offer(s, pos, r->end);
			return;
		}
		if (sg->mem > pos)
			offer(s, pos, sg->mem - 1);
		if (sg->mem + sg->memsz == 0)	/* wrapped: nothing above */
			return;
		pos = sg->mem + sg->memsz;
	}
}

static int no_room(struct kx_ctx *ctx, const struct search *s, const struct kx_memmap *map)
{
	uint64_t ram = kx_memmap_ram_bytes(map);

	kx_fail(ctx, -ENOSPC,
		"no free memory for the %s: it needs 0x%llx bytes (%llu KiB) aligned to 0x%llx "
		"between 0x%llx and 0x%llx, and the largest free piece of RAM there is %llu KiB "
		"(memory map: %s)", s->pl->what, (unsigned long long)s->size,
		(unsigned long long)(s->size >> 10), (unsigned long long)s->align,
		(unsigned long long)s->lo, (unsigned long long)s->hi,
		(unsigned long long)(s->largest >> 10), map->source ? map->source : "given");
	if (s->size > ram)
		kx_fail_more(ctx, "; that is more than all its RAM (%llu MiB)",
			     (unsigned long long)(ram >> 20));
	return -ENOSPC;
}

int kx_plan_place(struct kx_ctx *ctx, struct kx_plan *plan, const struct kx_memmap *map,
		  uint64_t mem_min, uint64_t mem_max, const struct kx_place *pl, uint64_t *addr)
{
	struct search s = { .pl = pl };
	struct kx_plan_seg *sg;
	size_t i;

	if (plan->nr == KX_MAX_SEGMENTS)
		return kx_fail(ctx, -E2BIG, "the %s would be segment %d; the kernel takes at most %d",
			       pl->what, KX_MAX_SEGMENTS + 1, KX_MAX_SEGMENTS);
	s.size = KX_ALIGN_UP(pl->memsz ? pl->memsz : 1, KX_PAGE_SIZE);
	s.align = pl->align > KX_PAGE_SIZE ? pl->align : KX_PAGE_SIZE;
	s.lo = pl->min > mem_min ? pl->min : mem_min;
	s.hi = pl->max < mem_max ? pl->max : mem_max;
	for (i = 0; s.lo <= s.hi && i < map->nr; i++)
		if (map->r[i].type == KX_MEM_RAM)
			offer_range(&s, plan, &map->r[i]);
	if (!s.found)
		return no_room(ctx, &s, map);
	sg = &plan->seg[plan->nr++];
	sg->what = pl->what;
	sg->buf = pl->buf;
	sg->bufsz = pl->bufsz;
	sg->mem = s.best;
	sg->memsz = s.size;
	*addr = s.best;
	kx_dbg(ctx, "%-10s at 0x%016llx bufsz 0x%llx memsz 0x%llx", pl->what,
	       (unsigned long long)s.best, (unsigned long long)pl->bufsz,
	       (unsigned long long)s.size);
	return 0;
}

uint64_t kx_plan_total(const struct kx_plan *plan)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < plan->nr; i++)
		sum += plan->seg[i].memsz;
	return sum;
}

static int check_seg(struct kx_ctx *ctx, const struct kx_plan *plan, size_t i, uint64_t half)
{
	const struct kx_plan_seg *a = &plan->seg[i];
	size_t j;

	if ((a->mem | a->memsz) & (KX_PAGE_SIZE - 1))
		return kx_fail(ctx, -EADDRNOTAVAIL, "segment %zu (%s) at 0x%llx is not page aligned",
			       i, a->what, (unsigned long long)a->mem);
	if (a->bufsz > a->memsz)
		return kx_fail(ctx, -EINVAL, "segment %zu (%s) has more data than memory", i, a->what);
	if (a->memsz > half)
		return kx_fail(ctx, -EINVAL, "the %s needs %llu MiB, more than half of RAM (%llu MiB); "
			       "the kernel refuses that", a->what,
			       (unsigned long long)(a->memsz >> 20), (unsigned long long)(half >> 19));
	for (j = 0; j < i; j++) {
		const struct kx_plan_seg *b = &plan->seg[j];

		if (a->mem < b->mem + b->memsz && b->mem < a->mem + a->memsz)
			return kx_fail(ctx, -EINVAL, "segments %s and %s overlap", a->what, b->what);
	}
	return 0;
}

int kx_plan_check(struct kx_ctx *ctx, const struct kx_plan *plan, uint64_t ram_bytes)
{
	uint64_t half = (ram_bytes / KX_PAGE_SIZE / 2) * KX_PAGE_SIZE;
	size_t i;
	int rc;

	for (i = 0; i < plan->nr; i++) {
		rc = check_seg(ctx, plan, i, ram_bytes ? half : UINT64_MAX);
		if (rc < 0)
			return rc;
	}
	if (ram_bytes && kx_plan_total(plan) > half)
		return kx_fail(ctx, -EINVAL, "the segments need %llu MiB together, more than half of "
			       "RAM (%llu MiB); the kernel refuses that (swap does not count)",
			       (unsigned long long)(kx_plan_total(plan) >> 20),
			       (unsigned long long)(ram_bytes >> 20));
	return 0;
}
