// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sequence of kexec-tools' main(): status, unload, load (kexec_file_load
 * first, kexec_load as the fallback), the loaded check, shutdown, sync,
 * ifdown, exec.  Messages scripts grep for keep kexec-tools' wording.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "kexec/crash.h"
#include "kexec/diagnose.h"
#include "kexec/image.h"
#include "kexec/load.h"
#include "kexec/ops.h"

static int print_ckr_size(struct kx_ctx *ctx)
{
	struct kx_range r;
	int rc = kx_crash_range(ctx, &r);

	if (rc < 0 && rc != -ENOENT) {
		kx_cli_ctx_err(ctx, "cannot read the crash kernel reservation", rc);
		return KX_EXIT_FAILED;
	}
	printf("%llu\n", rc == 0 && r.end > r.start ? (unsigned long long)(r.end - r.start + 1) : 0ULL);
	return KX_EXIT_OK;
}

static int do_status(struct kx_ctx *ctx, const struct kx_opts *o)
{
	/* kexec-tools: the crash image unless -l was given without -p */
	bool crash = o->crash || !o->has_opt_load;
	int rc = kx_loaded(ctx, crash);

	if (rc < 0) {
		kx_cli_ctx_err(ctx, NULL, rc);
		return KX_EXIT_FAILED;
	}
	return rc ? 1 : 0;
}

/* Say why the kernel refused @call: its detail, then the diagnosis (or the TDX report). */
static void explain(struct kx_ctx *ctx, const struct kx_opts *o, const struct kx_load_req *req,
		    const char *call, int err)
{
	struct kx_diagnosis d;

	if (ctx->err[0])
		kx_cli_err("%s", ctx->err);
	kx_diagnose(ctx, req, call, err, &d);
	if (d.ask_tdx && !o->json)
		kx_cli_tdx_explain_refusal(ctx, o);
	else
		kx_cli_print_diagnosis(&d, o->json);
}

int kx_cli_unload(struct kx_ctx *ctx, const struct kx_opts *o)
{
	struct kx_load_req req;
	int rc = -ENOSYS;

	kx_cli_load_req(o, NULL, false, false, &req);
	if (o->syscall != KX_SYSCALL_CLASSIC) {
		rc = kx_unload(ctx, o->crash, true);
		if (rc == -ENOSYS && o->syscall == KX_SYSCALL_FILE) {
			fputs("syscall kexec_file_load not available.\n", stderr);
			return KX_EXIT_FALLBACK;
		}
		if (rc < 0 && rc != -ENOSYS) {
			fprintf(stderr, "kexec_file_load(unload) failed: %s\n", strerror(-rc));
			explain(ctx, o, &req, "kexec_file_load", rc);
			return KX_EXIT_FAILED;
		}
	}
	if (rc == -ENOSYS) {
		rc = kx_unload(ctx, o->crash, false);
		if (rc < 0) {
			fprintf(stderr, "kexec unload failed: %s\n", strerror(-rc));
			explain(ctx, o, &req, "kexec_load", rc);
			return KX_EXIT_FAILED;
		}
	}
	kx_cli_staged_forget(ctx, o, o->crash);
	return KX_EXIT_OK;
}

/* A load that failed before any syscall: our own checks said no. */
static int cannot_load(struct kx_ctx *ctx, const struct kx_opts *o, int rc)
{
	kx_cli_ctx_err(ctx, NULL, rc);
	fprintf(stderr, "Cannot load %s\n", o->kernel);
	return KX_EXIT_FAILED;
}

/* Under lockdown kexec_load is refused (EPERM): -a does not fall back to it. */
static bool locked_down(struct kx_ctx *ctx)
{
	char mode[32];

	kx_lockdown_mode(ctx, mode, sizeof(mode));
	if (strcmp(mode, "none") == 0 || strcmp(mode, "unknown") == 0)
		return false;
	kx_dbg(ctx, "the kernel is locked down (%s): no fallback to kexec_load, which it refuses",
	       mode);
	return true;
}

