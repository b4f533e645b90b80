// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory's TDX gate logic (freestanding/gate-logic.c), fed with
 * simulated CR4 and MSR values, including MSRs whose read raises #GP: which
 * MSRs get read, the verdict and reasons, the action for each mode, and the
 * record and setup_data node layout.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "freestanding/gate-logic.h"

#define R(x) (1u << KX_GATE_R_##x)
#define GP (~0ull)	/* in a row: this MSR raises #GP */
#define NA (~1ull)	/* in a row: must not be read */

struct row {
	const char *name;
	uint64_t cr4;
	uint64_t fc, keyid, mtrrcap, base, mask;
	uint8_t verdict;
	uint32_t reasons;
};

/* Values of a healthy TDX host: SPR-like MTRRCAP, 31 MKTME + 32 TDX KeyIDs. */
#define CR4_OK		0x3406f0ull
#define FC_OK		0x60005ull
#define KEYID_OK	(32ull << 32 | 31)
#define MTRRCAP_OK	0xd0aull | (1ull << 15)
#define BASE_OK		0x7f000008ull
#define MASK_OK		0xfffffe000c00ull

static const struct row rows[] = {
	{ "healthy TDX host", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_PASS, 0 },
	{ "VMX left on", CR4_OK | (1ull << 13), FC_OK, KEYID_OK, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(VMX_ON) },
	{ "feature control unlocked", CR4_OK, 0x4, KEYID_OK, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(FC_UNLOCKED) },
	{ "VMX disabled by BIOS", CR4_OK, 0x1, KEYID_OK, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(FC_NO_VMX) },
	{ "neither", CR4_OK, 0, KEYID_OK, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(FC_UNLOCKED) | R(FC_NO_VMX) },
	{ "no TDX KeyIDs", CR4_OK, FC_OK, 63, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(KEYID_NONE) },
	{ "one TDX KeyID", CR4_OK, FC_OK, 1ull << 32 | 62, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(KEYID_TOO_FEW) },
	{ "two TDX KeyIDs", CR4_OK, FC_OK, 2ull << 32 | 61, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_PASS, 0 },
	{ "no MKTME MSR", CR4_OK, FC_OK, GP, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(KEYID_UNREADABLE) },
	{ "AMD-like", CR4_OK, GP, GP, 0x508, NA, NA,
	  KX_TDX_GATE_FAIL, R(FC_UNREADABLE) | R(KEYID_UNREADABLE) | R(SEAMRR_UNREPORTED) },
	{ "no SEAMRR in MTRRCAP", CR4_OK, FC_OK, KEYID_OK, 0xd0a, NA, NA,
	  KX_TDX_GATE_WARN, R(SEAMRR_UNREPORTED) },
	{ "MTRRCAP faults", CR4_OK, FC_OK, KEYID_OK, GP, NA, NA,
	  KX_TDX_GATE_WARN, R(MTRRCAP_UNREADABLE) },
	{ "SEAMRR base faults", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, GP, MASK_OK,
	  KX_TDX_GATE_WARN, R(SEAMRR_UNREADABLE) },
	{ "SEAMRR mask faults", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, BASE_OK, GP,
	  KX_TDX_GATE_WARN, R(SEAMRR_UNREADABLE) },
	{ "SEAMRR not configured", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, 0x7f000000, MASK_OK,
	  KX_TDX_GATE_FAIL, R(SEAMRR_UNCONFIGURED) },
	{ "SEAMRR disabled", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, BASE_OK, 0xfffffe000400ull,
	  KX_TDX_GATE_FAIL, R(SEAMRR_DISABLED) },
	{ "SEAMRR unlocked", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, BASE_OK, 0xfffffe000800ull,
	  KX_TDX_GATE_WARN, R(SEAMRR_UNLOCKED) },
	{ "everything wrong", CR4_OK | (1ull << 13), 0, 0, MTRRCAP_OK, 0, 0, KX_TDX_GATE_FAIL,
	  R(VMX_ON) | R(FC_UNLOCKED) | R(FC_NO_VMX) | R(KEYID_NONE) | R(SEAMRR_UNCONFIGURED) |
	  R(SEAMRR_DISABLED) | R(SEAMRR_UNLOCKED) },
};

/* The simulated CPU: the row being run, and which MSRs were read. */
struct sim {
	const struct row *row;
	uint32_t read[KX_GATE_NR_MSR];
};

