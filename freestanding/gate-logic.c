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
 *    arch/x86/kernel/cpu/seam.c).  Mainline never reads SEAMRR and these
 *    meanings were never seen on TDX hardware here, so every SEAMRR reading
 *    is "unconfirmed": recorded and printed, never a reason to reset;
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
	uint8_t cls;		/* enum kx_gate_class */
	const char *text;
};

/*
 * FAIL only for readings that are certain to stop TDX in the new kernel:
 *  - CR4.VMXE set: VMX was not left, and the new kernel's VMXON needs it off;
 *  - IA32_FEATURE_CONTROL unreadable: the new kernel's init_ia32_feat_ctl()
 *    (arch/x86/kernel/cpu/feat_ctl.c) reads it with rdmsrq_safe() and clears
 *    VMX when that faults; locked without VMX outside SMX: VMXON raises #GP
 *    (SDM vol. 3C, "Enabling and Entering VMX Operation") and the lock holds
 *    until a power-up reset; unlocked: Linux locks it at boot on every Intel
 *    CPU (init_ia32_feat_ctl()) and only a power-up reset clears the lock, so
 *    after a kernel that ran TDX this means the platform was reset and the
 *    BIOS's TDX setup went with it;
 *  - the KeyID MSR unreadable, or fewer than 2 TDX KeyIDs: the new kernel's
 *    record_keyid_partitioning() (arch/x86/virt/vmx/tdx/tdx.c) makes the same
 *    read and leaves TDX off when it faults or finds none; one KeyID is
 *    taken as the global one, leaving none for guests.
 * WARN for a check that could not be made; UNCONFIRMED for the SEAMRR readings.
 */
static const struct reason_info reasons[KX_GATE_R_NR] = {
	[KX_GATE_R_VMX_ON] = { KX_GATE_CLASS_FAIL, "CR4.VMXE is set: VMX is still on" },
	[KX_GATE_R_FC_UNREADABLE] = { KX_GATE_CLASS_FAIL,
		"IA32_FEATURE_CONTROL (0x3a) cannot be read (Linux then turns VMX off)" },
	[KX_GATE_R_FC_UNLOCKED] = { KX_GATE_CLASS_FAIL,
		"IA32_FEATURE_CONTROL is not locked (Linux locks it at boot on Intel CPUs)" },
	[KX_GATE_R_FC_NO_VMX] = { KX_GATE_CLASS_FAIL,
		"IA32_FEATURE_CONTROL does not enable VMX outside SMX" },
	[KX_GATE_R_KEYID_UNREADABLE] = { KX_GATE_CLASS_FAIL,
		"IA32_MKTME_KEYID_PARTITIONING (0x87) cannot be read (Linux then leaves TDX off)" },
	[KX_GATE_R_KEYID_NONE] = { KX_GATE_CLASS_FAIL, "no TDX private KeyIDs are partitioned" },
	[KX_GATE_R_KEYID_TOO_FEW] = { KX_GATE_CLASS_FAIL,
		"only one TDX private KeyID; TDX needs at least 2" },
	[KX_GATE_R_MTRRCAP_UNREADABLE] = { KX_GATE_CLASS_WARN,
		"IA32_MTRRCAP (0xfe) cannot be read: SEAMRR not checked" },
	[KX_GATE_R_SEAMRR_UNREPORTED] = { KX_GATE_CLASS_UNCONFIRMED,
		"IA32_MTRRCAP bit 15 (SEAMRR supported) is clear" },
	[KX_GATE_R_SEAMRR_UNREADABLE] = { KX_GATE_CLASS_WARN,
		"the SEAMRR MSRs (0x1400/0x1401) cannot be read: SEAMRR not checked" },
	[KX_GATE_R_SEAMRR_UNCONFIGURED] = { KX_GATE_CLASS_UNCONFIRMED,
		"IA32_SEAMRR_PHYS_BASE bit 3 (configured) is clear" },
	[KX_GATE_R_SEAMRR_DISABLED] = { KX_GATE_CLASS_UNCONFIRMED,
		"IA32_SEAMRR_PHYS_MASK bit 11 (enabled) is clear" },
	[KX_GATE_R_SEAMRR_UNLOCKED] = { KX_GATE_CLASS_UNCONFIRMED,
		"IA32_SEAMRR_PHYS_MASK bit 10 (locked) is clear" },
};

