// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --tdx-verify's report on the planned kexec: the previous boot's reboot
 * check left its decision in /var/lib/kexec-tdx/last-kexec (the CLI reads
 * it); this says whether this boot is that kexec, and if the kexec was
 * refused, why the machine came through the firmware instead.
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

static void allowed(const struct tdx_facts *f, const struct tdx_planned *p, struct tdx_report *r)
{
	enum tri same = same_kernel(f, p);

	if (same == YES)
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
