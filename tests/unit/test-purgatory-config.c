// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kx_purgatory_configure() on the real embedded purgatory: every parameter
 * lands in the image where the purgatory will read it, the digest table it
 * writes checks out against the segments with the purgatory's own
 * verification routine, and bad configurations are refused.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/ctx.h"
#include "freestanding/digest-verify.h"
#include "kexec/ops.h"
#include "freestanding/purgatory-abi.h"
#include "kexec/purgatory.h"
#include "freestanding/gate-record.h"

#define BASE 0x7e000000ull	/* where the purgatory "is"; never dereferenced */

struct fx {
	struct kx_ctx ctx;
	struct kx_purgatory *p;
	struct kx_plan plan;
	struct kx_purgatory_cfg cfg;
	uint8_t *kernel, *params;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	uint64_t bufsz, memsz, align;
	struct kx_plan_seg *s;
	size_t i;

	assert_non_null(f);
	assert_int_equal(kx_purgatory_new(&f->ctx, kx_purgatory_blob, kx_purgatory_blob_size,
					  &f->p), 0);
	kx_purgatory_size(f->p, &bufsz, &memsz, &align);
	assert_int_equal(kx_purgatory_relocate(&f->ctx, f->p, BASE), 0);
	f->kernel = calloc(1, 512 * 1024);
	f->params = calloc(1, 8192);
	assert_true(f->kernel && f->params);
	for (i = 0; i < 100000; i++)
		f->kernel[i] = (uint8_t)(i ^ (i >> 8));
	/* a gate node in the parameters segment, as the zero-page code will put it */
	kx_tdx_gate_node_init(f->params + 4096, 0, KX_TDX_GATE_MODE_RECORD, 1);

	s = &f->plan.seg[f->plan.nr++];
	*s = (struct kx_plan_seg){ "purgatory", kx_purgatory_buf(f->p), bufsz, BASE, memsz };
	s = &f->plan.seg[f->plan.nr++];
	*s = (struct kx_plan_seg){ "zero page", f->params, 8192, (uintptr_t)f->params, 8192 };
	s = &f->plan.seg[f->plan.nr++];
	*s = (struct kx_plan_seg){ "kernel", f->kernel, 100000, (uintptr_t)f->kernel, 512 * 1024 };

	f->cfg = (struct kx_purgatory_cfg){
		.kernel_entry = (uintptr_t)f->kernel + 0x200,
		.boot_params = (uintptr_t)f->params,
		.console = { .serial = true, .serial_base = 0x2f8, .serial_baud = 9600,
			     .vga = true, .reset_vga = true },
		.gate = KX_TDX_GATE_MODE_RECORD, .gate_expect_tdx = true,
		.gate_record = (uintptr_t)f->params + 4096 + KX_SETUP_DATA_HDR,
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	kx_purgatory_free(f->p);
	free(f->kernel);
	free(f->params);
	free(f);
	return 0;
}

#define GET(f, name, var) \
	assert_int_equal(kx_purgatory_get(&(f)->ctx, (f)->p, name, &(var), sizeof(var)), 0)

static void test_parameters(void **state)
{
	struct fx *f = *state;
	struct kx_entry_regs regs;
	uint8_t b, zero[sizeof(regs)];
	uint16_t port;
	uint32_t baud;
	uint64_t stack, rec;

	if (kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0))
		fail_msg("configure: %s", f->ctx.err);
	GET(f, "entry64_regs", regs);
	assert_int_equal(regs.rip, f->cfg.kernel_entry);
	assert_int_equal(regs.rsi, f->cfg.boot_params);
	assert_int_equal(kx_purgatory_symaddr(&f->ctx, f->p, "stack_end", &stack), 0);
	assert_int_equal(regs.rsp, stack);
	assert_true(stack > BASE && stack <= BASE + f->plan.seg[0].memsz);
	regs.rip = regs.rsi = regs.rsp = 0;
	memset(zero, 0, sizeof(zero));
	assert_memory_equal(&regs, zero, sizeof(regs));	/* rbx and the rest are 0 */

