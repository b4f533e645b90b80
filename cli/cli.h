/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kexec program.  Its files, each using only the ones above it here:
 *   messages.c      everything printed about an error, text or JSON
 *   usage.c         --help and --version
 *   dry-run.c       --dry-run: the calls the recorder kept
 *   requests.c      options turned into the libraries' requests
 *   journal.c       the audit trail in the journal
 *   tdx-commands.c  --tdx-status, --tdx-verify, the preflight, TDX refusals
 *   records.c       the records of what was staged and decided, --show-staged
 *   actions.c       kexec-tools' sequence of actions
 *   restage.c       --tdx-restage, the check a kexec reboot starts with
 *   main.c          argv -> options (options.c) -> one of the above -> exit code
 * Only this folder prints or exits.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

struct kx_ctx;
struct kx_opts;
struct kx_diagnosis;
struct kx_load_req;
struct kx_cmdline_req;

/* messages.c: "kexec: <msg>" on stderr. */
void kx_cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print ctx->err (or strerror(-err) when empty) after "kexec: <what>: ". */
void kx_cli_ctx_err(const struct kx_ctx *ctx, const char *what, int err);
/* A diagnosis of a refused load: a sentence on stderr, or with @json an object on stdout. */
void kx_cli_print_diagnosis(const struct kx_diagnosis *d, bool json);

/* usage.c */
void kx_cli_usage(FILE *out);
void kx_cli_version(FILE *out);
/* --list-interfaces: the kernel interfaces the program reads. */
void kx_cli_list_interfaces(FILE *out);

/* dry-run.c: print what the recorder saw. */
void kx_cli_print_record(FILE *out, const struct kx_ctx *ctx);

/* requests.c: the options as the libraries' requests. */
void kx_cli_cmdline_req(const struct kx_opts *o, struct kx_cmdline_req *r);
/*
 * @cmdline: the built command line; @expect_tdx: this machine is a TDX host;
 * @explicit_policy: the policy wants TDX checks only with --tdx-disable.
 */
void kx_cli_load_req(const struct kx_opts *o, const char *cmdline, bool expect_tdx,
		     bool explicit_policy, struct kx_load_req *r);

/* journal.c: the audit trail (message IDs in dist/kexec-tdx.catalog). */
enum kx_audit {
	KX_AUDIT_REFUSED,		/* a load or exec refused: TDX no-go */
	KX_AUDIT_FORCED,		/* --tdx-force overrode a no-go */
	KX_AUDIT_SYSROOT_LOAD,		/* a real load checked against --tdx-sysroot facts */
	KX_AUDIT_UNCHECKED,		/* preflight = explicit let a load through unchecked */
	KX_AUDIT_REBOOT_ALLOWED,	/* the reboot check staged a kernel that passed */
	KX_AUDIT_REBOOT_REFUSED,	/* the reboot check left nothing staged */
	KX_AUDIT_UNLOAD_FAILED,		/* ... and could not unload what was staged */
	KX_AUDIT_VERIFY,		/* --tdx-verify's verdict in the new kernel */
	KX_AUDIT_PLANNED_MISSED,	/* the planned kexec did not happen */
};
/*
 * Send one entry: MESSAGE from @fmt, the kind's MESSAGE_ID and PRIORITY, and
 * @fields, a NULL-terminated list of key, value pairs (a NULL value is left
 * out).  Nothing when o->journal is NULL or there is no journal.
 */
void kx_cli_audit(const struct kx_opts *o, enum kx_audit what, const char *const *fields,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * The options that load what @s records again, for the reboot check:
 * everything from @o but the files, command line and loader options, and the
 * full TDX check of a load the reboot follows at once.
 */
struct kx_staged;
void kx_cli_opts_from_staged(const struct kx_opts *o, const struct kx_staged *s,
			     struct kx_opts *out);

/* tdx-commands.c */
/* What the TDX preflight decided, for the record of what was staged and the audit trail. */
struct kx_cli_tdx_outcome {
	char verdict[32];	/* "go", "warn", "no-go", "no-go (forced)" or "not checked" */
	char detail[256];	/* warn and no-go finding codes, or why it was not checked */
	char release[96];	/* the image's kernel release, "" when unknown */
};
/* --tdx-status [--json]: print the report; returns the exit code. */
int kx_cli_tdx_status(struct kx_ctx *ctx, const struct kx_opts *o);
/*
 * The preflight before a load (-l, -p, -f, default) or right before the
 * reboot of -e.  @cmdline is the new kernel's final command line (NULL for
 * -e).  Prints the findings that matter; returns 0 to go on, or the exit code
 * to stop with (KX_EXIT_TDX_NOGO, ...).
 */
int kx_cli_tdx_preflight(struct kx_ctx *ctx, const struct kx_opts *o, const char *cmdline,
			 bool before_exec, struct kx_cli_tdx_outcome *out);
/* --tdx-verify [--json], in the new kernel: returns the exit code (0, 5 or 4). */
int kx_cli_tdx_verify(struct kx_ctx *ctx, const struct kx_opts *o);
/* The kernel refused a load with EOPNOTSUPP: explain it from the TDX facts. */
void kx_cli_tdx_explain_refusal(struct kx_ctx *ctx, const struct kx_opts *o);
/*
 * Is this machine (ctx->root, never --tdx-sysroot) a TDX host (or one whose
 * TDX state cannot be read)?  Arms the purgatory gate; *@explicit_policy says
 * the policy wants TDX checks only with --tdx-disable.
 */
bool kx_cli_tdx_host(struct kx_ctx *ctx, bool *explicit_policy);

/* records.c */
/* After a load the kernel took: record it in o->run_dir (a warning if that fails). */
void kx_cli_staged_record(struct kx_ctx *ctx, const struct kx_opts *o,
			  const struct kx_load_req *req, bool file_syscall,
			  const struct kx_cli_tdx_outcome *tdx);
/* After an unload, or a failed load that left nothing loaded: forget the record. */
void kx_cli_staged_forget(struct kx_ctx *ctx, const struct kx_opts *o, bool crash);
/* --show-staged [--json] [-p]: returns the exit code. */
int kx_cli_show_staged(struct kx_ctx *ctx, const struct kx_opts *o);
/* Record what a kexec reboot check decided (o->state_dir), for --tdx-verify after it. */
void kx_cli_decision_record(struct kx_ctx *ctx, const struct kx_opts *o, bool allowed,
			    const char *image, const char *release, const char *reason);
/* The same for -e's re-check, naming the staged kernel from its record. */
void kx_cli_decision_exec(struct kx_ctx *ctx, const struct kx_opts *o, bool allowed,
			  const struct kx_cli_tdx_outcome *tdx);

/* actions.c: kexec-tools' main() in its order; returns the exit code. */
int kx_cli_run(struct kx_ctx *ctx, const struct kx_opts *o);
/*
 * The load of kx_cli_run() alone (-l/-p with @o's files), with its messages;
 * @tdx (may be NULL) gets what the TDX preflight decided.
 */
int kx_cli_load(struct kx_ctx *ctx, const struct kx_opts *o, struct kx_cli_tdx_outcome *tdx);
/* Unload the normal (or -p crash) image through either syscall, as -u does. */
int kx_cli_unload(struct kx_ctx *ctx, const struct kx_opts *o);

/* restage.c: --tdx-restage; returns the exit code. */
int kx_cli_tdx_restage(struct kx_ctx *ctx, const struct kx_opts *o);
