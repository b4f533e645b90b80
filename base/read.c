// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "base/read.h"
#include "base/parse.h"
#include "base/sysroot.h"

int kx_read_u64(struct kx_ctx *ctx, const char *path, int base, uint64_t *v)
{
	char *buf;
	int rc;

	rc = kx_sysroot_read(ctx->root, path, 4096, &buf, NULL);
	if (rc < 0)
		return kx_fail(ctx, rc, "cannot read %s: %s", path, strerror(-rc));
	rc = kx_parse_u64(buf, base, v);
	if (rc < 0) {
		kx_chomp(buf);
		rc = kx_fail(ctx, -EINVAL, "%s: expected a %s number, found '%.40s'", path,
			     base == 16 ? "hexadecimal" : "decimal", buf);
	}
	free(buf);
	return rc;
}

uint64_t kx_mem_total(struct kx_ctx *ctx)
{
	char *buf, *p, *end;
	uint64_t kib = 0;

	if (kx_sysroot_read(ctx->root, "/proc/meminfo", 1 << 16, &buf, NULL) < 0)
		return 0;
	p = strstr(buf, "MemTotal:");
	if (p) {
		p += 9;
		while (*p == ' ')
			p++;
		end = strchr(p, ' ');
		if (end)
			*end = '\0';
		if (kx_parse_u64(p, 10, &kib) < 0)
			kib = 0;
	}
	free(buf);
	return kib << 10;
}