static uint64_t row_value(const struct row *r, unsigned int reg)
{
	const uint64_t v[KX_GATE_NR_MSR] = { r->fc, r->keyid, r->mtrrcap, r->base, r->mask };

	return v[reg];
}

static int sim_rdmsr(void *arg, uint32_t msr, uint64_t *val)
{
	struct sim *current = arg;
	unsigned int reg;

	for (reg = 0; reg < KX_GATE_NR_MSR; reg++)
		if (kx_gate_msr_index(reg) == msr)
			break;
	if (reg == KX_GATE_NR_MSR)
		fail_msg("the gate read MSR %#x, which it has no business reading", msr);
	current->read[reg]++;
	if (row_value(current->row, reg) == GP || row_value(current->row, reg) == NA)
		return -EIO;
	*val = row_value(current->row, reg);
	return 0;
}

static void test_rows(void **state)
{
	size_t i;
	unsigned int reg;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct sim sim = { .row = r };
		struct kx_gate_input in;
		struct kx_gate_result res;

		memset(&in, 0x5a, sizeof(in));
		kx_gate_read(&in, r->cr4, sim_rdmsr, &sim);
		kx_gate_decide(&in, &res);
		for (reg = 0; reg < KX_GATE_NR_MSR; reg++) {
			uint64_t v = row_value(r, reg);

			if (v == NA && sim.read[reg])
				fail_msg("%s: read MSR %#x although MTRRCAP has no SEAMRR", r->name,
					 kx_gate_msr_index(reg));
			if (v != NA && sim.read[reg] != 1)
				fail_msg("%s: MSR %#x read %u times", r->name,
					 kx_gate_msr_index(reg), sim.read[reg]);
			assert_int_equal((in.msr_fault >> reg) & 1, v == GP);
			assert_int_equal((in.msr_valid >> reg) & 1, v != GP && v != NA);
			assert_int_equal(in.msr[reg], v == GP || v == NA ? 0 : v);
		}
		assert_int_equal(in.cr4, r->cr4);
		if (res.verdict != r->verdict || res.reasons != r->reasons)
			fail_msg("%s: verdict %s reasons %#x, want %s %#x", r->name,
				 kx_tdx_gate_verdict_name(res.verdict), res.reasons,
				 kx_tdx_gate_verdict_name(r->verdict), r->reasons);
	}
}

static void test_action(void **state)
{
	uint8_t mode, verdict;
	int expect;

	for (mode = KX_TDX_GATE_MODE_OFF; mode <= KX_TDX_GATE_MODE_ENFORCE; mode++)
		for (expect = 0; expect <= 1; expect++)
			for (verdict = KX_TDX_GATE_UNKNOWN; verdict <= KX_TDX_GATE_FAIL; verdict++)
				assert_int_equal(kx_gate_action(mode, expect, verdict),
						 mode == KX_TDX_GATE_MODE_ENFORCE && expect &&
						 verdict == KX_TDX_GATE_FAIL ?
						 KX_GATE_ACT_RESET : KX_GATE_ACT_JUMP);
}

/* Every reason has a sentence, and "fails" agrees with what the rows show. */
static void test_reasons(void **state)
{
	unsigned int i;

	for (i = 0; i < KX_GATE_R_NR; i++) {
		assert_true(strlen(kx_tdx_gate_reason_text(i)) > 10);
		assert_string_not_equal(kx_tdx_gate_reason_text(i), "unknown reason");
	}
	assert_string_equal(kx_tdx_gate_reason_text(KX_GATE_R_NR), "unknown reason");
	assert_string_equal(kx_tdx_gate_reason_text(31), "unknown reason");
	assert_false(kx_tdx_gate_reason_fails(31));
	assert_true(kx_tdx_gate_reason_fails(KX_GATE_R_VMX_ON));
	assert_false(kx_tdx_gate_reason_fails(KX_GATE_R_SEAMRR_UNREPORTED));
	assert_string_equal(kx_tdx_gate_verdict_name(KX_TDX_GATE_PASS), "pass");
	assert_string_equal(kx_tdx_gate_verdict_name(KX_TDX_GATE_WARN), "warn");
	assert_string_equal(kx_tdx_gate_verdict_name(KX_TDX_GATE_FAIL), "fail");
	assert_string_equal(kx_tdx_gate_verdict_name(77), "unknown");
	assert_int_equal(kx_gate_msr_index(KX_GATE_NR_MSR), 0);
}

