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
#define C(x) (1u << KX_GATE_C_##x)
#define GP (~0ull)	/* in a row: this MSR raises #GP */
#define NA (~1ull)	/* in a row: must not be read */
#define ALLC KX_GATE_C_KNOWN
#define NO_SEAMRR (C(VMXE) | C(FEATURE_CONTROL) | C(KEYIDS) | C(SEAMRR_CAP))

struct row {
	const char *name;
	uint64_t cr4;
	uint64_t fc, keyid, mtrrcap, base, mask;
	uint8_t verdict;
	uint32_t reasons;
	uint32_t checks;	/* checks_made */
};

/* Values of a healthy TDX host: SPR-like MTRRCAP, 31 MKTME + 32 TDX KeyIDs. */
#define CR4_OK		0x3406f0ull
#define FC_OK		0x60005ull
#define KEYID_OK	(32ull << 32 | 31)
#define MTRRCAP_OK	0xd0aull | (1ull << 15)
#define BASE_OK		0x7f000008ull
#define MASK_OK		0xfffffe000c00ull

/*
 * Only readings certain to stop TDX in the new kernel fail; a check that
 * could not be made warns; the SEAMRR readings, whose meaning is not
 * confirmed on TDX hardware, are "unconfirmed" and warn too.
 */
static const struct row rows[] = {
	{ "healthy TDX host", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_PASS, 0, ALLC },
	{ "VMX left on", CR4_OK | (1ull << 13), FC_OK, KEYID_OK, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(VMX_ON), ALLC },
	{ "feature control unlocked", CR4_OK, 0x4, KEYID_OK, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(FC_UNLOCKED), ALLC },
	{ "VMX disabled by BIOS", CR4_OK, 0x1, KEYID_OK, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(FC_NO_VMX), ALLC },
	{ "neither", CR4_OK, 0, KEYID_OK, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(FC_UNLOCKED) | R(FC_NO_VMX), ALLC },
	{ "no TDX KeyIDs", CR4_OK, FC_OK, 63, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(KEYID_NONE), ALLC },
	{ "one TDX KeyID", CR4_OK, FC_OK, 1ull << 32 | 62, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(KEYID_TOO_FEW), ALLC },
	{ "two TDX KeyIDs", CR4_OK, FC_OK, 2ull << 32 | 61, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_PASS, 0, ALLC },
	{ "no MKTME MSR", CR4_OK, FC_OK, GP, MTRRCAP_OK, BASE_OK, MASK_OK,
	  KX_TDX_GATE_FAIL, R(KEYID_UNREADABLE), ALLC },
	{ "AMD-like", CR4_OK, GP, GP, 0x508, NA, NA,
	  KX_TDX_GATE_FAIL, R(FC_UNREADABLE) | R(KEYID_UNREADABLE) | R(SEAMRR_UNREPORTED),
	  NO_SEAMRR },
	{ "no SEAMRR in MTRRCAP", CR4_OK, FC_OK, KEYID_OK, 0xd0a, NA, NA,
	  KX_TDX_GATE_WARN, R(SEAMRR_UNREPORTED), NO_SEAMRR },
	{ "MTRRCAP faults", CR4_OK, FC_OK, KEYID_OK, GP, NA, NA,
	  KX_TDX_GATE_WARN, R(MTRRCAP_UNREADABLE), C(VMXE) | C(FEATURE_CONTROL) | C(KEYIDS) },
	{ "SEAMRR base faults", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, GP, MASK_OK,
	  KX_TDX_GATE_WARN, R(SEAMRR_UNREADABLE), NO_SEAMRR },
	{ "SEAMRR mask faults", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, BASE_OK, GP,
	  KX_TDX_GATE_WARN, R(SEAMRR_UNREADABLE), NO_SEAMRR },
	{ "SEAMRR not configured", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, 0x7f000000, MASK_OK,
	  KX_TDX_GATE_WARN, R(SEAMRR_UNCONFIGURED), ALLC },
	{ "SEAMRR disabled", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, BASE_OK, 0xfffffe000400ull,
	  KX_TDX_GATE_WARN, R(SEAMRR_DISABLED), ALLC },
	{ "SEAMRR unlocked", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, BASE_OK, 0xfffffe000800ull,
	  KX_TDX_GATE_WARN, R(SEAMRR_UNLOCKED), ALLC },
	{ "SEAMRR all off", CR4_OK, FC_OK, KEYID_OK, MTRRCAP_OK, 0, 0, KX_TDX_GATE_WARN,
	  R(SEAMRR_UNCONFIGURED) | R(SEAMRR_DISABLED) | R(SEAMRR_UNLOCKED), ALLC },
	{ "everything wrong", CR4_OK | (1ull << 13), 0, 0, MTRRCAP_OK, 0, 0, KX_TDX_GATE_FAIL,
	  R(VMX_ON) | R(FC_UNLOCKED) | R(FC_NO_VMX) | R(KEYID_NONE) | R(SEAMRR_UNCONFIGURED) |
	  R(SEAMRR_DISABLED) | R(SEAMRR_UNLOCKED), ALLC },
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
		if (res.checks != r->checks)
			fail_msg("%s: checks made %#x, want %#x", r->name, res.checks, r->checks);
	}
}

