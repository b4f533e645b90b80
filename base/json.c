// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"

#define JSON_MAX_DEPTH 64
#define JSON_MAX_BYTES (16u << 20)

struct jp {
	const char *p, *end, *start;
	char *err;
	size_t errlen;
	unsigned int depth;
};

static int fail(struct jp *j, const char *what)
{
	snprintf(j->err, j->errlen, "byte %zu: %s", (size_t)(j->p - j->start), what);
	return -EBADMSG;
}

static void skip_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool take(struct jp *j, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return false;
	j->p += n;
	return true;
}

static int hex4(struct jp *j, unsigned int *out)
{
	unsigned int v = 0, i;

	if (j->end - j->p < 4)
		return fail(j, "short \\u escape");
	for (i = 0; i < 4; i++) {
		char c = j->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned int)(c - 'A' + 10);
		else
			return fail(j, "bad \\u escape");
	}
	j->p += 4;
	*out = v;
	return 0;
}

static void put_utf8(struct kx_buf *b, unsigned int cp)
{
	uint8_t u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (uint8_t)(0xc0 | cp >> 6);
		u[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (uint8_t)(0xe0 | cp >> 12);
		u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (uint8_t)(0xf0 | cp >> 18);
		u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	kx_buf_append(b, u, n);
}

/* After "\u": one code point, a surrogate pair joined. */
static int unicode_escape(struct jp *j, struct kx_buf *b)
{
	unsigned int hi, lo;
	int rc = hex4(j, &hi);

	if (rc < 0)
		return rc;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return fail(j, "lone low surrogate");
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (!take(j, "\\u"))
			return fail(j, "high surrogate without its low half");
		rc = hex4(j, &lo);
		if (rc < 0)
			return rc;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(j, "high surrogate without its low half");
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	put_utf8(b, hi);
	return 0;
}

static int escape(struct jp *j, struct kx_buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *at;

	if (j->p >= j->end)
		return fail(j, "unterminated string");
	if (*j->p == 'u') {
		j->p++;
		return unicode_escape(j, b);
	}
	at = strchr(from, *j->p);
	if (!at || !*j->p)
		return fail(j, "bad escape");
	kx_buf_append(b, &to[at - from], 1);
	j->p++;
	return 0;
}

static int string(struct jp *j, char **out, size_t *len)
{
	struct kx_buf b = KX_BUF_INIT(JSON_MAX_BYTES);
	int rc = 0;

	j->p++;		/* the opening quote */
	while (rc == 0) {
		if (j->p >= j->end) {
			rc = fail(j, "unterminated string");
		} else if (*j->p == '"') {
			j->p++;
			break;
		} else if ((unsigned char)*j->p < 0x20) {
			rc = fail(j, "control character in a string");
		} else if (*j->p == '\\') {
			j->p++;
			rc = escape(j, &b);
		} else {
			kx_buf_append(&b, j->p++, 1);
		}
	}
	if (rc == 0 && kx_buf_reserve(&b, 1) == 0)
		b.p[b.len] = '\0';
	if (rc == 0 && b.err)
		rc = b.err;
	*len = b.len;
	*out = rc == 0 ? (char *)b.p : NULL;
	if (rc < 0)
		kx_buf_free(&b);
	if (rc == 0 && !*out) {
		*out = strdup("");
		rc = *out ? 0 : -ENOMEM;
	}
	return rc;
}

static int number(struct jp *j, struct kx_json *v)
{
	const char *s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return fail(j, "bad number");
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return fail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return fail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	v->type = KX_JSON_NUMBER;
	v->s = strndup(s, (size_t)(j->p - s));
	return v->s ? 0 : -ENOMEM;
}

static int value(struct jp *j, struct kx_json *v);

/* Room for one more item (and key) in an array or object. */
static int grow(struct kx_json *v, bool keys)
{
	struct kx_json *item;
	char **key;

	if (v->n == 0 || (v->n >= 4 && (v->n & (v->n - 1)) == 0)) {
		size_t cap = v->n ? v->n * 2 : 4;

		item = realloc(v->item, cap * sizeof(*item));
		if (!item)
			return -ENOMEM;
		v->item = item;
		if (keys) {
			key = realloc(v->key, cap * sizeof(*key));
			if (!key)
				return -ENOMEM;
			v->key = key;
		}
	}
	memset(&v->item[v->n], 0, sizeof(v->item[0]));
	if (keys)
		v->key[v->n] = NULL;
	return 0;
}

static int member(struct jp *j, struct kx_json *v)
{
	size_t len;
	int rc;

	skip_ws(j);
	if (j->p >= j->end || *j->p != '"')
		return fail(j, "expected a member name");
	rc = grow(v, true);
	if (rc == 0)
		rc = string(j, &v->key[v->n], &len);
	if (rc < 0)
		return rc;
	v->n++;		/* counted from here on, so that it is freed */
	skip_ws(j);
	if (j->p >= j->end || *j->p != ':')
		return fail(j, "expected ':'");
	j->p++;
	return value(j, &v->item[v->n - 1]);
}

static int container(struct jp *j, struct kx_json *v, bool obj)
{
	char close = obj ? '}' : ']';
	int rc;

	if (++j->depth > JSON_MAX_DEPTH)
		return fail(j, "nested more than 64 levels deep");
	v->type = obj ? KX_JSON_OBJECT : KX_JSON_ARRAY;
	j->p++;
	skip_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return 0;
	}
	for (;;) {
		if (obj) {
			rc = member(j, v);
		} else {
			rc = grow(v, false);
			if (rc == 0)
				rc = value(j, &v->item[v->n++]);
		}
		if (rc < 0)
			return rc;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close)
			break;
		return fail(j, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
	j->p++;
	j->depth--;
	return 0;
}

static int value(struct jp *j, struct kx_json *v)
{
	skip_ws(j);
	if (j->p >= j->end)
		return fail(j, "expected a value");
	switch (*j->p) {
	case '{':
		return container(j, v, true);
	case '[':
		return container(j, v, false);
	case '"':
		v->type = KX_JSON_STRING;
		return string(j, &v->s, &v->len);
	}
	if (take(j, "true") || take(j, "false")) {
		v->type = KX_JSON_BOOL;
		v->b = j->p[-1] == 'e' && j->p[-2] == 'u';
		return 0;
	}
	if (take(j, "null")) {
		v->type = KX_JSON_NULL;
		return 0;
	}
	return number(j, v);
}

static void free_inner(struct kx_json *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free_inner(&v->item[i]);
		if (v->key)
			free(v->key[i]);
	}
	free(v->item);
	free(v->key);
	free(v->s);
}

