// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/io.h"
#include "base/kvfile.h"

#define KV_MAX (64 * 1024)

static void put_escaped(struct kx_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\')
			kx_buf_append(b, "\\\\", 2);
		else if (c == '\n')
			kx_buf_append(b, "\\n", 2);
		else if (c < 0x20 || c == 0x7f)
			kx_buf_printf(b, "\\x%02x", c);
		else
			kx_buf_append(b, s, 1);
	}
}

void kx_kv_put(struct kx_buf *b, const char *key, const char *val)
{
	if (!val)
		return;
	kx_buf_printf(b, "%s=", key);
	put_escaped(b, val);
	kx_buf_append(b, "\n", 1);
}

void kx_kv_putf(struct kx_buf *b, const char *key, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	kx_kv_put(b, key, tmp);
}

/* mkdir -p of @path's directory. */
static int make_parent(char *path)
{
	char *slash = strrchr(path, '/'), *p;
	int rc = 0;

	if (!slash || slash == path)
		return 0;
	*slash = '\0';
	for (p = path + 1; rc == 0; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			rc = -errno;
		*p = c;
		if (c == '\0')
			break;
	}
	*slash = '/';
	return rc;
}

static int write_tmp(const char *tmp, const struct kx_buf *b, mode_t mode)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	int rc;

	if (fd < 0)
		return -errno;
	rc = kx_write_all(fd, b->p, b->len);
	/* the persistent record must survive the reboot that follows */
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

int kx_kv_write(struct kx_ctx *ctx, const char *path, const struct kx_buf *b, mode_t mode)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	int rc;

	if (b->err)
		return kx_fail(ctx, b->err, "%s: cannot build the record: %s", path,
			       strerror(-b->err));
	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir) ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return kx_fail(ctx, -ENAMETOOLONG, "%s: path too long", path);
	rc = make_parent(dir);
	if (rc < 0)
		return kx_fail(ctx, rc, "cannot create the directory of %s: %s", path, strerror(-rc));
	rc = write_tmp(tmp, b, mode);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		return kx_fail(ctx, rc, "cannot write %s: %s", path, strerror(-rc));
	}
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Unescape @s in place; -EBADMSG for a bad or NUL escape. */
static int unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		int hi, lo;

		if (*s != '\\') {
			*out++ = *s;
			continue;
		}
		s++;
		if (*s == '\\') {
			*out++ = '\\';
		} else if (*s == 'n') {
			*out++ = '\n';
		} else if (*s == 'x' && (hi = hexval(s[1])) >= 0 && (lo = hexval(s[2])) >= 0 &&
			   (hi | lo)) {
			*out++ = (char)(hi << 4 | lo);
			s += 2;
		} else {
			return -EBADMSG;
		}
	}
	*out = '\0';
	return 0;
}

static int parse(struct kx_ctx *ctx, const char *path, char *text, kx_kv_fn fn, void *arg)
{
	unsigned int no = 0;
	char *line, *next, *eq;
	int rc;

	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		no++;
		if (!*line || *line == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq || eq == line)
			return kx_fail(ctx, -EBADMSG, "%s: line %u: expected key=value", path, no);
		*eq = '\0';
		if (unescape(eq + 1) < 0)
			return kx_fail(ctx, -EBADMSG, "%s: line %u: bad escape in the value of %s",
				       path, no, line);
		rc = fn(arg, line, eq + 1, no);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int kx_kv_read(struct kx_ctx *ctx, const char *path, kx_kv_fn fn, void *arg)
{
	struct kx_buf b = KX_BUF_INIT(KV_MAX);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc;

	if (fd < 0) {
		rc = -errno;
		if (rc == -ENOENT)
			return rc;
		return kx_fail(ctx, rc, "cannot open %s: %s", path, strerror(-rc));
	}
	rc = kx_read_all(fd, &b);
	close(fd);
	if (rc < 0) {
		kx_buf_free(&b);
		return kx_fail(ctx, rc, "cannot read %s: %s", path,
			       rc == -EFBIG ? "larger than 64 KiB" : strerror(-rc));
	}
	if (memchr(b.p, '\0', b.len)) {
		kx_buf_free(&b);
		return kx_fail(ctx, -EBADMSG, "%s: holds a NUL byte; not a kexec-tdx record", path);
	}
	rc = parse(ctx, path, (char *)b.p, fn, arg);
	kx_buf_free(&b);
	return rc;
}

int kx_kv_remove(struct kx_ctx *ctx, const char *path)
{
	if (unlink(path) < 0 && errno != ENOENT)
		return kx_fail(ctx, -errno, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}
