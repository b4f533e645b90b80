// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TDX gate's pure decision logic.  Sources for the bits:
 *  - IA32_FEATURE_CONTROL (0x3a): bit 0 lock, bit 2 VMX outside SMX
 *    (Intel SDM vol. 4, table 2-2);
 *  - IA32_MKTME_KEYID_PARTITIONING (0x87): bits 63:32 are the number of TDX
 *    private KeyIDs; Linux turns TDX off with fewer than 2
 *    (arch/x86/virt/vmx/tdx/tdx.c, tdx_init());
 *  - IA32_MTRRCAP (0xfe) bit 15 = SEAMRR supported; IA32_SEAMRR_PHYS_BASE
 *    (0x1400) bit 3 = configured; IA32_SEAMRR_PHYS_MASK (0x1401) bit 10 =
 *    locked, bit 11 = enabled (Intel's TDX host patches, 2021,
 *    arch/x86/kernel/cpu/seam.c; mainline no longer reads SEAMRR, so a
 *    SEAMRR read that faults only warns);
 *  - CR4.VMXE is bit 13; the old kernel clears it after VMXOFF.  Linux's
 *    relocate_kernel rewrites CR4 to PAE/LA57(/MCE) on the way here, and
 *    clearing VMXE in VMX operation raises #GP (SDM vol. 3C, "Restrictions
 *    on VMX Operation"), so a kernel that skipped VMXOFF dies before we
 *    run; the check is for other entry paths, and the raw value goes into
 *    the record either way.
 */
#include <linux/errno.h>

#include "freestanding/gate-logic.h"

static const uint32_t msr_index[KX_GATE_NR_MSR] = {
	[KX_GATE_FEATURE_CONTROL] = KX_MSR_FEATURE_CONTROL,
	[KX_GATE_KEYID_PART] = KX_MSR_KEYID_PARTITIONING,
	[KX_GATE_MTRRCAP] = KX_MSR_MTRRCAP,
	[KX_GATE_SEAMRR_BASE] = KX_MSR_SEAMRR_PHYS_BASE,
	[KX_GATE_SEAMRR_MASK] = KX_MSR_SEAMRR_PHYS_MASK,
};

struct reason_info {
	uint8_t fails;
	const char *text;
};

static const struct reason_info reasons[KX_GATE_R_NR] = {
	[KX_GATE_R_VMX_ON] = { 1, "CR4.VMXE is set: VMX is still on" },
	[KX_GATE_R_FC_UNREADABLE] = { 1, "IA32_FEATURE_CONTROL (0x3a) cannot be read" },
	[KX_GATE_R_FC_UNLOCKED] = { 1, "IA32_FEATURE_CONTROL is not locked" },
	[KX_GATE_R_FC_NO_VMX] = { 1, "IA32_FEATURE_CONTROL does not enable VMX outside SMX" },
	[KX_GATE_R_KEYID_UNREADABLE] = { 1, "IA32_MKTME_KEYID_PARTITIONING (0x87) cannot be read" },
	[KX_GATE_R_KEYID_NONE] = { 1, "no TDX private KeyIDs are partitioned" },
	[KX_GATE_R_KEYID_TOO_FEW] = { 1, "only one TDX private KeyID; TDX needs at least 2" },
	[KX_GATE_R_MTRRCAP_UNREADABLE] = { 0, "IA32_MTRRCAP (0xfe) cannot be read" },
	[KX_GATE_R_SEAMRR_UNREPORTED] = { 0, "IA32_MTRRCAP does not report SEAMRR" },
	[KX_GATE_R_SEAMRR_UNREADABLE] = { 0, "the SEAMRR MSRs (0x1400/0x1401) cannot be read" },
	[KX_GATE_R_SEAMRR_UNCONFIGURED] = { 1, "SEAMRR is not configured" },
	[KX_GATE_R_SEAMRR_DISABLED] = { 1, "SEAMRR is not enabled" },
	[KX_GATE_R_SEAMRR_UNLOCKED] = { 0, "SEAMRR is not locked" },
};

uint32_t kx_gate_msr_index(unsigned int reg)
{
	return reg < KX_GATE_NR_MSR ? msr_index[reg] : 0;
}

static int valid(const struct kx_gate_input *in, unsigned int reg)
{
	return (in->msr_valid >> reg) & 1;
}

int kx_gate_want_seamrr(const struct kx_gate_input *in)
{
	return valid(in, KX_GATE_MTRRCAP) && (in->msr[KX_GATE_MTRRCAP] & KX_MTRRCAP_SEAMRR);
}

static void read_reg(struct kx_gate_input *in, unsigned int reg, kx_gate_rdmsr_fn rdmsr,
		     void *arg)
{
	uint64_t v = 0;

	if (rdmsr(arg, msr_index[reg], &v)) {
		in->msr_fault |= 1u << reg;
		return;
	}
	in->msr[reg] = v;
	in->msr_valid |= 1u << reg;
}

void kx_gate_read(struct kx_gate_input *in, uint64_t cr4, kx_gate_rdmsr_fn rdmsr, void *arg)
{
	unsigned int i;

	in->cr4 = cr4;
	in->msr_valid = in->msr_fault = 0;
	for (i = 0; i < KX_GATE_NR_MSR; i++)
		in->msr[i] = 0;
	read_reg(in, KX_GATE_FEATURE_CONTROL, rdmsr, arg);
	read_reg(in, KX_GATE_KEYID_PART, rdmsr, arg);
	read_reg(in, KX_GATE_MTRRCAP, rdmsr, arg);
	if (kx_gate_want_seamrr(in)) {
		read_reg(in, KX_GATE_SEAMRR_BASE, rdmsr, arg);
		read_reg(in, KX_GATE_SEAMRR_MASK, rdmsr, arg);
	}
}

