// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kx_purgatory_configure(): fill every parameter of a relocated purgatory
 * (purgatory/params.h) from the loader's configuration and plan.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "kexec/digest.h"
#include "kexec/ops.h"
#include "freestanding/digest-table.h"
#include "freestanding/purgatory-abi.h"
#include "kexec/purgatory.h"
#include "freestanding/gate-record.h"

#define DEFAULT_SERIAL_BASE 0x3f8	/* COM1, kexec-tools' default for --serial */

enum param {
	P_ENTRY64_REGS,
	P_CONSOLE_SERIAL,
	P_SERIAL_BASE,
	P_SERIAL_BAUD,
	P_CONSOLE_VGA,
	P_RESET_VGA,
	P_SKIP_CHECKS,
	P_ON_MISMATCH,
	P_GATE_MODE,
	P_GATE_EXPECT_TDX,
	P_GATE_RECORD,
	P_DIGEST_TABLE,
	P_BACKUP_SRC_START,
	P_BACKUP_SRC_SIZE,
	P_BACKUP_START,
	P_NR,
};

/* Every symbol this file fills, with its size: the only names it uses. */
const struct kx_purgatory_param kx_purgatory_params[] = {
	[P_ENTRY64_REGS] = { "entry64_regs", sizeof(struct kx_entry_regs) },
	[P_CONSOLE_SERIAL] = { "console_serial", 1 },
	[P_SERIAL_BASE] = { "serial_base", 2 },
	[P_SERIAL_BAUD] = { "serial_baud", 4 },
	[P_CONSOLE_VGA] = { "console_vga", 1 },
	[P_RESET_VGA] = { "reset_vga", 1 },
	[P_SKIP_CHECKS] = { "skip_checks", 1 },
	[P_ON_MISMATCH] = { "on_mismatch", 1 },
	[P_GATE_MODE] = { "gate_mode", 1 },
	[P_GATE_EXPECT_TDX] = { "gate_expect_tdx", 1 },
	[P_GATE_RECORD] = { "gate_record", 8 },
	[P_DIGEST_TABLE] = { "digest_table", sizeof(struct kx_dtab) },
	[P_BACKUP_SRC_START] = { "backup_src_start", 8 },
	[P_BACKUP_SRC_SIZE] = { "backup_src_size", 8 },
	[P_BACKUP_START] = { "backup_start", 8 },
	[P_NR] = { NULL, 0 },
};

static int setp(struct kx_ctx *ctx, struct kx_purgatory *p, enum param i, const void *v)
{
	return kx_purgatory_set(ctx, p, kx_purgatory_params[i].name, v,
				kx_purgatory_params[i].size);
}

static int set8(struct kx_ctx *ctx, struct kx_purgatory *p, enum param i, uint8_t v)
{
	return setp(ctx, p, i, &v);
}

static int set_entry(struct kx_ctx *ctx, struct kx_purgatory *p,
		     const struct kx_purgatory_cfg *cfg)
{
	struct kx_entry_regs regs;
	uint64_t stack;
	int err;

	if (!cfg->kernel_entry || !cfg->boot_params)
		return kx_fail(ctx, -EINVAL, "purgatory: no kernel entry point or zero page");
	err = kx_purgatory_symaddr(ctx, p, "stack_end", &stack);
	if (err)
		return err;
	/* 64-bit boot protocol: %rsi = boot_params, %rbx = 0 (boot CPU); the
	 * rest is ours to choose, so zero. */
	memset(&regs, 0, sizeof(regs));
	regs.rip = cfg->kernel_entry;
	regs.rsi = cfg->boot_params;
	regs.rsp = stack;
	return setp(ctx, p, P_ENTRY64_REGS, &regs);
}

static int set_console(struct kx_ctx *ctx, struct kx_purgatory *p,
		       const struct kx_purgatory_cfg *cfg)
{
	uint16_t base = cfg->console.serial_base ? cfg->console.serial_base : DEFAULT_SERIAL_BASE;
	uint32_t baud = cfg->console.serial_baud;
	int err;

	if (baud && (baud > 115200 || 115200 % baud))
		return kx_fail(ctx, -EINVAL, "serial baud rate %u is not 115200 divided by a "
			       "whole number", baud);
	err = set8(ctx, p, P_CONSOLE_SERIAL, cfg->console.serial);
	if (!err)
		err = setp(ctx, p, P_SERIAL_BASE, &base);
	if (!err)
		err = setp(ctx, p, P_SERIAL_BAUD, &baud);
	if (!err)
		err = set8(ctx, p, P_CONSOLE_VGA, cfg->console.vga);
	if (!err)
		err = set8(ctx, p, P_RESET_VGA, cfg->console.reset_vga);
	return err;
}

