/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The thin CLI: messages, usage and exit codes.  Only files named cli*.c print. */
#pragma once

#include <stdio.h>

struct kx_ctx;
struct kx_opts;

void kx_cli_usage(FILE *out);
void kx_cli_version(FILE *out);
/* "kexec: <msg>" on stderr. */
void kx_cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print ctx->err (or strerror(-err) when empty) after "kexec: <what>: ". */
void kx_cli_ctx_err(const struct kx_ctx *ctx, const char *what, int err);
/* The actions of kexec-tools' main(), in its order; returns the exit code. */
int kx_cli_run(struct kx_ctx *ctx, const struct kx_opts *o);
/* --dry-run: print what the recorder saw. */
void kx_cli_print_record(FILE *out, const struct kx_ctx *ctx);
/* A sentence for an errno from a load, with the likely cause and the fix. */
void kx_cli_explain_load_error(struct kx_ctx *ctx, const struct kx_opts *o, const char *call,
			       int err);
