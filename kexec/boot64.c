// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The parts of a kexec_load plan around a 64-bit Linux kernel, in
 * kexec-tools' order and windows (kexec/arch/x86_64/kexec-bzImage64.c):
 * purgatory and the boot parameters high above 0x3000, the initrd high
 * above 16 MiB; then the purgatory's parameters, digests last.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/bzimage.h"
#include "base/ctx.h"
#include "kexec/boot64.h"
#include "kexec/crash.h"
#include "kexec/image.h"
#include "kexec/load.h"
#include "kexec/plan.h"
#include "kexec/purgatory.h"

#define MIN_PURGATORY_ADDR	0x3000UL
#define MIN_BOOTPARAM_ADDR	0x3000UL
#define MIN_INITRD_ADDR		0x1000000UL	/* 16 MiB, kexec-tools' INITRD_BASE */

/*
 * The purgatory's TDX gate checks, between the kernels, that the platform
 * can bring TDX up again, records what it found for the new kernel, and (in
 * ENFORCE mode on a TDX host) resets instead of jumping when the check fails.
 * A test build's hooks may run it in another mode.
 */
static void gate_mode(const struct kx_load_req *req, struct kx_boot64 *b)
{
	b->gate = req->gate;
	b->expect_tdx = req->expect_tdx;
	if (req->hooks && req->hooks->gate_mode >= 0) {
		b->gate = (enum kx_tdx_gate_mode)req->hooks->gate_mode;
		b->expect_tdx |= b->gate == KX_TDX_GATE_MODE_ENFORCE;
	}
}

static int place(struct kx_classic *st, const struct kx_place *pl, uint64_t *addr)
{
	return kx_plan_place(st->ctx, &st->plan, st->map, st->mem_min, st->mem_max, pl, addr);
}

int kx_boot64_purgatory(struct kx_classic *st, struct kx_boot64 *b)
{
	struct kx_place pl = { .what = "purgatory", .min = MIN_PURGATORY_ADDR, .max = UINT64_MAX,
			       .top_down = true };
	uint64_t base;
	int rc;

	rc = kx_purgatory_new(st->ctx, kx_purgatory_blob, kx_purgatory_blob_size, &b->purg);
	if (rc < 0)
		return rc;
	kx_purgatory_size(b->purg, &pl.bufsz, &pl.memsz, &pl.align);
	b->purg_idx = st->plan.nr;
	rc = place(st, &pl, &base);
	if (rc < 0)
		return rc;
	rc = kx_purgatory_relocate(st->ctx, b->purg, base);
	if (rc < 0)
		return rc;
	st->plan.seg[b->purg_idx].buf = kx_purgatory_buf(b->purg);
	return 0;
}

/*
 * A crash kernel's zero page: its own command line (elfcorehdr=, ...) and
 * memory map (kexec/crash.h).
 */
static int prepare_crash_params(struct kx_classic *st, struct kx_boot64 *b,
				const struct kx_bzimage *bz, const struct kx_setup_extra *gate)
{
	struct kx_load_req r = *st->req;
	int rc;

	rc = kx_crash_cmdline_for(st, st->req->cmdline, bz->cmdline_size,
				  bz->xloadflags & KX_XLF_EFI_KEXEC, &b->crash_cmdline);
	if (rc < 0)
		return rc;
	kx_dbg(st->ctx, "kdump: the crash kernel's command line: %s", b->crash_cmdline);
	r.cmdline = b->crash_cmdline;
	return kx_zp_prepare(st->ctx, &b->zp, &r, bz, kx_crash_zeropage_map(st), gate,
			     b->gate != KX_TDX_GATE_MODE_OFF);
}

