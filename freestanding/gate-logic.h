/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TDX gate's decisions, kept apart from the hardware access so that the
 * same file runs in the purgatory and in a host unit test fed simulated
 * register values.  Freestanding, no state.
 */
#pragma once

#include <stdint.h>

#include "freestanding/gate-record.h"

/* Architectural bits the gate looks at. */
#define KX_CR4_VMXE			(1ull << 13)
#define KX_FC_LOCKED			(1ull << 0)	/* IA32_FEATURE_CONTROL */
#define KX_FC_VMX_OUTSIDE_SMX		(1ull << 2)
#define KX_MTRRCAP_SEAMRR		(1ull << 15)
#define KX_SEAMRR_BASE_CONFIGURED	(1ull << 3)
#define KX_SEAMRR_MASK_LOCKED		(1ull << 10)
#define KX_SEAMRR_MASK_ENABLED		(1ull << 11)

#define KX_MSR_FEATURE_CONTROL		0x3a
#define KX_MSR_KEYID_PARTITIONING	0x87
#define KX_MSR_MTRRCAP			0xfe
#define KX_MSR_SEAMRR_PHYS_BASE		0x1400
#define KX_MSR_SEAMRR_PHYS_MASK		0x1401

/* What was read: CR4, and each MSR either read (valid), faulted, or not tried. */
struct kx_gate_input {
	uint64_t cr4;
	uint64_t msr[KX_GATE_NR_MSR];
	uint32_t msr_valid;	/* bit KX_GATE_*: msr[] holds the value read */
	uint32_t msr_fault;	/* bit KX_GATE_*: rdmsr raised #GP */
};

struct kx_gate_result {
	uint8_t verdict;	/* enum kx_tdx_gate_verdict */
	uint32_t reasons;	/* bits KX_GATE_R_* */
	uint32_t checks;	/* bits KX_GATE_C_*: the checks that gave an answer */
};

/* What a reason means for the jump. */
enum kx_gate_class {
	KX_GATE_CLASS_WARN = 0,		/* a check could not be made */
	KX_GATE_CLASS_FAIL = 1,		/* certain to stop TDX in the new kernel: may reset */
	KX_GATE_CLASS_UNCONFIRMED = 2,	/* a reading whose meaning is not confirmed */
};

enum kx_gate_action {
	KX_GATE_ACT_JUMP,	/* jump to the new kernel */
	KX_GATE_ACT_RESET,	/* print the reasons and cold-reset instead */
};

/* Reads MSR @msr into *val: 0, or -EIO when the read raised #GP. */
typedef int (*kx_gate_rdmsr_fn)(void *arg, uint32_t msr, uint64_t *val);

/*
 * Fill @in: CR4 as given, then IA32_FEATURE_CONTROL, the KeyID partitioning
 * and IA32_MTRRCAP, and the two SEAMRR MSRs only when IA32_MTRRCAP reports
 * SEAMRR.  The purgatory passes its #GP-safe rdmsr; the tests a simulation.
 */
void kx_gate_read(struct kx_gate_input *in, uint64_t cr4, kx_gate_rdmsr_fn rdmsr, void *arg);
/* MSR number of each KX_GATE_* index. */
uint32_t kx_gate_msr_index(unsigned int reg);
/* Whether the SEAMRR MSRs should be read: IA32_MTRRCAP was read and reports SEAMRR. */
int kx_gate_want_seamrr(const struct kx_gate_input *in);
/* The verdict and every reason, from what was read. */
void kx_gate_decide(const struct kx_gate_input *in, struct kx_gate_result *out);
/* What to do: reset only when enforcing on a TDX host and a certain reason was found. */
enum kx_gate_action kx_gate_action(uint8_t mode, int expect_tdx, uint8_t verdict);
/* enum kx_gate_class of @reason (WARN for a bit this version does not know). */
int kx_tdx_gate_reason_class(unsigned int reason);
/* 1 if @reason fails the gate, 0 if not. */
int kx_tdx_gate_reason_fails(unsigned int reason);
/* The reason bits of class @cls. */
uint32_t kx_tdx_gate_reasons_of_class(int cls);
/* "fail", "warn" or "unconfirmed". */
const char *kx_tdx_gate_class_name(int cls);
/* One line describing @reason; "unknown reason" for a bit this version does not know. */
const char *kx_tdx_gate_reason_text(unsigned int reason);
/* What check @check (KX_GATE_C_*) looks at; "unknown check" for one this version does not know. */
const char *kx_tdx_gate_check_text(unsigned int check);
/* Short name of a verdict ("pass", "warn", "fail", "unknown"). */
const char *kx_tdx_gate_verdict_name(uint8_t verdict);
/*
 * Check a record read back from /sys/kernel/boot_params/setup_data/N/data
 * (@len bytes) under the growth rule (gate-record.h) and copy to @out the
 * fields of every version this reader knows that the record has, zeroing the
 * others: 0; -EBADMSG if it is not a gate record or is cut short (fewer than
 * 128 bytes, another magic, a size field beyond @len, or smaller than its
 * version's least size, kx_tdx_gate_record_min_size()); -EPROTONOSUPPORT for
 * version 0.
 */
int kx_tdx_gate_record_read(const void *data, uint64_t len, struct kx_tdx_gate_record *out);
/* Whether @r (from kx_tdx_gate_record_read()) carries the version 2 fields. */
static inline int kx_tdx_gate_record_has_v2(const struct kx_tdx_gate_record *r)
{
	return r->version >= 2 && r->size >= KX_TDX_GATE_V2_SIZE;
}
/* Copy what was read and decided into the record (and the classes this code
 * applied) and mark it as run. */
void kx_gate_fill_record(struct kx_tdx_gate_record *r, const struct kx_gate_input *in,
			 const struct kx_gate_result *res);