/* The record must lie in a segment other than the purgatory's, already initialised. */
static int check_record(struct kx_ctx *ctx, const struct kx_plan *plan, size_t self,
			uint64_t rec)
{
	const size_t len = sizeof(struct kx_tdx_gate_record);
	size_t i;

	for (i = 0; i < plan->nr; i++) {
		const struct kx_plan_seg *s = &plan->seg[i];
		uint32_t magic;

		if (i == self || rec < s->mem || rec - s->mem + len > s->bufsz)
			continue;
		memcpy(&magic, (const uint8_t *)s->buf + (rec - s->mem), sizeof(magic));
		if (magic != KX_TDX_GATE_MAGIC)
			break;
		return 0;
	}
	return kx_fail(ctx, -EINVAL, "TDX gate record at %#llx is not an initialised record "
		       "inside a loaded segment (use kx_tdx_gate_node_init())",
		       (unsigned long long)rec);
}

static int set_gate(struct kx_ctx *ctx, struct kx_purgatory *p, const struct kx_purgatory_cfg *cfg,
		    const struct kx_plan *plan, size_t self)
{
	uint64_t rec = cfg->gate == KX_TDX_GATE_MODE_OFF ? 0 : cfg->gate_record;
	int err;

	if (cfg->gate > KX_TDX_GATE_MODE_ENFORCE)
		return kx_fail(ctx, -EINVAL, "unknown TDX gate mode %d", (int)cfg->gate);
	if (rec) {
		err = check_record(ctx, plan, self, rec);
		if (err)
			return err;
	}
	err = set8(ctx, p, P_GATE_MODE, (uint8_t)cfg->gate);
	if (!err)
		err = set8(ctx, p, P_GATE_EXPECT_TDX, cfg->gate_expect_tdx);
	if (!err)
		err = setp(ctx, p, P_GATE_RECORD, &rec);
	return err;
}

/* The backup destination must be a segment of its own size that is all zeros. */
static int set_backup(struct kx_ctx *ctx, struct kx_purgatory *p,
		      const struct kx_purgatory_cfg *cfg, const struct kx_plan *plan)
{
	uint64_t src = 0, size = 0, dst = 0;
	size_t i;
	int err;

	if (cfg->backup_dst && cfg->backup_size) {
		for (i = 0; i < plan->nr; i++)
			if (plan->seg[i].mem == cfg->backup_dst &&
			    plan->seg[i].memsz >= cfg->backup_size && !plan->seg[i].bufsz)
				break;
		if (i == plan->nr || cfg->backup_src + cfg->backup_size < cfg->backup_src)
			return kx_fail(ctx, -EINVAL, "kdump backup: no empty segment of %#llx bytes "
				       "at %#llx", (unsigned long long)cfg->backup_size,
				       (unsigned long long)cfg->backup_dst);
		src = cfg->backup_src;
		size = cfg->backup_size;
		dst = cfg->backup_dst;
	}
	err = setp(ctx, p, P_BACKUP_SRC_START, &src);
	if (!err)
		err = setp(ctx, p, P_BACKUP_SRC_SIZE, &size);
	if (!err)
		err = setp(ctx, p, P_BACKUP_START, &dst);
	return err;
}

/*
 * Test builds (struct kx_test_hooks): the gate's MSR reads fault.  QEMU's TCG
 * never raises #GP on rdmsr, so the hook replaces the rdmsr in kx_rdmsr_safe
 * (0f 32) with "mov %ecx, %ds" (8e d9), which with an MSR number in %ecx
 * loads an LDT selector with no LDT behind it and raises #GP at the same place.
 */
static int hook_gate_gp(struct kx_ctx *ctx, struct kx_purgatory *p)
{
	uint8_t *img = (uint8_t *)kx_purgatory_buf(p);
	uint64_t fn;
	int i;

	if (kx_purgatory_symaddr(ctx, p, "kx_rdmsr_safe", &fn))
		return -EINVAL;
	img += fn - kx_purgatory_base(p);
	for (i = 0; i < 16; i++) {
		if (img[i] != 0x0f || img[i + 1] != 0x32)
			continue;
		img[i] = 0x8e;
		img[i + 1] = 0xd9;
		kx_dbg(ctx, "test hook: every rdmsr of the gate raises #GP");
		return 0;
	}
	return kx_fail(ctx, -EINVAL, "test hook gate_gp: no rdmsr in kx_rdmsr_safe");
}

