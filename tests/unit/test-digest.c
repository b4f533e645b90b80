// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The digest table the loader builds (kexec/digest.c): chunking and chunk
 * size, full coverage of every non-purgatory segment over its memsz, the
 * purgatory left out, every digest equal to an independent SHA-256 of the
 * chunk's bytes, zero chunks taken from the one zero digest, the same table
 * on one thread and many, and malformed plans refused.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/ctx.h"
#include "kexec/digest.h"
#include "kexec/ops.h"
#include "freestanding/sha256.h"

#define KiB 1024ull
#define MiB (1024 * KiB)

/* SHA-256 of 64 KiB of zero bytes (Python's hashlib). */
static const uint8_t zero64k[32] = {
	0xde, 0x2f, 0x25, 0x60, 0x64, 0xa0, 0xaf, 0x79, 0x77, 0x47, 0xc2, 0xb9, 0x75, 0x05,
	0xdc, 0x0b, 0x9f, 0x3d, 0xf0, 0xde, 0x4f, 0x48, 0x9e, 0xac, 0x73, 0x1c, 0x23, 0xae,
	0x9c, 0xa9, 0xcc, 0x31,
};

struct fx {
	struct kx_ctx ctx;
	struct kx_plan plan;
	struct kx_dtab *t;
	uint8_t *bufs[4];
};

static uint8_t *pattern(size_t len, unsigned int seed)
{
	uint8_t *b = malloc(len);
	size_t i;

	assert_non_null(b);
	for (i = 0; i < len; i++)
		b[i] = (uint8_t)((i * 2654435761u) >> 13) ^ (uint8_t)seed;
	return b;
}

static void add(struct kx_plan *plan, const char *what, const void *buf, uint64_t bufsz,
		uint64_t mem, uint64_t memsz)
{
	struct kx_plan_seg *s = &plan->seg[plan->nr++];

	s->what = what;
	s->buf = buf;
	s->bufsz = bufsz;
	s->mem = mem;
	s->memsz = memsz;
}

/*
 * kernel: 300 KiB of data (64 KiB of it zeros) in 1 MiB; purgatory (self);
 * initrd: 204 KiB, no tail; zero page: 4 KiB.
 */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->t = malloc(sizeof(*f->t));
	assert_non_null(f->t);
	f->bufs[0] = pattern(300 * KiB, 1);
	memset(f->bufs[0] + 64 * KiB, 0, 64 * KiB);
	f->bufs[1] = pattern(20 * KiB, 2);
	f->bufs[2] = pattern(204 * KiB, 3);
	f->bufs[3] = pattern(4 * KiB, 4);
	add(&f->plan, "kernel", f->bufs[0], 300 * KiB, 0x1000000, 1 * MiB);
	add(&f->plan, "purgatory", f->bufs[1], 20 * KiB, 0x7000000, 40 * KiB);
	add(&f->plan, "initrd", f->bufs[2], 204 * KiB, 0x4000000, 204 * KiB);
	add(&f->plan, "zero page", f->bufs[3], 4 * KiB, 0x7100000, 4 * KiB);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	int i;

	for (i = 0; i < 4; i++)
		free(f->bufs[i]);
	free(f->t);
	free(f);
	return 0;
}