void kx_json_free(struct kx_json *v)
{
	if (!v)
		return;
	free_inner(v);
	free(v);
}

static int parse_seq(struct jp *j, struct kx_json *top)
{
	int rc;

	top->type = KX_JSON_ARRAY;
	for (;;) {
		skip_ws(j);
		if (j->p >= j->end)
			return 0;
		rc = grow(top, false);
		if (rc == 0)
			rc = value(j, &top->item[top->n++]);
		if (rc < 0)
			return rc;
	}
}

int kx_json_parse(const char *text, size_t len, bool seq, struct kx_json **out, char *err,
		  size_t errlen)
{
	struct jp j = { text, text + len, text, err, errlen, 0 };
	struct kx_json *v;
	int rc;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (len > JSON_MAX_BYTES) {
		snprintf(err, errlen, "larger than 16 MiB");
		return -E2BIG;
	}
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	rc = seq ? parse_seq(&j, v) : value(&j, v);
	if (rc == 0 && !seq) {
		skip_ws(&j);
		if (j.p != j.end)
			rc = fail(&j, "text after the value");
	}
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (rc < 0) {
		kx_json_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

const struct kx_json *kx_json_get(const struct kx_json *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != KX_JSON_OBJECT)
		return NULL;
	for (i = obj->n; i-- > 0;)
		if (strcmp(obj->key[i], key) == 0)
			return &obj->item[i];
	return NULL;
}

const char *kx_json_get_str(const struct kx_json *obj, const char *key)
{
	const struct kx_json *v = kx_json_get(obj, key);

	if (!v || v->type != KX_JSON_STRING || strlen(v->s) != v->len)
		return NULL;
	return v->s;
}

int kx_json_get_bool(const struct kx_json *obj, const char *key)
{
	const struct kx_json *v = kx_json_get(obj, key);

	return v && v->type == KX_JSON_BOOL ? v->b : -1;
}
