// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "base/iface.h"
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

int kx_mem_total(struct kx_ctx *ctx, uint64_t *bytes)
{
	const char *path = kx_if(KX_IF_MEMINFO);
	char *buf, *p, *end;
	uint64_t kib = 0;
	int rc;

	rc = kx_sysroot_read(ctx->root, path, 1 << 16, &buf, NULL);
	if (rc < 0)
		return kx_fail(ctx, rc, "cannot read %s: %s", path, strerror(-rc));
	p = strstr(buf, "MemTotal:");
	rc = p ? 0 : -EBADMSG;
	if (p) {
		p += 9;
		while (*p == ' ')
			p++;
		end = strchr(p, ' ');
		if (end)
			*end = '\0';
		rc = kx_parse_u64(p, 10, &kib) < 0 || kib >> 54 ? -EBADMSG : 0;
	}
	free(buf);
	if (rc < 0)
		return kx_fail(ctx, rc, "%s: expected a line 'MemTotal: <n> kB'", path);
	*bytes = kib << 10;
	return 0;
}

int kx_read_cmdline(struct kx_ctx *ctx, char **out)
{
	const char *path = kx_if(KX_IF_CMDLINE);
	size_t len;
	char *buf;
	int rc;

	/* the kernel prints saved_command_line and a newline (fs/proc/cmdline.c) */
	rc = kx_sysroot_read(ctx->root, path, 1 << 16, &buf, &len);
	if (rc < 0)
		return kx_fail(ctx, rc, "cannot read %s: %s", path, strerror(-rc));
	if (strlen(buf) != len) {
		rc = kx_fail(ctx, -EBADMSG, "%s holds a NUL byte at offset %zu; expected one line "
			     "of text", path, strlen(buf));
		free(buf);
		return rc;
	}
	kx_chomp(buf);
	*out = buf;
	return 0;
}
