// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TDX gate on the real CPU: read CR4 and the MSRs (a read that raises
 * #GP is caught and recorded, see entry.S), let tdx-gate-logic.c decide,
 * write the record, write back and invalidate the caches, and either return
 * (jump) or cold-reset.
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

static void print_reasons(struct kx_con *con, uint32_t reasons)
{
	unsigned int i;

	for (i = 0; i < 32; i++) {
		if (!((reasons >> i) & 1))
			continue;
		kx_con_puts(con, kx_tdx_gate_reason_fails(i) ? "  fail: " : "  warn: ");
		kx_con_puts(con, kx_tdx_gate_reason_text(i));
		kx_con_putc(con, '\n');
	}
}

static void print_verdict(struct kx_con *con, const struct kx_gate_result *res)
{
	kx_con_puts(con, "purgatory: TDX gate: ");
	kx_con_puts(con, kx_tdx_gate_verdict_name(res->verdict));
	kx_con_puts(con, " (reasons ");
	kx_con_hex(con, res->reasons, 1);
	kx_con_puts(con, ")\n");
	print_reasons(con, res->reasons);
}

void kx_gate_run(struct kx_con *con, const struct kx_gate_run *run)
{
	struct kx_tdx_gate_record *r;
	struct kx_gate_input in;
	struct kx_gate_result res;

	if (gate_mode == KX_TDX_GATE_MODE_OFF)
		return;
	kx_gate_read(&in, run->entry_cr4, rdmsr_safe, NULL);
	kx_gate_decide(&in, &res);
	print_verdict(con, &res);

	r = record(con);
	if (r) {
		kx_gate_fill_record(r, &in, &res);
		r->flags = run->flags | KX_GATE_F_WBINVD;
		r->verify_bytes = run->verify_bytes;
		r->verify_tsc = run->verify_tsc;
		r->gate_tsc = rdtsc();
	}
	/* Write back every dirty line (ours, the record, any left by the old
	 * kernel under a TDX KeyID) before the next kernel touches memory. */
	wbinvd();

	if (kx_gate_action(gate_mode, gate_expect_tdx, res.verdict) == KX_GATE_ACT_RESET) {
		kx_con_puts(con, "purgatory: TDX would not come back in the new kernel; "
			    "cold reset instead of the jump\n");
		kx_cold_reset();
	}
}
