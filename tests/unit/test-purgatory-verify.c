// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory's verification routine (freestanding/digest-verify.c), built
 * for the host and run on segments laid out in ordinary memory (the table's
 * "physical" addresses are pointers here): a table the loader built passes;
 * one flipped byte anywhere, in the data or in the zero tail, is found and
 * its region named; a malformed table is refused.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/ctx.h"
#include "freestanding/digest-verify.h"
#include "kexec/digest.h"
#include "kexec/ops.h"

#define KiB 1024ull

struct fx {
	struct kx_plan plan;
	struct kx_dtab *t;
	uint8_t *mem[3];
	uint64_t memsz[3];
};

struct seen {
	unsigned int n;
	struct kx_verify_bad bad[4];
	char text[4][KX_VERIFY_DESCRIBE_MAX];
};

static void record_bad(void *arg, const struct kx_dtab *t, const struct kx_verify_bad *bad)
{
	struct seen *s = arg;

	if (s->n < 4) {
		s->bad[s->n] = *bad;
		kx_verify_describe(t, bad, s->text[s->n], KX_VERIFY_DESCRIBE_MAX);
	}
	s->n++;
}

static void add(struct fx *f, int i, const char *what, uint64_t bufsz, uint64_t memsz)
{
	struct kx_plan_seg *s = &f->plan.seg[f->plan.nr++];
	uint64_t k;

	f->mem[i] = calloc(1, memsz);
	assert_non_null(f->mem[i]);
	for (k = 0; k < bufsz; k++)
		f->mem[i][k] = (uint8_t)(k * 7 + i + 1) | 1;
	f->memsz[i] = memsz;
	s->what = what;
	s->buf = f->mem[i];	/* loaded "in place": what was hashed is what is checked */
	s->bufsz = bufsz;
	s->mem = (uintptr_t)f->mem[i];
	s->memsz = memsz;
}

/* kernel: 150 KiB of data in 1 MiB; purgatory (never read); initrd 200 KiB. */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct kx_ctx ctx = { 0 };
	struct kx_plan_seg *p;

	assert_non_null(f);
	f->t = malloc(sizeof(*f->t));
	assert_non_null(f->t);
	add(f, 0, "kernel", 150 * KiB, 1024 * KiB);
	p = &f->plan.seg[f->plan.nr++];
	p->what = "purgatory";
	p->mem = 0x7f000000;
	p->memsz = 0x9000;
	add(f, 2, "initrd", 200 * KiB, 200 * KiB);
	assert_int_equal(kx_digest_table_build(&ctx, &f->plan, 1, 0, f->t, NULL), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->mem[0]);
	free(f->mem[2]);
	free(f->t);
	free(f);
	return 0;
}

static int verify(struct fx *f, enum kx_sha256_impl impl, struct seen *s)
{
	struct kx_verify_stats st;
	int n;

	memset(s, 0, sizeof(*s));
	n = kx_verify_dtab(f->t, impl, record_bad, s, &st);
	assert_int_equal(st.mismatches, n < 0 ? 0 : (unsigned int)n);
	return n;
}

static void test_clean(void **state)
{
	struct fx *f = *state;
	struct kx_verify_stats st;
	struct seen s;

	assert_int_equal(verify(f, KX_SHA256_SCALAR, &s), 0);
	if (kx_sha256_have_shani())
		assert_int_equal(verify(f, KX_SHA256_SHANI, &s), 0);
	assert_int_equal(kx_verify_dtab(f->t, KX_SHA256_AUTO, NULL, NULL, &st), 0);
	/* the kernel's 13 whole tail chunks are scanned, everything else hashed */
	assert_int_equal(st.scanned, 13 * 64 * KiB);
	assert_int_equal(st.hashed, 3 * 64 * KiB + 200 * KiB);
	assert_int_equal(s.n, 0);
}

struct flip {
	int seg;
	uint64_t off;
	const char *part;
	int zero;	/* expected to be a zero chunk */
};

static void check_flip(struct fx *f, const struct flip *fl, enum kx_sha256_impl impl)
{
	uint8_t *byte = f->mem[fl->seg] + fl->off;
	uintptr_t at = (uintptr_t)byte;
	const struct kx_dtab_chunk *c;
	char want[128];
	struct seen s;

	*byte ^= 0x01;
	assert_int_equal(verify(f, impl, &s), 1);
	*byte ^= 0x01;
	c = &f->t->chunk[s.bad[0].chunk];
	if (at < c->start || at >= c->start + c->len)
		fail_msg("flip at +%#llx reported in the wrong chunk", (unsigned long long)fl->off);
	assert_int_equal(f->t->seg[c->seg].index, fl->seg);
	assert_int_equal(s.bad[0].zero_expected, fl->zero);
	if (fl->zero)
		assert_int_equal(c->start + s.bad[0].first_nonzero, at);
	snprintf(want, sizeof(want), "digest mismatch in segment %d (%s) at %#llx-%#llx", fl->seg,
		 fl->seg ? "initrd" : "kernel", (unsigned long long)c->start,
		 (unsigned long long)(c->start + c->len - 1));
	if (strncmp(s.text[0], want, strlen(want)) || !strstr(s.text[0], fl->part))
		fail_msg("flip at %d:+%#llx: got \"%s\", want \"%s ... %s\"", fl->seg,
			 (unsigned long long)fl->off, s.text[0], want, fl->part);
	assert_non_null(strstr(s.text[0], "\n  expected "));
	assert_non_null(strstr(s.text[0], "\n  found    "));
	assert_int_equal(fl->zero, strstr(s.text[0], "first non-zero byte at ") != NULL);
	assert_int_equal(verify(f, impl, &s), 0);	/* restored */
}

