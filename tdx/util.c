// SPDX-License-Identifier: GPL-2.0-or-later
/* Strict version numbers. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx/tdx-internal.h"
#include "base/parse.h"

/*
 * Compare a kernel release ("6.8.0-1020-intel") with @major.@minor: -1 older,
 * 0 the same, 1 newer; -EINVAL when it does not start with a number, a dot
 * and a number.
 */
int tdx_release_cmp(const char *release, unsigned int major, unsigned int minor)
{
	unsigned long ma, mi;
	char *end;

	if (!isdigit((unsigned char)release[0]))
		return -EINVAL;
	ma = strtoul(release, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return -EINVAL;
	mi = strtoul(end + 1, &end, 10);
	if (ma != major)
		return ma < major ? -1 : 1;
	if (mi != minor)
		return mi < minor ? -1 : 1;
	return 0;
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