static void test_layout(void **state)
{
	struct fx *f = *state;
	struct kx_dtab *t = f->t;
	uint32_t i, k;

	assert_int_equal(kx_digest_table_build(&f->ctx, &f->plan, 1, 0, t, NULL), 0);
	assert_int_equal(t->magic, KX_DTAB_MAGIC);
	assert_int_equal(t->version, KX_DTAB_VERSION);
	assert_int_equal(t->chunk_size, 64 * KiB);
	assert_int_equal(t->nseg, 3);
	assert_int_equal(t->total, 1 * MiB + 204 * KiB + 4 * KiB);
	assert_string_equal(t->seg[0].name, "kernel");
	assert_string_equal(t->seg[1].name, "initrd");
	assert_string_equal(t->seg[2].name, "zero page");
	assert_int_equal(t->seg[1].index, 2);
	assert_int_equal(t->seg[0].bufsz, 300 * KiB);
	assert_int_equal(t->nchunk, 16 + 4 + 1);
	/* each segment's chunks tile [mem, mem + memsz) in order */
	for (k = 0; k < t->nseg; k++) {
		uint64_t next = t->seg[k].mem;

		for (i = 0; i < t->nchunk; i++) {
			if (t->chunk[i].seg != k)
				continue;
			assert_int_equal(t->chunk[i].start, next);
			assert_true(t->chunk[i].len == t->chunk_size ||
				    next + t->chunk[i].len == t->seg[k].mem + t->seg[k].memsz);
			next += t->chunk[i].len;
		}
		assert_int_equal(next, t->seg[k].mem + t->seg[k].memsz);
	}
	/* the purgatory is nowhere */
	for (i = 0; i < t->nchunk; i++)
		assert_false(t->chunk[i].start >= 0x7000000 && t->chunk[i].start < 0x700a000);
}

static void test_digests(void **state)
{
	struct fx *f = *state;
	struct kx_digest_stats st;
	uint32_t i;

	assert_int_equal(kx_digest_table_build(&f->ctx, &f->plan, 1, 0, f->t, &st), 0);
	for (i = 0; i < f->t->nchunk; i++) {
		const struct kx_dtab_chunk *c = &f->t->chunk[i];
		const struct kx_plan_seg *s = &f->plan.seg[f->t->seg[c->seg].index];
		uint8_t *img = calloc(1, s->memsz), want[32];

		assert_non_null(img);
		memcpy(img, s->buf, s->bufsz);
		kx_sha256(img + (c->start - s->mem), c->len, want);
		assert_memory_equal(c->sha256, want, 32);
		free(img);
	}
	/* kernel chunks 1 (zero data) and 5..15 (tail) are zero chunks; chunk 4 holds
	 * the data's end and is hashed */
	assert_memory_equal(f->t->chunk[1].sha256, zero64k, 32);
	assert_memory_equal(f->t->chunk[15].sha256, zero64k, 32);
	assert_memory_not_equal(f->t->chunk[4].sha256, zero64k, 32);
	assert_int_equal(st.zero, 12 * 64 * KiB);
	assert_int_equal(st.hashed, 4 * 64 * KiB + 204 * KiB + 4 * KiB);
	assert_true(st.threads >= 1);
}

static void test_threads_agree(void **state)
{
	struct fx *f = *state;
	struct kx_dtab *one = malloc(sizeof(*one));
	struct kx_digest_stats st;

	assert_non_null(one);
	assert_int_equal(kx_digest_table_build(&f->ctx, &f->plan, 1, 1, one, &st), 0);
	assert_int_equal(st.threads, 1);
	assert_int_equal(kx_digest_table_build(&f->ctx, &f->plan, 1, 7, f->t, &st), 0);
	assert_int_equal(st.threads, 7);
	assert_memory_equal(one, f->t, sizeof(*one));
	/* no purgatory to leave out: one more segment */
	assert_int_equal(kx_digest_table_build(&f->ctx, &f->plan, KX_DIGEST_NO_SELF, 0, f->t,
					       NULL), 0);
	assert_int_equal(f->t->nseg, 4);
	free(one);
}

