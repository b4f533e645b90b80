// SPDX-License-Identifier: GPL-2.0-or-later
/* Everything the program prints about an error: plain messages and diagnoses. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/errname.h"
#include "cli/cli.h"
#include "kexec/diagnose.h"

void kx_cli_err(const char *fmt, ...)
{
	va_list ap;

	fputs("kexec: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void kx_cli_ctx_err(const struct kx_ctx *ctx, const char *what, int err)
{
	const char *detail = ctx->err[0] ? ctx->err : strerror(-err);

	if (what)
		fprintf(stderr, "kexec: %s: %s\n", what, detail);
	else
		fprintf(stderr, "kexec: %s\n", detail);
}

/* kexec(8), JSON OUTPUT: the diagnosis object, schema version 1. */
static void print_json(const struct kx_diagnosis *d)
{
	struct kx_buf b = KX_BUF_INIT(0);
	const char *name = kx_errno_name(d->err);
	size_t i;
	char *s;

	kx_buf_printf(&b, "{\"schema_version\":1,\"kind\":\"load-error\",\"call\":");
	kx_buf_json_str(&b, d->call);
	kx_buf_printf(&b, ",\"errno\":");
	kx_buf_json_str(&b, name ? name : "");
	kx_buf_printf(&b, ",\"error\":");
	kx_buf_json_str(&b, strerror(-d->err));
	kx_buf_printf(&b, ",\"code\":");
	kx_buf_json_str(&b, d->code);
	kx_buf_printf(&b, ",\"cause\":");
	kx_buf_json_str(&b, d->cause);
	kx_buf_printf(&b, ",\"remedy\":");
	kx_buf_json_str(&b, d->remedy);
	kx_buf_printf(&b, ",\"facts\":{");
	for (i = 0; i < d->nfacts; i++) {
		kx_buf_printf(&b, "%s", i ? "," : "");
		kx_buf_json_str(&b, d->facts[i].name);
		kx_buf_printf(&b, ":");
		kx_buf_json_str(&b, d->facts[i].value);
	}
	kx_buf_printf(&b, "}}\n");
	s = kx_buf_steal(&b);
	if (s)
		fputs(s, stdout);
	free(s);
}

void kx_cli_print_diagnosis(const struct kx_diagnosis *d, bool json)
{
	if (json) {
		print_json(d);
		return;
	}
	if (!d->cause[0])
		return;
	if (d->remedy[0])
		kx_cli_err("%s; %s", d->cause, d->remedy);
	else
		kx_cli_err("%s", d->cause);
}
