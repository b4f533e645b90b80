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
	    o->tdx_verify || o->unsupported || o->show_staged)
		return false;
	return o->load || o->unload || o->exec || o->shutdown || o->tdx_restage;
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
	if (o->show_staged)
		return kx_cli_show_staged(ctx, o);
	if (o->tdx_restage)
		return kx_cli_tdx_restage(ctx, o);
	return kx_cli_run(ctx, o);
}

/*
 * A dry run changes nothing, records and journal included; the records of a
 * recorded host tree are the tree's.
 */
static void state_paths(struct kx_opts *o)
{
	static char run_dir[4096], state_dir[4096];

	if (o->dry_run) {
		o->run_dir = o->state_dir = o->journal = NULL;
	} else if (o->sysroot) {
		snprintf(run_dir, sizeof(run_dir), "%s%s", o->sysroot, o->run_dir);
		snprintf(state_dir, sizeof(state_dir), "%s%s", o->sysroot, o->state_dir);
		o->run_dir = run_dir;
		o->state_dir = state_dir;
		o->journal = NULL;
		o->records_readonly = true;
	}
}

/* Tests (KX_TEST_CALLS): the calls a run made, appended to @path. */
static void print_calls(const char *path, const struct kx_ctx *ctx)
{
	FILE *f = fopen(path, "ae");

	if (!f) {
		kx_cli_err("cannot write %s: %s", path, strerror(errno));
		return;
	}
	kx_cli_print_record(f, ctx);
	fclose(f);
}

#ifdef KX_TEST_HOOKS
/*
 * tests/helpers/kexec-testhooks only: KX_TEST_CORRUPT=SEG:OFFSET makes the
 * purgatory's digest table expect that byte inverted; KX_TEST_GATE=record or
 * enforce runs the TDX gate in that mode (enforce as on a TDX host);
 * KX_TEST_GATE_GP=1 makes every MSR read of the gate fault;
 * KX_TEST_LOAD_ERRNO=ENAME (KX_TEST_UNLOAD_ERRNO) makes the recorder answer
 * every load (unload) with that errno, as a kernel that refused it would.  For the records and
 * the reboot check: KX_TEST_CALLS=FILE runs without --dry-run but with the
 * recorder (calls listed in FILE), so that a run changes what a real one
 * would, records included, while the kernel is never called;
 * KX_TEST_STATE=DIR moves /run/kexec-tdx and /var/lib/kexec-tdx to DIR/run
 * and DIR/lib; KX_TEST_JOURNAL=SOCKET sends the audit trail there;
 * KX_TEST_BOOTCTL=PROGRAM runs instead of bootctl.
 */
static struct kx_test_hooks hooks = { .gate_mode = -1 };
static char test_run_dir[4096], test_state_dir[4096];

static void test_paths(struct kx_opts *o)
{
	const char *st = getenv("KX_TEST_STATE");

	if (o->dry_run)
		return;		/* a dry run keeps no records */
	if (st) {
		snprintf(test_run_dir, sizeof(test_run_dir), "%s/run", st);
		snprintf(test_state_dir, sizeof(test_state_dir), "%s/lib", st);
		o->run_dir = test_run_dir;
		o->state_dir = test_state_dir;
		o->records_readonly = false;
	}
	if (getenv("KX_TEST_JOURNAL"))
		o->journal = getenv("KX_TEST_JOURNAL");
	if (getenv("KX_TEST_BOOTCTL"))
		o->bootctl = getenv("KX_TEST_BOOTCTL");
}

static int test_hooks(struct kx_opts *o, struct kx_recorder *rec)
{
	const char *c = getenv("KX_TEST_CORRUPT"), *g = getenv("KX_TEST_GATE");
	const char *e = getenv("KX_TEST_LOAD_ERRNO"), *u = getenv("KX_TEST_UNLOAD_ERRNO");
	char *end;

	if (e && (rec->load_errno = -kx_errno_from_name(e)) == 0)
		return -EINVAL;
	if (u && (rec->unload_errno = -kx_errno_from_name(u)) == 0)
		return -EINVAL;

	if (g)
		hooks.gate_mode = !strcmp(g, "record") ? KX_TDX_GATE_MODE_RECORD :
				  !strcmp(g, "enforce") ? KX_TDX_GATE_MODE_ENFORCE : -1;
	hooks.gate_gp = getenv("KX_TEST_GATE_GP") != NULL;
	test_paths(o);
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
	const char *test_calls = NULL;
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
	state_paths(&o);
#ifdef KX_TEST_HOOKS
	if (getenv("KX_TEST_CALLS"))
		test_calls = getenv("KX_TEST_CALLS");
#endif
	if (o.sysroot && !o.dry_run && !test_calls && changes_kernel(&o)) {
		kx_cli_err("--sysroot %s is a recorded host tree: a load, unload or exec built "
			   "from it needs --dry-run (the plan would come from another machine's "
			   "facts)", o.sysroot);
		fputs("Try 'kexec --help' for more information.\n", stderr);
		return KX_EXIT_USAGE;
	}
#ifdef KX_TEST_HOOKS
	if (test_hooks(&o, &rec) < 0) {
		kx_cli_err("KX_TEST_CORRUPT wants SEGMENT:OFFSET, KX_TEST_(UN)LOAD_ERRNO an errno "
			   "name");
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
	ctx.ops = o.dry_run || test_calls ? &kx_ops_recorder : &kx_ops_real;
	ctx.ops_data = o.dry_run || test_calls ? &rec : NULL;
	if (o.debug)
		ctx.log = log_stderr;
	ctx.warn = warn_stderr;
	rc = dispatch(&ctx, &o);
	if (o.dry_run)
		kx_cli_print_record(stdout, &ctx);
	else if (test_calls && rec.nr)
		print_calls(test_calls, &ctx);
	kx_recorder_free(&rec);
	kx_sysroot_free(ctx.root);
	fflush(stdout);
	return rc;
}