	GET(f, "console_serial", b);
	assert_int_equal(b, 1);
	GET(f, "serial_base", port);
	assert_int_equal(port, 0x2f8);
	GET(f, "serial_baud", baud);
	assert_int_equal(baud, 9600);
	GET(f, "console_vga", b);
	assert_int_equal(b, 1);
	GET(f, "reset_vga", b);
	assert_int_equal(b, 1);
	GET(f, "skip_checks", b);
	assert_int_equal(b, 0);
	GET(f, "on_mismatch", b);
	assert_int_equal(b, KX_MISMATCH_RESET);		/* the default */
	GET(f, "gate_mode", b);
	assert_int_equal(b, KX_TDX_GATE_MODE_RECORD);
	GET(f, "gate_expect_tdx", b);
	assert_int_equal(b, 1);
	GET(f, "gate_record", rec);
	assert_int_equal(rec, f->cfg.gate_record);
	assert_int_equal(kx_purgatory_entry(f->p) & 0xfff, kx_purgatory_entry(f->p) - BASE);
}

/* The mismatch policy lands in the purgatory; an unknown value is refused. */
static void test_on_mismatch(void **state)
{
	struct fx *f = *state;
	uint8_t b;

	f->cfg.on_mismatch = KX_MISMATCH_HALT;
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0), 0);
	GET(f, "on_mismatch", b);
	assert_int_equal(b, KX_MISMATCH_HALT);
	f->cfg.on_mismatch = KX_MISMATCH_RESET;
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0), 0);
	GET(f, "on_mismatch", b);
	assert_int_equal(b, KX_MISMATCH_RESET);
	f->cfg.on_mismatch = (enum kx_mismatch_action)7;
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0), -EINVAL);
	assert_non_null(strstr(f->ctx.err, "unknown digest mismatch action 7"));
}

/* What the purgatory will check is what was loaded: verify against the segments. */
static void test_digest_table(void **state)
{
	struct fx *f = *state;
	struct kx_dtab *t = malloc(sizeof(*t));
	struct kx_verify_stats st;

	assert_non_null(t);
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0), 0);
	assert_int_equal(kx_purgatory_get(&f->ctx, f->p, "digest_table", t, sizeof(*t)), 0);
	assert_int_equal(t->nseg, 2);
	assert_int_equal(t->total, 8192 + 512 * 1024);
	assert_int_equal(kx_verify_dtab(t, KX_SHA256_AUTO, NULL, NULL, &st), 0);
	f->kernel[300000] = 1;	/* the zero tail changes after loading */
	assert_int_equal(kx_verify_dtab(t, KX_SHA256_AUTO, NULL, NULL, &st), 1);
	free(t);
}

/*
 * kdump --hotplug: the kernel rewrites the elfcorehdr after the load, so that
 * segment is left out of the table; changing it does not stop the purgatory.
 */
static void test_unhashed(void **state)
{
	struct fx *f = *state;
	struct kx_dtab *t = malloc(sizeof(*t));
	struct kx_verify_stats st;

	assert_non_null(t);
	f->cfg.unhashed = (uintptr_t)f->params;
	if (kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0))
		fail_msg("configure: %s", f->ctx.err);
	assert_int_equal(kx_purgatory_get(&f->ctx, f->p, "digest_table", t, sizeof(*t)), 0);
	assert_int_equal(t->nseg, 1);
	assert_int_equal(t->seg[0].mem, (uintptr_t)f->kernel);
	assert_int_equal(t->total, 512 * 1024);
	f->params[100] ^= 0xff;		/* the kernel's rewrite */
	assert_int_equal(kx_verify_dtab(t, KX_SHA256_AUTO, NULL, NULL, &st), 0);
	f->kernel[10] ^= 0xff;		/* anything else still stops it */
	assert_int_equal(kx_verify_dtab(t, KX_SHA256_AUTO, NULL, NULL, &st), 1);
	f->cfg.unhashed = 0x1234000;	/* not a segment */
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0), -EINVAL);
	assert_non_null(strstr(f->ctx.err, "leave out of the digests"));
	f->cfg.unhashed = BASE;		/* the purgatory itself */
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0), -EINVAL);
	free(t);
}

