// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "base/buf.h"

int kx_buf_reserve(struct kx_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 1 << 20;
	uint8_t *p;

	if (more > b->max - b->len)
		return -EFBIG;
	if (b->len + more <= b->cap)
		return 0;
	while (cap < b->len + more)
		cap *= 2;
	if (cap > b->max)
		cap = b->max;
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}
