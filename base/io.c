// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/io.h"

#define READ_CHUNK 65536

ssize_t kx_read(int fd, void *buf, size_t len)
{
	ssize_t r;

	do {
		r = read(fd, buf, len);
	} while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

int kx_read_all(int fd, struct kx_buf *b)
{
	size_t lim = (b->max ? b->max : SIZE_MAX) - 1;	/* room for the NUL */
	ssize_t r;
	char more;

	for (;;) {
		/* all the room there is, at least a chunk: one read for a file whose
		 * size the caller reserved */
		size_t want = b->cap > b->len + 1 + READ_CHUNK ? b->cap - b->len - 1 : READ_CHUNK;

		if (want > lim - b->len)
			want = lim - b->len;

		if (want == 0) {	/* at the limit: one byte more is too much */
			r = kx_read(fd, &more, 1);
			if (r < 0)
				return (int)r;
			if (r > 0)
				return b->err = -EFBIG;
			break;
		}
		if (kx_buf_reserve(b, want + 1) < 0)
			return b->err;
		r = kx_read(fd, b->p + b->len, want);
		if (r < 0)
			return (int)r;
		if (r == 0)
			break;
		b->len += (size_t)r;
	}
	if (kx_buf_reserve(b, 1) < 0)
		return b->err;
	b->p[b->len] = '\0';
	return 0;
}

int kx_pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t r;

	do {
		r = pread(fd, buf, len, off);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return (size_t)r == len ? 0 : -EIO;
}

int kx_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t w;

	while (len) {
		do {
			w = write(fd, p, len);
		} while (w < 0 && errno == EINTR);
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Feed the complete lines in buf[0..*len); keep the rest at the start. */
static int feed(char *buf, size_t *len, kx_line_fn fn, void *arg)
{
	char *line = buf, *nl;
	int rc = 0;

	while (!rc && (nl = memchr(line, '\n', *len - (size_t)(line - buf))) != NULL) {
		*nl = '\0';
		rc = fn(arg, line, (size_t)(nl - line), false);
		line = nl + 1;
	}
	*len -= (size_t)(line - buf);
	memmove(buf, line, *len);
	return rc;
}

static ssize_t read_more(int fd, const struct kx_lines *how, char *p, size_t room)
{
	ssize_t r;

	for (;;) {
		r = kx_read(fd, p, room);
		if (r == -EPIPE && how->epipe_retry)
			continue;
		if (r == -EAGAIN && how->eagain_ends)
			return 0;
		return r;
	}
}

int kx_read_lines(int fd, const struct kx_lines *how, kx_line_fn fn, void *arg)
{
	char *buf = malloc(how->max_line + 1);
	size_t len = 0, total = 0;
	ssize_t r;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	while (!rc && (!how->max_total || total < how->max_total)) {
		r = read_more(fd, how, buf + len, how->max_line - len);
		if (r <= 0) {
			rc = (int)r;
			break;
		}
		len += (size_t)r;
		total += (size_t)r;
		rc = feed(buf, &len, fn, arg);
		if (!rc && len == how->max_line)
			rc = -E2BIG;
	}
	if (rc == 0 && len) {
		buf[len] = '\0';
		rc = fn(arg, buf, len, true);
	}
	free(buf);
	return rc;
}
