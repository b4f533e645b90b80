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

#include "base/ctx.h"
#include "base/errname.h"
#include "base/sysroot.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "kexec/load.h"
#include "kexec/ops.h"

static void log_stderr(void *data, const char *fmt, va_list ap)
{
	fputs("kexec: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void warn_stderr(void *data, const char *fmt, va_list ap)
{
	fputs("kexec: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Would this run call kexec_load, kexec_file_load or reboot (or run shutdown)? */
static bool changes_kernel(const struct kx_opts *o)
{
	if (o->help || o->version || o->print_ckr_size || o->status || o->tdx_status ||
	    o->tdx_verify || o->unsupported)
		return false;
	return o->load || o->unload || o->exec || o->shutdown;
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

#ifdef KX_TEST_HOOKS
/*
 * tests/helpers/kexec-testhooks only: KX_TEST_CORRUPT=SEG:OFFSET makes the
 * purgatory's digest table expect that byte inverted; KX_TEST_GATE=record or
 * enforce runs the TDX gate in that mode (enforce as on a TDX host);
 * KX_TEST_GATE_GP=1 makes every MSR read of the gate fault;
 * KX_TEST_LOAD_ERRNO=ENAME makes the --dry-run recorder answer every load
 * with that errno, as a kernel that refused it would.
 */
static struct kx_test_hooks hooks = { .gate_mode = -1 };

static int test_hooks(struct kx_opts *o, struct kx_recorder *rec)
{
	const char *c = getenv("KX_TEST_CORRUPT"), *g = getenv("KX_TEST_GATE");
	const char *e = getenv("KX_TEST_LOAD_ERRNO");
	char *end;

	if (e && (rec->load_errno = -kx_errno_from_name(e)) == 0)
		return -EINVAL;

	if (g)
		hooks.gate_mode = !strcmp(g, "record") ? KX_TDX_GATE_MODE_RECORD :
				  !strcmp(g, "enforce") ? KX_TDX_GATE_MODE_ENFORCE : -1;
	hooks.gate_gp = getenv("KX_TEST_GATE_GP") != NULL;
	if (c) {
		hooks.corrupt = true;
		hooks.corrupt_seg = (unsigned int)strtoul(c, &end, 0);
		if (*end != ':' || end == c)
			return -EINVAL;
		hooks.corrupt_off = strtoull(end + 1, &end, 0);
		if (*end)
			return -EINVAL;
	}
	o->hooks = &hooks;
	return 0;
}
#endif

int main(int argc, char *argv[])
{
	struct kx_recorder rec = { 0 };
	struct kx_ctx ctx = { 0 };
	struct kx_opts o;
	int rc;

	if (kx_opts_parse(&ctx, &o, argc, argv) < 0) {
		kx_cli_err("%s", ctx.err);
		fputs("Try 'kexec --help' for more information.\n", stderr);
		return KX_EXIT_USAGE;
	}
	kx_clear_err(&ctx);
	if (o.help) {
		kx_cli_usage(stdout);
		return KX_EXIT_OK;
	}
	if (o.version) {
		kx_cli_version(stdout);
		return KX_EXIT_OK;
	}
	if (o.list_interfaces) {
		kx_cli_list_interfaces(stdout);
		return KX_EXIT_OK;
	}
	if (o.sysroot && !o.dry_run && changes_kernel(&o)) {
		kx_cli_err("--sysroot %s is a recorded host tree: a load, unload or exec built "
			   "from it needs --dry-run (the plan would come from another machine's "
			   "facts)", o.sysroot);
		fputs("Try 'kexec --help' for more information.\n", stderr);
		return KX_EXIT_USAGE;
	}
#ifdef KX_TEST_HOOKS
	if (test_hooks(&o, &rec) < 0) {
		kx_cli_err("KX_TEST_CORRUPT wants SEGMENT:OFFSET, KX_TEST_LOAD_ERRNO an errno name");
		return KX_EXIT_USAGE;
	}
#endif
	rc = kx_sysroot_new(o.sysroot, &ctx.root);
	if (rc < 0) {
		kx_cli_err("cannot use --sysroot %s: %s%s", o.sysroot, strerror(-rc),
			   rc == -ENOSYS ? " (openat2, Linux 5.6, is needed to keep reads "
			   "inside the tree)" : "");
		return KX_EXIT_USAGE;
	}
	ctx.ops = o.dry_run ? &kx_ops_recorder : &kx_ops_real;
	ctx.ops_data = o.dry_run ? &rec : NULL;
	if (o.debug)
		ctx.log = log_stderr;
	ctx.warn = warn_stderr;
	rc = dispatch(&ctx, &o);
	if (o.dry_run)
		kx_cli_print_record(stdout, &ctx);
	kx_recorder_free(&rec);
	kx_sysroot_free(ctx.root);
	fflush(stdout);
	return rc;
}