/*
 * Enforcing on a TDX host: only a row with a certain reason resets; the
 * unconfirmed SEAMRR readings and the checks that could not be made never
 * do on their own.
 */
static void test_enforce_rows(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct sim sim = { .row = r };
		struct kx_gate_input in;
		struct kx_gate_result res;
		int certain = (r->reasons & kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_FAIL)) != 0;

		kx_gate_read(&in, r->cr4, sim_rdmsr, &sim);
		kx_gate_decide(&in, &res);
		if (kx_gate_action(KX_TDX_GATE_MODE_ENFORCE, 1, res.verdict) !=
		    (certain ? KX_GATE_ACT_RESET : KX_GATE_ACT_JUMP))
			fail_msg("%s: %s", r->name, certain ? "did not reset" : "reset on a reading "
				 "that is not certain");
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

/* Every reason has a sentence and a class; the classes are the ones kexec(8) lists. */
static void test_reasons(void **state)
{
	const uint32_t fail = R(VMX_ON) | R(FC_UNREADABLE) | R(FC_UNLOCKED) | R(FC_NO_VMX) |
			      R(KEYID_UNREADABLE) | R(KEYID_NONE) | R(KEYID_TOO_FEW);
	const uint32_t unconfirmed = R(SEAMRR_UNREPORTED) | R(SEAMRR_UNCONFIGURED) |
				     R(SEAMRR_DISABLED) | R(SEAMRR_UNLOCKED);
	const uint32_t warn = R(MTRRCAP_UNREADABLE) | R(SEAMRR_UNREADABLE);
	unsigned int i;

	assert_int_equal(kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_FAIL), fail);
	assert_int_equal(kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_UNCONFIRMED), unconfirmed);
	assert_int_equal(kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_WARN), warn);
	assert_int_equal(fail | unconfirmed | warn, (1u << KX_GATE_R_NR) - 1);
	for (i = 0; i < KX_GATE_R_NR; i++) {
		assert_int_equal(kx_tdx_gate_reason_fails(i), (fail >> i) & 1);
		assert_string_equal(kx_tdx_gate_class_name(kx_tdx_gate_reason_class(i)),
				    (fail >> i) & 1 ? "fail" : (unconfirmed >> i) & 1 ?
				    "unconfirmed" : "warn");
	}
	for (i = 0; i < KX_GATE_C_NR; i++)
		assert_true(strlen(kx_tdx_gate_check_text(i)) > 5);
	assert_string_equal(kx_tdx_gate_check_text(KX_GATE_C_NR), "unknown check");

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
	assert_int_equal(sizeof(struct kx_tdx_gate_record), 192);
	assert_int_equal(KX_TDX_GATE_VERSION, 2);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, state), 0x08);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, verdict), 0x0b);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, reasons), 0x0c);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, flags), 0x18);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, cr4), 0x20);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, msr), 0x28);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, verify_bytes), 0x50);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, gate_tsc), 0x60);
	/* version 2 appends; version 1's fields stay where they were */
	assert_int_equal(offsetof(struct kx_tdx_gate_record, checks_known), KX_TDX_GATE_V1_SIZE);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, checks_made), 0x84);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, reasons_fail), 0x88);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, reasons_unconfirmed), 0x8c);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, apic_id), 0x90);
	assert_int_equal(offsetof(struct kx_tdx_gate_record, entry_wbinvd_tsc), 0x98);
	assert_int_equal(KX_TDX_GATE_NODE_SIZE, 16 + 192);
	assert_int_equal(kx_tdx_gate_record_min_size(0), 0);
	assert_int_equal(kx_tdx_gate_record_min_size(1), 128);
	assert_int_equal(kx_tdx_gate_record_min_size(2), 192);
	assert_int_equal(kx_tdx_gate_record_min_size(9), 192);
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
		192, 0, 0, 0,					/* len */
	};
	struct kx_gate_input in = { .cr4 = 0x20, .msr = { 5, 6, 7, 8, 9 },
				    .msr_valid = 0x1f, .msr_fault = 0 };
	struct kx_gate_result res = { .verdict = KX_TDX_GATE_WARN, .reasons = R(SEAMRR_UNLOCKED),
				      .checks = ALLC };

	memset(node, 0xee, sizeof(node));
	kx_tdx_gate_node_init(node, 0x1122334455667788ull, KX_TDX_GATE_MODE_ENFORCE, 1);
	assert_memory_equal(node, hdr, sizeof(hdr));
	assert_memory_equal(node + KX_SETUP_DATA_HDR, "KXTG", 4);
	assert_int_equal(r->version, KX_TDX_GATE_VERSION);
	assert_int_equal(r->size, 192);
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
	assert_int_equal(r->checks_known, KX_GATE_C_KNOWN);
	assert_int_equal(r->checks_made, ALLC);
	assert_int_equal(r->reasons_fail, kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_FAIL));
	assert_int_equal(r->reasons_unconfirmed,
			 kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_UNCONFIRMED));
	assert_int_equal(r->mode, KX_TDX_GATE_MODE_ENFORCE);	/* loader's fields kept */
	assert_memory_equal(node, hdr, sizeof(hdr));
}

