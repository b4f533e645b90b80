/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one growing byte buffer: decompressed images, whole files, rendered
 * reports, arrays.  A buffer has a hard limit (max); the first failure
 * (-ENOMEM, or -EFBIG past the limit) sticks in err, so a renderer can append
 * many pieces and check once at the end.  The bytes past len are kept NUL
 * when text is appended, so p can be used as a string.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct kx_buf {
	uint8_t *p;
	size_t len;	/* bytes used */
	size_t cap;	/* bytes allocated */
	size_t max;	/* never grow past this; 0 means no limit but SIZE_MAX */
	int err;	/* the first failure, 0 if none */
};

#define KX_BUF_INIT(limit) { .p = NULL, .len = 0, .cap = 0, .max = (limit), .err = 0 }

/*
 * Make room for @more bytes past len (at least doubling the allocation).
 * Returns 0, or -EFBIG (past max) / -ENOMEM, which also sticks in b->err.
 */
int kx_buf_reserve(struct kx_buf *b, size_t more);
/* Append @len bytes; 0 or the sticky error. */
int kx_buf_append(struct kx_buf *b, const void *data, size_t len);
/* Append formatted text, keeping a NUL after it; 0 or the sticky error. */
int kx_buf_printf(struct kx_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int kx_buf_vprintf(struct kx_buf *b, const char *fmt, va_list ap);
/* Append @s as a JSON string: quoted, with quotes, backslashes and control characters escaped. */
int kx_buf_json_str(struct kx_buf *b, const char *s);
/*
 * Hand the contents over as a NUL-terminated string (the caller frees it)
 * and reset the buffer; NULL (and the buffer freed) after any failure.
 */
char *kx_buf_steal(struct kx_buf *b);
void kx_buf_free(struct kx_buf *b);
