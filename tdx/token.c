// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --tdx-verify and the handover token (base/htoken.h): the word a kexec-tdx
 * load on a TDX host puts on the new kernel's command line, whichever
 * system call loaded it.  On the kexec_file_load path (Secure Boot, where
 * lockdown refuses kexec_load) the kernel runs its own purgatory and our
 * gate never does; the token is then all this kernel knows of what the
 * loading kernel saw.  A token is never trusted to say go: one that does not
 * parse is reported and its expectations are not used.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/htoken.h"
#include "base/iface.h"
#include "tdx/tdx-internal.h"

void tdx_read_token(struct tdx_ctx *t, struct tdx_facts *f)
{
	struct tdx_token *tk = &f->token;
	char *buf, why[160];
	const char *v;
	size_t n;
	unsigned int count;

	memset(tk, 0, sizeof(*tk));
	tdx_fact_init(&tk->f, kx_if(KX_IF_CMDLINE));
	/* fs/proc/cmdline.c prints saved_command_line and a newline */
	if (tdx_read_line(t, kx_if(KX_IF_CMDLINE), 1 << 16, &buf, &tk->f) < 0)
		return;
	count = kx_htoken_find(buf, &v, &n);
	if (count == 0) {
		tdx_fact_errno(&tk->f, -ENOENT);
	} else if (count > 1) {
		tdx_fact_malformed(&tk->f, "%u handover tokens (%s=); a kexec-tdx load writes one",
				   count, KX_HTOKEN_NAME);
	} else if (kx_htoken_parse(v, n, &tk->t, why, sizeof(why)) < 0) {
		tdx_fact_malformed(&tk->f, "the handover token %s=%.*s is malformed: %s",
				   KX_HTOKEN_NAME, (int)(n > 60 ? 60 : n), v, why);
	} else {
		tdx_copy_str(tk->v, sizeof(tk->v), v, n);
		tdx_fact_known(&tk->f);
	}
	free(buf);
}

bool tdx_token_valid(const struct tdx_facts *f)
{
	return f->token.f.state == TDX_KNOWN;
}

bool tdx_token_expects_tdx(const struct tdx_facts *f)
{
	return tdx_token_valid(f) && f->token.t.tdx == KX_HTOKEN_YES;
}

/* "go", "warn (live-tds ...)", ... */
static void verdict_text(const struct kx_htoken *t, char *buf, size_t n)
{
	static const char *const said[] = { "go", "warn", "no-go, overridden", "nothing: it did "
					    "not run" };

	snprintf(buf, n, "%s%s%s%s%s", said[t->verdict], t->codes[0] ? " (" : "", t->codes,
		 t->codes_cut ? " and more" : "", t->codes[0] ? ")" : "");
}

static void summary(const struct kx_htoken *t, struct tdx_report *r)
{
	static const char *const tdx[] = { "not enabled", "enabled",
					   "perhaps enabled (its state could not be read)" };
	static const char *const mce[] = { "absent", "present", "not known" };
	char pre[200], mod[48] = "";

	verdict_text(t, pre, sizeof(pre));
	if (t->have_module)
		snprintf(mod, sizeof(mod), ", TDX module %u.%u.%02u", t->major, t->minor, t->update);
	tdx_report_add(r, "token", TDX_INFO, "The kernel that loaded this one left what it expected "
		       "on this kernel's command line (%s=, load nonce %s): its TDX check said %s; "
		       "TDX was %s there%s; the TDX partial-write erratum (tdx_pw_mce) was %s.%s",
		       KX_HTOKEN_NAME, t->nonce, pre, tdx[t->tdx], mod, mce[t->pw_mce],
		       t->recorded ? " Those facts came from a recorded host tree "
		       "(--tdx-sysroot), not from the loading machine." : "");
}

/* The module this kernel brought up against the one the loading kernel saw. */
static void module_check(const struct tdx_facts *f, const struct kx_htoken *t,
			 struct tdx_report *r)
{
	const struct tdx_ver *now = &f->module_version;

