// SPDX-License-Identifier: GPL-2.0-or-later
/* The TDX context, fact bookkeeping and the file reads every reader shares. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "tdx/tdx-internal.h"
#include "base/parse.h"
#include "base/sysroot.h"

int tdx_ctx_new(struct kx_ctx *kx, struct kx_sysroot *root, struct tdx_ctx **out)
{
	struct tdx_ctx *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->kx.root = root;
	t->kx.log = kx ? kx->log : NULL;
	t->kx.log_data = kx ? kx->log_data : NULL;
	t->root = root;
	*out = t;
	return 0;
}

void tdx_ctx_free(struct tdx_ctx *t)
{
	free(t);
}

const char *tdx_ctx_error(const struct tdx_ctx *t)
{
	return t->kx.err;
}

void tdx_fact_init(struct tdx_fact *f, const char *path)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->source, sizeof(f->source), "%s", path);
}

void tdx_fact_known(struct tdx_fact *f)
{
	f->state = TDX_KNOWN;
	f->err = 0;
	f->detail[0] = '\0';
}

void tdx_fact_errno(struct tdx_fact *f, int err)
{
	if (err < 0)
		err = -err;
	f->err = err;
	if (err == ENOENT || err == ENOTDIR) {
		f->state = TDX_ABSENT;
		f->detail[0] = '\0';
		return;
	}
	f->state = TDX_UNREADABLE;
	snprintf(f->detail, sizeof(f->detail), "cannot read %s: %s", f->source, strerror(err));
}

void tdx_fact_malformed(struct tdx_fact *f, const char *fmt, ...)
{
	int n = snprintf(f->detail, sizeof(f->detail), "%s: ", f->source);
	va_list ap;

	f->state = TDX_UNREADABLE;
	f->err = EBADMSG;
	if (n < 0 || (size_t)n >= sizeof(f->detail))
		return;
	va_start(ap, fmt);
	vsnprintf(f->detail + n, sizeof(f->detail) - (size_t)n, fmt, ap);
	va_end(ap);
}

void tdx_fact_source(struct tdx_fact *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->source, sizeof(f->source), fmt, ap);
	va_end(ap);
}

void tdx_fact_detail(struct tdx_fact *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}

void tdx_fact_copy(struct tdx_fact *to, const struct tdx_fact *from)
{
	to->state = from->state;
	to->err = from->err;
	memcpy(to->detail, from->detail, sizeof(to->detail));
}

int tdx_read_text(struct tdx_ctx *t, const char *path, size_t max, char **buf, size_t *len,
		  struct tdx_fact *f)
{
	int rc = kx_sysroot_read(t->root, path, max, buf, len);

	if (rc < 0) {
		*buf = NULL;
		tdx_fact_errno(f, rc);
		if (rc == -EFBIG)
			tdx_fact_malformed(f, "larger than the %zu bytes expected", max);
	}
	return rc;
}

int tdx_read_line(struct tdx_ctx *t, const char *path, size_t max, char **buf, struct tdx_fact *f)
{
	size_t len;
	char *nl;
	int rc = tdx_read_text(t, path, max, buf, &len, f);

	if (rc < 0)
		return rc;
	nl = memchr(*buf, '\n', len);
	if (strlen(*buf) != len || (nl && nl != *buf + len - 1)) {
		tdx_fact_malformed(f, "expected one line of text");
		free(*buf);
		*buf = NULL;
		return -EBADMSG;
	}
	kx_chomp(*buf);
	return 0;
}

void tdx_copy_str(char *dst, size_t size, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < size && i < n && s[i]; i++)
		dst[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (size)
		dst[i] = '\0';
}
