/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 (FIPS 180-4).  Freestanding: this file is compiled into the loader
 * and into the purgatory, so it uses no libc beyond <stdint.h>/<stddef.h>.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define KX_SHA256_LEN 32

struct kx_sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	size_t fill;
};

void kx_sha256_init(struct kx_sha256 *s);
void kx_sha256_update(struct kx_sha256 *s, const void *data, size_t len);
/* Hash @len zero bytes without a zero buffer. */
void kx_sha256_update_zero(struct kx_sha256 *s, size_t len);
void kx_sha256_final(struct kx_sha256 *s, uint8_t out[KX_SHA256_LEN]);
void kx_sha256(const void *data, size_t len, uint8_t out[KX_SHA256_LEN]);
