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

/* "reason; reason; ..." from the record's reason bits. */
static void reasons_text(uint32_t bits, char *buf, size_t n)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < KX_GATE_R_NR && used + 3 < n; i++) {
		if (!(bits & (1u << i)))
			continue;
		used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? "; " : "",
					 kx_tdx_gate_reason_text(i));
	}
}

static void gate_ran(const struct kx_tdx_gate_record *g, struct tdx_report *r)
{
	unsigned long long keyids = g->msr[KX_GATE_KEYID_PART] >> 32;
	char why[480];

	reasons_text(g->reasons, why, sizeof(why));
	if (!g->expect_tdx) {
		tdx_report_add(r, "gate-not-tdx", TDX_INFO, "Between the kernels the purgatory ran its "
			       "TDX gate; the kernel that loaded this one was not on a TDX host, so "
			       "nothing had to be handed over.");
		return;
	}
	if (g->verdict == KX_TDX_GATE_PASS)
		tdx_report_add(r, "gate-pass", TDX_INFO, "Between the kernels the purgatory found VMX "
			       "off, IA32_FEATURE_CONTROL locked with VMX enabled, %llu TDX KeyIDs and "
			       "SEAMRR in place: the platform was ready for TDX bring-up.", keyids);
	else if (g->verdict == KX_TDX_GATE_WARN)
		tdx_finding_remedy(tdx_report_add(r, "gate-warn", TDX_WARN, "Between the kernels the "
			"purgatory's required checks passed but some could not be made: %s.", why),
			"See whether TDX came up (below); the missing checks are informational.");
	else
		tdx_finding_remedy(tdx_report_add(r, "gate-fail", TDX_NOGO, "Between the kernels the "
			"purgatory found the platform not ready for TDX: %s.", why),
			"Cold-boot the machine to bring TDX back; check the BIOS TDX settings if it "
			"persists.");
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
	if (g->flags & KX_GATE_F_CHECKS_SKIPPED)
		tdx_report_add(r, "digests-skipped", TDX_INFO, "The segment digests were not checked "
			       "(--no-checks).");
	else if (g->flags & KX_GATE_F_VERIFIED)
		tdx_report_add(r, "digests-verified", TDX_INFO, "The purgatory verified the SHA-256 "
			       "digests of %llu MiB of segments%s.",
			       (unsigned long long)(g->verify_bytes >> 20),
			       (g->flags & KX_GATE_F_SHANI) ? " with SHA-NI" : "");
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
