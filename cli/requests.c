// SPDX-License-Identifier: GPL-2.0-or-later
/* The one place the command-line options become the libraries' requests. */
#include "config.h"

#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "kexec/load.h"
#include "kexec/staged.h"

void kx_cli_cmdline_req(const struct kx_opts *o, struct kx_cmdline_req *r)
{
	memset(r, 0, sizeof(*r));
	r->reuse = o->reuse_cmdline;
	r->crash = o->crash;
	r->append = o->append;
}

void kx_cli_load_req(const struct kx_opts *o, const char *cmdline, bool expect_tdx,
		     bool explicit_policy, struct kx_load_req *r)
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
	r->mem_min = o->mem_min;
	r->mem_max = o->mem_max;
	r->no_checks = o->no_checks;
	r->on_mismatch = o->halt_on_mismatch ? KX_MISMATCH_HALT : KX_MISMATCH_RESET;
	r->noefi = o->noefi;
	r->reuse_video_type = o->reuse_video_type;
	r->console.serial = o->console_serial;
	r->console.vga = o->console_vga;
	r->console.reset_vga = o->reset_vga;
	r->console.serial_base = o->serial_base;
	r->console.serial_baud = o->serial_baud;
	r->pass_memmap_cmdline = o->pass_memmap_cmdline;
	r->hotplug = o->hotplug;
	/* On a TDX host (and with --tdx-disable anywhere) the purgatory checks
	 * that TDX can come back, and on a TDX host resets instead of jumping
	 * into a kernel that could not bring it up. */
	r->gate = o->tdx_disable || (expect_tdx && !explicit_policy) ? KX_TDX_GATE_MODE_ENFORCE :
									 KX_TDX_GATE_MODE_OFF;
	/* A kdump kernel does not bring TDX up: its gate only records, never
	 * resets (a reset would lose the dump). */
	if (o->crash && r->gate == KX_TDX_GATE_MODE_ENFORCE)
		r->gate = KX_TDX_GATE_MODE_RECORD;
	r->expect_tdx = expect_tdx && r->gate != KX_TDX_GATE_MODE_OFF;
	r->hooks = o->hooks;
}

void kx_cli_opts_from_staged(const struct kx_opts *o, const struct kx_staged *s,
			     struct kx_opts *out)
{
	*out = *o;
	out->load = out->has_opt_load = true;
	out->exec = out->shutdown = out->unload = out->crash = false;
	out->tdx_restage = false;
	out->kernel = s->image;
	out->initrd = s->initrd;
	out->append = s->cmdline;
	out->reuse_cmdline = false;
	out->syscall = s->file_syscall ? KX_SYSCALL_FILE : KX_SYSCALL_CLASSIC;
	out->type = s->type;
	out->mem_min = s->mem_min;
	out->mem_max = s->mem_max;
	out->no_checks = s->no_checks;
	out->halt_on_mismatch = s->halt_on_mismatch;
	out->noefi = s->noefi;
	out->reuse_video_type = s->reuse_video_type;
	out->no_cma = s->no_cma;
	out->force_dtb = s->force_dtb;
	out->console_serial = s->console.serial;
	out->console_vga = s->console.vga;
	out->reset_vga = s->console.reset_vga;
	out->serial_base = s->console.serial_base;
	out->serial_baud = s->console.serial_baud;
	out->loader_opt = NULL;
	/* the reboot follows: every finding counts, and --tdx-force does not apply */
	out->tdx_disable = true;
	out->tdx_force = false;
	out->reboot_follows = true;
}
