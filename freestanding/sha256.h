/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 (FIPS 180-4).  Freestanding: this file is compiled into the loader
 * and into the purgatory, so it uses no libc beyond <stdint.h>/<stddef.h>.
 *
 * Blocks go to the x86 SHA extensions (freestanding/sha256-ni.S) when CPUID reports
 * them, else to a scalar C implementation that uses no vector registers.  In
 * the purgatory, SSE must be enabled in CR4 before the first kx_sha256_init()
 * on a CPU with SHA-NI (purgatory/purgatory.c does it at entry).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KX_SHA256_LEN 32

enum kx_sha256_impl {
	KX_SHA256_AUTO,		/* SHA-NI when the CPU has it, else scalar */
	KX_SHA256_SCALAR,
	KX_SHA256_SHANI,	/* caller has checked kx_sha256_have_shani() */
};

struct kx_sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	size_t fill;
	uint8_t shani;		/* use kx_sha256_ni_blocks() */
};

void kx_sha256_init(struct kx_sha256 *s);
void kx_sha256_update(struct kx_sha256 *s, const void *data, size_t len);
/* Hash @len zero bytes without a zero buffer. */
void kx_sha256_update_zero(struct kx_sha256 *s, size_t len);
void kx_sha256_final(struct kx_sha256 *s, uint8_t out[KX_SHA256_LEN]);
void kx_sha256(const void *data, size_t len, uint8_t out[KX_SHA256_LEN]);

/* Choose the block function explicitly (tests, benchmarks). */
void kx_sha256_init_impl(struct kx_sha256 *s, enum kx_sha256_impl impl);
/* CPUID reports SHA, SSSE3 and SSE4.1 (the instructions sha256-ni.S uses). */
bool kx_sha256_have_shani(void);
/* The SHA-NI block function itself (freestanding/sha256-ni.S). */
void kx_sha256_ni_blocks(uint32_t h[8], const uint8_t *p, size_t blocks);