static uint32_t check_feature_control(const struct kx_gate_input *in)
{
	uint64_t fc = in->msr[KX_GATE_FEATURE_CONTROL];
	uint32_t r = 0;

	if (!valid(in, KX_GATE_FEATURE_CONTROL))
		return 1u << KX_GATE_R_FC_UNREADABLE;
	if (!(fc & KX_FC_LOCKED))
		r |= 1u << KX_GATE_R_FC_UNLOCKED;
	if (!(fc & KX_FC_VMX_OUTSIDE_SMX))
		r |= 1u << KX_GATE_R_FC_NO_VMX;
	return r;
}

static uint32_t check_keyids(const struct kx_gate_input *in)
{
	uint32_t tdx_keyids = (uint32_t)(in->msr[KX_GATE_KEYID_PART] >> 32);

	if (!valid(in, KX_GATE_KEYID_PART))
		return 1u << KX_GATE_R_KEYID_UNREADABLE;
	if (tdx_keyids == 0)
		return 1u << KX_GATE_R_KEYID_NONE;
	if (tdx_keyids == 1)
		return 1u << KX_GATE_R_KEYID_TOO_FEW;
	return 0;
}

static uint32_t check_seamrr(const struct kx_gate_input *in)
{
	uint64_t base = in->msr[KX_GATE_SEAMRR_BASE], mask = in->msr[KX_GATE_SEAMRR_MASK];
	uint32_t r = 0;

	if (!valid(in, KX_GATE_MTRRCAP))
		return 1u << KX_GATE_R_MTRRCAP_UNREADABLE;
	if (!kx_gate_want_seamrr(in))
		return 1u << KX_GATE_R_SEAMRR_UNREPORTED;
	if (!valid(in, KX_GATE_SEAMRR_BASE) || !valid(in, KX_GATE_SEAMRR_MASK))
		return 1u << KX_GATE_R_SEAMRR_UNREADABLE;
	if (!(base & KX_SEAMRR_BASE_CONFIGURED))
		r |= 1u << KX_GATE_R_SEAMRR_UNCONFIGURED;
	if (!(mask & KX_SEAMRR_MASK_ENABLED))
		r |= 1u << KX_GATE_R_SEAMRR_DISABLED;
	if (!(mask & KX_SEAMRR_MASK_LOCKED))
		r |= 1u << KX_GATE_R_SEAMRR_UNLOCKED;
	return r;
}

void kx_gate_decide(const struct kx_gate_input *in, struct kx_gate_result *out)
{
	uint32_t r = 0;
	unsigned int i;

	if (in->cr4 & KX_CR4_VMXE)
		r |= 1u << KX_GATE_R_VMX_ON;
	r |= check_feature_control(in);
	r |= check_keyids(in);
	r |= check_seamrr(in);

	out->reasons = r;
	out->verdict = r ? KX_TDX_GATE_WARN : KX_TDX_GATE_PASS;
	for (i = 0; i < KX_GATE_R_NR; i++)
		if (((r >> i) & 1) && reasons[i].fails)
			out->verdict = KX_TDX_GATE_FAIL;
}

enum kx_gate_action kx_gate_action(uint8_t mode, int expect_tdx, uint8_t verdict)
{
	if (mode == KX_TDX_GATE_MODE_ENFORCE && expect_tdx && verdict == KX_TDX_GATE_FAIL)
		return KX_GATE_ACT_RESET;
	return KX_GATE_ACT_JUMP;
}

int kx_tdx_gate_reason_fails(unsigned int reason)
{
	return reason < KX_GATE_R_NR && reasons[reason].fails;
}

const char *kx_tdx_gate_reason_text(unsigned int reason)
{
	return reason < KX_GATE_R_NR ? reasons[reason].text : "unknown reason";
}

const char *kx_tdx_gate_verdict_name(uint8_t verdict)
{
	switch (verdict) {
	case KX_TDX_GATE_PASS:
		return "pass";
	case KX_TDX_GATE_WARN:
		return "warn";
	case KX_TDX_GATE_FAIL:
		return "fail";
	default:
		return "unknown";
	}
}

int kx_tdx_gate_record_read(const void *data, uint64_t len, struct kx_tdx_gate_record *out)
{
	const uint8_t *p = data;
	uint8_t *o = (uint8_t *)out;
	unsigned int i;

	if (len < sizeof(*out))
		return -EBADMSG;
	for (i = 0; i < sizeof(*out); i++)
		o[i] = p[i];
	if (out->magic != KX_TDX_GATE_MAGIC || out->size < sizeof(*out) || out->size > len)
		return -EBADMSG;
	return out->version >= KX_TDX_GATE_VERSION ? 0 : -EPROTONOSUPPORT;
}

void kx_gate_fill_record(struct kx_tdx_gate_record *r, const struct kx_gate_input *in,
			 const struct kx_gate_result *res)
{
	unsigned int i;

	r->state = KX_TDX_GATE_RAN;
	r->verdict = res->verdict;
	r->reasons = res->reasons;
	r->msr_valid = in->msr_valid;
	r->msr_fault = in->msr_fault;
	r->cr4 = in->cr4;
	for (i = 0; i < KX_GATE_NR_MSR; i++)
		r->msr[i] = in->msr[i];
}
