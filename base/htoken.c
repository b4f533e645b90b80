// SPDX-License-Identifier: GPL-2.0-or-later
/* The handover token: written by a load, read back by --tdx-verify (see htoken.h). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/htoken.h"
#include "base/parse.h"

#define PREFIX KX_HTOKEN_NAME "="
#define CUT "..."

static const char *const verdicts[] = { "go", "warn", "forced", "unchecked" };

const char *kx_htoken_verdict_name(enum kx_htoken_verdict v)
{
	return (unsigned int)v < 4 ? verdicts[v] : "?";
}

const char *kx_htoken_tri_name(enum kx_htoken_tri v, bool unknown)
{
	if (v == KX_HTOKEN_NO)
		return "no";
	if (v == KX_HTOKEN_YES)
		return "yes";
	return unknown ? "unknown" : "unsure";
}

static bool is_code_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* A finding code: [a-z][a-z0-9-]* (the report schema's pattern). */
static bool code_ok(const char *p, size_t k)
{
	size_t i;

	if (k == 0 || p[0] < 'a' || p[0] > 'z')
		return false;
	for (i = 1; i < k; i++)
		if (!is_code_char(p[i]))
			return false;
	return true;
}

static bool nonce_ok(const char *s, size_t n)
{
	size_t i;

	if (n != KX_HTOKEN_NONCE_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The length of @codes joined by '+'; -EINVAL for a word that is not a code. */
static int joined_len(const char *codes)
{
	const char *p = codes + strspn(codes, " ");
	size_t len = 0, n;

	for (; *p; p += n, p += strspn(p, " ")) {
		n = strcspn(p, " ");
		if (!code_ok(p, n))
			return -EINVAL;
		len += (len ? 1 : 0) + n;
	}
	return len > 4096 ? -EINVAL : (int)len;
}

/*
 * The codes joined by '+' into @out (KX_HTOKEN_CODES_MAX + 1): all of them
 * when they fit, else as many as fit with "+..." after them.
 */
static int encode_codes(const struct kx_htoken *t, char *out)
{
	const char *p = t->codes + strspn(t->codes, " ");
	int all = joined_len(t->codes);
	bool cut = t->codes_cut || all > KX_HTOKEN_CODES_MAX;
	size_t used = 0, n;

	if (all < 0)
		return all;
	for (; *p; p += n, p += strspn(p, " ")) {
		n = strcspn(p, " ");
		if (cut && used + (used ? 1 : 0) + n + 1 + strlen(CUT) > KX_HTOKEN_CODES_MAX)
			break;
		if (used)
			out[used++] = '+';
		memcpy(out + used, p, n);
		used += n;
	}
	if (cut)
		used += (size_t)sprintf(out + used, "%s%s", used ? "+" : "", CUT);
	if (!used)
		out[used++] = '-';
	out[used] = '\0';
	return 0;
}

int kx_htoken_format(const struct kx_htoken *t, char *out, size_t len)
{
	char mod[40] = "-", codes[KX_HTOKEN_CODES_MAX + 1];
	int n;

	if (!nonce_ok(t->nonce, strlen(t->nonce)) || encode_codes(t, codes) < 0 ||
	    (unsigned int)t->verdict > KX_HTOKEN_UNCHECKED)
		return -EINVAL;
	if (t->have_module)
		snprintf(mod, sizeof(mod), "%u.%u.%02u", t->major, t->minor, t->update);
	n = snprintf(out, len, "%sv%d,n=%s,pre=%s,tdx=%s,mod=%s,mce=%s,src=%s,f=%s", PREFIX,
		     KX_HTOKEN_VERSION, t->nonce, verdicts[t->verdict],
		     kx_htoken_tri_name(t->tdx, false), mod, kx_htoken_tri_name(t->pw_mce, true),
		     t->recorded ? "tree" : "host", codes);
	if (n < 0 || (size_t)n >= len || (size_t)n > KX_HTOKEN_MAX)
		return -ENOSPC;
	return n;
}

/* Parsing: a cursor over the value, and the reason for a refusal. */
struct cur {
	const char *p, *end;
	char *why;
	size_t wlen;
};

static int __attribute__((format(printf, 2, 3))) bad(struct cur *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, c->wlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The next comma-separated field: "KEY=VALUE"; *@v and *@vn its value. */
static int field(struct cur *c, const char *key, const char **v, size_t *vn)
{
	const char *comma = memchr(c->p, ',', (size_t)(c->end - c->p));
	const char *stop = comma ? comma : c->end;
	size_t kl = strlen(key);

	if (c->p >= c->end)
		return bad(c, "it ends before its %s= field", key);
	if ((size_t)(stop - c->p) <= kl || strncmp(c->p, key, kl) != 0 || c->p[kl] != '=')
		return bad(c, "'%.*s' is where its %s= field belongs", (int)(stop - c->p > 40 ? 40 :
			   stop - c->p), c->p, key);
	*v = c->p + kl + 1;
	*vn = (size_t)(stop - *v);
	c->p = comma ? comma + 1 : c->end;
	return 0;
}

static bool is(const char *v, size_t n, const char *word)
{
	return strlen(word) == n && strncmp(v, word, n) == 0;
}

/* One of @words (NULL-terminated): its index, or -EINVAL naming the field. */
static int word_of(struct cur *c, const char *key, const char *const *words)
{
	const char *v;
	size_t n;
	int i, rc = field(c, key, &v, &n);

	if (rc < 0)
		return rc;
	for (i = 0; words[i]; i++)
		if (is(v, n, words[i]))
			return i;
	return bad(c, "%s='%.*s' is not one of the values a token holds", key,
		   (int)(n > 30 ? 30 : n), v);
}

/*
 * "M.m.u" exactly as kx_htoken_format() writes it: no leading zeros, the
 * update with at least two digits; at most 9 digits each.
 */
static int parse_version(const char *v, size_t n, unsigned int out[3])
{
	size_t i = 0, d, start;
	int part;

	for (part = 0; part < 3; part++) {
		out[part] = 0;
		start = i;
		for (d = 0; i < n && v[i] >= '0' && v[i] <= '9'; i++, d++)
			out[part] = out[part] * 10 + (unsigned int)(v[i] - '0');
		if (d == 0 || d > 9)
			return -EINVAL;
		if (part < 2 ? d > 1 && v[start] == '0' :
			       d < 2 || (d > 2 && v[start] == '0'))
			return -EINVAL;
		if (part < 2 && (i >= n || v[i++] != '.'))
			return -EINVAL;
	}
	return i == n ? 0 : -EINVAL;
}

static int parse_module(struct cur *c, struct kx_htoken *t)
{
	unsigned int ver[3];
	const char *v;
	size_t n;
	int rc = field(c, "mod", &v, &n);

	if (rc < 0)
		return rc;
	if (is(v, n, "-"))
		return 0;
	if (parse_version(v, n, ver) < 0)
		return bad(c, "mod='%.*s' is not a TDX module version (major.minor.update) or -",
			   (int)(n > 30 ? 30 : n), v);
	t->have_module = true;
	t->major = ver[0];
	t->minor = ver[1];
	t->update = ver[2];
	return 0;
}

/* f=: codes joined by '+', "..." last when cut, or "-". */
static int parse_codes(struct cur *c, struct kx_htoken *t)
{
	const char *v, *p, *plus;
	size_t n, k, used = 0;
	int rc = field(c, "f", &v, &n);

	if (rc < 0)
		return rc;
	if (v + n != c->end)	/* another field, or a comma, after the last one */
		return bad(c, "it goes on after its last field, f=");
	if (is(v, n, "-"))
		return 0;
	if (n > KX_HTOKEN_CODES_MAX)
		return bad(c, "f= holds more than %d bytes of finding codes",
			   KX_HTOKEN_CODES_MAX);
	if (n == 0 || v[n - 1] == '+')
		return bad(c, "f= has an empty finding code");
	for (p = v; p < v + n; p += k + 1) {
		plus = memchr(p, '+', (size_t)(v + n - p));
		k = plus ? (size_t)(plus - p) : (size_t)(v + n - p);
		if (!plus && is(p, k, CUT)) {
			t->codes_cut = true;
			break;
		}
		if (!code_ok(p, k))
			return bad(c, "f='%.*s' does not hold finding codes joined by '+'",
				   (int)(n > 40 ? 40 : n), v);
		used += (size_t)sprintf(t->codes + used, "%s%.*s", used ? " " : "", (int)k, p);
	}
	return 0;
}

static const char *const tri_tdx[] = { "no", "yes", "unsure", NULL };
static const char *const tri_mce[] = { "no", "yes", "unknown", NULL };
static const char *const pre_words[] = { "go", "warn", "forced", "unchecked", NULL };
static const char *const src_words[] = { "host", "tree", NULL };

static int parse_version_field(struct cur *c)
{
	const char *comma = memchr(c->p, ',', (size_t)(c->end - c->p));
	size_t n = comma ? (size_t)(comma - c->p) : (size_t)(c->end - c->p);

	if (n >= 2 && c->p[0] == 'v' && strspn(c->p + 1, "0123456789") == n - 1) {
		if (!is(c->p, n, "v1"))
			return bad(c, "it is version %.*s; this kexec reads version %d", (int)n - 1,
				   c->p + 1, KX_HTOKEN_VERSION);
		c->p = comma ? comma + 1 : c->end;
		return 0;
	}
	return bad(c, "it does not start with the version (v%d)", KX_HTOKEN_VERSION);
}

int kx_htoken_parse(const char *val, size_t n, struct kx_htoken *t, char *why, size_t wlen)
{
	struct cur c = { .p = val, .end = val + n, .why = why, .wlen = wlen };
	const char *v;
	size_t vn;
	int rc;

	memset(t, 0, sizeof(*t));
	why[0] = '\0';
	if (strlen(PREFIX) + n > KX_HTOKEN_MAX)
		return bad(&c, "it is %zu bytes long; a token has at most %d", strlen(PREFIX) + n,
			   KX_HTOKEN_MAX);
	if (memchr(val, '"', n))
		return bad(&c, "it is quoted; kexec-tdx never quotes it");
	if ((rc = parse_version_field(&c)) < 0 || (rc = field(&c, "n", &v, &vn)) < 0)
		return rc;
	if (!nonce_ok(v, vn))
		return bad(&c, "n='%.*s' is not a nonce of %d lowercase hex digits",
			   (int)(vn > 30 ? 30 : vn), v, KX_HTOKEN_NONCE_LEN);
	memcpy(t->nonce, v, vn);
	t->nonce[vn] = '\0';
	if ((rc = word_of(&c, "pre", pre_words)) < 0)
		return rc;
	t->verdict = (enum kx_htoken_verdict)rc;
	if ((rc = word_of(&c, "tdx", tri_tdx)) < 0)
		return rc;
	t->tdx = (enum kx_htoken_tri)rc;
	if ((rc = parse_module(&c, t)) < 0 || (rc = word_of(&c, "mce", tri_mce)) < 0)
		return rc;
	t->pw_mce = (enum kx_htoken_tri)rc;
	if ((rc = word_of(&c, "src", src_words)) < 0)
		return rc;
	t->recorded = rc == 1;
	return parse_codes(&c, t);
}

bool kx_htoken_is_word(const char *w, size_t n)
{
	size_t pl = strlen(PREFIX);

	if (n && w[0] == '"') {
		w++;
		n--;
	}
	return n >= pl && strncmp(w, PREFIX, pl) == 0;
}

unsigned int kx_htoken_find(const char *cmdline, const char **val, size_t *n)
{
	const char *p = cmdline, *eq;
	unsigned int count = 0;
	size_t k;

	*val = NULL;
	*n = 0;
	for (; *p; p += k) {
		while (kx_is_cmdline_space(*p))
			p++;
		k = kx_word_len(p);
		if (!k || !kx_htoken_is_word(p, k))
			continue;
		if (count++ == 0) {
			eq = memchr(p, '=', k);
			*val = eq + 1;
			*n = k - (size_t)(eq + 1 - p);
		}
	}
	return count;
}
