// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory's digest check.  A chunk whose expected digest is that of
 * chunk_size zero bytes is checked by scanning for a non-zero byte: memory
 * that is all zeros has exactly that digest, and memory that is not has,
 * barring a SHA-256 collision, another one; so the scan decides the same
 * thing as hashing, at memory speed.  Every other chunk is hashed.
 */
#include <linux/errno.h>

#include "freestanding/digest-verify.h"

typedef uint64_t __attribute__((may_alias)) u64_alias;

static int same(const uint8_t *a, const uint8_t *b, unsigned int n)
{
	unsigned int i;
	uint8_t d = 0;

	for (i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

uint64_t kx_verify_first_nonzero(const uint8_t *p, uint64_t len)
{
	uint64_t i = 0;

	for (; i < len && ((uintptr_t)(p + i) & 7); i++)
		if (p[i])
			return i;
	for (; i + 64 <= len; i += 64) {
		const u64_alias *w = (const void *)(p + i);	/* 8-aligned here */

		if (w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6] | w[7])
			break;
	}
	for (; i < len; i++)
		if (p[i])
			return i;
	return len;
}

static int chunk_ok(const struct kx_dtab *t, const struct kx_dtab_chunk *c)
{
	const struct kx_dtab_seg *s;

	if (c->seg >= t->nseg || c->len == 0 || c->len > t->chunk_size)
		return 0;
	s = &t->seg[c->seg];
	return c->start >= s->mem && c->start - s->mem <= s->memsz &&
	       c->len <= s->memsz - (c->start - s->mem);
}

int kx_verify_table_ok(const struct kx_dtab *t)
{
	uint32_t i;

	if (t->magic != KX_DTAB_MAGIC || t->version != KX_DTAB_VERSION)
		return -EBADMSG;
	if (t->nseg > KX_DTAB_MAX_SEGS || t->nchunk > KX_DTAB_MAX_CHUNKS)
		return -E2BIG;
	if (t->chunk_size < KX_DTAB_MIN_CHUNK || (t->chunk_size & (t->chunk_size - 1)))
		return -EINVAL;
	for (i = 0; i < t->nchunk; i++)
		if (!chunk_ok(t, &t->chunk[i]))
			return -ERANGE;
	return 0;
}

static void digest(enum kx_sha256_impl impl, const void *p, uint64_t len, uint8_t out[32])
{
	struct kx_sha256 s;

	kx_sha256_init_impl(&s, impl);
	kx_sha256_update(&s, p, len);
	kx_sha256_final(&s, out);
}

/* SHA-256 of chunk_size zero bytes. */
static void zero_digest(enum kx_sha256_impl impl, uint32_t len, uint8_t out[32])
{
	struct kx_sha256 s;

	kx_sha256_init_impl(&s, impl);
	kx_sha256_update_zero(&s, len);
	kx_sha256_final(&s, out);
}

/* 1 if the chunk matches; else fills @bad. */
static int check_chunk(const struct kx_dtab *t, unsigned int i, enum kx_sha256_impl impl,
		       const uint8_t zero[32], struct kx_verify_bad *bad,
		       struct kx_verify_stats *st)
{
	const struct kx_dtab_chunk *c = &t->chunk[i];
	const uint8_t *p = (const uint8_t *)(uintptr_t)c->start;

	bad->chunk = i;
	bad->zero_expected = c->len == t->chunk_size && same(c->sha256, zero, 32);
	if (bad->zero_expected) {
		st->scanned += c->len;
		bad->first_nonzero = kx_verify_first_nonzero(p, c->len);
		if (bad->first_nonzero == c->len)
			return 1;
		digest(impl, p, c->len, bad->found);
		return 0;
	}
	st->hashed += c->len;
	digest(impl, p, c->len, bad->found);
	return same(bad->found, c->sha256, 32);
}

int kx_verify_dtab(const struct kx_dtab *t, enum kx_sha256_impl impl,
		   kx_verify_report_fn report, void *arg, struct kx_verify_stats *st)
{
	struct kx_verify_stats local = { 0 };
	struct kx_verify_bad bad;
	uint8_t zero[32];
	unsigned int i;
	int err = kx_verify_table_ok(t);

	if (!st)
		st = &local;
	st->hashed = st->scanned = 0;
	st->mismatches = 0;
	if (err)
		return err;
	zero_digest(impl, t->chunk_size, zero);
	for (i = 0; i < t->nchunk; i++) {
		if (check_chunk(t, i, impl, zero, &bad, st))
			continue;
		st->mismatches++;
		if (report)
			report(arg, t, &bad);
	}
	return (int)st->mismatches;
}

struct sbuf {
	char *p;
	unsigned int len, size;
};

static void put_c(struct sbuf *b, char c)
{
	if (b->len + 1 < b->size)
		b->p[b->len++] = c;
	b->p[b->len] = 0;
}

static void put_s(struct sbuf *b, const char *s)
{
	while (*s)
		put_c(b, *s++);
}

static void put_hex(struct sbuf *b, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	int n = 15;

	while (n > 0 && !(v >> (4 * n)))
		n--;
	put_s(b, "0x");
	for (; n >= 0; n--)
		put_c(b, hex[(v >> (4 * n)) & 0xf]);
}

static void put_dec(struct sbuf *b, uint64_t v)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		put_c(b, tmp[--i]);
}

static void put_digest(struct sbuf *b, const char *label, const uint8_t d[32])
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	put_s(b, label);
	for (i = 0; i < 32; i++) {
		put_c(b, hex[d[i] >> 4]);
		put_c(b, hex[d[i] & 0xf]);
	}
	put_c(b, '\n');
}

static const char *part_name(const struct kx_dtab_seg *s, uint64_t off, uint64_t len)
{
	if (off + len <= s->bufsz)
		return "of its data";
	if (off >= s->bufsz)
		return "of its zero tail";
	return "of its data and zero tail";
}

unsigned int kx_verify_describe(const struct kx_dtab *t, const struct kx_verify_bad *bad,
				char *buf, unsigned int size)
{
	const struct kx_dtab_chunk *c = &t->chunk[bad->chunk];
	const struct kx_dtab_seg *s = &t->seg[c->seg];
	struct sbuf b = { .p = buf, .len = 0, .size = size };
	uint64_t off = c->start - s->mem;
	char name[KX_DTAB_NAME_LEN + 1];
	unsigned int i;

	if (!size)
		return 0;
	for (i = 0; i < KX_DTAB_NAME_LEN; i++)
		name[i] = s->name[i];
	name[KX_DTAB_NAME_LEN] = 0;
	buf[0] = 0;
	put_s(&b, "digest mismatch in segment ");
	put_dec(&b, s->index);
	put_s(&b, " (");
	put_s(&b, name[0] ? name : "?");
	put_s(&b, ") at ");
	put_hex(&b, c->start);
	put_c(&b, '-');
	put_hex(&b, c->start + c->len - 1);
	put_s(&b, ", bytes ");
	put_hex(&b, off);
	put_c(&b, '-');
	put_hex(&b, off + c->len - 1);
	put_c(&b, ' ');
	put_s(&b, part_name(s, off, c->len));
	put_c(&b, '\n');
	put_digest(&b, "  expected ", c->sha256);
	put_digest(&b, "  found    ", bad->found);
	if (bad->zero_expected) {
		put_s(&b, "  should be all zeros; first non-zero byte at ");
		put_hex(&b, c->start + bad->first_nonzero);
		put_c(&b, '\n');
	}
	return b.len;
}
