// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/ctx.h"
#include "base/file.h"

static int map_file(struct kx_ctx *ctx, const char *what, struct kx_file *f)
{
	void *p;

	if (f->file_size == 0)
		return kx_fail(ctx, -EINVAL, "%s %s is empty", what, f->path);
	if (f->file_size > SIZE_MAX)
		return kx_fail(ctx, -EFBIG, "%s %s is too large", what, f->path);
	p = mmap(NULL, f->file_size, PROT_READ, MAP_PRIVATE, f->fd, 0);
	if (p == MAP_FAILED)
		return kx_fail(ctx, -errno, "cannot map %s %s: %s", what, f->path, strerror(errno));
	f->data = p;
	f->size = f->file_size;
	f->mapped = true;
	return 0;
}

int kx_file_open(struct kx_ctx *ctx, const char *what, const char *path, bool decompress,
		 struct kx_file *f)
{
	uint8_t *out = NULL;
	char desc[512];
	struct stat st;
	size_t outlen;
	int rc;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return kx_fail(ctx, -errno, "cannot open %s %s: %s", what, path, strerror(errno));
	f->path = strdup(path);
	if (!f->path || fstat(f->fd, &st) < 0) {
		rc = f->path ? -errno : -ENOMEM;
		kx_file_close(f);
		return kx_fail(ctx, rc, "cannot read %s %s: %s", what, path, strerror(-rc));
	}
	if (!S_ISREG(st.st_mode)) {
		kx_file_close(f);
		return kx_fail(ctx, -EINVAL, "%s %s is not a regular file", what, path);
	}
	f->file_size = (uint64_t)st.st_size;
	rc = map_file(ctx, what, f);
	if (rc < 0 || !decompress) {
		if (rc < 0)
			kx_file_close(f);
		return rc;
	}
	f->comp = kx_comp_detect(f->data, f->size);
	if (f->comp == KX_COMP_NONE)
		return 0;
	snprintf(desc, sizeof(desc), "%s %s", what, path);
	rc = kx_decompress(ctx, desc, f->data, f->size, f->comp, KX_MAX_DECOMPRESSED, &out, &outlen);
	munmap(f->data, f->size);
	f->mapped = false;
	f->data = NULL;
	if (rc < 0) {
		kx_file_close(f);
		return rc;
	}
	f->data = out;
	f->size = outlen;
	return 0;
}

void kx_file_close(struct kx_file *f)
{
	if (f->data) {
		if (f->mapped)
			munmap(f->data, f->size);
		else
			free(f->data);
	}
	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}

const char *kx_file_desc(struct kx_file *f)
{
	if (f->comp == KX_COMP_NONE)
		return f->path;
	snprintf(f->desc, sizeof(f->desc), "%s (%s-compressed)", f->path, kx_comp_name(f->comp));
	return f->desc;
}

void kx_file_populate(struct kx_file *f)
{
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22	/* include/uapi/asm-generic/mman-common.h */
#endif
	if (f->mapped && f->data)
		madvise(f->data, f->size, MADV_POPULATE_READ);	/* advisory: errors ignored */
}
