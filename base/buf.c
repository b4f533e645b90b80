// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

#define FIRST_CAP 256

static size_t limit(const struct kx_buf *b)
{
	return b->max ? b->max : SIZE_MAX;
}

int kx_buf_reserve(struct kx_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : FIRST_CAP, lim = limit(b);
	uint8_t *p;

	if (b->err)
		return b->err;
	if (more > lim - b->len)
		return b->err = -EFBIG;
	if (b->len + more <= b->cap)
		return 0;
	while (cap < b->len + more)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
	if (cap > lim)
		cap = lim;
	p = realloc(b->p, cap);
	if (!p)
		return b->err = -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

int kx_buf_append(struct kx_buf *b, const void *data, size_t len)
{
	int rc = kx_buf_reserve(b, len);

	if (rc < 0)
		return rc;
	if (len)
		memcpy(b->p + b->len, data, len);
	b->len += len;
	return 0;
}

int kx_buf_vprintf(struct kx_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0) {
		va_end(again);
		return b->err ? b->err : (b->err = -EINVAL);
	}
	if (kx_buf_reserve(b, (size_t)n + 1) < 0) {
		va_end(again);
		return b->err;
	}
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
	return 0;
}

int kx_buf_printf(struct kx_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kx_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int kx_buf_json_str(struct kx_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	kx_buf_printf(b, "\"");
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			kx_buf_printf(b, "\\%c", *p);
		else if (*p == '\n')
			kx_buf_printf(b, "\\n");
		else if (*p == '\t')
			kx_buf_printf(b, "\\t");
		else if (*p < 0x20 || *p >= 0x7f)
			kx_buf_printf(b, "\\u%04x", *p);
		else
			kx_buf_printf(b, "%c", *p);
	}
	return kx_buf_printf(b, "\"");
}

char *kx_buf_steal(struct kx_buf *b)
{
	char *s;

	if (!b->err)
		kx_buf_reserve(b, 1);
	if (b->err) {
		kx_buf_free(b);
		return NULL;
	}
	b->p[b->len] = '\0';
	s = (char *)b->p;
	b->p = NULL;
	b->len = b->cap = 0;
	return s;
}

void kx_buf_free(struct kx_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}
