// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CLI's TDX commands: --tdx-status, the --tdx-disable preflight before
 * a load and before the reboot of -e, --tdx-wait, --tdx-force, and the
 * explanation of a load the kernel refused with EOPNOTSUPP.  The TDX
 * library reads the facts and builds the report; this file prints it.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
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
#include "kexec/staged.h"
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
			kx_cli_err("cannot use --tdx-sysroot %s: %s%s", o->tdx_sysroot,
				   strerror(-rc), rc == -ENOSYS ? " (openat2, Linux 5.6, is "
				   "needed to keep reads inside the tree)" : "");
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

/* The codes of the findings that warn or say no-go, space separated. */
static void finding_codes(const struct tdx_report *r, char *out, size_t len)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < r->n && used < len; i++) {
		if (r->f[i].severity == TDX_INFO)
			continue;
		used += (size_t)snprintf(out + used, len - used, "%s%s", used ? " " : "",
					 r->f[i].code);
	}
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
	if (o->kernel && kx_cmdline_build(ctx, &creq, &cmdline) == 0)
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

/* --tdx-wait for --tdx-verify: has the kernel said whether TDX is up? */
static bool tdx_settled(const struct tdx_facts *f)
{
	const unsigned int said = TDX_LOG_MODULE_INIT | TDX_LOG_INIT_FAILED | TDX_LOG_NOT_LOADED;

	if (f->tdx_host_platform.f.state == TDX_KNOWN && !f->tdx_host_platform.v)
		return true;
	if (f->module_version.f.state == TDX_KNOWN || (f->kmsg.seen & said))
		return true;
	/* kvm_intel is loaded and says whether it wanted TDX */
	return f->kvm_tdx.f.state == TDX_KNOWN;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Up to 7.0, TDX comes up when kvm_intel loads: wait for it, up to --tdx-wait seconds. */
static void wait_for_bringup(struct tdx_run *run, const struct kx_opts *o)
{
	const struct timespec tick = { 1, 0 };
	double deadline = now_s() + o->tdx_wait;
	bool said = false;

	while (!tdx_settled(run->f) && now_s() < deadline) {
		if (!said)
			fprintf(stderr, "kexec: waiting up to %d s for the kernel to bring TDX up\n",
				o->tdx_wait);
		said = true;
		nanosleep(&tick, NULL);
		memset(run->f, 0, sizeof(*run->f));
		tdx_read_host(run->t, run->f);
	}
}

/* The previous boot's reboot check, from o->state_dir; false when there is none. */
static bool read_planned(struct kx_ctx *ctx, const struct kx_opts *o, struct tdx_planned *p)
{
	struct kx_decision d;
	char boot[40];
	time_t t;
	struct tm tm;

	memset(p, 0, sizeof(*p));
	if (!o->state_dir || kx_decision_read(ctx, o->state_dir, &d) < 0) {
		if (ctx->err[0])
			kx_cli_err("warning: %s", ctx->err);
		kx_clear_err(ctx);
		return false;
	}
	kx_boot_id(ctx, boot);
	p->allowed = d.allowed;
	p->same_boot = boot[0] && strcmp(boot, d.boot_id) == 0;
	snprintf(p->image, sizeof(p->image), "%s", d.image);
	snprintf(p->release, sizeof(p->release), "%s", d.release);
	snprintf(p->reason, sizeof(p->reason), "%s", d.reason);
	t = (time_t)d.time;
	if (!gmtime_r(&t, &tm) || !strftime(p->when, sizeof(p->when), "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(p->when, sizeof(p->when), "%lld", d.time);
	return true;
}

static void audit_verify(const struct kx_opts *o, const struct tdx_run *run,
			 const struct tdx_planned *p, bool have_planned)
{
	char codes[256];
	const struct tdx_finding *missed = tdx_report_find(run->r, "planned-kexec-refused");
	const char *fields[] = { "KEXEC_TDX_VERDICT", tdx_verdict_name(run->r->verdict),
				 "KEXEC_TDX_FINDINGS", codes, NULL, NULL, NULL };

	finding_codes(run->r, codes, sizeof(codes));
	kx_cli_audit(o, KX_AUDIT_VERIFY, fields, "TDX handover verification: %s%s%s",
		     tdx_verdict_name(run->r->verdict), codes[0] ? ": " : "", codes);
	if (!missed)
		missed = tdx_report_find(run->r, "planned-kexec-missing");
	if (have_planned && missed) {
		fields[4] = "KEXEC_TDX_IMAGE";
		fields[5] = p->image;
		kx_cli_audit(o, KX_AUDIT_PLANNED_MISSED, fields, "%s", missed->message);
	}
}

/*
 * --tdx-verify, in the kernel a kexec started: the purgatory's gate record,
 * this kernel's TDX facts (read from --tdx-sysroot or the sysroot), and what
 * became of the kexec the previous boot planned.
 */
int kx_cli_tdx_verify(struct kx_ctx *ctx, const struct kx_opts *o)
{
	struct tdx_gate_found gate;
	struct tdx_planned planned;
	struct tdx_run run;
	bool have_planned;
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
	if (o->tdx_wait > 0)
		wait_for_bringup(&run, o);
	tdx_verify(run.f, grc == 0 ? &gate.rec : NULL, run.r);
	have_planned = read_planned(ctx, o, &planned);
	if (have_planned)
		tdx_verify_planned(run.f, &planned, run.r);
	rc = print_report(&run, o->json, stdout, true, "") < 0 ? KX_EXIT_FAILED
							      : exit_code(run.r->verdict);
	audit_verify(o, &run, &planned, have_planned);
	if (have_planned && !planned.same_boot && !o->records_readonly &&
	    kx_decision_consume(ctx, o->state_dir) < 0)
		kx_cli_err("warning: %s", ctx->err);
	run_close(&run);
	return rc;
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

/* The image's kernel release: the first word of its version string. */
static void image_release(const struct tdx_facts *f, char *out, size_t len)
{
	out[0] = '\0';
	if (f->image_version.f.state == TDX_KNOWN)
		snprintf(out, len, "%.*s", (int)strcspn(f->image_version.v, " "),
			 f->image_version.v);
}

static void outcome_set(struct kx_cli_tdx_outcome *out, const char *verdict, const char *detail)
{
	if (!out)
		return;
	snprintf(out->verdict, sizeof(out->verdict), "%s", verdict);
	snprintf(out->detail, sizeof(out->detail), "%s", detail);
}

static void __attribute__((format(printf, 5, 6)))
audit_verdict(const struct kx_opts *o, enum kx_audit what, const char *codes, bool before_exec,
	      const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	const char *fields[] = {
		"KEXEC_TDX_ACTION", before_exec ? "exec" : o->crash ? "load-crash" : "load",
		"KEXEC_TDX_IMAGE", before_exec ? NULL : o->kernel,
		"KEXEC_TDX_FINDINGS", codes,
		"KEXEC_TDX_SYSROOT", o->tdx_sysroot,
		NULL,
	};

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kx_cli_audit(o, what, fields, "%s", msg);
}

static int preflight_verdict(const struct tdx_run *run, const struct kx_opts *o, bool before_exec,
			     struct kx_cli_tdx_outcome *out)
{
	const char *what = before_exec ? "kexec reboot" : o->kernel;
	char codes[256];

	finding_codes(run->r, codes, sizeof(codes));
	outcome_set(out, tdx_verdict_name(run->r->verdict), codes);
	if (o->tdx_sysroot && !o->dry_run)
		audit_verdict(o, KX_AUDIT_SYSROOT_LOAD, codes, before_exec,
			      "TDX check of %s made with another machine's facts (--tdx-sysroot)",
			      what);
	if (run->r->verdict != TDX_NOGO)
		return KX_EXIT_OK;
	if (o->tdx_force) {
		kx_cli_err("--tdx-force: going ahead although the TDX handover check says no-go");
		outcome_set(out, "no-go (forced)", codes);
		audit_verdict(o, KX_AUDIT_FORCED, codes, before_exec,
			      "TDX handover no-go overridden with --tdx-force: %s", what);
		return KX_EXIT_OK;
	}
	/* facts from another machine cannot stop (or allow) a real kexec of this one */
	if (o->tdx_sysroot && !o->dry_run) {
		kx_cli_err("--tdx-sysroot: going ahead as with --tdx-force although the check of "
			   "%s says no-go: its facts are not this machine's", o->tdx_sysroot);
		outcome_set(out, "no-go (forced)", codes);
		return KX_EXIT_OK;
	}
	kx_cli_err("TDX handover check says no-go: nothing was %s (--tdx-force overrides)",
		   before_exec ? "executed" : "loaded");
	audit_verdict(o, KX_AUDIT_REFUSED, codes, before_exec, "TDX handover no-go: %s refused",
		      what);
	return KX_EXIT_TDX_NOGO;
}

/*
 * Does this load or exec get the preflight?  With --tdx-disable always; else
 * on a TDX host (or an Intel host whose TDX state cannot be read), unless
 * the policy says "preflight = explicit".  On other hosts nothing changes.
 */
static bool preflight_wanted(struct tdx_run *run, const struct kx_opts *o, bool before_exec,
			     struct kx_cli_tdx_outcome *out)
{
	if (o->tdx_disable)
		return true;
	tdx_read_host_brief(run->t, run->f);
	if (tdx_is_host(run->f) == TDX_ANSWER_NO) {
		outcome_set(out, "not checked", "not a TDX host");
		return false;
	}
	if (run->f->preflight_explicit) {
		if (o->debug)
			kx_cli_err("TDX host, but %s says preflight = explicit: no check without "
				   "--tdx-disable", run->f->conf.source);
		outcome_set(out, "not checked", "preflight = explicit, without --tdx-disable");
		audit_verdict(o, KX_AUDIT_UNCHECKED, NULL, before_exec,
			      "TDX host, but preflight = explicit: %s without a TDX check",
			      before_exec ? "kexec reboot" : o->kernel);
		return false;
	}
	return true;
}

/* --tdx-wait: where live TDs stop the kexec (not where a kernel is only staged). */
static bool wait_applies(const struct tdx_run *run, const struct kx_opts *o)
{
	const struct tdx_finding *fd = tdx_report_find(run->r, "live-tds");

	return o->tdx_wait > 0 && fd && fd->severity == TDX_NOGO;
}

int kx_cli_tdx_preflight(struct kx_ctx *ctx, const struct kx_opts *o, const char *cmdline,
			 bool before_exec, struct kx_cli_tdx_outcome *out)
{
	struct tdx_run run;
	int rc = run_open(ctx, o, &run);

	if (out)
		memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	if (!preflight_wanted(&run, o, before_exec, out)) {
		run_close(&run);
		return KX_EXIT_OK;
	}
	tdx_read_host(run.t, run.f);
	if (!before_exec)
		tdx_read_image(run.t, o->kernel, cmdline, run.f);
	run.mode.action = before_exec ? TDX_ACT_EXEC : TDX_ACT_LOAD;
	run.mode.crash = o->crash && !before_exec;
	/* -f, and no action (load, then shutdown -r now): the reboot follows at once */
	run.mode.reboot_now = !before_exec && (o->exec || o->shutdown || o->reboot_follows);
	tdx_evaluate(run.f, &run.mode, run.r);
	if (wait_applies(&run, o))
		wait_for_tds(&run, o);
	if (o->json || run.r->verdict != TDX_INFO || o->debug)
		rc = print_report(&run, o->json, stderr, o->debug, "kexec: ");
	if (out)
		image_release(run.f, out->release, sizeof(out->release));
	rc = rc < 0 ? KX_EXIT_FAILED : preflight_verdict(&run, o, before_exec, out);
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

bool kx_cli_tdx_host(struct kx_ctx *ctx, bool *explicit_policy)
{
	struct tdx_facts *f = calloc(1, sizeof(*f));
	struct tdx_ctx *t = NULL;
	bool yes = true;	/* cannot tell: counts as a TDX host */

	*explicit_policy = false;
	if (f && tdx_ctx_new(ctx, ctx->root, &t) == 0) {
		tdx_read_host_brief(t, f);
		yes = tdx_is_host(f) != TDX_ANSWER_NO;
		*explicit_policy = f->preflight_explicit;
	}
	tdx_ctx_free(t);
	free(f);
	return yes;
}