/*
 * The growth rule: any version >= 1 is read by its first 128 bytes, the v2
 * fields only when version and size say they are there; short, truncated or
 * foreign records are refused.
 */
static void test_record_read(void **state)
{
	uint8_t node[KX_TDX_GATE_NODE_SIZE + 64];
	uint8_t *data = node + KX_SETUP_DATA_HDR;
	struct kx_tdx_gate_record out, *r = (void *)data;

	memset(node, 0, sizeof(node));
	kx_tdx_gate_node_init(node, 0, KX_TDX_GATE_MODE_RECORD, 0);
	r->verdict = KX_TDX_GATE_PASS;
	r->apic_id = 7;
	assert_int_equal(kx_tdx_gate_record_read(data, 192, &out), 0);	/* v2, 192 bytes */
	assert_int_equal(out.mode, KX_TDX_GATE_MODE_RECORD);
	assert_int_equal(out.verdict, KX_TDX_GATE_PASS);
	assert_int_equal(out.apic_id, 7);
	assert_true(kx_tdx_gate_record_has_v2(&out));
	assert_int_equal(kx_tdx_gate_record_read(data, 200, &out), 0);	/* node longer: fine */
	assert_int_equal(kx_tdx_gate_record_read(data, 191, &out), -EBADMSG);	/* truncated */
	assert_int_equal(kx_tdx_gate_record_read(data, 127, &out), -EBADMSG);	/* short */

	r->version = 1;						/* an older purgatory's */
	r->size = 128;
	memset(&out, 0x5a, sizeof(out));
	assert_int_equal(kx_tdx_gate_record_read(data, 128, &out), 0);
	assert_false(kx_tdx_gate_record_has_v2(&out));
	assert_int_equal(out.apic_id, 0);			/* not carried: zero */
	assert_int_equal(out.checks_known, 0);

	r->version = 9;						/* a later one that grew */
	r->size = 256;
	assert_int_equal(kx_tdx_gate_record_read(data, 256, &out), 0);
	assert_true(kx_tdx_gate_record_has_v2(&out));
	assert_int_equal(out.apic_id, 7);
	assert_int_equal(kx_tdx_gate_record_read(data, 192, &out), -EBADMSG);	/* truncated */
	r->size = 128;			/* v9 shorter than v2: sizes only grow, so corrupt */
	assert_int_equal(kx_tdx_gate_record_read(data, 128, &out), -EBADMSG);
	r->version = 2;
	r->size = 160;
	assert_int_equal(kx_tdx_gate_record_read(data, 192, &out), -EBADMSG);
	r->size = 100;						/* below v1 */
	r->version = 1;
	assert_int_equal(kx_tdx_gate_record_read(data, 128, &out), -EBADMSG);
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
		cmocka_unit_test(test_enforce_rows),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_record_layout),
		cmocka_unit_test(test_node_and_record),
		cmocka_unit_test(test_record_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