/* Test builds: the table expects a byte inverted, as if memory changed after the load. */
static int hook_corrupt(struct kx_ctx *ctx, struct kx_dtab *t, const struct kx_plan *plan,
			const struct kx_test_hooks *h)
{
	if (kx_digest_table_corrupt(t, plan, h->corrupt_seg, h->corrupt_off))
		return kx_fail(ctx, -EINVAL, "test hook corrupt: byte %#llx of segment %u is not "
			       "in a checked segment", (unsigned long long)h->corrupt_off,
			       h->corrupt_seg);
	kx_dbg(ctx, "test hook: digest of segment %u expects byte %#llx inverted",
	       h->corrupt_seg, (unsigned long long)h->corrupt_off);
	return 0;
}

/* @plan without the segment at cfg->unhashed; *self follows the purgatory. */
static int hashed_plan(struct kx_ctx *ctx, const struct kx_purgatory_cfg *cfg,
		       const struct kx_plan *plan, struct kx_plan *out, size_t *self)
{
	size_t i, purg = *self;

	*out = *plan;
	out->nr = 0;
	for (i = 0; i < plan->nr; i++) {
		if (plan->seg[i].mem == cfg->unhashed)
			continue;
		if (i == purg)
			*self = out->nr;
		out->seg[out->nr++] = plan->seg[i];
	}
	if (out->nr == plan->nr || purg >= plan->nr || plan->seg[purg].mem == cfg->unhashed)
		return kx_fail(ctx, -EINVAL, "the segment to leave out of the digests (at %#llx) "
			       "is not one of the plan's other segments",
			       (unsigned long long)cfg->unhashed);
	return 0;
}

static int set_digests(struct kx_ctx *ctx, struct kx_purgatory *p,
		       const struct kx_purgatory_cfg *cfg, const struct kx_plan *plan, size_t self)
{
	struct kx_dtab *t = calloc(1, sizeof(*t));
	struct kx_plan *hp = NULL;
	int err = 0;

	if (!t)
		return kx_fail(ctx, -ENOMEM, "out of memory");
	if (cfg->unhashed && !cfg->skip_checks) {
		hp = malloc(sizeof(*hp));
		err = hp ? hashed_plan(ctx, cfg, plan, hp, &self) : -ENOMEM;
		plan = hp;
	}
	if (!err)
		err = cfg->skip_checks ? 0 : kx_digest_table_build(ctx, plan, self, 0, t, NULL);
	if (!err && !cfg->skip_checks && cfg->hooks && cfg->hooks->corrupt)
		err = hook_corrupt(ctx, t, plan, cfg->hooks);
	if (!err && cfg->hooks && cfg->hooks->gate_gp)
		err = hook_gate_gp(ctx, p);
	if (!err)
		err = setp(ctx, p, P_DIGEST_TABLE, t);
	if (!err)
		err = set8(ctx, p, P_SKIP_CHECKS, cfg->skip_checks);
	free(hp);
	free(t);
	return err;
}

/* What the purgatory does on a digest mismatch (freestanding/purgatory-abi.h). */
static int set_mismatch(struct kx_ctx *ctx, struct kx_purgatory *p,
			const struct kx_purgatory_cfg *cfg)
{
	if (cfg->on_mismatch != KX_MISMATCH_RESET && cfg->on_mismatch != KX_MISMATCH_HALT)
		return kx_fail(ctx, -EINVAL, "unknown digest mismatch action %d",
			       (int)cfg->on_mismatch);
	kx_dbg(ctx, "purgatory: on a digest mismatch: %s",
	       cfg->on_mismatch == KX_MISMATCH_HALT ? "halt" : "cold reset through firmware");
	return set8(ctx, p, P_ON_MISMATCH, (uint8_t)cfg->on_mismatch);
}

int kx_purgatory_configure(struct kx_ctx *ctx, struct kx_purgatory *p,
			   const struct kx_purgatory_cfg *cfg, const struct kx_plan *plan,
			   size_t self)
{
	int err;

	if (!kx_purgatory_buf(p))
		return kx_fail(ctx, -EINVAL, "the purgatory is not relocated yet");
	if (self >= plan->nr || plan->seg[self].mem != kx_purgatory_base(p))
		return kx_fail(ctx, -EINVAL, "plan segment %zu is not the purgatory", self);
	err = set_entry(ctx, p, cfg);
	if (!err)
		err = set_console(ctx, p, cfg);
	if (!err)
		err = set_mismatch(ctx, p, cfg);
	if (!err)
		err = set_digests(ctx, p, cfg, plan, self);
	if (!err)
		err = set_gate(ctx, p, cfg, plan, self);
	if (!err)
		err = set_backup(ctx, p, cfg, plan);
	return err;
}
