/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growing byte buffer with a hard limit, for the decompressors. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct kx_buf {
	uint8_t *p;
	size_t len;	/* bytes used */
	size_t cap;	/* bytes allocated */
	size_t max;	/* never grow past this */
};

/*
 * Make room for @more bytes past len, doubling from 1 MiB.  Returns 0,
 * -EFBIG when that would pass max, or -ENOMEM.
 */
int kx_buf_reserve(struct kx_buf *b, size_t more);