static int file_load(struct kx_ctx *ctx, const struct kx_opts *o, const struct kx_load_req *req,
		     bool *fallback)
{
	int rc = kx_load_file(ctx, req);

	*fallback = false;
	if (rc == 0)
		return KX_EXIT_OK;
	/*
	 * other_call: our own check found what kexec_file_load would refuse and
	 * kexec_load may take (a vmlinux; a command line without the 30 bytes
	 * kexec_file_load keeps; sizes the kernel's checks refuse).
	 */
	if (ctx->other_call && o->syscall == KX_SYSCALL_AUTO && !locked_down(ctx)) {
		kx_dbg(ctx, "%s; using kexec_load", ctx->err);
		*fallback = true;
		return KX_EXIT_OK;
	}
	if (ctx->other_call) {
		kx_cli_ctx_err(ctx, NULL, rc);
		fprintf(stderr, "Cannot load %s\n", o->kernel);
		return KX_EXIT_FALLBACK;	/* as kexec-tools' -s after the kernel's EINVAL */
	}
	if (!ctx->failed_call)
		return cannot_load(ctx, o, rc);
	if (o->syscall == KX_SYSCALL_AUTO && kx_file_load_falls_back(rc) && !locked_down(ctx)) {
		kx_dbg(ctx, "kexec_file_load: %s; falling back to kexec_load", strerror(-rc));
		if (o->crash)
			fprintf(stderr, "kexec_file_load failed: %s\n", strerror(-rc));
		*fallback = true;
		return KX_EXIT_OK;
	}
	if (rc == -ENOSYS) {
		fputs("syscall kexec_file_load not available.\n", stderr);
		return KX_EXIT_FALLBACK;
	}
	fprintf(stderr, "kexec_file_load failed: %s\n", strerror(-rc));
	explain(ctx, o, req, "kexec_file_load", rc);
	/* kexec-tools exits 253 with -s for the errnos -a would have retried */
	return kx_file_load_falls_back(rc) ? KX_EXIT_FALLBACK : KX_EXIT_FAILED;
}

static int classic_load(struct kx_ctx *ctx, const struct kx_opts *o,
			const struct kx_load_req *req)
{
	int rc = kx_load_classic(ctx, req);

	if (rc == 0)
		return KX_EXIT_OK;
	if (!ctx->failed_call)
		return cannot_load(ctx, o, rc);
	fprintf(stderr, "kexec_load failed: %s\n", strerror(-rc));
	explain(ctx, o, req, "kexec_load", rc);
	return KX_EXIT_FAILED;
}

/* Where the command line comes from, for --dry-run. */
static void print_cmdline_origin(const struct kx_opts *o, const struct kx_image_desc *d,
				 bool from_image, bool token)
{
	const char *opt = o->reuse_cmdline && o->append ? "--reuse-cmdline, then --append" :
			  o->reuse_cmdline ? "--reuse-cmdline" :
			  o->append ? "--append/--command-line" : "none given: empty";
	const char *tok = token ? "; then the kexec-tdx handover token" : "";

	if (from_image)
		printf("  %-12s the UKI's %s (no --append, --command-line or --reuse-cmdline)%s\n",
		       "cmdline", d->cmdline_from, tok);
	else if (d->cmdline_from[0] && (o->append || o->reuse_cmdline))
		printf("  %-12s %s (instead of the UKI's %s)%s\n", "cmdline", opt, d->cmdline_from,
		       tok);
	else
		printf("  %-12s %s%s\n", "cmdline", opt, tok);
}

/*
 * --dry-run: where each part of a UKI or vmlinux comes from (a bzImage's
 * parts are the files themselves).  A bad image is left to the load to
 * report.
 */
static void dry_run_image(struct kx_ctx *ctx, const struct kx_opts *o,
			  const struct kx_load_req *req, bool from_image)
{
	struct kx_image_desc d;
	const char *tv;
	size_t i, tn;

	if (kx_image_describe(ctx, req, &d) < 0 || strcmp(d.type, "bzImage64") == 0) {
		kx_clear_err(ctx);
		return;
	}
	printf("image %s: %s\n", o->kernel, d.type);
	for (i = 0; i < d.nlines; i++)
		printf("  %-12s %s\n", d.line[i].name, d.line[i].text);
	print_cmdline_origin(o, &d, from_image, kx_htoken_find(req->cmdline, &tv, &tn) > 0);
}

