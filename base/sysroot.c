// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/sysroot.h"

struct kx_sysroot {
	int dirfd;		/* -1 for the running system */
	char *dir;
};

int kx_sysroot_new(const char *dir, struct kx_sysroot **out)
{
	struct kx_sysroot *root;
	struct stat st;

	root = calloc(1, sizeof(*root));
	if (!root)
		return -ENOMEM;
	root->dirfd = -1;
	if (!dir || !*dir || strcmp(dir, "/") == 0) {
		root->dir = strdup("/");
	} else {
		root->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root->dirfd < 0 || fstat(root->dirfd, &st) < 0) {
			int err = -errno;

			kx_sysroot_free(root);
			return err;
		}
		root->dir = strdup(dir);
	}
	if (!root->dir) {
		kx_sysroot_free(root);
		return -ENOMEM;
	}
	*out = root;
	return 0;
}

void kx_sysroot_free(struct kx_sysroot *root)
{
	if (!root)
		return;
	if (root->dirfd >= 0)
		close(root->dirfd);
	free(root->dir);
	free(root);
}

const char *kx_sysroot_dir(const struct kx_sysroot *root)
{
	return root->dir;
}

bool kx_sysroot_is_host(const struct kx_sysroot *root)
{
	return root->dirfd < 0;
}

static int open_in_root(int dirfd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (unsigned int)flags,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)	/* before Linux 5.6 */
		fd = openat(dirfd, rel, flags);
	return fd < 0 ? -errno : (int)fd;
}

int kx_sysroot_open(const struct kx_sysroot *root, const char *path, int flags)
{
	int fd;

	if (path[0] != '/')
		return -EINVAL;
	flags |= O_CLOEXEC;
	if (root->dirfd < 0) {
		fd = open(path, flags);
		return fd < 0 ? -errno : fd;
	}
	while (*path == '/')
		path++;
	return open_in_root(root->dirfd, *path ? path : ".", flags);
}

int kx_sysroot_stat(const struct kx_sysroot *root, const char *path, struct stat *st)
{
	int fd, rc = 0;

	fd = kx_sysroot_open(root, path, O_PATH);
	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int kx_sysroot_opendir(const struct kx_sysroot *root, const char *path, DIR **out)
{
	int fd;

	fd = kx_sysroot_open(root, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	*out = fdopendir(fd);
	if (!*out) {
		int err = -errno;

		close(fd);
		return err;
	}
	return 0;
}

static int read_all(int fd, size_t max, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *p = malloc(cap + 1), *q;
	ssize_t r;

	if (!p)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(p);
				return -EFBIG;
			}
			cap *= 2;
			q = realloc(p, cap + 1);
			if (!q) {
				free(p);
				return -ENOMEM;
			}
			p = q;
		}
		r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = -errno;

			free(p);
			return err;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(p);
		return -EFBIG;
	}
	p[n] = '\0';
	*buf = p;
	if (len)
		*len = n;
	return 0;
}

int kx_sysroot_read(const struct kx_sysroot *root, const char *path, size_t max,
		    char **buf, size_t *len)
{
	int fd, rc;

	fd = kx_sysroot_open(root, path, O_RDONLY);
	if (fd < 0)
		return fd;
	rc = read_all(fd, max, buf, len);
	close(fd);
	return rc;
}

int kx_sysroot_pread(const struct kx_sysroot *root, const char *path, off_t off,
		     void *buf, size_t len)
{
	ssize_t r;
	int fd;

	fd = kx_sysroot_open(root, path, O_RDONLY);
	if (fd < 0)
		return fd;
	do {
		r = pread(fd, buf, len, off);
	} while (r < 0 && errno == EINTR);
	close(fd);
	if (r < 0)
		return -errno;
	return (size_t)r == len ? 0 : -EIO;
}
