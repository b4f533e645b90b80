// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/errname.h"
#include "base/io.h"
#include "base/sysroot.h"

struct kx_sysroot {
	int dirfd;		/* -1 for the running system */
	char *dir;
};

static int open_in_root(int dirfd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (unsigned int)flags,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	/* No plain openat() fallback before Linux 5.6 (ENOSYS): it would let an
	 * absolute symlink or ".." in a recorded tree leave the tree. */
	fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

int kx_sysroot_new(const char *dir, struct kx_sysroot **out)
{
	struct kx_sysroot *root;
	struct stat st;
	int fd;

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
		/* a tree is read only through openat2(RESOLVE_IN_ROOT) */
		fd = open_in_root(root->dirfd, ".", O_PATH | O_CLOEXEC);
		if (fd < 0) {
			kx_sysroot_free(root);
			return fd;
		}
		close(fd);
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


/*
 * A recorded tree keeps the errno the running system gave for a file it could
 * not read in "<path>.errno" (an errno name, tests/fixtures/hosts/README).
 */
static int recorded_errno(int dirfd, const char *rel)
{
	char side[PATH_MAX], name[32];
	ssize_t r;
	int fd;

	if (snprintf(side, sizeof(side), "%s.errno", rel) >= (int)sizeof(side))
		return 0;
	fd = open_in_root(dirfd, side, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	r = kx_read(fd, name, sizeof(name) - 1);
	close(fd);
	if (r <= 0)
		return 0;
	name[r] = '\0';
	name[strcspn(name, "\n")] = '\0';
	return kx_errno_from_name(name);
}

int kx_sysroot_open(const struct kx_sysroot *root, const char *path, int flags)
{
	int fd, rec;

	if (path[0] != '/')
		return -EINVAL;
	flags |= O_CLOEXEC;
	if (root->dirfd < 0) {
		fd = open(path, flags);
		return fd < 0 ? -errno : fd;
	}
	while (*path == '/')
		path++;
	fd = open_in_root(root->dirfd, *path ? path : ".", flags);
	if (fd == -ENOENT && (rec = recorded_errno(root->dirfd, path)) != 0)
		return -rec;
	return fd;
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

int kx_sysroot_read(const struct kx_sysroot *root, const char *path, size_t max,
		    char **buf, size_t *len)
{
	struct kx_buf b = KX_BUF_INIT(max + 1);
	struct stat st;
	int fd, rc;

	fd = kx_sysroot_open(root, path, O_RDONLY);
	if (fd < 0)
		return fd;
	/* sysfs binary files and regular files say how large they are */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= max)
		kx_buf_reserve(&b, (size_t)st.st_size + 1);
	rc = kx_read_all(fd, &b);
	close(fd);
	if (rc < 0) {
		kx_buf_free(&b);
		return rc;
	}
	*buf = (char *)b.p;
	if (len)
		*len = b.len;
	return 0;
}

int kx_sysroot_pread(const struct kx_sysroot *root, const char *path, off_t off,
		     void *buf, size_t len)
{
	int fd, rc;

	fd = kx_sysroot_open(root, path, O_RDONLY);
	if (fd < 0)
		return fd;
	rc = kx_pread_all(fd, buf, len, off);
	close(fd);
	return rc;
}