int kx_boot64_params(struct kx_classic *st, struct kx_boot64 *b, const struct kx_bzimage *bz,
		     uint64_t max)
{
	struct kx_place pl = { .what = "zero page", .min = MIN_BOOTPARAM_ADDR, .max = max,
			       .top_down = true };
	struct kx_setup_extra gate = { .type = KX_SETUP_TDX_GATE,
				       .len = sizeof(struct kx_tdx_gate_record) };
	uint64_t base;
	int rc;

	gate_mode(st->req, b);
	kx_tdx_gate_node_init(b->gate_node, 0, (uint8_t)b->gate, b->expect_tdx);
	gate.data = (const uint8_t *)b->gate_node + KX_SETUP_DATA_HDR;
	if (st->crash)
		rc = prepare_crash_params(st, b, bz, &gate);
	else
		rc = kx_zp_prepare(st->ctx, &b->zp, st->req, bz, st->map, &gate,
				   b->gate != KX_TDX_GATE_MODE_OFF);
	if (rc < 0)
		return rc;
	pl.buf = b->zp.buf;
	pl.bufsz = pl.memsz = b->zp.size;
	b->zp_idx = st->plan.nr;
	return place(st, &pl, &base);
}

int kx_boot64_initrd(struct kx_classic *st, struct kx_boot64 *b, const void *buf, size_t size,
		     uint64_t max)
{
	struct kx_place pl = {
		.what = "initrd",
		.buf = buf,
		.bufsz = size,
		.memsz = size,
		.min = MIN_INITRD_ADDR,
		.max = max,
		.top_down = true,
	};

	b->initrd_addr = b->initrd_size = 0;
	if (!buf)
		return 0;
	b->initrd_size = size;
	return place(st, &pl, &b->initrd_addr);
}

static int configure_purgatory(struct kx_classic *st, struct kx_boot64 *b, uint64_t entry)
{
	const struct kx_load_req *req = st->req;
	struct kx_purgatory_cfg cfg = {
		.kernel_entry = entry,
		.boot_params = b->zp.base,
		.skip_checks = req->no_checks,
		.on_mismatch = req->on_mismatch,
		.console = req->console,
		.gate = b->gate,
		.gate_expect_tdx = b->expect_tdx,
		.gate_record = b->gate != KX_TDX_GATE_MODE_OFF ?
			       b->zp.base + b->zp.extra_off[0] : 0,
		.hooks = req->hooks,
	};
	const struct kx_crash *c = st->crash;
	int rc;

	if (c) {
		cfg.backup_src = c->info.backup_src;
		cfg.backup_size = c->info.backup_size;
		cfg.backup_dst = c->segs.backup;
		/* --hotplug: the kernel rewrites the header after the load */
		cfg.unhashed = c->hotplug_size ? c->segs.hdr : 0;
	}
	kx_dbg(st->ctx, "purgatory: TDX gate %s%s", b->gate == KX_TDX_GATE_MODE_ENFORCE ? "enforce" :
	       b->gate == KX_TDX_GATE_MODE_RECORD ? "record" : "off",
	       b->expect_tdx && b->gate == KX_TDX_GATE_MODE_ENFORCE ?
	       " (a TDX host: a reading certain to stop TDX resets instead of the jump)" :
	       "");
	rc = kx_purgatory_configure(st->ctx, b->purg, &cfg, &st->plan, b->purg_idx);
	if (rc < 0)
		return rc;
	st->plan.entry = kx_purgatory_entry(b->purg);
	return 0;
}

int kx_boot64_finish(struct kx_classic *st, struct kx_boot64 *b, const struct kx_bzimage *bz,
		     uint64_t entry)
{
	int rc;

	rc = kx_zp_finish(st->ctx, &b->zp, bz, st->plan.seg[b->zp_idx].mem, b->initrd_addr,
			  b->initrd_size);
	if (rc < 0)
		return rc;
	return configure_purgatory(st, b, entry);
}

void kx_boot64_free(struct kx_boot64 *b)
{
	kx_purgatory_free(b->purg);
	b->purg = NULL;
	kx_zp_free(&b->zp);
	free(b->crash_cmdline);
	b->crash_cmdline = NULL;
}
