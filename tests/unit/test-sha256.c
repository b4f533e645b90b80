// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SHA-256 (freestanding/sha256.c, freestanding/sha256-ni.S) against the FIPS 180-2
 * examples and NIST's long-message vector, through every block function
 * this CPU has, one-shot and in odd pieces, plus the zero-run path.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "freestanding/sha256.h"

struct vector {
	const char *msg;
	size_t repeat;		/* the message is msg repeated this many times */
	const char *hex;
};

static const struct vector vectors[] = {
	{ "", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	/* 448 bits: the padding spills into a second block */
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	/* 896 bits: two full blocks of message */
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
	  "klmnopqrlmnopqrsmnopqrstnopqrstu", 1,
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ "a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
};

/* SHA-256 of 1 MiB of zero bytes (computed with Python's hashlib). */
static const char zero_mib_hex[] =
	"30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58";

static void unhex(const char *hex, uint8_t out[32])
{
	unsigned int i, v;

	for (i = 0; i < 32; i++) {
		char b[3] = { hex[2 * i], hex[2 * i + 1], 0 };

		v = (unsigned int)strtoul(b, NULL, 16);
		out[i] = (uint8_t)v;
	}
}

static uint8_t *expand(const struct vector *v, size_t *len)
{
	size_t n = strlen(v->msg), i;
	uint8_t *buf = malloc(n * v->repeat + 1);

	assert_non_null(buf);
	for (i = 0; i < v->repeat; i++)
		memcpy(buf + i * n, v->msg, n);
	*len = n * v->repeat;
	return buf;
}

static void digest_pieces(enum kx_sha256_impl impl, const uint8_t *p, size_t len,
			  size_t piece, uint8_t out[32])
{
	struct kx_sha256 s;
	size_t off = 0;

	kx_sha256_init_impl(&s, impl);
	while (off < len) {
		size_t n = len - off < piece ? len - off : piece;

		kx_sha256_update(&s, p + off, n);
		off += n;
	}
	kx_sha256_final(&s, out);
}

static void check_vectors(enum kx_sha256_impl impl)
{
	static const size_t pieces[] = { 1, 3, 55, 63, 64, 65, 1000, SIZE_MAX };
	size_t i, k;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		uint8_t want[32], got[32];
		size_t len;
		uint8_t *msg = expand(&vectors[i], &len);

		unhex(vectors[i].hex, want);
		for (k = 0; k < sizeof(pieces) / sizeof(pieces[0]); k++) {
			if (pieces[k] < 64 && len > 100000)
				continue;	/* slow and says nothing new */
			digest_pieces(impl, msg, len, pieces[k], got);
			assert_memory_equal(got, want, 32);
		}
		free(msg);
	}
}

static void test_vectors_scalar(void **state)
{
	check_vectors(KX_SHA256_SCALAR);
}

static void test_vectors_shani(void **state)
{
	if (!kx_sha256_have_shani())
		skip();
	check_vectors(KX_SHA256_SHANI);
}

static void test_oneshot(void **state)
{
	uint8_t want[32], got[32];

	unhex(vectors[1].hex, want);
	kx_sha256("abc", 3, got);
	assert_memory_equal(got, want, 32);
}

/* 1 MiB of zeros through kx_sha256_update_zero, in one call and in odd runs. */
static void test_zero_mib(void **state)
{
	static const size_t runs[] = { 1, 7, 63, 64, 1000, 4096 };
	uint8_t want[32], got[32];
	struct kx_sha256 s;
	size_t i, done;

	unhex(zero_mib_hex, want);
	kx_sha256_init(&s);
	kx_sha256_update_zero(&s, 1u << 20);
	kx_sha256_final(&s, got);
	assert_memory_equal(got, want, 32);

	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		kx_sha256_init_impl(&s, KX_SHA256_SCALAR);
		for (done = 0; done < (1u << 20); done += runs[i])
			kx_sha256_update_zero(&s, (1u << 20) - done < runs[i] ?
					      (1u << 20) - done : runs[i]);
		kx_sha256_final(&s, got);
		assert_memory_equal(got, want, 32);
	}
}

/* Data, then zeros, then data: same digest as hashing the whole buffer. */
static void test_zero_mixed(void **state)
{
	uint8_t *buf = calloc(1, 70000);
	uint8_t want[32], got[32];
	struct kx_sha256 s;

	assert_non_null(buf);
	memcpy(buf + 3, "head", 4);
	memcpy(buf + 69990, "tail", 4);
	kx_sha256(buf, 70000, want);
	kx_sha256_init(&s);
	kx_sha256_update(&s, buf, 7);
	kx_sha256_update_zero(&s, 69990 - 7);
	kx_sha256_update(&s, buf + 69990, 10);
	kx_sha256_final(&s, got);
	assert_memory_equal(got, want, 32);
	free(buf);
}

/* The two block functions agree on every length around the block boundaries. */
static void test_impls_agree(void **state)
{
	uint8_t buf[1200], a[32], b[32];
	size_t len, off;

	if (!kx_sha256_have_shani())
		skip();
	for (len = 0; len < sizeof(buf); len++)
		buf[len] = (uint8_t)(len * 131 + 7);
	for (len = 0; len < 1100; len += (len < 200 ? 1 : 37)) {
		for (off = 0; off < 4; off++) {
			digest_pieces(KX_SHA256_SCALAR, buf + off, len, SIZE_MAX, a);
			digest_pieces(KX_SHA256_SHANI, buf + off, len, 17, b);
			assert_memory_equal(a, b, 32);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_scalar),
		cmocka_unit_test(test_vectors_shani),
		cmocka_unit_test(test_oneshot),
		cmocka_unit_test(test_zero_mib),
		cmocka_unit_test(test_zero_mixed),
		cmocka_unit_test(test_impls_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