static const struct flip flips[] = {
	{ 0, 0, "of its data\n", 0 },
	{ 0, 64 * KiB - 1, "of its data\n", 0 },
	{ 0, 64 * KiB, "of its data\n", 0 },
	{ 0, 150 * KiB - 1, "of its data and zero tail\n", 0 },
	{ 0, 150 * KiB, "of its data and zero tail\n", 0 },	/* first tail byte */
	{ 0, 192 * KiB, "of its zero tail\n", 1 },		/* first byte of a zero chunk */
	{ 0, 500 * KiB + 3, "of its zero tail\n", 1 },
	{ 0, 1024 * KiB - 1, "of its zero tail\n", 1 },		/* the segment's last byte */
	{ 2, 0, "of its data\n", 0 },
	{ 2, 199 * KiB, "of its data\n", 0 },			/* short last chunk */
	{ 2, 200 * KiB - 1, "of its data\n", 0 },
};

static void test_flips(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		check_flip(*state, &flips[i], KX_SHA256_SCALAR);
		if (kx_sha256_have_shani())
			check_flip(*state, &flips[i], KX_SHA256_SHANI);
	}
}

/* Every byte of one chunk in the data and one in the zero tail, by brute force. */
static void test_every_byte(void **state)
{
	struct fx *f = *state;
	static const uint64_t starts[] = { 128 * KiB, 640 * KiB };
	struct seen s;
	uint64_t k;
	size_t i;

	for (i = 0; i < 2; i++) {
		for (k = starts[i]; k < starts[i] + 64 * KiB; k += 331) {
			f->mem[0][k] ^= 0x80;
			assert_int_equal(verify(f, KX_SHA256_AUTO, &s), 1);
			f->mem[0][k] ^= 0x80;
			assert_int_equal(s.bad[0].chunk, starts[i] / (64 * KiB));
		}
	}
}

static void test_several(void **state)
{
	struct fx *f = *state;
	struct seen s;

	f->mem[0][10] ^= 0xff;
	f->mem[0][900 * KiB] = 0x42;
	f->mem[2][100 * KiB] ^= 0xff;
	assert_int_equal(verify(f, KX_SHA256_AUTO, &s), 3);
	assert_int_equal(s.bad[0].chunk, 0);
	assert_int_equal(s.bad[1].chunk, 900 / 64);
	assert_int_equal(f->t->seg[f->t->chunk[s.bad[2].chunk].seg].index, 2);
	f->mem[0][10] ^= 0xff;
	f->mem[0][900 * KiB] = 0;
	f->mem[2][100 * KiB] ^= 0xff;
}

/* The loader's test hook makes memory that was not touched look corrupt. */
static void test_hook_flip(void **state)
{
	struct fx *f = *state;
	struct seen s;

	assert_int_equal(kx_digest_table_corrupt(f->t, &f->plan, 0, 700 * KiB), 0);
	assert_int_equal(verify(f, KX_SHA256_AUTO, &s), 1);
	assert_int_equal(s.bad[0].chunk, 700 / 64);
	/* the expected digest is no longer the zero one */
	assert_false(s.bad[0].zero_expected);
	assert_non_null(strstr(s.text[0], "of its zero tail"));
}

static void test_malformed(void **state)
{
	struct fx *f = *state;
	struct kx_dtab *t = f->t;
	struct seen s;

	t->magic ^= 1;
	assert_int_equal(verify(f, KX_SHA256_AUTO, &s), -EBADMSG);
	t->magic ^= 1;
	t->nchunk = KX_DTAB_MAX_CHUNKS + 1;
	assert_int_equal(verify(f, KX_SHA256_AUTO, &s), -E2BIG);
	t->nchunk = 20;
	t->chunk_size = 96 * KiB;
	assert_int_equal(verify(f, KX_SHA256_AUTO, &s), -EINVAL);
	t->chunk_size = 64 * KiB;
	t->chunk[3].start += 1024 * KiB;	/* outside its segment */
	assert_int_equal(verify(f, KX_SHA256_AUTO, &s), -ERANGE);
	t->chunk[3].start -= 1024 * KiB;
	t->chunk[5].seg = 7;
	assert_int_equal(verify(f, KX_SHA256_AUTO, &s), -ERANGE);
	t->chunk[5].seg = 0;
	assert_int_equal(verify(f, KX_SHA256_AUTO, &s), 0);
	assert_int_equal(s.n, 0);
}

static void test_first_nonzero(void **state)
{
	uint8_t buf[300];
	size_t i, len;

	memset(buf, 0, sizeof(buf));
	assert_int_equal(kx_verify_first_nonzero(buf, sizeof(buf)), sizeof(buf));
	for (i = 0; i < sizeof(buf); i++) {
		buf[i] = 1;
		for (len = 0; len < 4 && len <= i; len++) {	/* unaligned starts */
			uint64_t got = kx_verify_first_nonzero(buf + len, sizeof(buf) - len);

			assert_int_equal(got, i - len);
		}
		buf[i] = 0;
	}
}

/* The description never overruns a short buffer. */
static void test_describe_short(void **state)
{
	struct fx *f = *state;
	struct kx_verify_bad bad = { .chunk = 2 };
	char buf[40];

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(kx_verify_describe(f->t, &bad, buf, 16), 15);
	assert_int_equal(buf[15], 0);
	assert_int_equal(buf[16], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clean, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_several, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hook_flip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test(test_first_nonzero),
		cmocka_unit_test_setup_teardown(test_describe_short, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
