/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one read loop, and the few shapes of reading the program needs: a
 * whole file, exactly some bytes at an offset, a stream of lines.  Each
 * restarts after EINTR and returns 0 or -errno.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct kx_buf;

/* read(2), restarted after EINTR: the bytes read, 0 at the end, or -errno. */
ssize_t kx_read(int fd, void *buf, size_t len);
/*
 * Read to the end into @b (appending; NUL-terminated, the NUL not counted).
 * -EFBIG once more than b->max bytes would be held.
 */
int kx_read_all(int fd, struct kx_buf *b);
/* Exactly @len bytes at @off: 0, -EIO on a short read, or -errno. */
int kx_pread_all(int fd, void *buf, size_t len, off_t off);
/* Write all of @buf: 0 or -errno (-EIO when write(2) makes no progress). */
int kx_write_all(int fd, const void *buf, size_t len);

/*
 * Called with each line, its '\n' replaced by a NUL; @last is true for a
 * final piece the file did not end with a newline.  Returns 0 to go on, a
 * positive number to stop the read with that value, or -errno to fail it.
 */
typedef int (*kx_line_fn)(void *arg, char *line, size_t len, bool last);

struct kx_lines {
	size_t max_line;	/* longer lines fail the read with -E2BIG */
	size_t max_total;	/* stop (as at the end) after this many bytes; 0: no limit */
	bool eagain_ends;	/* a non-blocking /dev/kmsg: EAGAIN is the end */
	bool epipe_retry;	/* /dev/kmsg: EPIPE (records overwritten) is not an error */
};

/* Feed the lines of @fd to @fn: 0 at the end, @fn's positive stop value, or -errno. */
int kx_read_lines(int fd, const struct kx_lines *how, kx_line_fn fn, void *arg);
