// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cpuinfo.h"
#include "base/ctx.h"
#include "base/iface.h"
#include "base/io.h"
#include "base/sysroot.h"

#define CPUINFO_LINE_MAX (64 * 1024)

struct block {
	struct kx_ctx *ctx;
	struct kx_cpuinfo *ci;
	const char *path;
	int end;		/* the blank line that ends the block was seen */
};

static int bad(struct block *b, const char *what, const char *line)
{
	return kx_fail(b->ctx, -EBADMSG, "%s: %s%.40s%s", b->path, what, line ? line : "",
		       line ? "'" : "");
}

static char **slot(struct kx_cpuinfo *ci, const char *key)
{
	if (strcmp(key, "vendor_id") == 0)
		return &ci->vendor;
	if (strcmp(key, "cpu family") == 0)
		return &ci->family;
	if (strcmp(key, "model") == 0)
		return &ci->model;
	if (strcmp(key, "flags") == 0)
		return &ci->flags;
	if (strcmp(key, "bugs") == 0)
		return &ci->bugs;
	return NULL;
}

/* One "key<tabs> : value" line; a blank line ends the block. */
static int line(void *arg, char *l, size_t len, bool last)
{
	struct block *b = arg;
	char *colon, *k, **v;

	if (strlen(l) != len)
		return bad(b, "expected text, found a NUL byte", NULL);
	if (len == 0)
		return b->end = 1;
	if (last)
		return bad(b, "the first processor's block does not end in a newline", NULL);
	colon = strchr(l, ':');
	if (!colon || colon == l)
		return bad(b, "expected 'name : value' lines, found '", l);
	for (k = colon; k > l && (k[-1] == '\t' || k[-1] == ' '); k--)
		;
	*k = '\0';
	colon += colon[1] == ' ' ? 2 : 1;
	v = slot(b->ci, l);
	if (v && !*v && !(*v = strdup(colon)))
		return -ENOMEM;
	return 0;
}

int kx_cpuinfo_read(struct kx_ctx *ctx, struct kx_cpuinfo *ci)
{
	const struct kx_lines how = { .max_line = CPUINFO_LINE_MAX };
	struct block b = { .ctx = ctx, .ci = ci, .path = kx_if(KX_IF_CPUINFO) };
	int fd, rc;

	memset(ci, 0, sizeof(*ci));
	fd = kx_sysroot_open(ctx->root, b.path, O_RDONLY);
	if (fd < 0)
		return kx_fail(ctx, fd, "cannot read %s: %s", b.path, strerror(-fd));
	rc = kx_read_lines(fd, &how, line, &b);
	close(fd);
	if (rc == -E2BIG)
		rc = bad(&b, "a line longer than 64 KiB", NULL);
	else if (rc < 0 && rc != -EBADMSG)
		rc = kx_fail(ctx, rc, "cannot read %s: %s", b.path, strerror(-rc));
	else if (rc >= 0 && !ci->vendor)
		rc = bad(&b, "no vendor_id line in the first processor's block "
			 "(expected an x86 /proc/cpuinfo)", NULL);
	if (rc < 0) {
		kx_cpuinfo_free(ci);
		return rc;
	}
	return 0;
}

void kx_cpuinfo_free(struct kx_cpuinfo *ci)
{
	free(ci->vendor);
	free(ci->family);
	free(ci->model);
	free(ci->flags);
	free(ci->bugs);
	memset(ci, 0, sizeof(*ci));
}
