/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The CLI's TDX commands: the only place TDX reports are printed. */
#pragma once

#include <stdbool.h>

struct kx_ctx;
struct kx_opts;

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
