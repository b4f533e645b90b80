// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --tdx-verify's report on the planned kexec: the previous boot's reboot
 * check left its decision in /var/lib/kexec-tdx/last-kexec (the CLI reads
 * it); this says whether this boot is that kexec (by the nonce of the load
 * the check made, which the handover token on this kernel's command line
 * carries; else by the kernel release), and if the kexec was refused, why
 * the machine came through the firmware instead.
 */
#include "config.h"

#include <string.h>

#include "tdx/tdx.h"
#include "tdx/tdx-internal.h"

/* This kernel's release against the one that was to start: YES, NO or UNKNOWN. */
static enum tri same_kernel(const struct tdx_facts *f, const struct tdx_planned *p)
{
	if (!p->release[0] || f->release.f.state != TDX_KNOWN)
		return UNKNOWN;
	return strcmp(f->release.v, p->release) == 0 ? YES : NO;
}

/*
 * The nonce of the load the reboot check made against this kernel's handover
 * token: 1 this boot came from that load, 0 from another one (or none), -1
 * cannot be told (no nonce recorded, or a token that does not parse).
 */
static int same_load(const struct tdx_facts *f, const struct tdx_planned *p,
		     struct tdx_report *r)
{
	const char *image = p->image[0] ? p->image : "the staged kernel";

	if (!p->nonce[0] || f->token.f.state == TDX_UNREADABLE ||
	    f->token.f.state == TDX_NOT_READ)
		return -1;
	if (f->token.f.state == TDX_ABSENT) {
		tdx_finding_remedy(tdx_report_add(r, "planned-kexec-missing", TDX_WARN, "The "
			"reboot check allowed a kexec into %s at %s, but this kernel's command line "
			"has no handover token: this boot did not come from that load (the kexec "
			"failed, or the machine rebooted another way).", image, p->when),
			"Look at the previous boot's journal (journalctl -b -1) for why.");
		return 0;
	}
	if (strcmp(f->token.t.nonce, p->nonce) == 0)
		return 1;
	tdx_finding_remedy(tdx_report_add(r, "planned-kexec-other", TDX_WARN, "The reboot check "
		"allowed a kexec into %s at %s (load nonce %s), but this kernel's handover token "
		"carries nonce %s: another load started it.", image, p->when, p->nonce,
		f->token.t.nonce), "Something loaded a kernel after the reboot check; look at the "
		"previous boot's journal (journalctl -b -1) for what.");
	return 0;
}

static void allowed(const struct tdx_facts *f, const struct tdx_planned *p, struct tdx_report *r)
{
	int load = same_load(f, p, r);
	enum tri same = same_kernel(f, p);

	if (load == 1)
		tdx_report_add(r, "planned-kexec-done", TDX_INFO, "This boot is the kexec into %s "
			       "(%s) that the reboot check allowed at %s: %s. Its handover token "
			       "carries the nonce of the load the check made (%s).", p->image,
			       p->release[0] ? p->release : "release unknown", p->when, p->reason,
			       p->nonce);
	else if (load == 0)
		return;
	else if (same == YES)
		tdx_report_add(r, "planned-kexec-done", TDX_INFO, "This boot is the kexec into %s "
			       "(%s) that the reboot check allowed at %s: %s.", p->image, p->release,
			       p->when, p->reason);
	else if (same == NO)
		tdx_finding_remedy(tdx_report_add(r, "planned-kexec-missing", TDX_WARN, "The "
			"reboot check allowed a kexec into %s (%s) at %s, but this kernel is %s: "
			"the kexec did not take place (it failed, or the machine rebooted another "
			"way).", p->image, p->release, p->when, f->release.v),
			"Look at the previous boot's journal (journalctl -b -1) for why.");
	else
		tdx_report_add(r, "planned-kexec-allowed", TDX_INFO, "The reboot check allowed a "
			       "kexec into %s at %s (%s); which kernel this is cannot be compared.",
			       p->image, p->when, p->reason);
}

void tdx_verify_planned(const struct tdx_facts *f, const struct tdx_planned *p,
			struct tdx_report *r)
{
	const char *image = p->image[0] ? p->image : "the staged kernel";

	if (p->same_boot) {
		tdx_report_add(r, "planned-kexec-pending", TDX_INFO, "A kexec reboot into %s was "
			       "%s at %s in this boot (%s); it has not happened yet.", image,
			       p->allowed ? "allowed" : "refused", p->when, p->reason);
		return;
	}
	if (p->allowed) {
		allowed(f, p, r);
		return;
	}
	tdx_finding_remedy(tdx_report_add(r, "planned-kexec-refused", TDX_WARN, "The kexec reboot "
		"planned at %s into %s did not happen: %s. The machine rebooted through the "
		"firmware instead.", p->when, image, p->reason),
		"Fix what the reason names (kexec --tdx-status lists the findings), stage the "
		"kernel again and reboot; journalctl MESSAGE_ID=b77a112c92d64c809223c6d6e311d0c0 "
		"has the refusal.");
}
