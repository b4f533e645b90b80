// SPDX-License-Identifier: GPL-2.0-or-later
/* The one place the command-line options become the libraries' requests. */
#include "config.h"

#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "kexec/load.h"

void kx_cli_cmdline_req(const struct kx_opts *o, struct kx_cmdline_req *r)
{
	memset(r, 0, sizeof(*r));
	r->reuse = o->reuse_cmdline;
	r->crash = o->crash;
	r->append = o->append;
	r->kernel = o->kernel;
	r->uki_profile = o->uki_profile;
}

void kx_cli_load_req(const struct kx_opts *o, const char *cmdline, bool expect_tdx,
		     struct kx_load_req *r)
{
	memset(r, 0, sizeof(*r));
	r->kernel = o->kernel;
	r->initrd = o->initrd;
	r->cmdline = cmdline;
	r->crash = o->crash;
	r->debug = o->debug;
	r->no_cma = o->no_cma;
	r->force_dtb = o->force_dtb;
	r->type = o->type;
	r->uki_profile = o->uki_profile;
	r->uki_profile_set = o->uki_profile_set;
	r->mem_min = o->mem_min;
	r->mem_max = o->mem_max;
	r->no_checks = o->no_checks;
	r->noefi = o->noefi;
	r->reuse_video_type = o->reuse_video_type;
	r->console.serial = o->console_serial;
	r->console.vga = o->console_vga;
	r->console.reset_vga = o->reset_vga;
	r->console.serial_base = o->serial_base;
	r->console.serial_baud = o->serial_baud;
	/* --tdx-disable: the purgatory checks that TDX can come back, and on a
	 * TDX host resets instead of jumping into a kernel that could not */
	r->gate = o->tdx_disable ? KX_TDX_GATE_MODE_ENFORCE : KX_TDX_GATE_MODE_OFF;
	r->expect_tdx = o->tdx_disable && expect_tdx;
	r->hooks = o->hooks;
}
