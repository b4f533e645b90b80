// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loader-side hashing for the purgatory's digest table.
 *
 * kexec-tools hashes every segment's data and then its zero tail, byte by
 * byte, on one thread (kexec/kexec.c, update_purgatory()).  Here each
 * chunk is independent, so the chunks are spread over threads; a chunk
 * that lies in a zero tail, or whose data is all zeros, gets the digest of
 * a zero chunk computed once; and the block function is SHA-NI when the
 * CPU has it.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "base/ctx.h"
#include "freestanding/digest-verify.h"
#include "kexec/digest.h"
#include "kexec/ops.h"
#include "freestanding/sha256.h"

#define MAX_THREADS 16

struct job {
	const struct kx_plan *plan;
	struct kx_dtab *t;
	enum kx_sha256_impl impl;
	uint8_t zero[KX_SHA256_LEN];	/* digest of chunk_size zero bytes */
	unsigned int next;		/* next chunk to take (atomic) */
	uint64_t hashed, zero_bytes;	/* atomic */
};

static uint64_t chunks_for(const struct kx_plan *plan, size_t self, uint64_t size)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < plan->nr; i++)
		if (i != self)
			n += (plan->seg[i].memsz + size - 1) / size;
	return n;
}

uint32_t kx_digest_chunk_size(const struct kx_plan *plan, size_t self)
{
	uint64_t size;

	for (size = KX_DTAB_MIN_CHUNK; size <= KX_DTAB_MAX_CHUNK; size <<= 1)
		if (chunks_for(plan, self, size) <= KX_DTAB_MAX_CHUNKS)
			return (uint32_t)size;
	return 0;
}

static int check_plan(struct kx_ctx *ctx, const struct kx_plan *plan, size_t self)
{
	size_t i;

	if (plan->nr > KX_DTAB_MAX_SEGS)
		return kx_fail(ctx, -EINVAL, "%zu segments; kexec_load takes at most %d",
			       plan->nr, KX_DTAB_MAX_SEGS);
	if (self != KX_DIGEST_NO_SELF && self >= plan->nr)
		return kx_fail(ctx, -EINVAL,
			       "purgatory segment %zu is not in the plan (%zu segments)",
			       self, plan->nr);
	for (i = 0; i < plan->nr; i++) {
		const struct kx_plan_seg *s = &plan->seg[i];

		if (s->bufsz > s->memsz || (s->bufsz && !s->buf) ||
		    s->mem + s->memsz < s->mem)
			return kx_fail(ctx, -EINVAL, "segment %zu (%s) is malformed: "
				       "bufsz %#llx, memsz %#llx at %#llx",
				       i, s->what ? s->what : "?", (unsigned long long)s->bufsz,
				       (unsigned long long)s->memsz, (unsigned long long)s->mem);
	}
	return 0;
}

static void add_segment(struct kx_dtab *t, const struct kx_plan_seg *s, size_t index)
{
	struct kx_dtab_seg *d = &t->seg[t->nseg];
	uint64_t off;

	d->mem = s->mem;
	d->memsz = s->memsz;
	d->bufsz = s->bufsz;
	d->index = (uint32_t)index;
	if (s->what)
		strncpy(d->name, s->what, sizeof(d->name) - 1);
	for (off = 0; off < s->memsz; off += t->chunk_size) {
		struct kx_dtab_chunk *c = &t->chunk[t->nchunk++];
		uint64_t left = s->memsz - off;

		c->start = s->mem + off;
		c->len = (uint32_t)(left < t->chunk_size ? left : t->chunk_size);
		c->seg = t->nseg;
	}
	t->total += s->memsz;
	t->nseg++;
}

/* The part of plan segment @s that chunk @c covers: data bytes, then zeros. */
static void chunk_parts(const struct kx_plan_seg *s, const struct kx_dtab_chunk *c,
			const uint8_t **data, uint64_t *ndata, uint64_t *nzero)
{
	uint64_t off = c->start - s->mem;

	*ndata = off < s->bufsz ? s->bufsz - off : 0;
	if (*ndata > c->len)
		*ndata = c->len;
	*data = *ndata ? (const uint8_t *)s->buf + off : NULL;
	*nzero = c->len - *ndata;
}

static void hash_parts(enum kx_sha256_impl impl, const uint8_t *data, uint64_t ndata,
		       uint64_t nzero, uint8_t out[KX_SHA256_LEN])
{
	struct kx_sha256 s;

	kx_sha256_init_impl(&s, impl);
	if (ndata)
		kx_sha256_update(&s, data, ndata);
	kx_sha256_update_zero(&s, nzero);
	kx_sha256_final(&s, out);
}

