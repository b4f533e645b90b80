// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>

#include "ctx.h"
#include "load.h"

int kx_load_classic(struct kx_ctx *ctx, const struct kx_opts *o, const char *cmdline)
{
	kx_clear_err(ctx);
	return kx_fail(ctx, -ENOSYS, "the kexec_load path is not built yet; use -s");
}
