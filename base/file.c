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

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ?
	       "a character device" : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" :
	       "not a regular file";
}

int kx_file_open_fd(struct kx_ctx *ctx, const char *what, const char *path, uint64_t *size)
{
	struct stat st;
	int fd, rc;

	/* O_NONBLOCK: opening a FIFO without a writer must not wait for one */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return kx_fail(ctx, -errno, "cannot open %s %s: %s", what, path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		rc = kx_fail(ctx, -errno, "cannot read %s %s: %s", what, path, strerror(errno));
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return kx_fail(ctx, -EINVAL, "%s %s is %s; expected a regular file", what, path,
			       file_kind(st.st_mode));
	}
	if (fcntl(fd, F_SETFL, 0) < 0) {	/* reads of a regular file block as usual */
		rc = kx_fail(ctx, -errno, "cannot read %s %s: %s", what, path, strerror(errno));
		close(fd);
		return rc;
	}
	if (size)
		*size = (uint64_t)st.st_size;
	return fd;
}

int kx_file_open(struct kx_ctx *ctx, const char *what, const char *path, bool decompress,
		 struct kx_file *f)
{
	uint8_t *out = NULL;
	char desc[512];
	size_t outlen;
	int rc;

	memset(f, 0, sizeof(*f));
	f->fd = kx_file_open_fd(ctx, what, path, &f->file_size);
	if (f->fd < 0)
		return f->fd;
	f->path = strdup(path);
	if (!f->path) {
		kx_file_close(f);
		return -ENOMEM;
	}
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
	rc = kx_decompress_image(ctx, desc, f->data, f->size, f->comp, &out, &outlen);
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
