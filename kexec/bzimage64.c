// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec_load plan for a bzImage64, in kexec-tools' order and windows
 * (kexec/arch/x86_64/kexec-bzImage64.c): purgatory and the boot parameters
 * high above 0x3000, the kernel high above max(1 MiB, pref_address) at its
 * alignment with room for init_size, the initrd high above 16 MiB.  A crash
 * kernel's come after the backup and elfcorehdr segments, inside the
 * reservation (kexec/crash-plan.c), with its own command line and memory map.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/bzimage.h"
#include "base/ctx.h"
#include "kexec/crash.h"
#include "kexec/image.h"
#include "kexec/load.h"
#include "kexec/plan.h"
#include "kexec/purgatory.h"
#include "freestanding/gate-record.h"
#include "kexec/zeropage.h"

#define MIN_PURGATORY_ADDR	0x3000UL
#define MIN_BOOTPARAM_ADDR	0x3000UL
#define MIN_KERNEL_ADDR		0x100000UL	/* 1 MiB */
#define MIN_INITRD_ADDR		0x1000000UL	/* 16 MiB, kexec-tools' INITRD_BASE */

struct bz64 {
	struct kx_bzimage bz;
	struct kx_purgatory *purg;
	struct kx_zeropage zp;
	uint64_t kernel_addr, initrd_addr;
	size_t purg_idx, zp_idx;
	char *crash_cmdline;		/* -p: the user's command line and elfcorehdr=, ... */
	enum kx_tdx_gate_mode gate;
	bool expect_tdx;
	/* the record's setup_data node, 8-byte aligned for kx_tdx_gate_node_init() */
	uint64_t gate_node[(KX_TDX_GATE_NODE_SIZE + 7) / 8];
};

/*
 * The purgatory's TDX gate checks, between the kernels, that the platform
 * can bring TDX up again, records what it found for the new kernel, and (in
 * ENFORCE mode on a TDX host) resets instead of jumping when the check fails.
 * A test build's hooks may run it in another mode.
 */
static void gate_mode(const struct kx_load_req *req, struct bz64 *b)
{
	b->gate = req->gate;
	b->expect_tdx = req->expect_tdx;
	if (req->hooks && req->hooks->gate_mode >= 0) {
		b->gate = (enum kx_tdx_gate_mode)req->hooks->gate_mode;
		b->expect_tdx |= b->gate == KX_TDX_GATE_MODE_ENFORCE;
	}
}

int kx_bzimage64_probe(struct kx_ctx *ctx, const char *name, const void *data, size_t size)
{
	struct kx_bzimage bz;

	return kx_bzimage_parse(ctx, name, data, size, &bz);
}

static int place(struct kx_classic *st, const struct kx_place *pl, uint64_t *addr)
{
	return kx_plan_place(st->ctx, &st->plan, st->map, st->mem_min, st->mem_max, pl, addr);
}

static int place_purgatory(struct kx_classic *st, struct bz64 *b)
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

static int place_kernel(struct kx_classic *st, struct bz64 *b)
{
	const struct kx_bzimage *bz = &b->bz;
	struct kx_place pl = {
		.what = "kernel",
		.buf = bz->data + bz->setup_size,
		.bufsz = bz->size - bz->setup_size,
		/* the kernel decompresses itself in place: it needs init_size */
		.memsz = bz->init_size,
		.align = bz->kernel_alignment,
		.min = bz->pref_address > MIN_KERNEL_ADDR ? bz->pref_address : MIN_KERNEL_ADDR,
		.max = UINT64_MAX,
		.top_down = true,
	};

	if (pl.memsz < pl.bufsz)
		pl.memsz = pl.bufsz;
	return place(st, &pl, &b->kernel_addr);
}

static int place_initrd(struct kx_classic *st, struct bz64 *b)
{
	struct kx_place pl = {
		.what = "initrd",
		.buf = st->initrd.data,
		.bufsz = st->initrd.size,
		.memsz = st->initrd.size,
		.min = MIN_INITRD_ADDR,
		.max = UINT64_MAX,
		.top_down = true,
	};

	if (st->initrd.fd < 0)
		return 0;
	return place(st, &pl, &b->initrd_addr);
}

