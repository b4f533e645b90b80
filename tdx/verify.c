// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --tdx-verify: in the kernel a kexec started, confirm the handover worked.
 * Two sources: the record our purgatory's gate left in setup_data (what the
 * platform looked like between the kernels), and this kernel's own TDX
 * facts (did it bring the TDX module up from scratch).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tdx/tdx-internal.h"
#include "freestanding/gate-record.h"
#include "freestanding/gate-logic.h"

/* The class the purgatory gave @reason: from a v2 record, else this program's own. */
static int reason_class(const struct kx_tdx_gate_record *g, unsigned int reason)
{
	if (!kx_tdx_gate_record_has_v2(g))
		return kx_tdx_gate_reason_class(reason);
	if ((g->reasons_fail >> reason) & 1)
		return KX_GATE_CLASS_FAIL;
	if ((g->reasons_unconfirmed >> reason) & 1)
		return KX_GATE_CLASS_UNCONFIRMED;
	return KX_GATE_CLASS_WARN;
}

/* "reason; reason (meaning unconfirmed); ..." from the record's reason bits. */
static void reasons_text(const struct kx_tdx_gate_record *g, char *buf, size_t n)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 32 && used + 3 < n; i++) {
		if (!(g->reasons & (1u << i)))
			continue;
		used += (size_t)snprintf(buf + used, n - used, "%s%s%s", used ? "; " : "",
					 kx_tdx_gate_reason_text(i),
					 reason_class(g, i) == KX_GATE_CLASS_UNCONFIRMED ?
					 " (meaning unconfirmed)" : "");
	}
}

/*
 * The checks that gave an answer, and the ones the purgatory knew: from a v2
 * record, or worked out again from the registers a v1 record holds.
 */
static uint32_t checks_made(const struct kx_tdx_gate_record *g, uint32_t *known)
{
	struct kx_gate_input in;
	struct kx_gate_result res;
	unsigned int i;

	if (kx_tdx_gate_record_has_v2(g)) {
		*known = g->checks_known;
		return g->checks_made;
	}
	in.cr4 = g->cr4;
	in.msr_valid = g->msr_valid;
	in.msr_fault = g->msr_fault;
	for (i = 0; i < KX_GATE_NR_MSR; i++)
		in.msr[i] = g->msr[i];
	kx_gate_decide(&in, &res);
	*known = KX_GATE_C_KNOWN;
	return res.checks;
}

/* "A, B, C" of the checks in @bits; the KeyID check with the count read. */
static size_t checks_list(const struct kx_tdx_gate_record *g, uint32_t bits, char *buf, size_t n)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 32 && used + 3 < n; i++) {
		if (!(bits & (1u << i)))
			continue;
		used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "",
					 kx_tdx_gate_check_text(i));
		if (i == KX_GATE_C_KEYIDS && ((g->msr_valid >> KX_GATE_KEYID_PART) & 1) &&
		    used + 3 < n)
			used += (size_t)snprintf(buf + used, n - used, " (%llu)",
						 (unsigned long long)(g->msr[KX_GATE_KEYID_PART] >> 32));
	}
	return used;
}

/* gate-checks: exactly what the gate looked at, and what it did not. */
static void gate_scope(const struct kx_tdx_gate_record *g, struct tdx_report *r)
{
	uint32_t known, made = checks_made(g, &known);
	char cpu[64], done[200], missed[120];

	if (kx_tdx_gate_record_has_v2(g))
		snprintf(cpu, sizeof(cpu), "on the CPU with APIC ID %u", g->apic_id);
	else
		snprintf(cpu, sizeof(cpu), "on one CPU (a version-1 record does not say which)");
	checks_list(g, made, done, sizeof(done));
	checks_list(g, known & ~made, missed, sizeof(missed));
	tdx_report_add(r, "gate-checks", TDX_INFO, "The purgatory's TDX gate ran %s and checked "
		       "%s; not checked: %s%sthe TDX module itself and the other CPUs, which no "
		       "purgatory check reaches. The SEAMRR meanings are unconfirmed on TDX "
		       "hardware.", cpu, done[0] ? done : "nothing", missed, missed[0] ? "; " : "");
}

/*
 * The record's verdict; a version-1 purgatory also failed on SEAMRR readings
 * that are now unconfirmed, so its FAIL without a certain reason is a WARN.
 */
static uint8_t verdict(const struct kx_tdx_gate_record *g)
{
	unsigned int i;

	if (g->verdict != KX_TDX_GATE_FAIL || kx_tdx_gate_record_has_v2(g))
		return g->verdict;
	for (i = 0; i < 32; i++)
		if (((g->reasons >> i) & 1) && reason_class(g, i) == KX_GATE_CLASS_FAIL)
			return KX_TDX_GATE_FAIL;
	return KX_TDX_GATE_WARN;
}

