// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/ctx.h"
#include "base/sysroot.h"
#include "tdx/tdx.h"
#include "tests/unit/test-tdx-util.h"

char *tt_tree(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (asprintf(&path, "%s/tdx-test-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0 || !mkdtemp(path))
		abort();
	return path;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

void tt_rmtree(char *root)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

static void mkparents(const char *path)
{
	char *dup = strdup(path), *p;

	if (!dup)
		abort();
	for (p = dup + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dup, 0755) < 0 && errno != EEXIST)
			abort();
		*p = '/';
	}
	free(dup);
}

static char *join(const char *root, const char *rel)
{
	char *p;

	if (asprintf(&p, "%s/%s", root, rel[0] == '/' ? rel + 1 : rel) < 0)
		abort();
	mkparents(p);
	return p;
}

void tt_write_bin(const char *root, const char *rel, const void *buf, size_t len, long off)
{
	char *p = join(root, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || pwrite(fd, buf, len, off) != (ssize_t)len)
		abort();
	close(fd);
	free(p);
}

void tt_write(const char *root, const char *rel, const char *content)
{
	tt_write_bin(root, rel, content, strlen(content), 0);
}

void tt_mkdir(const char *root, const char *rel)
{
	char *p = join(root, rel);

	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		abort();
	free(p);
}

void tt_symlink(const char *root, const char *rel, const char *target)
{
	char *p = join(root, rel);

	if (symlink(target, p) < 0)
		abort();
	free(p);
}

struct tdx_ctx *tt_ctx(const char *root, struct kx_ctx *kx)
{
	struct tdx_ctx *t;

	memset(kx, 0, sizeof(*kx));
	if (kx_sysroot_new(root, &kx->root) < 0 || tdx_ctx_new(kx, kx->root, &t) < 0)
		abort();
	return t;
}

void tt_ctx_free(struct tdx_ctx *t, struct kx_ctx *kx)
{
	tdx_ctx_free(t);
	kx_sysroot_free(kx->root);
	kx->root = NULL;
}