	if (!t->have_module || now->f.state != TDX_KNOWN)
		return;
	if (now->major == t->major && now->minor == t->minor && now->update == t->update)
		return;
	tdx_finding_remedy(tdx_report_add(r, "token-module-changed", TDX_WARN, "The TDX module "
		"here is %u.%u.%02u, but the kernel that loaded this one saw %u.%u.%02u.",
		now->major, now->minor, now->update, t->major, t->minor, t->update),
		"A runtime module update between the load and the kexec, or since this boot, "
		"explains it (see fw_upload.status and the journal); otherwise this kernel was not "
		"started by the load that wrote the token.");
}

/*
 * The erratum is the CPU's, but Linux reports it only once its TDX
 * bring-up got far enough (check_tdx_erratum() in tdx_init(),
 * arch/x86/virt/vmx/tdx/tdx.c): compare only where this kernel enabled TDX.
 */
static void erratum_check(const struct tdx_facts *f, const struct kx_htoken *t,
			  struct tdx_report *r)
{
	if (t->pw_mce != KX_HTOKEN_YES || tri_of(&f->tdx_pw_mce) != NO)
		return;
	tdx_finding_remedy(tdx_report_add(r, "token-erratum-lost", TDX_WARN, "The kernel that "
		"loaded this one saw the TDX partial-write erratum (tdx_pw_mce) on this CPU; this "
		"kernel enabled TDX but does not report it, so it does not know the erratum: "
		"neither it nor kexec-tdx's check in it will guard a kexec from here against "
		"partial-write poison."), "Reboot through the firmware instead of a kexec from "
		"this kernel, or boot a kernel whose TDX host support detects the erratum.");
}

/* The loading kernel went ahead although its check said no-go. */
static void forced(const struct kx_htoken *t, struct tdx_report *r)
{
	if (t->verdict != KX_HTOKEN_FORCED)
		return;
	tdx_finding_remedy(tdx_report_add(r, "token-forced", TDX_WARN, "The kernel that loaded "
		"this one went ahead although its TDX check said no-go%s%s%s%s (--tdx-force, or "
		"facts from --tdx-sysroot).", t->codes[0] ? " (" : "", t->codes,
		t->codes_cut ? " and more" : "", t->codes[0] ? ")" : ""),
		"If TDX did not come back (below), only a cold boot brings it back; fix what the "
		"codes name before the next kexec.");
}

static void absent(const struct tdx_facts *f, const struct kx_tdx_gate_record *gate,
		   struct tdx_report *r)
{
	/* worth saying only where TDX is, or was */
	if (tdx_host_enabled(f) == NO && !(gate && gate->expect_tdx))
		return;
	tdx_report_add(r, "token-absent", TDX_INFO, "This kernel's command line (%s) has no "
		       "kexec-tdx handover token (%s=): it was not loaded by kexec-tdx on a TDX "
		       "host (or with --tdx-disable), so what the loading kernel expected is not "
		       "known here.", f->token.f.source, KX_HTOKEN_NAME);
}

void tdx_verify_token(const struct tdx_facts *f, const struct kx_tdx_gate_record *gate,
		      struct tdx_report *r)
{
	const struct tdx_token *tk = &f->token;

	if (tk->f.state == TDX_NOT_READ || tk->f.state == TDX_ABSENT) {
		absent(f, gate, r);
	} else if (tk->f.state == TDX_UNREADABLE && tk->f.err == EBADMSG) {
		tdx_finding_remedy(tdx_report_add(r, "token-malformed", TDX_WARN, "%s; what it "
			"says is not used.", tk->f.detail), "A kexec-tdx load writes exactly one "
			"well-formed token: this one was written by hand, by another version, or "
			"changed. Load the kernel with kexec-tdx to get one this version reads.");
	} else if (tk->f.state == TDX_UNREADABLE) {
		tdx_finding_remedy(tdx_report_add(r, "token-unreadable", TDX_WARN, "Cannot tell what "
			"the kernel that loaded this one expected: %s.", tk->f.detail),
			"Run kexec --tdx-verify where /proc is mounted and readable.");
	} else {
		summary(&tk->t, r);
		forced(&tk->t, r);
		if (tdx_host_enabled(f) != YES)
			return;
		module_check(f, &tk->t, r);
		erratum_check(f, &tk->t, r);
	}
}
