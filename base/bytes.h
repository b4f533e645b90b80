/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Little-endian field access in byte buffers (boot protocol, ELF notes). */
#pragma once

#include <stdint.h>
#include <string.h>

static inline uint16_t kx_get16(const void *p, size_t off)
{
	uint16_t v;

	memcpy(&v, (const uint8_t *)p + off, sizeof(v));
	return v;
}

static inline uint32_t kx_get32(const void *p, size_t off)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)p + off, sizeof(v));
	return v;
}

static inline uint64_t kx_get64(const void *p, size_t off)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)p + off, sizeof(v));
	return v;
}

static inline void kx_put8(void *p, size_t off, uint8_t v)
{
	((uint8_t *)p)[off] = v;
}

static inline void kx_put16(void *p, size_t off, uint16_t v)
{
	memcpy((uint8_t *)p + off, &v, sizeof(v));
}

static inline void kx_put32(void *p, size_t off, uint32_t v)
{
	memcpy((uint8_t *)p + off, &v, sizeof(v));
}

static inline void kx_put64(void *p, size_t off, uint64_t v)
{
	memcpy((uint8_t *)p + off, &v, sizeof(v));
}
