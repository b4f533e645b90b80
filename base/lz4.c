// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LZ4 legacy frames, the format Linux uses for lz4-compressed kernels
 * (scripts/Makefile.lib cmd_lz4 runs "lz4 -l"; lib/decompress_unlz4.c reads
 * it): the magic 02 21 4c 18, then blocks, each a little-endian 32-bit
 * compressed size and an independent LZ4 block that decodes to at most
 * 8 MiB.  The kernel build appends the uncompressed size as 4 more bytes.
 * The block format is lz4's doc/lz4_Block_format.md.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/bytes.h"
#include "base/lz4.h"

#define LZ4_LEGACY_MAGIC 0x184c2102u
#define LZ4_LEGACY_BLOCK (8u << 20)

/* A length with 255-continuation bytes (the token nibble was 15). */
static int more_len(const uint8_t **ip, const uint8_t *end, size_t *len)
{
	uint8_t b;

	do {
		if (*ip >= end)
			return -EBADMSG;
		b = *(*ip)++;
		*len += b;
		if (*len > LZ4_LEGACY_BLOCK)
			return -EBADMSG;
	} while (b == 255);
	return 0;
}

static int lz4_block(const uint8_t *ip, size_t len, struct kx_buf *o)
{
	const uint8_t *end = ip + len;
	size_t start = o->len;

	while (ip < end) {
		uint8_t token = *ip++;
		size_t lit = token >> 4, mlen = (token & 15) + 4, off;
		int rc;

		if (lit == 15 && more_len(&ip, end, &lit) < 0)
			return -EBADMSG;
		if (lit > (size_t)(end - ip) || (rc = kx_buf_reserve(o, lit)) < 0)
			return lit > (size_t)(end - ip) ? -EBADMSG : rc;
		if (lit)	/* o->p may still be NULL: no memcpy(NULL, ..., 0) */
			memcpy(o->p + o->len, ip, lit);
		o->len += lit;
		ip += lit;
		if (ip == end)
			break;		/* the last sequence has literals only */
		if (end - ip < 2)
			return -EBADMSG;
		off = kx_get16(ip, 0);
		ip += 2;
		if ((token & 15) == 15 && more_len(&ip, end, &mlen) < 0)
			return -EBADMSG;
		if (off == 0 || off > o->len - start)
			return -EBADMSG;
		if ((rc = kx_buf_reserve(o, mlen)) < 0)
			return rc;
		for (; mlen; mlen--, o->len++)	/* the match may overlap its own output */
			o->p[o->len] = o->p[o->len - off];
	}
	return o->len - start > LZ4_LEGACY_BLOCK ? -EBADMSG : 0;
}

static int lz4_blocks(const uint8_t *in, size_t len, struct kx_buf *o)
{
	size_t pos = 4, start = o->len;

	while (len - pos >= 4) {
		uint32_t n = kx_get32(in, pos);
		int rc;

		if (len - pos == 4 && n == (uint32_t)(o->len - start))
			break;		/* the size the kernel build appends */
		pos += 4;
		if (n == LZ4_LEGACY_MAGIC)
			continue;	/* concatenated frames */
		if (n == 0 || n > len - pos)
			return -EBADMSG;
		rc = lz4_block(in + pos, n, o);
		if (rc < 0)
			return rc;
		pos += n;
	}
	return pos == len || len - pos == 4 ? 0 : -EBADMSG;	/* 4: the size, checked above */
}

int kx_lz4_legacy_buf(const uint8_t *in, size_t len, struct kx_buf *o)
{
	if (len < 4 || kx_get32(in, 0) != LZ4_LEGACY_MAGIC)
		return -EINVAL;
	return lz4_blocks(in, len, o);
}

int kx_lz4_legacy(const uint8_t *in, size_t len, size_t max, uint8_t **out, size_t *outlen)
{
	struct kx_buf o = KX_BUF_INIT(max);
	int rc = kx_lz4_legacy_buf(in, len, &o);

	if (rc < 0) {
		kx_buf_free(&o);
		return rc;
	}
	*out = o.p ? o.p : malloc(1);
	*outlen = o.len;
	return *out ? 0 : -ENOMEM;
}