/*
 * A crash kernel's zero page: its own command line (elfcorehdr=, ...) and
 * memory map (kexec/crash.h).
 */
static int prepare_crash_params(struct kx_classic *st, struct bz64 *b,
				const struct kx_setup_extra *gate)
{
	struct kx_load_req r = *st->req;
	int rc;

	rc = kx_crash_cmdline_for(st, st->req->cmdline, b->bz.cmdline_size,
				  b->bz.xloadflags & KX_XLF_EFI_KEXEC, &b->crash_cmdline);
	if (rc < 0)
		return rc;
	kx_dbg(st->ctx, "kdump: the crash kernel's command line: %s", b->crash_cmdline);
	r.cmdline = b->crash_cmdline;
	return kx_zp_prepare(st->ctx, &b->zp, &r, &b->bz, kx_crash_zeropage_map(st), gate,
			     b->gate != KX_TDX_GATE_MODE_OFF);
}

static int place_params(struct kx_classic *st, struct bz64 *b)
{
	struct kx_place pl = { .what = "zero page", .min = MIN_BOOTPARAM_ADDR, .max = UINT64_MAX,
			       .top_down = true };
	struct kx_setup_extra gate = { .type = KX_SETUP_TDX_GATE,
				       .len = sizeof(struct kx_tdx_gate_record) };
	uint64_t base;
	int rc;

	gate_mode(st->req, b);
	kx_tdx_gate_node_init(b->gate_node, 0, (uint8_t)b->gate, b->expect_tdx);
	gate.data = (const uint8_t *)b->gate_node + KX_SETUP_DATA_HDR;
	if (st->crash)
		rc = prepare_crash_params(st, b, &gate);
	else
		rc = kx_zp_prepare(st->ctx, &b->zp, st->req, &b->bz, st->map, &gate,
				   b->gate != KX_TDX_GATE_MODE_OFF);
	if (rc < 0)
		return rc;
	pl.buf = b->zp.buf;
	pl.bufsz = pl.memsz = b->zp.size;
	b->zp_idx = st->plan.nr;
	return place(st, &pl, &base);
}

static int configure_purgatory(struct kx_classic *st, struct bz64 *b)
{
	const struct kx_load_req *req = st->req;
	struct kx_purgatory_cfg cfg = {
		.kernel_entry = b->kernel_addr + 0x200,	/* startup_64 (boot.rst, 64-bit protocol) */
		.boot_params = b->zp.base,
		.skip_checks = req->no_checks,
		.on_mismatch = req->on_mismatch,
		.console = req->console,
		.gate = b->gate,
		.gate_expect_tdx = b->expect_tdx,
		.gate_record = b->gate != KX_TDX_GATE_MODE_OFF ? b->zp.base + b->zp.extra_off[0] : 0,
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
	       " (a TDX host: a reading certain to stop TDX resets instead of the jump)" : "");
	rc = kx_purgatory_configure(st->ctx, b->purg, &cfg, &st->plan, b->purg_idx);
	if (rc < 0)
		return rc;
	st->plan.entry = kx_purgatory_entry(b->purg);
	return 0;
}

int kx_bzimage64_load(struct kx_classic *st)
{
	struct bz64 *b = calloc(1, sizeof(*b));
	int rc;

	if (!b)
		return -ENOMEM;
	st->loader_data = b;
	rc = kx_bzimage_parse(st->ctx, st->req->kernel, st->kernel.data, st->kernel.size, &b->bz);
	if (!rc)
		rc = place_purgatory(st, b);
	if (!rc)
		rc = place_params(st, b);
	if (!rc)
		rc = place_kernel(st, b);
	if (!rc)
		rc = place_initrd(st, b);
	if (!rc)
		rc = kx_zp_finish(st->ctx, &b->zp, &b->bz, st->plan.seg[b->zp_idx].mem,
				  b->initrd_addr, st->initrd.fd >= 0 ? st->initrd.size : 0);
	if (!rc)
		rc = configure_purgatory(st, b);
	return rc;
}

void kx_bzimage64_cleanup(struct kx_classic *st)
{
	struct bz64 *b = st->loader_data;

	if (!b)
		return;
	kx_purgatory_free(b->purg);
	kx_zp_free(&b->zp);
	free(b->crash_cmdline);
	free(b);
	st->loader_data = NULL;
}
