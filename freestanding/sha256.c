// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SHA-256 as specified in FIPS 180-4.  The scalar block function is written
 * for speed without vector registers (the purgatory is built with
 * -mgeneral-regs-only); the SHA-NI one is in sha256-ni.S.
 */
#include <stddef.h>
#include <stdint.h>

#include "freestanding/sha256.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))
#define S0(x)		(ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define S1(x)		(ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define s0(x)		(ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define s1(x)		(ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))
#define CH(x, y, z)	((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z)	(((x) & (y)) | ((z) & ((x) | (y))))

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* One round; the caller rotates the roles of a..h instead of moving values. */
#define ROUND(a, b, c, d, e, f, g, h, i) do {				\
	uint32_t t1 = h + S1(e) + CH(e, f, g) + K[i] + W[(i) & 15];	\
	d += t1;							\
	h = t1 + S0(a) + MAJ(a, b, c);					\
} while (0)

#define EXPAND(i) \
	(W[(i) & 15] += s1(W[((i) - 2) & 15]) + W[((i) - 7) & 15] + s0(W[((i) - 15) & 15]))

/* Eight rounds starting at @i, then the state names are back in place. */
#define ROUND8(i) do {							\
	ROUND(a, b, c, d, e, f, g, hh, (i));				\
	ROUND(hh, a, b, c, d, e, f, g, (i) + 1);			\
	ROUND(g, hh, a, b, c, d, e, f, (i) + 2);			\
	ROUND(f, g, hh, a, b, c, d, e, (i) + 3);			\
	ROUND(e, f, g, hh, a, b, c, d, (i) + 4);			\
	ROUND(d, e, f, g, hh, a, b, c, (i) + 5);			\
	ROUND(c, d, e, f, g, hh, a, b, (i) + 6);			\
	ROUND(b, c, d, e, f, g, hh, a, (i) + 7);			\
} while (0)

#define EXPAND8(i) do {							\
	EXPAND(i); EXPAND((i) + 1); EXPAND((i) + 2); EXPAND((i) + 3);	\
	EXPAND((i) + 4); EXPAND((i) + 5); EXPAND((i) + 6); EXPAND((i) + 7); \
} while (0)

/*
 * Fully unrolled so that every W[] and K[] index is a constant: the
 * compiler then keeps the schedule in registers where it can.
 */
static void compress(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	uint32_t W[16];

	for (; nblocks; nblocks--, p += 64) {
		uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
		uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];
		int i;

		for (i = 0; i < 16; i++)
			W[i] = load_be32(p + 4 * i);
		ROUND8(0);
		ROUND8(8);
		EXPAND8(16);
		ROUND8(16);
		EXPAND8(24);
		ROUND8(24);
		EXPAND8(32);
		ROUND8(32);
		EXPAND8(40);
		ROUND8(40);
		EXPAND8(48);
		ROUND8(48);
		EXPAND8(56);
		ROUND8(56);
		h[0] += a; h[1] += b; h[2] += c; h[3] += d;
		h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
	}
}

/* CPUID leaf @leaf, subleaf 0: eax, ebx, ecx, edx. */
static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

bool kx_sha256_have_shani(void)
{
	uint32_t r[4];

	cpuid(0, r);
	if (r[0] < 7)
		return false;
	cpuid(1, r);
	/* CPUID.1:ECX bit 9 SSSE3 (pshufb, palignr), bit 19 SSE4.1 (pblendw) */
	if (!(r[2] & (1u << 9)) || !(r[2] & (1u << 19)))
		return false;
	cpuid(7, r);
	/* CPUID.(7,0):EBX bit 29 SHA */
	return r[1] & (1u << 29);
}

static void sha_blocks(struct kx_sha256 *s, const uint8_t *p, size_t n)
{
	if (s->shani)
		kx_sha256_ni_blocks(s->h, p, n);
	else
		compress(s->h, p, n);
}

void kx_sha256_init_impl(struct kx_sha256 *s, enum kx_sha256_impl impl)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	int i;

	for (i = 0; i < 8; i++)
		s->h[i] = iv[i];
	s->bytes = 0;
	s->fill = 0;
	if (impl == KX_SHA256_AUTO)
		s->shani = kx_sha256_have_shani();
	else
		s->shani = impl == KX_SHA256_SHANI;
}

void kx_sha256_init(struct kx_sha256 *s)
{
	kx_sha256_init_impl(s, KX_SHA256_AUTO);
}

void kx_sha256_update(struct kx_sha256 *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	s->bytes += len;
	if (s->fill) {
		while (len && s->fill < 64) {
			s->block[s->fill++] = *p++;
			len--;
		}
		if (s->fill < 64)
			return;
		sha_blocks(s, s->block, 1);
		s->fill = 0;
	}
	if (len >= 64) {
		sha_blocks(s, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	while (len--)
		s->block[s->fill++] = *p++;
}

void kx_sha256_update_zero(struct kx_sha256 *s, size_t len)
{
	static const uint8_t zero[1024];

	while (len) {
		size_t n = len < sizeof(zero) ? len : sizeof(zero);

		kx_sha256_update(s, zero, n);
		len -= n;
	}
}

void kx_sha256_final(struct kx_sha256 *s, uint8_t out[KX_SHA256_LEN])
{
	uint64_t bits = s->bytes * 8;
	int i;

	s->block[s->fill++] = 0x80;
	if (s->fill > 56) {
		while (s->fill < 64)
			s->block[s->fill++] = 0;
		sha_blocks(s, s->block, 1);
		s->fill = 0;
	}
	while (s->fill < 56)
		s->block[s->fill++] = 0;
	for (i = 0; i < 8; i++)
		s->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha_blocks(s, s->block, 1);
	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, s->h[i]);
}

void kx_sha256(const void *data, size_t len, uint8_t out[KX_SHA256_LEN])
{
	struct kx_sha256 s;

	kx_sha256_init(&s);
	kx_sha256_update(&s, data, len);
	kx_sha256_final(&s, out);
}
