// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CLI's TDX commands: --tdx-status, the --tdx-disable preflight before
 * a load and before the reboot of -e, --tdx-wait, --tdx-force, and the
 * explanation of a load the kernel refused with EOPNOTSUPP.  The TDX
 * library reads the facts and builds the report; this file prints it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/ctx.h"
#include "base/sysroot.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "kexec/load.h"
#include "tdx/tdx.h"

struct tdx_run {
	struct kx_sysroot *own_root;	/* --tdx-sysroot */
	struct tdx_ctx *t;
	struct tdx_facts *f;
	struct tdx_report *r;
	struct tdx_mode mode;
};

static void run_close(struct tdx_run *run)
{
	tdx_ctx_free(run->t);
	kx_sysroot_free(run->own_root);
	free(run->f);
	free(run->r);
}

/* Bind the library to --tdx-sysroot, else to the --sysroot. */
static int run_open(struct kx_ctx *ctx, const struct kx_opts *o, struct tdx_run *run)
{
	struct kx_sysroot *root = ctx->root;
	int rc;

	memset(run, 0, sizeof(*run));
	if (o->tdx_sysroot) {
		rc = kx_sysroot_new(o->tdx_sysroot, &run->own_root);
		if (rc < 0) {
			kx_cli_err("cannot use --tdx-sysroot %s: %s", o->tdx_sysroot,
				   strerror(-rc));
			return KX_EXIT_USAGE;
		}
		root = run->own_root;
	}
	run->f = calloc(1, sizeof(*run->f));
	run->r = calloc(1, sizeof(*run->r));
	if (!run->f || !run->r || tdx_ctx_new(ctx, root, &run->t) < 0) {
		kx_cli_err("out of memory");
		run_close(run);
		return KX_EXIT_FAILED;
	}
	return 0;
}

static int exit_code(enum tdx_severity verdict)
{
	if (verdict == TDX_NOGO)
		return KX_EXIT_TDX_NOGO;
	return verdict == TDX_WARN ? KX_EXIT_TDX_WARN : KX_EXIT_OK;
}

/* Print the report as JSON on stdout, or as text on @out. */
static int print_report(const struct tdx_run *run, bool json, FILE *out, bool facts,
			const char *prefix)
{
	char *s = json ? tdx_report_json(run->r, run->f)
		       : tdx_report_text(run->r, facts ? run->f : NULL, prefix);

	if (!s) {
		kx_cli_err("out of memory");
		return -ENOMEM;
	}
	fputs(s, json ? stdout : out);
	free(s);
	return 0;
}

int kx_cli_tdx_status(struct kx_ctx *ctx, const struct kx_opts *o)
{
	struct kx_cmdline_req creq;
	struct tdx_run run;
	char *cmdline = NULL;
	int rc = run_open(ctx, o, &run);

	if (rc)
		return rc;
	tdx_read_host(run.t, run.f);
	/* With a kernel, the report covers loading it (-l K or -p K). */
	kx_cli_cmdline_req(o, &creq);
	if (o->kernel && kx_cmdline_build(ctx, &creq, &cmdline, NULL) == 0)
		tdx_read_image(run.t, o->kernel, cmdline, run.f);
	run.mode.action = TDX_ACT_STATUS;
	run.mode.crash = o->crash;
	tdx_evaluate(run.f, &run.mode, run.r);
	rc = print_report(&run, o->json, stdout, true, "") < 0 ? KX_EXIT_FAILED
							      : exit_code(run.r->verdict);
	free(cmdline);
	run_close(&run);
	return rc;
}

/*
 * --tdx-verify, in the kernel a kexec started: the purgatory's gate record
 * and this kernel's TDX facts, read from --tdx-sysroot or the sysroot.
 */
