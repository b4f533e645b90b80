// SPDX-License-Identifier: GPL-2.0-or-later
/* A growing string for the renderers, and strict version numbers. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx/tdx-internal.h"
#include "base/parse.h"

void tdx_sb_vprintf(struct tdx_sb *sb, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (sb->oom)
		return;
	va_copy(aq, ap);
	n = vsnprintf(sb->p ? sb->p + sb->len : NULL, sb->p ? sb->cap - sb->len : 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		sb->oom = true;
		return;
	}
	if (!sb->p || sb->len + (size_t)n >= sb->cap) {
		size_t cap = sb->cap ? sb->cap : 1024;
		char *p;

		while (cap <= sb->len + (size_t)n)
			cap *= 2;
		p = realloc(sb->p, cap);
		if (!p) {
			sb->oom = true;
			return;
		}
		sb->p = p;
		sb->cap = cap;
		vsnprintf(sb->p + sb->len, sb->cap - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void tdx_sb_printf(struct tdx_sb *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tdx_sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

void tdx_sb_json_str(struct tdx_sb *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	tdx_sb_printf(sb, "\"");
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			tdx_sb_printf(sb, "\\%c", *p);
		else if (*p == '\n')
			tdx_sb_printf(sb, "\\n");
		else if (*p == '\t')
			tdx_sb_printf(sb, "\\t");
		else if (*p < 0x20 || *p >= 0x7f)
			tdx_sb_printf(sb, "\\u%04x", *p);
		else
			tdx_sb_printf(sb, "%c", *p);
	}
	tdx_sb_printf(sb, "\"");
}

char *tdx_sb_finish(struct tdx_sb *sb)
{
	if (sb->oom) {
		free(sb->p);
		return NULL;
	}
	if (!sb->p)
		return strdup("");
	return sb->p;
}

/* One decimal component of a version, up to 65535, ending at @stop. */
static int version_part(const char **s, char stop, unsigned int *out)
{
	unsigned long v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 65535)
			return -EINVAL;
		p++;
	}
	if (*p != stop)
		return -EINVAL;
	*out = (unsigned int)v;
	*s = stop ? p + 1 : p;
	return 0;
}

int tdx_parse_version(const char *s, struct tdx_ver *v)
{
	char tmp[32];
	const char *p = tmp;
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, s, n + 1);
	kx_chomp(tmp);
	if (version_part(&p, '.', &v->major) < 0 || version_part(&p, '.', &v->minor) < 0 ||
	    version_part(&p, '\0', &v->update) < 0)
		return -EINVAL;
	return 0;
}

int tdx_version_cmp(const struct tdx_ver *a, const struct tdx_ver *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->update != b->update)
		return a->update < b->update ? -1 : 1;
	return 0;
}