static void gate_ran(const struct kx_tdx_gate_record *g, struct tdx_report *r)
{
	char why[400];

	reasons_text(g, why, sizeof(why));
	if (!g->expect_tdx)
		tdx_report_add(r, "gate-not-tdx", TDX_INFO, "Between the kernels the purgatory ran its "
			       "TDX gate; the kernel that loaded this one was not on a TDX host, so "
			       "nothing had to be handed over.");
	else if (verdict(g) == KX_TDX_GATE_PASS)
		tdx_report_add(r, "gate-pass", TDX_INFO, "Between the kernels the purgatory's TDX "
			       "gate found no problem in what it checked (see gate-checks). That is "
			       "not proof that TDX comes up: only this kernel can show that (below).");
	else if (verdict(g) == KX_TDX_GATE_WARN)
		tdx_finding_remedy(tdx_report_add(r, "gate-warn", TDX_WARN, "Between the kernels the "
			"purgatory's TDX gate found nothing certain to stop TDX, but: %s.", why),
			"See whether TDX came up in this kernel (below); a reading whose meaning is "
			"unconfirmed was never seen on TDX hardware, and a check not made says "
			"nothing either way.");
	else
		tdx_finding_remedy(tdx_report_add(r, "gate-fail", TDX_NOGO, "Between the kernels the "
			"purgatory's TDX gate found a state no kernel can bring TDX up from: %s.", why),
			"Cold-boot the machine to bring TDX back; check the BIOS TDX settings if it "
			"persists.");
	gate_scope(g, r);
}

static void digests(const struct kx_tdx_gate_record *g, struct tdx_report *r)
{
	if (g->flags & KX_GATE_F_CHECKS_SKIPPED)
		tdx_report_add(r, "digests-skipped", TDX_INFO, "The segment digests were not checked "
			       "(--no-checks).");
	else if ((g->flags & KX_GATE_F_VERIFIED) && (g->flags & KX_GATE_F_WBINVD_ENTRY))
		tdx_report_add(r, "digests-verified", TDX_INFO, "The purgatory wrote back and "
			       "invalidated the caches (WBINVD), then verified the SHA-256 digests of "
			       "%llu MiB of segments%s.", (unsigned long long)(g->verify_bytes >> 20),
			       (g->flags & KX_GATE_F_SHANI) ? " with SHA-NI" : "");
	else if (g->flags & KX_GATE_F_VERIFIED)
		tdx_report_add(r, "digests-verified", TDX_INFO, "The purgatory verified the SHA-256 "
			       "digests of %llu MiB of segments%s; it wrote back the caches only after "
			       "the check (an older purgatory).",
			       (unsigned long long)(g->verify_bytes >> 20),
			       (g->flags & KX_GATE_F_SHANI) ? " with SHA-NI" : "");
}

static void verify_gate(const struct kx_tdx_gate_record *g, struct tdx_report *r)
{
	if (!g) {
		tdx_report_add(r, "gate-absent", TDX_INFO, "This boot carries no kexec-tdx gate "
			       "record: it was not started by `kexec -c --tdx-disable` (kexec_file_load "
			       "uses the kernel's own purgatory), so nothing was recorded between the "
			       "kernels.");
		return;
	}
	if (g->state != KX_TDX_GATE_RAN) {
		tdx_finding_remedy(tdx_report_add(r, "gate-not-run", TDX_WARN, "The kexec-tdx gate "
			"record is still in the state the loader left it: the purgatory did not "
			"run its checks (the gate was off, or this boot did not come through our "
			"purgatory)."), "Load with `kexec -c --tdx-disable` to have the gate run.");
		return;
	}
	gate_ran(g, r);
	digests(g, r);
}

/* This kernel's side: is TDX up again? */
static void verify_tdx(const struct tdx_facts *f, const struct kx_tdx_gate_record *g,
		       struct tdx_report *r)
{
	bool expected = g && g->expect_tdx;
	enum tri host = tdx_host_enabled(f), up;
	char ev[200];

	if (host == NO && !expected) {
		tdx_report_add(r, "not-tdx-host", TDX_INFO, "TDX is not enabled on this machine: "
			       "there is nothing to bring back up.");
		return;
	}
	if (host == NO) {
		tdx_finding_remedy(tdx_report_add(r, "tdx-platform-lost", TDX_NOGO, "The kernel that "
			"loaded this one ran on a TDX host, but this kernel does not see TDX (no "
			"tdx_host_platform): it was built without CONFIG_INTEL_TDX_HOST, or its TDX "
			"detection failed (hibernation enabled, too few KeyIDs)."),
			"Boot a kernel with CONFIG_INTEL_TDX_HOST=y and nohibernate; see dmesg for "
			"'virt/tdx:' lines.");
		return;
	}
	up = tdx_module_initialized(f, ev, sizeof(ev));
	if (up == YES)
		tdx_report_add(r, "tdx-up", TDX_INFO, "TDX came back up in this kernel: %s.", ev);
	else if (up == NO)
		tdx_finding_remedy(tdx_report_add(r, "tdx-not-up", TDX_NOGO, "TDX did not come back "
			"up in this kernel: %s.", ev), "If the old kernel could not run TDH.SYS.DISABLE "
			"(no disable path, or a TDX module without it), only a cold boot brings TDX "
			"back; on kernels that initialise TDX when KVM loads, load kvm_intel with "
			"tdx=1 first.");
	else
		tdx_finding_remedy(tdx_report_add(r, "tdx-up-unknown", TDX_WARN, "Cannot tell "
			"whether TDX came back up in this kernel: %s.", ev), "Run as root (the kernel "
			"log and the tdx_host files need it), or load kvm_intel with tdx=1 and "
			"look for 'virt/tdx: TDX-Module initialized' in dmesg.");
}

void tdx_verify(const struct tdx_facts *f, const struct kx_tdx_gate_record *gate,
		struct tdx_report *r)
{
	memset(r, 0, sizeof(*r));
	r->mode.action = TDX_ACT_VERIFY;
	r->verdict = TDX_INFO;
	snprintf(r->root, sizeof(r->root), "%s", f->root[0] ? f->root : "/");
	r->recorded = f->recorded;
	verify_gate(gate, r);
	verify_tdx(f, gate, r);
}
