// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TDX gate on the real CPU: read CR4 and the MSRs (a read that raises
 * #GP is caught and recorded, see entry.S), let freestanding/gate-logic.c
 * decide, write the record, and either return (jump) or cold-reset.  It
 * checks this CPU only and never the TDX module; the console and the record
 * say what it checked and what not.  The caches were written back at entry
 * (purgatory.c, flush_at_entry()).
 */
#include "purgatory/cpu.h"
#include "freestanding/gate-logic.h"
#include "purgatory/params.h"
#include "purgatory/purgatory-internal.h"

static int rdmsr_safe(void *arg, uint32_t msr, uint64_t *val)
{
	return kx_rdmsr_safe(msr, val);
}

/* The loader's record, if it gave one and it still carries our magic. */
static struct kx_tdx_gate_record *record(struct kx_con *con)
{
	struct kx_tdx_gate_record *r = (struct kx_tdx_gate_record *)(uintptr_t)gate_record;

	if (!gate_record)
		return 0;
	if (r->magic != KX_TDX_GATE_MAGIC || r->version != KX_TDX_GATE_VERSION ||
	    r->size != sizeof(*r)) {
		kx_con_puts(con, "purgatory: TDX gate record at ");
		kx_con_hex(con, gate_record, 1);
		kx_con_puts(con, " has no valid header; not written\n");
		return 0;
	}
	return r;
}

/*
 * Initial APIC ID of this CPU: the x2APIC ID of CPUID leaf 0xb where that
 * leaf is valid (EBX[15:0] not 0), else CPUID.1:EBX[31:24] (SDM vol. 2A, CPUID).
 */
static uint32_t apic_id(void)
{
	uint32_t r[4];

	cpuid_leaf(0, 0, r);
	if (r[0] >= 0xb) {
		cpuid_leaf(0xb, 0, r);
		if (r[1] & 0xffff)
			return r[3];
	}
	cpuid_leaf(1, 0, r);
	return r[1] >> 24;
}

/* "  LABEL: check, check" for the checks in @bits; nothing when there are none. */
static void print_checks(struct kx_con *con, const char *label, uint32_t bits)
{
	const char *sep = "";
	unsigned int i;

	if (!bits)
		return;
	kx_con_puts(con, label);
	for (i = 0; i < KX_GATE_C_NR; i++) {
		if (!((bits >> i) & 1))
			continue;
		kx_con_puts(con, sep);
		kx_con_puts(con, kx_tdx_gate_check_text(i));
		sep = ", ";
	}
	kx_con_putc(con, '\n');
}

static void print_reasons(struct kx_con *con, uint32_t reasons)
{
	unsigned int i;

	for (i = 0; i < 32; i++) {
		if (!((reasons >> i) & 1))
			continue;
		kx_con_puts(con, "  ");
		kx_con_puts(con, kx_tdx_gate_class_name(kx_tdx_gate_reason_class(i)));
		kx_con_puts(con, ": ");
		kx_con_puts(con, kx_tdx_gate_reason_text(i));
		kx_con_putc(con, '\n');
	}
}

static void print_verdict(struct kx_con *con, const struct kx_gate_result *res, uint32_t cpu)
{
	kx_con_puts(con, "purgatory: TDX gate: ");
	kx_con_puts(con, kx_tdx_gate_verdict_name(res->verdict));
	kx_con_puts(con, " (reasons ");
	kx_con_hex(con, res->reasons, 1);
	kx_con_puts(con, ") on the CPU with APIC ID ");
	kx_con_dec(con, cpu);
	kx_con_putc(con, '\n');
	print_checks(con, "  checked: ", res->checks);
	print_checks(con, "  not checked: ", KX_GATE_C_KNOWN & ~res->checks);
	kx_con_puts(con, "  never checked here: the TDX module itself, the other CPUs; "
		    "the SEAMRR meanings are unconfirmed\n");
	print_reasons(con, res->reasons);
	if (res->verdict == KX_TDX_GATE_PASS)
		kx_con_puts(con, "  no check found a problem; only the new kernel can show "
			    "that TDX comes up\n");
}

void kx_gate_run(struct kx_con *con, const struct kx_gate_run *run)
{
	struct kx_tdx_gate_record *r;
	struct kx_gate_input in;
	struct kx_gate_result res;
	uint32_t cpu;

	if (gate_mode == KX_TDX_GATE_MODE_OFF)
		return;
	kx_gate_read(&in, run->entry_cr4, rdmsr_safe, NULL);
	kx_gate_decide(&in, &res);
	cpu = apic_id();
	print_verdict(con, &res, cpu);

	r = record(con);
	if (r) {
		kx_gate_fill_record(r, &in, &res);
		r->flags = run->flags;
		r->verify_bytes = run->verify_bytes;
		r->verify_tsc = run->verify_tsc;
		r->apic_id = cpu;
		r->entry_wbinvd_tsc = run->entry_wbinvd_tsc;
		r->gate_tsc = rdtsc();
	}

	if (kx_gate_action(gate_mode, gate_expect_tdx, res.verdict) == KX_GATE_ACT_RESET) {
		kx_con_puts(con, "purgatory: a reading above is certain to stop TDX in the new "
			    "kernel; cold reset instead of the jump\n");
		kx_con_drain(con);
		kx_cold_reset();
	}
}
