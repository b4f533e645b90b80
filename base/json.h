/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small JSON reader for the one document kexec-tdx reads from another
 * program: `bootctl list --json=short` (an array of boot entries since
 * systemd 253; one object after another in 252).  It builds a tree, keeps
 * strings as UTF-8 and numbers as their text, and refuses anything RFC 8259
 * does not allow, more than 64 levels of nesting, or more than 16 MiB.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum kx_json_type {
	KX_JSON_NULL,
	KX_JSON_BOOL,
	KX_JSON_NUMBER,
	KX_JSON_STRING,
	KX_JSON_ARRAY,
	KX_JSON_OBJECT,
};

struct kx_json {
	enum kx_json_type type;
	bool b;			/* BOOL */
	char *s;		/* STRING (may hold NUL from \u0000: see len), NUMBER's text */
	size_t len;		/* STRING: bytes in s */
	struct kx_json *item;	/* ARRAY and OBJECT: n values */
	char **key;		/* OBJECT: n keys */
	size_t n;
};

/*
 * Parse @text.  With @seq, any number of whitespace-separated values is
 * accepted and returned as one array.  Returns 0 with *@out (free it with
 * kx_json_free), or -EBADMSG/-E2BIG/-ENOMEM with @err saying where.
 */
int kx_json_parse(const char *text, size_t len, bool seq, struct kx_json **out, char *err,
		  size_t errlen);
void kx_json_free(struct kx_json *v);

/* The member @key of an object (the last one, if repeated); NULL if none or not an object. */
const struct kx_json *kx_json_get(const struct kx_json *obj, const char *key);
/* The string member @key, NULL unless it is a string without NUL bytes. */
const char *kx_json_get_str(const struct kx_json *obj, const char *key);
/* The boolean member @key: 1 true, 0 false, -1 missing or not a boolean. */
int kx_json_get_bool(const struct kx_json *obj, const char *key);