static void test_skip_checks(void **state)
{
	struct fx *f = *state;
	struct kx_dtab *t = malloc(sizeof(*t));
	uint8_t b;

	assert_non_null(t);
	f->cfg.skip_checks = true;
	f->cfg.console.serial_base = 0;
	f->cfg.gate = KX_TDX_GATE_MODE_OFF;
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0), 0);
	GET(f, "skip_checks", b);
	assert_int_equal(b, 1);
	assert_int_equal(kx_purgatory_get(&f->ctx, f->p, "digest_table", t, sizeof(*t)), 0);
	assert_int_equal(t->magic, 0);
	{
		uint16_t port;
		uint64_t rec;

		GET(f, "serial_base", port);
		assert_int_equal(port, 0x3f8);
		GET(f, "gate_record", rec);	/* gate off: no record, whatever was passed */
		assert_int_equal(rec, 0);
	}
	free(t);
}

static void test_backup(void **state)
{
	struct fx *f = *state;
	uint8_t *dst = calloc(1, 0xa0000);
	uint64_t v;

	assert_non_null(dst);
	GET(f, "backup_start", v);
	assert_int_equal(v, 0);
	f->plan.seg[f->plan.nr++] = (struct kx_plan_seg){ "backup", NULL, 0, (uintptr_t)dst,
							  0xa0000 };
	f->cfg.backup_src = 0x1000;
	f->cfg.backup_size = 0x9f000;
	f->cfg.backup_dst = (uintptr_t)dst;
	if (kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0))
		fail_msg("configure: %s", f->ctx.err);
	GET(f, "backup_src_start", v);
	assert_int_equal(v, 0x1000);
	GET(f, "backup_src_size", v);
	assert_int_equal(v, 0x9f000);
	GET(f, "backup_start", v);
	assert_int_equal(v, (uintptr_t)dst);

	f->cfg.backup_dst = (uintptr_t)f->kernel;	/* a segment with data: refused */
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0), -EINVAL);
	assert_non_null(strstr(f->ctx.err, "kdump backup"));
	f->cfg.backup_dst = (uintptr_t)dst;
	f->cfg.backup_size = 0xa1000;			/* larger than the segment */
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0), -EINVAL);
	free(dst);
}

static void test_refused(void **state)
{
	struct fx *f = *state;
	struct kx_purgatory_cfg cfg = f->cfg;

	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &cfg, &f->plan, 1), -EINVAL);
	assert_non_null(strstr(f->ctx.err, "segment 1 is not the purgatory"));

	cfg.gate_record = (uintptr_t)f->params + 64;	/* no record there */
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &cfg, &f->plan, 0), -EINVAL);
	assert_non_null(strstr(f->ctx.err, "TDX gate record"));
	cfg.gate_record = BASE + 64;			/* inside the purgatory */
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &cfg, &f->plan, 0), -EINVAL);

	cfg = f->cfg;
	cfg.console.serial_baud = 7;
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &cfg, &f->plan, 0), -EINVAL);
	assert_non_null(strstr(f->ctx.err, "baud"));
	cfg = f->cfg;
	cfg.kernel_entry = 0;
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &cfg, &f->plan, 0), -EINVAL);
	cfg = f->cfg;
	cfg.gate = (enum kx_tdx_gate_mode)9;
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &cfg, &f->plan, 0), -EINVAL);

	/* not relocated */
	assert_int_equal(kx_purgatory_relocate(&f->ctx, f->p, 0x1001), -EINVAL);
	assert_int_equal(kx_purgatory_configure(&f->ctx, f->p, &f->cfg, &f->plan, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parameters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_on_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digest_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unhashed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