int kx_cli_tdx_verify(struct kx_ctx *ctx, const struct kx_opts *o)
{
	struct tdx_gate_found gate;
	struct tdx_run run;
	int rc = run_open(ctx, o, &run), grc;

	if (rc)
		return rc;
	grc = tdx_gate_record_read(run.t, &gate);
	if (grc < 0 && grc != -ENOENT) {
		kx_cli_err("cannot read the TDX gate record: %s", tdx_ctx_error(run.t)[0] ?
			   tdx_ctx_error(run.t) : strerror(-grc));
		run_close(&run);
		return KX_EXIT_FAILED;
	}
	tdx_read_host(run.t, run.f);
	tdx_verify(run.f, grc == 0 ? &gate.rec : NULL, run.r);
	rc = print_report(&run, o->json, stdout, true, "") < 0 ? KX_EXIT_FAILED
							      : exit_code(run.r->verdict);
	run_close(&run);
	return rc;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(bool tty, unsigned long long n, double left, unsigned long long *last)
{
	if (tty)
		fprintf(stderr, "\rkexec: waiting for %llu TD%s to be destroyed, %.0f s left  ",
			n, n == 1 ? "" : "s", left);
	else if (n != *last)
		fprintf(stderr, "kexec: waiting for %llu TD%s to be destroyed (%.0f s left)\n",
			n, n == 1 ? "" : "s", left);
	*last = n;
}

/* --tdx-wait: poll the misc cgroup until no TD holds a KeyID, or time runs out. */
static void wait_for_tds(struct tdx_run *run, const struct kx_opts *o)
{
	const struct timespec tick = { 0, 200 * 1000 * 1000 };
	double deadline = now_s() + o->tdx_wait, left;
	bool tty = isatty(STDERR_FILENO);
	unsigned long long last = 0;

	for (;;) {
		tdx_read_live_tds(run->t, run->f);
		if (run->f->live_tds.f.state != TDX_KNOWN || run->f->live_tds.v == 0)
			break;
		left = deadline - now_s();
		if (left <= 0)
			break;
		progress(tty, (unsigned long long)run->f->live_tds.v, left, &last);
		nanosleep(&tick, NULL);
	}
	if (tty && last)
		fputs("\r\033[K", stderr);
	if (run->f->live_tds.f.state == TDX_KNOWN && run->f->live_tds.v)
		fprintf(stderr, "kexec: %llu TD%s still running after %d s\n",
			(unsigned long long)run->f->live_tds.v, run->f->live_tds.v == 1 ? "" : "s",
			o->tdx_wait);
	else if (last)
		fputs("kexec: no TD is running any more\n", stderr);
	tdx_evaluate(run->f, &run->mode, run->r);
}

static int preflight_verdict(const struct tdx_run *run, const struct kx_opts *o, bool before_exec)
{
	if (run->r->verdict != TDX_NOGO)
		return KX_EXIT_OK;
	if (o->tdx_force) {
		kx_cli_err("--tdx-force: going ahead although the TDX handover check says no-go");
		return KX_EXIT_OK;
	}
	kx_cli_err("TDX handover check says no-go: nothing was %s (--tdx-force overrides)",
		   before_exec ? "executed" : "loaded");
	return KX_EXIT_TDX_NOGO;
}

int kx_cli_tdx_preflight(struct kx_ctx *ctx, const struct kx_opts *o, const char *cmdline,
			 bool before_exec)
{
	struct tdx_run run;
	int rc = run_open(ctx, o, &run);

	if (rc)
		return rc;
	tdx_read_host(run.t, run.f);
	if (!before_exec)
		tdx_read_image(run.t, o->kernel, cmdline, run.f);
	run.mode.action = before_exec ? TDX_ACT_EXEC : TDX_ACT_LOAD;
	run.mode.crash = o->crash && !before_exec;
	tdx_evaluate(run.f, &run.mode, run.r);
	if (o->tdx_wait > 0 && tdx_report_find(run.r, "live-tds"))
		wait_for_tds(&run, o);
	if (o->json || run.r->verdict != TDX_INFO || o->debug)
		rc = print_report(&run, o->json, stderr, o->debug, "kexec: ");
	rc = rc < 0 ? KX_EXIT_FAILED : preflight_verdict(&run, o, before_exec);
	run_close(&run);
	return rc;
}

void kx_cli_tdx_explain_refusal(struct kx_ctx *ctx, const struct kx_opts *o)
{
	struct tdx_run run;

	if (run_open(ctx, o, &run))
		return;
	tdx_read_host(run.t, run.f);
	run.mode.action = TDX_ACT_LOAD;
	run.mode.crash = o->crash;
	tdx_evaluate(run.f, &run.mode, run.r);
	if (run.f->tdx_host_platform.f.state == TDX_KNOWN && !run.f->tdx_host_platform.v) {
		kx_cli_err("the kernel does not support this load (EOPNOTSUPP); see dmesg");
	} else {
		kx_cli_err("the kernel refused the load with EOPNOTSUPP; on this TDX host:");
		print_report(&run, false, stderr, o->debug, "kexec: ");
	}
	run_close(&run);
}

bool kx_cli_tdx_host(struct kx_ctx *ctx)
{
	struct tdx_facts *f = calloc(1, sizeof(*f));
	struct tdx_ctx *t = NULL;
	bool yes = false;

	if (f && tdx_ctx_new(ctx, ctx->root, &t) == 0) {
		tdx_read_cpuinfo(t, f);
		yes = f->tdx_host_platform.f.state == TDX_KNOWN && f->tdx_host_platform.v;
	}
	tdx_ctx_free(t);
	free(f);
	return yes;
}
