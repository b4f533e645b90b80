/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The digest table the purgatory checks before it jumps (layout in
 * freestanding/digest-table.h): every segment of a kexec_load plan except the
 * purgatory's own, cut into chunks, each with its SHA-256 over the chunk's
 * part of the segment's data and zero tail.  Chunks are hashed on several
 * threads; a chunk that is all zeros gets the digest of a zero chunk,
 * computed once.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "freestanding/digest-table.h"

struct kx_ctx;
struct kx_plan;

#define KX_DIGEST_NO_SELF ((size_t)-1)	/* cover every segment of the plan */

struct kx_digest_stats {
	uint64_t hashed;	/* bytes run through SHA-256 */
	uint64_t zero;		/* bytes of whole zero chunks, not hashed */
	unsigned int threads;	/* threads that hashed, the caller's included */
};

/*
 * Fill @t for @plan, leaving out plan->seg[@self] (KX_DIGEST_NO_SELF: leave
 * out nothing).  @threads: 0 picks one per online CPU, at most 16.  @st may
 * be NULL.  Returns 0 or -errno with ctx->err set (a bad plan, or more
 * bytes than the table can cover).
 */
int kx_digest_table_build(struct kx_ctx *ctx, const struct kx_plan *plan, size_t self,
			  unsigned int threads, struct kx_dtab *t, struct kx_digest_stats *st);

/* The chunk size kx_digest_table_build() picks for @plan; 0 if none fits. */
uint32_t kx_digest_chunk_size(const struct kx_plan *plan, size_t self);

/*
 * Testing: make the table expect byte @off of plan->seg[@seg] to be that
 * byte XOR 0xff, as if memory had been corrupted after the digests were
 * taken.  Returns 0, or -EINVAL when the byte is not covered by the table.
 */
int kx_digest_table_corrupt(struct kx_dtab *t, const struct kx_plan *plan, size_t seg,
			    uint64_t off);
