// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/ctx.h"

int kx_fail(struct kx_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
	return err;
}

int kx_reject_image(struct kx_ctx *ctx, const char *name, const char *expected,
		    const char *fmt, ...)
{
	char why[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return kx_fail(ctx, -ENOEXEC, "%s: %s; expected %s", name, why, expected);
}

void kx_fail_more(struct kx_ctx *ctx, const char *fmt, ...)
{
	size_t len = strlen(ctx->err);
	va_list ap;

	if (len >= sizeof(ctx->err) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(ctx->err + len, sizeof(ctx->err) - len, fmt, ap);
	va_end(ap);
}

void kx_fail_prefix(struct kx_ctx *ctx, const char *prefix)
{
	size_t plen = strlen(prefix), len = strlen(ctx->err);

	if (plen >= sizeof(ctx->err))
		return;
	if (len > sizeof(ctx->err) - 1 - plen)
		len = sizeof(ctx->err) - 1 - plen;
	memmove(ctx->err + plen, ctx->err, len);
	memcpy(ctx->err, prefix, plen);
	ctx->err[plen + len] = '\0';
}

void kx_clear_err(struct kx_ctx *ctx)
{
	ctx->err[0] = '\0';
	ctx->failed_call = NULL;
	ctx->other_call = false;
}

void kx_dbg(const struct kx_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (!ctx->log)
		return;
	va_start(ap, fmt);
	ctx->log(ctx->log_data, fmt, ap);
	va_end(ap);
}

void kx_warn(const struct kx_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (!ctx->warn)
		return;
	va_start(ap, fmt);
	ctx->warn(ctx->warn_data, fmt, ap);
	va_end(ap);
}
