/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kexec program.  Its files, each using only the ones above it here:
 *   messages.c      everything printed about an error, text or JSON
 *   usage.c         --help and --version
 *   dry-run.c       --dry-run: the calls the recorder kept
 *   requests.c      options turned into the libraries' requests
 *   tdx-commands.c  --tdx-status, --tdx-verify, the preflight, TDX refusals
 *   actions.c       kexec-tools' sequence of actions
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

/* tdx-commands.c */
/* --tdx-status [--json]: print the report; returns the exit code. */
int kx_cli_tdx_status(struct kx_ctx *ctx, const struct kx_opts *o);
/*
 * The preflight before a load (-l, -p, -f, default) or right before the
 * reboot of -e.  @cmdline is the new kernel's final command line (NULL for
 * -e).  Prints the findings that matter; returns 0 to go on, or the exit code
 * to stop with (KX_EXIT_TDX_NOGO, ...).
 */
int kx_cli_tdx_preflight(struct kx_ctx *ctx, const struct kx_opts *o, const char *cmdline,
			 bool before_exec);
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

/* actions.c: kexec-tools' main() in its order; returns the exit code. */
int kx_cli_run(struct kx_ctx *ctx, const struct kx_opts *o);