/*
 * --hotplug: the kernel must be able to rewrite the header itself
 * (CONFIG_CRASH_HOTPLUG, 6.6+); kexec-tools stops with exit 1 otherwise.
 */
static int check_hotplug(struct kx_ctx *ctx)
{
	uint64_t size;
	int rc = kx_crash_hotplug_size(ctx, &size);

	if (rc == 0)
		return KX_EXIT_OK;
	kx_cli_ctx_err(ctx, "--hotplug", rc);
	fputs("Without --hotplug the header is not updated by the kernel: reload the crash "
	      "kernel after CPU or memory hotplug (kdump-tools' udev rule does).\n", stderr);
	return KX_EXIT_USAGE;
}

/* After a --hotplug crash load: will the kernel keep the header up to date? */
static void report_hotplug(struct kx_ctx *ctx)
{
	int rc = kx_crash_hotplug_state(ctx);

	if (rc == 1)
		kx_dbg(ctx, "crash_hotplug: the kernel updates the crash header on CPU and memory "
		       "hotplug");
	else if (rc == 0)
		kx_cli_err("warning: the crash_hotplug files read 0: the kernel will not update the "
			   "crash header on hotplug; reload after CPU or memory changes");
	else
		kx_clear_err(ctx);
}

/* After a load: record what the kernel took, or forget a record a failed load made stale. */
static void after_load(struct kx_ctx *ctx, const struct kx_opts *o, const struct kx_load_req *req,
		       int rc, bool file_syscall, const struct kx_cli_tdx_outcome *tdx)
{
	if (rc == KX_EXIT_OK)
		kx_cli_staged_record(ctx, o, req, file_syscall, tdx);
	else if (kx_loaded(ctx, o->crash) == 0)
		kx_cli_staged_forget(ctx, o, o->crash);
}

int kx_cli_load(struct kx_ctx *ctx, const struct kx_opts *o, struct kx_cli_tdx_outcome *out)
{
	bool fallback = o->syscall == KX_SYSCALL_CLASSIC;
	bool tdx_host, explicit_policy;
	struct kx_cli_tdx_outcome tdx;
	struct kx_cmdline_req creq;
	struct kx_load_req req;
	char *cmdline = NULL;
	bool from_image;
	int rc;

	if (!o->kernel) {
		fputs("No kernel specified\n", stderr);
		fputs("Try 'kexec --help' for more information.\n", stderr);
		return KX_EXIT_USAGE;
	}
	if (o->hotplug && (rc = check_hotplug(ctx)) != KX_EXIT_OK)
		return rc;
	if (o->elf32_core)
		kx_dbg(ctx, "--elf32-core-headers: ELF32 cannot hold x86_64 kernel addresses; "
		       "the crash header is ELF64, as kexec-tools builds it on x86_64");
	kx_cli_cmdline_req(o, &creq);
	rc = kx_cmdline_build(ctx, &creq, &cmdline, &from_image);
	if (rc < 0) {
		kx_cli_ctx_err(ctx, NULL, rc);
		return KX_EXIT_FAILED;
	}
	rc = kx_cli_tdx_preflight(ctx, o, cmdline, false, &tdx);
	if (rc) {
		if (out)
			*out = tdx;
		free(cmdline);
		return rc;
	}
	tdx_host = kx_cli_tdx_host(ctx, &explicit_policy);
	kx_cli_load_req(o, cmdline, tdx_host, explicit_policy, &req);
	if (kx_cli_handover_wanted(&req)) {
		rc = kx_cli_handover_add(ctx, &tdx, &cmdline);
		if (rc < 0) {
			free(cmdline);
			return cannot_load(ctx, o, rc);
		}
		req.cmdline = cmdline;
	}
	if (o->dry_run)
		dry_run_image(ctx, o, &req, from_image);
	rc = KX_EXIT_OK;
	if (!fallback)
		rc = file_load(ctx, o, &req, &fallback);
	if (rc == KX_EXIT_OK && fallback)
		rc = classic_load(ctx, o, &req);
	if (rc == KX_EXIT_OK && o->crash && o->hotplug && !o->dry_run)
		report_hotplug(ctx);
	after_load(ctx, o, &req, rc, !fallback, &tdx);
	if (out)
		*out = tdx;
	free(cmdline);
	return rc;
}