static const char *const checks[KX_GATE_C_NR] = {
	[KX_GATE_C_VMXE] = "CR4.VMXE",
	[KX_GATE_C_FEATURE_CONTROL] = "IA32_FEATURE_CONTROL",
	[KX_GATE_C_KEYIDS] = "the TDX KeyID count",
	[KX_GATE_C_SEAMRR_CAP] = "SEAMRR support in IA32_MTRRCAP",
	[KX_GATE_C_SEAMRR] = "the SEAMRR registers",
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

/*
 * The checks that gave an answer.  A faulting FEATURE_CONTROL or KeyID read
 * is an answer (the new kernel's read faults too, see reasons[]); the SEAMRR
 * checks need their MSRs read.
 */
static uint32_t checks_made(const struct kx_gate_input *in)
{
	uint32_t c = 1u << KX_GATE_C_VMXE;

	if (valid(in, KX_GATE_FEATURE_CONTROL) || ((in->msr_fault >> KX_GATE_FEATURE_CONTROL) & 1))
		c |= 1u << KX_GATE_C_FEATURE_CONTROL;
	if (valid(in, KX_GATE_KEYID_PART) || ((in->msr_fault >> KX_GATE_KEYID_PART) & 1))
		c |= 1u << KX_GATE_C_KEYIDS;
	if (valid(in, KX_GATE_MTRRCAP))
		c |= 1u << KX_GATE_C_SEAMRR_CAP;
	if (valid(in, KX_GATE_SEAMRR_BASE) && valid(in, KX_GATE_SEAMRR_MASK))
		c |= 1u << KX_GATE_C_SEAMRR;
	return c;
}

void kx_gate_decide(const struct kx_gate_input *in, struct kx_gate_result *out)
{
	uint32_t r = 0;

	if (in->cr4 & KX_CR4_VMXE)
		r |= 1u << KX_GATE_R_VMX_ON;
	r |= check_feature_control(in);
	r |= check_keyids(in);
	r |= check_seamrr(in);

	out->reasons = r;
	out->checks = checks_made(in);
	out->verdict = r ? KX_TDX_GATE_WARN : KX_TDX_GATE_PASS;
	if (r & kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_FAIL))
		out->verdict = KX_TDX_GATE_FAIL;
}

enum kx_gate_action kx_gate_action(uint8_t mode, int expect_tdx, uint8_t verdict)
{
	if (mode == KX_TDX_GATE_MODE_ENFORCE && expect_tdx && verdict == KX_TDX_GATE_FAIL)
		return KX_GATE_ACT_RESET;
	return KX_GATE_ACT_JUMP;
}

int kx_tdx_gate_reason_class(unsigned int reason)
{
	return reason < KX_GATE_R_NR ? reasons[reason].cls : KX_GATE_CLASS_WARN;
}

int kx_tdx_gate_reason_fails(unsigned int reason)
{
	return reason < KX_GATE_R_NR && reasons[reason].cls == KX_GATE_CLASS_FAIL;
}

uint32_t kx_tdx_gate_reasons_of_class(int cls)
{
	uint32_t m = 0;
	unsigned int i;

	for (i = 0; i < KX_GATE_R_NR; i++)
		if (reasons[i].cls == cls)
			m |= 1u << i;
	return m;
}

const char *kx_tdx_gate_class_name(int cls)
{
	switch (cls) {
	case KX_GATE_CLASS_FAIL:
		return "fail";
	case KX_GATE_CLASS_UNCONFIRMED:
		return "unconfirmed";
	default:
		return "warn";
	}
}

const char *kx_tdx_gate_check_text(unsigned int check)
{
	return check < KX_GATE_C_NR ? checks[check] : "unknown check";
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
	uint32_t have;
	unsigned int i;

	if (len < KX_TDX_GATE_V1_SIZE)
		return -EBADMSG;
	for (i = 0; i < KX_TDX_GATE_V1_SIZE; i++)
		o[i] = p[i];
	if (out->magic != KX_TDX_GATE_MAGIC || out->size > len)
		return -EBADMSG;
	if (out->version == 0)
		return -EPROTONOSUPPORT;
	if (out->size < kx_tdx_gate_record_min_size(out->version))
		return -EBADMSG;
	/* the fields of the versions this reader knows, as far as the record has them */
	have = out->size < sizeof(*out) ? out->size : sizeof(*out);
	for (i = KX_TDX_GATE_V1_SIZE; i < sizeof(*out); i++)
		o[i] = i < have ? p[i] : 0;
	return 0;
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
	r->checks_known = KX_GATE_C_KNOWN;
	r->checks_made = res->checks;
	r->reasons_fail = kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_FAIL);
	r->reasons_unconfirmed = kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_UNCONFIRMED);
}