/* Chunks grow to keep the table bounded; a zero tail of GiBs costs nothing. */
static void test_chunk_size(void **state)
{
	struct kx_ctx ctx = { 0 };
	struct kx_plan plan = { .nr = 0 };
	struct kx_dtab *t = malloc(sizeof(*t));
	struct kx_digest_stats st;
	uint8_t data[4096];
	int i;

	assert_non_null(t);
	memset(data, 0x11, sizeof(data));
	add(&plan, "big", data, sizeof(data), 0x100000000ull, 8ull << 30);
	assert_int_equal(kx_digest_chunk_size(&plan, KX_DIGEST_NO_SELF), 8 * MiB);
	assert_int_equal(kx_digest_table_build(&ctx, &plan, KX_DIGEST_NO_SELF, 0, t, &st), 0);
	assert_int_equal(t->nchunk, 1024);
	assert_int_equal(st.hashed, 8 * MiB);
	assert_int_equal(st.zero, (8ull << 30) - 8 * MiB);

	plan.nr = 0;
	for (i = 0; i < 16; i++)
		add(&plan, "small", data, sizeof(data), 0x100000ull * (i + 1), 68 * KiB);
	assert_int_equal(kx_digest_chunk_size(&plan, KX_DIGEST_NO_SELF), 64 * KiB);
	assert_int_equal(kx_digest_chunk_size(&plan, 3), 64 * KiB);

	plan.nr = 0;
	add(&plan, "huge", NULL, 0, 0x100000000ull, 4ull << 40);
	assert_int_equal(kx_digest_chunk_size(&plan, KX_DIGEST_NO_SELF), 0);
	assert_int_equal(kx_digest_table_build(&ctx, &plan, KX_DIGEST_NO_SELF, 0, t, NULL), -E2BIG);
	assert_non_null(strstr(ctx.err, "too large"));
	free(t);
}

static void test_bad_plans(void **state)
{
	struct fx *f = *state;
	struct kx_plan plan = f->plan;

	assert_int_equal(kx_digest_table_build(&f->ctx, &plan, 4, 0, f->t, NULL), -EINVAL);
	assert_non_null(strstr(f->ctx.err, "purgatory segment 4"));
	plan.seg[2].bufsz = plan.seg[2].memsz + 1;
	assert_int_equal(kx_digest_table_build(&f->ctx, &plan, 1, 0, f->t, NULL), -EINVAL);
	assert_non_null(strstr(f->ctx.err, "segment 2 (initrd)"));
	plan = f->plan;
	plan.seg[3].buf = NULL;
	assert_int_equal(kx_digest_table_build(&f->ctx, &plan, 1, 0, f->t, NULL), -EINVAL);
	plan = f->plan;
	plan.nr = KX_DTAB_MAX_SEGS + 1;
	assert_int_equal(kx_digest_table_build(&f->ctx, &plan, 1, 0, f->t, NULL), -EINVAL);
}

/* The test hook's "this byte was flipped" digest is the digest of the flipped chunk. */
static void test_corrupt(void **state)
{
	struct fx *f = *state;
	const uint64_t offs[] = { 0, 70 * KiB, 300 * KiB - 1, 300 * KiB, 1 * MiB - 1 };
	uint8_t *img = calloc(1, 1 * MiB), want[32];
	size_t i;

	assert_non_null(img);
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		uint64_t chunk = offs[i] / (64 * KiB) * (64 * KiB);

		assert_int_equal(kx_digest_table_build(&f->ctx, &f->plan, 1, 0, f->t, NULL), 0);
		assert_int_equal(kx_digest_table_corrupt(f->t, &f->plan, 0, offs[i]), 0);
		memset(img, 0, 1 * MiB);
		memcpy(img, f->bufs[0], 300 * KiB);
		img[offs[i]] ^= 0xff;
		kx_sha256(img + chunk, 64 * KiB, want);
		assert_memory_equal(f->t->chunk[offs[i] / (64 * KiB)].sha256, want, 32);
	}
	assert_int_equal(kx_digest_table_corrupt(f->t, &f->plan, 1, 0), -EINVAL);
	assert_int_equal(kx_digest_table_corrupt(f->t, &f->plan, 0, 1 * MiB), -EINVAL);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_agree, setup, teardown),
		cmocka_unit_test(test_chunk_size),
		cmocka_unit_test_setup_teardown(test_bad_plans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