static void hash_chunk(struct job *job, struct kx_dtab_chunk *c)
{
	const struct kx_plan_seg *s = &job->plan->seg[job->t->seg[c->seg].index];
	uint64_t ndata, nzero;
	const uint8_t *data;

	chunk_parts(s, c, &data, &ndata, &nzero);
	if (c->len == job->t->chunk_size &&
	    (!ndata || kx_verify_first_nonzero(data, ndata) == ndata)) {
		memcpy(c->sha256, job->zero, KX_SHA256_LEN);
		__atomic_fetch_add(&job->zero_bytes, c->len, __ATOMIC_RELAXED);
		return;
	}
	hash_parts(job->impl, data, ndata, nzero, c->sha256);
	__atomic_fetch_add(&job->hashed, c->len, __ATOMIC_RELAXED);
}

static void *worker(void *arg)
{
	struct job *job = arg;
	unsigned int i;

	while ((i = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED)) < job->t->nchunk)
		hash_chunk(job, &job->t->chunk[i]);
	return NULL;
}

static unsigned int pick_threads(unsigned int asked, uint32_t nchunk)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int n = asked;

	if (!n)
		n = online > 0 ? (unsigned int)online : 1;
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	if (n > nchunk)
		n = nchunk ? nchunk : 1;
	return n;
}

/* Hash every chunk on up to @n threads, this one included; returns how many ran. */
static unsigned int run_jobs(struct job *job, unsigned int n)
{
	pthread_t tid[MAX_THREADS];
	unsigned int started = 0, i;

	while (started + 1 < n && !pthread_create(&tid[started], NULL, worker, job))
		started++;
	worker(job);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	return started + 1;
}

int kx_digest_table_build(struct kx_ctx *ctx, const struct kx_plan *plan, size_t self,
			  unsigned int threads, struct kx_dtab *t, struct kx_digest_stats *st)
{
	struct job job = { .plan = plan, .t = t };
	unsigned int ran;
	size_t i;
	int err;

	err = check_plan(ctx, plan, self);
	if (err)
		return err;
	memset(t, 0, sizeof(*t));
	t->magic = KX_DTAB_MAGIC;
	t->version = KX_DTAB_VERSION;
	t->chunk_size = kx_digest_chunk_size(plan, self);
	if (!t->chunk_size)
		return kx_fail(ctx, -E2BIG,
			       "the segments are too large for the purgatory's digest table");
	for (i = 0; i < plan->nr; i++)
		if (i != self)
			add_segment(t, &plan->seg[i], i);

	job.impl = kx_sha256_have_shani() ? KX_SHA256_SHANI : KX_SHA256_SCALAR;
	hash_parts(job.impl, NULL, 0, t->chunk_size, job.zero);
	ran = run_jobs(&job, pick_threads(threads, t->nchunk));
	if (st) {
		st->hashed = job.hashed;
		st->zero = job.zero_bytes;
		st->threads = ran;
	}
	kx_dbg(ctx, "digests: %u chunks of %u KiB over %u segments, %llu KiB hashed, "
	       "%llu KiB zero, %u threads\n", t->nchunk, t->chunk_size >> 10, t->nseg,
	       (unsigned long long)(job.hashed >> 10), (unsigned long long)(job.zero_bytes >> 10),
	       ran);
	return 0;
}

/* SHA-256 of chunk @c of @s with the byte at chunk offset @pos inverted. */
static void hash_flipped(const struct kx_plan_seg *s, const struct kx_dtab_chunk *c,
			 uint64_t pos, uint8_t out[KX_SHA256_LEN])
{
	uint64_t ndata, nzero;
	const uint8_t *data;
	struct kx_sha256 h;
	uint8_t byte;

	chunk_parts(s, c, &data, &ndata, &nzero);
	kx_sha256_init(&h);
	if (pos < ndata) {
		byte = data[pos] ^ 0xff;
		kx_sha256_update(&h, data, pos);
		kx_sha256_update(&h, &byte, 1);
		if (ndata - pos - 1)
			kx_sha256_update(&h, data + pos + 1, ndata - pos - 1);
		kx_sha256_update_zero(&h, nzero);
	} else {
		byte = 0xff;
		if (ndata)
			kx_sha256_update(&h, data, ndata);
		kx_sha256_update_zero(&h, pos - ndata);
		kx_sha256_update(&h, &byte, 1);
		kx_sha256_update_zero(&h, c->len - pos - 1);
	}
	kx_sha256_final(&h, out);
}

int kx_digest_table_corrupt(struct kx_dtab *t, const struct kx_plan *plan, size_t seg,
			    uint64_t off)
{
	uint64_t at;
	uint32_t i;

	if (seg >= plan->nr || off >= plan->seg[seg].memsz)
		return -EINVAL;
	at = plan->seg[seg].mem + off;
	for (i = 0; i < t->nchunk; i++) {
		struct kx_dtab_chunk *c = &t->chunk[i];

		if (t->seg[c->seg].index == seg && at >= c->start && at - c->start < c->len) {
			hash_flipped(&plan->seg[seg], c, at - c->start, c->sha256);
			return 0;
		}
	}
	return -EINVAL;
}
