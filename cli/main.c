// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec: parse the command line once, set up the context (sysroot and ops
 * table), run the actions, and turn the result into an exit code.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/tdx-commands.h"
#include "base/ctx.h"
#include "kexec/ops.h"
#include "cli/options.h"
#include "base/sysroot.h"

static void log_stderr(void *data, const char *fmt, va_list ap)
{
	fputs("kexec: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static int dispatch(struct kx_ctx *ctx, const struct kx_opts *o)
{
	if (o->unsupported) {
		kx_cli_err("%s is not supported: %s", o->unsupported, o->unsupported_why);
		return KX_EXIT_UNSUPPORTED;
	}
	if (o->tdx_status)
		return kx_cli_tdx_status(ctx, o);
	if (o->tdx_verify)
		return kx_cli_tdx_verify(ctx, o);
	return kx_cli_run(ctx, o);
}

int main(int argc, char *argv[])
{
	struct kx_recorder rec = { 0 };
	struct kx_ctx ctx = { 0 };
	struct kx_opts o;
	int rc;

	if (kx_opts_parse(&o, argc, argv) < 0) {
		kx_cli_err("%s", o.error);
		fputs("Try 'kexec --help' for more information.\n", stderr);
		return KX_EXIT_USAGE;
	}
	if (o.help) {
		kx_cli_usage(stdout);
		return KX_EXIT_OK;
	}
	if (o.version) {
		kx_cli_version(stdout);
		return KX_EXIT_OK;
	}
	rc = kx_sysroot_new(o.sysroot, &ctx.root);
	if (rc < 0) {
		kx_cli_err("cannot use --sysroot %s: %s", o.sysroot, strerror(-rc));
		return KX_EXIT_USAGE;
	}
	ctx.ops = o.dry_run ? &kx_ops_recorder : &kx_ops_real;
	ctx.ops_data = o.dry_run ? &rec : NULL;
	if (o.debug)
		ctx.log = log_stderr;
	rc = dispatch(&ctx, &o);
	if (o.dry_run)
		kx_cli_print_record(stdout, &ctx);
	kx_recorder_free(&rec);
	kx_sysroot_free(ctx.root);
	fflush(stdout);
	return rc;
}