/* The byte layout is an ABI with --tdx-verify and older/newer loaders. */
static void test_record_layout(void **state)
{
	assert_int_equal(sizeof(struct kx_tdx_gate_record), 128);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, state), 0x08);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, verdict), 0x0b);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, reasons), 0x0c);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, flags), 0x18);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, cr4), 0x20);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, msr), 0x28);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, verify_bytes), 0x50);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, gate_tsc), 0x60);
	assert_int_equal(KX_TDX_GATE_NODE_SIZE, 144);
	/* not a type the kernel knows (0..10), and not SETUP_INDIRECT (bit 31) */
	assert_true(KX_SETUP_TDX_GATE > 10 && !(KX_SETUP_TDX_GATE & 0x80000000u));
}

static void test_node_and_record(void **state)
{
	uint8_t node[KX_TDX_GATE_NODE_SIZE + 8];
	struct kx_tdx_gate_record *r = (void *)(node + KX_SETUP_DATA_HDR);
	static const uint8_t hdr[16] = {
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* next */
		0x47, 0x54, 0x58, 0x4b,				/* type 0x4b585447 */
		128, 0, 0, 0,					/* len */
	};
	struct kx_gate_input in = { .cr4 = 0x20, .msr = { 5, 6, 7, 8, 9 },
				    .msr_valid = 0x1f, .msr_fault = 0 };
	struct kx_gate_result res = { .verdict = KX_TDX_GATE_WARN, .reasons = R(SEAMRR_UNLOCKED) };

	memset(node, 0xee, sizeof(node));
	kx_tdx_gate_node_init(node, 0x1122334455667788ull, KX_TDX_GATE_MODE_ENFORCE, 1);
	assert_memory_equal(node, hdr, sizeof(hdr));
	assert_memory_equal(node + KX_SETUP_DATA_HDR, "KXTG", 4);
	assert_int_equal(r->version, KX_TDX_GATE_VERSION);
	assert_int_equal(r->size, 128);
	assert_int_equal(r->state, KX_TDX_GATE_NOT_RUN);
	assert_int_equal(r->mode, KX_TDX_GATE_MODE_ENFORCE);
	assert_int_equal(r->expect_tdx, 1);
	assert_int_equal(r->verdict, KX_TDX_GATE_UNKNOWN);
	assert_int_equal(r->cr4, 0);
	assert_int_equal(node[KX_TDX_GATE_NODE_SIZE], 0xee);	/* nothing written past it */

	kx_gate_fill_record(r, &in, &res);
	assert_int_equal(r->state, KX_TDX_GATE_RAN);
	assert_int_equal(r->verdict, KX_TDX_GATE_WARN);
	assert_int_equal(r->reasons, R(SEAMRR_UNLOCKED));
	assert_int_equal(r->msr_valid, 0x1f);
	assert_int_equal(r->cr4, 0x20);
	assert_int_equal(r->msr[KX_GATE_SEAMRR_MASK], 9);
	assert_int_equal(r->mode, KX_TDX_GATE_MODE_ENFORCE);	/* loader's fields kept */
	assert_memory_equal(node, hdr, sizeof(hdr));
}

static void test_record_read(void **state)
{
	uint8_t node[KX_TDX_GATE_NODE_SIZE + 64];
	uint8_t *data = node + KX_SETUP_DATA_HDR;
	struct kx_tdx_gate_record out, *r = (void *)data;

	kx_tdx_gate_node_init(node, 0, KX_TDX_GATE_MODE_RECORD, 0);
	r->verdict = KX_TDX_GATE_PASS;
	assert_int_equal(kx_tdx_gate_record_read(data, 128, &out), 0);
	assert_int_equal(out.mode, KX_TDX_GATE_MODE_RECORD);
	assert_int_equal(out.verdict, KX_TDX_GATE_PASS);
	assert_int_equal(kx_tdx_gate_record_read(data, 127, &out), -EBADMSG);	/* short */
	r->size = 192;							/* a v2 that grew */
	r->version = 2;
	assert_int_equal(kx_tdx_gate_record_read(data, 192, &out), 0);
	assert_int_equal(kx_tdx_gate_record_read(data, 128, &out), -EBADMSG);	/* truncated v2 */
	r->size = 128;
	r->version = 0;
	assert_int_equal(kx_tdx_gate_record_read(data, 128, &out), -EPROTONOSUPPORT);
	r->version = 1;
	r->magic ^= 0x100;
	assert_int_equal(kx_tdx_gate_record_read(data, 128, &out), -EBADMSG);	/* not ours */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_action),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_record_layout),
		cmocka_unit_test(test_node_and_record),
		cmocka_unit_test(test_record_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