static int check_crash_reserved(struct kx_ctx *ctx)
{
	struct kx_range r;
	int rc = kx_crash_range(ctx, &r);

	if (rc == 0)
		return KX_EXIT_OK;
	if (rc == -ENOENT) {
		fputs("Memory for crashkernel is not reserved\n"
		      "Please reserve memory by passing \"crashkernel=Y@X\" parameter to kernel\n"
		      "Then try to load the kdump kernel\n", stderr);
		return KX_EXIT_USAGE;
	}
	kx_cli_ctx_err(ctx, "cannot read the crash kernel reservation", rc);
	return KX_EXIT_FAILED;
}

static int do_exec(struct kx_ctx *ctx, const struct kx_opts *o)
{
	int rc;

	rc = ctx->ops->reboot_kexec(ctx->ops_data);
	if (rc < 0) {
		fprintf(stderr, "kexec failed: %s\n", strerror(-rc));
		return KX_EXIT_FAILED;
	}
	return KX_EXIT_OK;
}

/* After a load, or for -e alone: is there anything to reboot into? */
static int check_loaded(struct kx_ctx *ctx)
{
	int rc = kx_loaded(ctx, false);

	if (rc == 1)
		return KX_EXIT_OK;
	if (rc < 0)
		kx_cli_ctx_err(ctx, NULL, rc);
	fputs("Nothing has been loaded!\n", stderr);
	return KX_EXIT_USAGE;
}

/* -e's TDX re-check; what it decided is kept for --tdx-verify after the reboot. */
static int exec_check(struct kx_ctx *ctx, const struct kx_opts *o)
{
	struct kx_cli_tdx_outcome tdx;
	int rc = kx_cli_tdx_preflight(ctx, o, NULL, true, &tdx);

	if (tdx.verdict[0] && strcmp(tdx.verdict, "not checked") != 0)
		kx_cli_decision_exec(ctx, o, rc == KX_EXIT_OK, &tdx);
	return rc;
}

int kx_cli_run(struct kx_ctx *ctx, const struct kx_opts *o)
{
	int rc = KX_EXIT_OK;

	if (o->print_ckr_size)
		return print_ckr_size(ctx);
	if (o->status)
		return do_status(ctx, o);
	if (!o->load && o->loader_opt) {
		kx_cli_err("%s only makes sense when loading a kernel (-l, -p, -f or no action)",
			   o->loader_opt);
		fputs("Try 'kexec --help' for more information.\n", stderr);
		return KX_EXIT_USAGE;
	}
	if (o->load && o->crash && (rc = check_crash_reserved(ctx)) != KX_EXIT_OK)
		return rc;
	if (o->unload && (rc = kx_cli_unload(ctx, o)) != KX_EXIT_OK)
		return rc;
	if (o->load && (rc = kx_cli_load(ctx, o, NULL)) != KX_EXIT_OK)
		return rc;
	if ((o->shutdown || o->exec) && (rc = check_loaded(ctx)) != KX_EXIT_OK)
		return rc;
	/* The TDX re-check of -e comes before anything is synced or taken down. */
	if (o->exec && (rc = exec_check(ctx, o)) != KX_EXIT_OK)
		return rc;
	if (o->shutdown) {
		rc = ctx->ops->shutdown(ctx->ops_data);
		if (rc < 0) {
			kx_cli_err("cannot run shutdown -r now: %s", strerror(-rc));
			return KX_EXIT_FAILED;
		}
	}
	if (o->sync)
		ctx->ops->sync(ctx->ops_data);
	if (o->ifdown && (rc = ctx->ops->ifdown(ctx->ops_data)) < 0)
		kx_dbg(ctx, "taking interfaces down: %s", strerror(-rc));
	if (o->exec)
		return do_exec(ctx, o);
	return KX_EXIT_OK;
}
