// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"

static bool tail_ok(const char *end)
{
	return end[0] == '\0' || (end[0] == '\n' && end[1] == '\0');
}

int kx_parse_u64(const char *s, int base, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isxdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s || !tail_ok(end))
		return -EINVAL;
	*out = v;
	return 0;
}

int kx_parse_s64(const char *s, int64_t *out)
{
	long long v;
	char *end;

	if (!s || !(isdigit((unsigned char)s[0]) || (s[0] == '-' && isdigit((unsigned char)s[1]))))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (!tail_ok(end))
		return -EINVAL;
	*out = v;
	return 0;
}

size_t kx_chomp(char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '\n')
		s[--n] = '\0';
	return n;
}

bool kx_has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		bool start = p == list || isspace((unsigned char)p[-1]);
		bool end = p[wl] == '\0' || isspace((unsigned char)p[wl]);

		if (start && end)
			return true;
		p += wl;
	}
	return false;
}

bool kx_is_cmdline_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

size_t kx_word_len(const char *p)
{
	bool quoted = false;
	size_t n = 0;

	while (p[n] && (quoted || !kx_is_cmdline_space(p[n]))) {
		if (p[n] == '"')
			quoted = !quoted;
		n++;
	}
	return n;
}
