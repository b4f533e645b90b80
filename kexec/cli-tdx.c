// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until the TDX library lands. */
#include "config.h"

#include "cli.h"
#include "cli-tdx.h"
#include "options.h"

int kx_cli_tdx_status(struct kx_ctx *ctx, const struct kx_opts *o)
{
	kx_cli_err("--tdx-status is not supported yet");
	return KX_EXIT_UNSUPPORTED;
}

int kx_cli_tdx_preflight(struct kx_ctx *ctx, const struct kx_opts *o, const char *cmdline,
			 bool before_exec)
{
	kx_cli_err("--tdx-disable is not supported yet");
	return KX_EXIT_UNSUPPORTED;
}

void kx_cli_tdx_explain_refusal(struct kx_ctx *ctx, const struct kx_opts *o)
{
}
