// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rules: facts in, findings out.  Each rule looks at the facts it needs
 * and adds at most a finding or two; the verdict is the worst severity.  A
 * fact that is not known never counts as good news: a rule that needs it
 * says what it could not check.  The kernel behaviour behind each rule is
 * summarised in kexec(8), TDX HANDOVER, and comes from:
 *  - machine_kexec_prepare() refusing loads with EOPNOTSUPP when the CPU has
 *    X86_BUG_TDX_PW_MCE (Linux 6.18 up to the TDH.SYS.DISABLE series);
 *  - tdx_shutdown() / native_machine_crash_shutdown() calling
 *    tdx_sys_disable() (that series), registered only once tdx_enable()
 *    succeeded;
 *  - the new kernel's TDX bring-up failing at its first SEAMCALL when the
 *    module was left initialized, or when hibernation is available;
 *  - the misc cgroup "tdx" resource charging one HKID per TD.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/iface.h"
#include "tdx/tdx-internal.h"
#include "base/parse.h"

/* Short names for the helpers internal.h shares with verify.c. */
#define add(...)		tdx_report_add(__VA_ARGS__)
#define remedy(...)		tdx_finding_remedy(__VA_ARGS__)
#define known(f)		tdx_known(f)
#define tdx_host(f)		tdx_host_enabled(f)
#define module_initialized(...)	tdx_module_initialized(__VA_ARGS__)

struct tdx_finding *tdx_report_add(struct tdx_report *r, const char *code, enum tdx_severity sev,
			       const char *fmt, ...)
{
	struct tdx_finding *fd;
	va_list ap;

	if (sev > r->verdict)
		r->verdict = sev;
	if (r->n == TDX_MAX_FINDINGS)
		return NULL;
	fd = &r->f[r->n++];
	fd->code = code;
	fd->severity = sev;
	va_start(ap, fmt);
	vsnprintf(fd->message, sizeof(fd->message), fmt, ap);
	va_end(ap);
	snprintf(fd->remedy, sizeof(fd->remedy), "None needed.");
	return fd;
}

void tdx_finding_remedy(struct tdx_finding *fd, const char *fmt, ...)
{
	va_list ap;

	if (!fd)
		return;
	va_start(ap, fmt);
	vsnprintf(fd->remedy, sizeof(fd->remedy), fmt, ap);
	va_end(ap);
}

bool tdx_known(const struct tdx_fact *f)
{
	return f->state == TDX_KNOWN;
}

enum tri tri_of(const struct tdx_bool *b)
{
	return known(&b->f) ? (b->v ? YES : NO) : UNKNOWN;
}

/* Why a fact is not known, for a message: its detail, or that it is absent. */
static const char *why(const struct tdx_fact *f, char *buf, size_t n)
{
	if (f->state == TDX_UNREADABLE)
		return f->detail;
	if (f->state == TDX_ABSENT)
		snprintf(buf, n, "%s does not exist", f->source);
	else
		snprintf(buf, n, "%s was not read", f->source);
	return buf;
}

static const char *release(const struct tdx_facts *f)
{
	return known(&f->release.f) ? f->release.v : "(unknown release)";
}

static bool is_intel(const struct tdx_facts *f)
{
	return !known(&f->vendor.f) || strcmp(f->vendor.v, "GenuineIntel") == 0;
}

/*
 * Facts other than the cpuinfo flag that only a kernel which enabled TDX
 * shows: the tdx_host driver (it loads only once the module is initialized),
 * kvm_intel.tdx=Y, TDX KeyIDs offered or in use in the misc cgroup, the
 * module's "initialized" line in the kernel log.  @ev names the first one.
 */
bool tdx_enabled_evidence(const struct tdx_facts *f, char *ev, size_t n)
{
	if (known(&f->module_version.f))
		snprintf(ev, n, "the tdx_host driver reports a TDX module version");
	else if (tri_of(&f->kvm_tdx) == YES)
		snprintf(ev, n, "kvm_intel.tdx is Y");
	else if (known(&f->keyid_capacity.f) && f->keyid_capacity.v > 0)
		snprintf(ev, n, "the misc cgroup offers %llu TDX KeyIDs",
			 (unsigned long long)f->keyid_capacity.v);
	else if (known(&f->live_tds.f) && f->live_tds.v > 0)
		snprintf(ev, n, "TDs hold %llu TDX KeyIDs", (unsigned long long)f->live_tds.v);
	else if (known(&f->kmsg.f) && (f->kmsg.seen & TDX_LOG_MODULE_INIT))
		snprintf(ev, n, "the kernel log says the TDX module was initialized");
	else
		return false;
	return true;
}

/*
 * Did the running kernel enable TDX?  The tdx_host_platform flag says so, but
 * a vendor kernel may not show it (or clearcpuid hid it): evidence that TDX
 * is on wins over a missing flag.  Unknown on an Intel CPU whose state
 * cannot be read.
 */
enum tri tdx_host_enabled(const struct tdx_facts *f)
{
	char ev[120];

	if (tri_of(&f->tdx_host_platform) == YES)
		return YES;
	if (known(&f->tdx_host_platform.f) || !is_intel(f))
		return tdx_enabled_evidence(f, ev, sizeof(ev)) ? YES : NO;
	return tdx_enabled_evidence(f, ev, sizeof(ev)) ? YES : UNKNOWN;
}

static void version_str(const struct tdx_ver *v, char *buf, size_t n)
{
	snprintf(buf, n, "%u.%u.%02u", v->major, v->minor, v->update);
}

/* Was the TDX module initialized by the running kernel?  @ev says how we know. */
enum tri tdx_module_initialized(const struct tdx_facts *f, char *ev, size_t n)
{
	const struct tdx_kmsg *k = &f->kmsg;
	char v[32];

	if (known(&f->module_version.f)) {
		version_str(&f->module_version, v, sizeof(v));
		snprintf(ev, n, "tdx_host reports module version %s", v);
		return YES;
	}
	if (f->module_version.f.state == TDX_UNREADABLE && f->module_version.f.err == ENXIO) {
		snprintf(ev, n, "%s reads ENXIO", f->module_version.f.source);
		return NO;
	}
	if (tri_of(&f->kvm_tdx) == YES) {
		snprintf(ev, n, "kvm_intel.tdx is Y");
		return YES;
	}
	if (known(&f->keyid_capacity.f) && f->keyid_capacity.v > 0) {
		snprintf(ev, n, "the misc cgroup offers %llu TDX KeyIDs",
			 (unsigned long long)f->keyid_capacity.v);
		return YES;
	}
	if (known(&k->f) && (k->seen & TDX_LOG_MODULE_INIT)) {
		snprintf(ev, n, "the kernel log says the TDX module was initialized");
		return YES;
	}
	if (known(&k->f) && (k->seen & (TDX_LOG_INIT_FAILED | TDX_LOG_NOT_LOADED))) {
		snprintf(ev, n, "the kernel log says its initialization failed");
		return NO;
	}
	if (known(&k->f) && k->complete) {
		snprintf(ev, n, "the kernel log since boot never says it was initialized");
		return NO;
	}
	snprintf(ev, n, "no tdx_host version, kvm_intel.tdx is not Y, and the kernel log %s",
		 known(&k->f) ? "no longer reaches back to boot" : "cannot be read");
	return UNKNOWN;
}

/* --- platform ----------------------------------------------------------- */

static void rule_platform(const struct tdx_facts *f, const struct tdx_mode *m,
			  struct tdx_report *r)
{
	uint64_t keyids = f->msr_keyids.v >> 32;
	char buf[240];

	if (!is_intel(f)) {
		add(r, "not-intel", TDX_INFO, "This CPU is made by %s, not Intel: TDX does not "
		    "apply, so there is nothing to hand over.", f->vendor.v);
		return;
	}
	if (tdx_host(f) == UNKNOWN) {
		remedy(add(r, "tdx-host-unknown", TDX_WARN, "Cannot tell whether the running "
			   "kernel enabled TDX: %s.",
			   why(&f->tdx_host_platform.f, buf, sizeof(buf))),
		       "Run kexec on the host itself, as root, or fix the file named.");
		return;
	}
	if (tdx_host(f) == YES) {
		if (tri_of(&f->tdx_host_platform) == NO && tdx_enabled_evidence(f, buf, sizeof(buf)))
			remedy(add(r, "tdx-facts-disagree", TDX_WARN, "The facts disagree: %s has no "
				   "tdx_host_platform flag, but %s. The check goes by the evidence: "
				   "this is a TDX host.", f->tdx_host_platform.f.source, buf),
			       "Find out why the flag is missing (a vendor kernel, clearcpuid=); "
			       "the report is less certain while the facts disagree.");
		return;
	}
	if (known(&f->msr_keyids.f) && keyids > 0)
		remedy(add(r, "tdx-not-enabled", TDX_INFO, "The BIOS set aside %llu TDX KeyIDs "
			   "(MSR 0x87), but the running kernel did not enable TDX (no "
			   "tdx_host_platform flag)%s: there is nothing to hand over.",
			   (unsigned long long)keyids,
			   known(&f->kmsg.f) && (f->kmsg.seen & TDX_LOG_HIBERNATION) ?
			   "; its log says hibernation support is enabled" : ""),
		       "None for this kexec. To use TDX, boot a kernel built with "
		       "CONFIG_INTEL_TDX_HOST=y with nohibernate on its command line.");
	else
		add(r, "no-tdx-host", TDX_INFO, "TDX is not enabled on this host (no "
		    "tdx_host_platform flag in /proc/cpuinfo): there is nothing to hand over.");
}

/* --- the running kernel ------------------------------------------------- */

static void rule_pw_mce(const struct tdx_facts *f, const struct tdx_mode *m, struct tdx_report *r)
{
	char buf[240];

	if (tdx_host(f) != YES || tri_of(&f->tdx_pw_mce) != YES)
		return;
	if (tri_of(&f->disable_path) == NO) {
		remedy(add(r, "pw-mce-refused", TDX_NOGO, "This CPU has the TDX partial-write "
			   "erratum (tdx_pw_mce) and the running kernel %s has no TDH.SYS.DISABLE "
			   "path (no tdx_sys_disable in %s): the kernel refuses kexec_load and "
			   "kexec_file_load here with EOPNOTSUPP%s.",
			   release(f), f->disable_path.f.source,
			   known(&f->kmsg.f) && (f->kmsg.seen & TDX_LOG_KEXEC_REFUSED) ?
			   " (its log shows it has already refused one)" : ""),
		       "Reboot through the firmware instead, or first boot a kernel with the "
		       "TDH.SYS.DISABLE series (Linux 7.2 or later) together with a TDX module "
		       "that implements TDH.SYS.DISABLE.");
	} else if (tri_of(&f->disable_path) == UNKNOWN) {
		remedy(add(r, "disable-path-unknown", m->crash ? TDX_WARN : TDX_NOGO, "This CPU "
			   "has the TDX partial-write erratum (tdx_pw_mce) and it cannot be told "
			   "whether the running kernel %s has the TDH.SYS.DISABLE path (%s): "
			   "without it the kernel refuses the load with EOPNOTSUPP, and with it a "
			   "TDX module that cannot disable itself leaves partial-write poison for "
			   "the new kernel.",
			   release(f), why(&f->disable_path.f, buf, sizeof(buf))),
		       "Run kexec as root, so that %s or %s can be read.",
		       kx_if(KX_IF_BTF_VMLINUX), kx_if(KX_IF_KALLSYMS));
	}
}

static void tdx_lost(const struct tdx_facts *f, struct tdx_report *r, const char *ev)
{
	remedy(add(r, "tdx-lost-no-disable", f->tdx_lost_nogo ? TDX_NOGO : TDX_WARN,
		   "The TDX module is initialized (%s) and the running kernel %s has no "
		   "TDH.SYS.DISABLE path: the new kernel cannot initialize TDX again (its first "
		   "SEAMCALL fails) until the machine is cold-booted.", ev, release(f)),
	       "To keep TDX, reboot through the firmware instead of kexec, or run a kernel with "
	       "the TDH.SYS.DISABLE path (Linux 7.2 or later) before the next kexec.");
}

static void rule_module_state(const struct tdx_facts *f, const struct tdx_mode *m,
			      struct tdx_report *r)
{
	enum tri dis = tri_of(&f->disable_path), mi;
	char ev[200], buf[240];

	if (tdx_host(f) != YES || m->crash ||
	    (tri_of(&f->tdx_pw_mce) == YES && dis != YES))
		return;		/* rule_pw_mce said it */
	mi = module_initialized(f, ev, sizeof(ev));
	if (mi == NO) {
		add(r, "module-not-initialized", TDX_INFO, "The TDX module is not initialized "
		    "(%s): the new kernel can bring TDX up from scratch.", ev);
	} else if (dis == NO && mi == YES) {
		tdx_lost(f, r, ev);
	} else if (dis == NO) {
		remedy(add(r, "module-state-unknown", TDX_WARN, "Cannot tell whether the TDX "
			   "module was initialized (%s); the running kernel %s has no "
			   "TDH.SYS.DISABLE path, so if it was, the new kernel cannot use TDX "
			   "until a cold boot.",
			   ev,
			   release(f)),
		       "Run kexec as root: the kernel log and the tdx_host driver's sysfs files "
		       "tell (modprobe tdx_host).");
	} else if (dis == UNKNOWN) {
		remedy(add(r, "disable-path-unknown", TDX_WARN, "Cannot tell whether the running "
			   "kernel %s has the TDH.SYS.DISABLE path (%s): without it, the new "
			   "kernel cannot use TDX until a cold boot.", release(f),
			   why(&f->disable_path.f, buf, sizeof(buf))),
		       "Run kexec as root, so that %s or %s can be read.",
		       kx_if(KX_IF_BTF_VMLINUX), kx_if(KX_IF_KALLSYMS));
	}
}

/* --- the TDX module ----------------------------------------------------- */

/*
 * On a tdx_pw_mce CPU a TDH.SYS.DISABLE that fails leaves partial-write
 * poison for the new kernel.  No published TDX module is known to implement
 * the SEAMCALL, the kernel does not check its enumeration bit (TDX_FEATURES0
 * bit 53, not visible from user space either), so only the operator's
 * configured minimum, met by the module, makes it go.  A kdump load stays a
 * warning: refusing it would leave no dump at all.
 */
static void pw_mce_unverified(const struct tdx_facts *f, const struct tdx_mode *m,
			      struct tdx_report *r, const char *why_not)
{
	if (m->crash) {
		remedy(add(r, "pw-mce-crash-risk", TDX_WARN, "This CPU has the TDX partial-write "
			   "erratum and %s: the crash path runs the same TDH.SYS.DISABLE as a "
			   "best effort; if the module does not implement it, TD memory keeps its "
			   "partial-write poison, and a dump that reads it can take a machine check.",
			   why_not),
		       "Configure min_module_version in %s once a TDX module you trust to "
		       "implement TDH.SYS.DISABLE is installed; exclude TD memory from the dump "
		       "(makedumpfile -d 31 does not read free pages, but TD pages are in use).",
		       kx_if(KX_IF_POLICY));
		return;
	}
	remedy(add(r, "pw-mce-module-unverified", TDX_NOGO, "This CPU has the TDX partial-write "
		   "erratum (tdx_pw_mce) and %s. No published TDX module is known to implement "
		   "TDH.SYS.DISABLE, and user space cannot see whether this one does: if the "
		   "kernel's disable at kexec fails, the new kernel inherits partial-write poison "
		   "and can take machine checks.", why_not),
	       "Reboot through the firmware; or, once a TDX module you trust to implement "
	       "TDH.SYS.DISABLE is installed, state its version as min_module_version in %s "
	       "(your statement: kexec cannot check it); --tdx-force goes ahead anyway.",
	       kx_if(KX_IF_POLICY));
}

static void module_vs_minimum(const struct tdx_facts *f, const struct tdx_mode *m,
			      struct tdx_report *r, bool pw_mce)
{
	char v[32], min[32], buf[240], why_not[400];

	version_str(&f->min_module_version, min, sizeof(min));
	if (!known(&f->module_version.f)) {
		if (pw_mce) {
			snprintf(why_not, sizeof(why_not), "the TDX module version cannot be read "
				 "(%s), so it cannot be shown to meet the configured minimum %s",
				 why(&f->module_version.f, buf, sizeof(buf)), min);
			pw_mce_unverified(f, m, r, why_not);
			return;
		}
		remedy(add(r, "module-version-unknown", TDX_WARN, "The TDX module version cannot "
			   "be read (%s), so it cannot be compared with the configured minimum %s "
			   "for TDH.SYS.DISABLE.",
			   why(&f->module_version.f, buf, sizeof(buf)), min),
		       "Load the tdx_host driver (modprobe tdx_host) so that %s exists, and run "
		       "kexec as root.", kx_if(KX_IF_TDX_MODULE_VERSION));
		return;
	}
	version_str(&f->module_version, v, sizeof(v));
	if (tdx_version_cmp(&f->module_version, &f->min_module_version) >= 0) {
		if (m->crash)
			return;		/* a kdump kernel does not bring TDX up anyway */
		add(r, "module-version-ok", TDX_INFO, "TDX module %s meets the minimum %s configured "
		    "in %s for TDH.SYS.DISABLE (the operator's statement; kexec cannot check "
		    "that the module implements it).", v, min, kx_if(KX_IF_POLICY));
		return;
	}
	remedy(add(r, "module-below-minimum", m->crash ? TDX_WARN : TDX_NOGO, "TDX module %s is "
		   "older than %s, the minimum %s sets for TDH.SYS.DISABLE: the kernel's "
		   "TDH.SYS.DISABLE at kexec would fail%s, and the new kernel could not use TDX.",
		   v, min, kx_if(KX_IF_POLICY),
		   pw_mce ? " and leave partial-write poison behind on this erratum platform" : ""),
	       "Update the TDX module to %s or later (through /sys/class/firmware/tdx_module), "
	       "or reboot through the firmware.", min);
}

static void rule_module_version(const struct tdx_facts *f, const struct tdx_mode *m,
				struct tdx_report *r)
{
	bool pw_mce = tri_of(&f->tdx_pw_mce) == YES;
	char ev[200], v[32], why_not[400];

	if (tdx_host(f) != YES || (m->crash && !pw_mce) || tri_of(&f->disable_path) != YES ||
	    module_initialized(f, ev, sizeof(ev)) == NO || f->conf.state == TDX_UNREADABLE)
		return;
	if (known(&f->min_module_version.f)) {
		module_vs_minimum(f, m, r, pw_mce);
		return;
	}
	if (known(&f->module_version.f))
		version_str(&f->module_version, v, sizeof(v));
	else
		snprintf(v, sizeof(v), "(version unknown)");
	if (pw_mce) {
		snprintf(why_not, sizeof(why_not), "no minimum TDX module version is configured "
			 "in %s for TDX module %s", kx_if(KX_IF_POLICY), v);
		pw_mce_unverified(f, m, r, why_not);
		return;
	}
	remedy(add(r, "module-version-unverified", TDX_WARN, "No minimum TDX module version is "
		   "configured in %s, so it cannot be verified that TDX module %s implements "
		   "TDH.SYS.DISABLE; if it does not, the new kernel cannot use TDX until a cold "
		   "boot.", kx_if(KX_IF_POLICY), v),
	       "Once a TDX module you trust to implement TDH.SYS.DISABLE is installed, state its "
	       "version as min_module_version in %s (no published module is known to implement "
	       "it yet).", kx_if(KX_IF_POLICY));
}

/*
 * Mainline kernels before 6.18 cannot build TDX host support and kexec
 * together (INTEL_TDX_HOST depended on !KEXEC_CORE until commit 80804847269e),
 * and lack the cache flush TDX needs at kexec: relocate_kernel writes back
 * and invalidates caches only when the per-CPU cache_state_incoherent is set
 * (commits 83214a775f33, 10df8607bf1a, 6.18), so dirty lines of TDX private
 * memory can be written back over the new kernel.  A vendor kernel with TDX
 * and kexec on an older release is safe only with that flush backported,
 * which its symbol shows.
 */
static void rule_kernel_flush(const struct tdx_facts *f, const struct tdx_mode *m,
			      struct tdx_report *r)
{
	enum tri flush = tri_of(&f->kexec_flush);
	char buf[240];

	if (tdx_host(f) != YES || (known(&f->release.f) &&
				   tdx_release_cmp(f->release.v, 6, 18) >= 0))
		return;
	if (flush == YES) {
		add(r, "kexec-flush-backported", TDX_INFO, "The running kernel %s is older than 6.18 "
		    "but carries the kexec cache flush TDX needs (cache_state_incoherent in %s).",
		    release(f), f->kexec_flush.f.source);
		return;
	}
	remedy(add(r, "kernel-lacks-kexec-flush", m->crash ? TDX_WARN : TDX_NOGO, "The running "
		   "kernel %s enabled TDX, but %s: before 6.18 the kernel does not write back "
		   "and invalidate caches for TDX at kexec, so dirty lines of TDX private memory "
		   "can land on the new kernel's memory.", release(f),
		   flush == NO ? "it is older than 6.18 and does not carry the 6.18 kexec cache "
		   "flush (no cache_state_incoherent)" : why(&f->kexec_flush.f, buf, sizeof(buf))),
	       "Reboot through the firmware, or run Linux 6.18 or later (or a vendor kernel with "
	       "the 6.18 TDX kexec series) before the next kexec.");
}

/*
 * A finding that can change before the reboot: it stops the kexec itself (-e,
 * --tdx-status, a load whose reboot follows at once), not a kernel staged
 * for later.
 */
static enum tdx_severity transient_sev(const struct tdx_mode *m)
{
	return m->action == TDX_ACT_LOAD && !m->reboot_now ? TDX_WARN : TDX_NOGO;
}

static const char *staged_note(const struct tdx_mode *m)
{
	return transient_sev(m) == TDX_WARN ? "; the kernel is staged, and the kexec reboot "
	       "(kexec -e, or kexec-tdx-preflight.service) refuses while this lasts" : "";
}

static void rule_update(const struct tdx_facts *f, const struct tdx_mode *m,
			struct tdx_report *r)
{
	bool dead = f->module_version.f.state == TDX_UNREADABLE && f->module_version.f.err == ENXIO;

	if (tdx_host(f) == NO || m->crash)
		return;
	if (known(&f->update_status.f) && strcmp(f->update_status.v, "idle") != 0)
		remedy(add(r, "module-update-in-progress", transient_sev(m), "A TDX module update "
			   "is in progress (%s: %s); a kexec now would interrupt it%s.",
			   f->update_status.f.source, f->update_status.v, staged_note(m)),
		       "Wait until %s reads idle and check %s, then run kexec again.",
		       f->update_status.f.source, f->update_error.f.source);
	if ((known(&f->update_error.f) && f->update_error.v[0]) || dead ||
	    (known(&f->kmsg.f) && (f->kmsg.seen & TDX_LOG_UPDATE_FAILED)))
		remedy(add(r, "module-update-failed", TDX_WARN, "The last TDX module update failed "
			   "(%s)%s.", known(&f->update_error.f) && f->update_error.v[0] ?
			   f->update_error.v : "see the kernel log",
			   dead ? "; the TDX module is not running (its version reads ENXIO), "
			   "so TDX is gone until a cold boot" : ""),
		       "Read the seamldr messages in the kernel log; a cold boot loads the module "
		       "from the firmware again.");
}

static void rule_live_tds(const struct tdx_facts *f, const struct tdx_mode *m,
			  struct tdx_report *r)
{
	const struct tdx_num *n = &f->live_tds;
	unsigned long long tds = n->v, capacity = f->keyid_capacity.v;
	bool one = tds == 1, scrub = tri_of(&f->disable_path) == YES;
	char buf[240], cap[48] = "";

	if (tdx_host(f) == NO || m->crash)
		return;
	if (known(&n->f) && tds > 0) {
		if (known(&f->keyid_capacity.f) && capacity)
			snprintf(cap, sizeof(cap), " of %llu", capacity);
		remedy(add(r, "live-tds", transient_sev(m), "%llu TD%s running (%llu TDX KeyID%s in "
			   "use%s, misc cgroup): the kexec destroys %s%s%s.", tds,
			   one ? " is" : "s are", tds, one ? "" : "s", cap, one ? "it" : "them",
			   scrub ? ", and TDH.SYS.DISABLE must first scrub all their private "
			   "memory, which takes time in proportion to it" : "", staged_note(m)),
		       "Shut the TDs down first (stop their VMMs) until misc.current shows tdx 0, "
		       "or pass --tdx-wait=SECONDS to wait for them; --tdx-force goes ahead "
		       "anyway.");
	} else if (!known(&n->f) && tri_of(&f->kvm_tdx) != NO && tdx_host(f) == YES) {
		remedy(add(r, "live-tds-unknown", TDX_WARN, "Cannot count the running TDs (%s).",
			   n->f.state == TDX_ABSENT ? "neither the root cgroup nor any child "
			   "cgroup has misc.current" : why(&n->f, buf, sizeof(buf))),
		       "Enable the misc controller for the cgroups that run VMs (+misc in "
		       "cgroup.subtree_control), or make sure no TD runs before kexec -e.");
	}
}

static void rule_crash(const struct tdx_facts *f, const struct tdx_mode *m, struct tdx_report *r)
{
	bool dis = tri_of(&f->disable_path) == YES;

	if (!m->crash || tdx_host(f) != YES)
		return;
	remedy(add(r, "crash-kernel-no-tdx", TDX_INFO, "This is a kdump kernel: it does not bring "
		   "TDX up, and %s, so TDX is back only after the next full reboot.",
		   dis ? "the crash path runs TDH.SYS.DISABLE only as a best effort" :
		   "the running kernel's crash path does not disable the TDX module"),
	       "None needed for the dump; reboot through the firmware afterwards to run TDs "
	       "again.");
}

static void rule_seamret(const struct tdx_facts *f, const struct tdx_mode *m,
			 struct tdx_report *r)
{
	if (tdx_host(f) == YES && tri_of(&f->seamret_invd_vmcs) == YES)
		add(r, "no-runtime-update", TDX_INFO, "This CPU has the seamret_invd_vmcs erratum: "
		    "the kernel does not offer runtime TDX module updates here.");
}

/* --- the new kernel ----------------------------------------------------- */

static enum tdx_severity lost_sev(const struct tdx_facts *f)
{
	return f->tdx_lost_nogo ? TDX_NOGO : TDX_WARN;
}

static bool image_rules_apply(const struct tdx_facts *f, const struct tdx_mode *m)
{
	return m->action != TDX_ACT_EXEC && !m->crash && tdx_host(f) == YES &&
	       f->image_version.f.state != TDX_NOT_READ;
}

static void new_release(const struct tdx_facts *f, char *buf, size_t n)
{
	size_t i = strcspn(f->image_version.v, " ");

	snprintf(buf, n, "%.*s", (int)i, f->image_version.v);
}

static void rule_image(const struct tdx_facts *f, const struct tdx_mode *m, struct tdx_report *r)
{
	char rel[128], buf[240];

	if (!image_rules_apply(f, m))
		return;
	if (!known(&f->image_version.f)) {
		remedy(add(r, "new-kernel-unknown", TDX_WARN, "Cannot read the new kernel's "
			   "version (%s), so its TDX support cannot be checked.",
			   f->image_version.f.state == TDX_ABSENT ? "its setup header has none" :
			   f->image_version.f.detail),
		       "Load an x86_64 bzImage with a version string.");
		return;
	}
	new_release(f, rel, sizeof(rel));
	if (!known(&f->cfg_tdx_host.f))
		remedy(add(r, "new-kernel-config-unknown", TDX_WARN, "Cannot find the "
			   "configuration of the new kernel %s (%s; no config-%s next to the image "
			   "and no IKCONFIG), so its TDX host support cannot be checked.", rel,
			   why(&f->image_config.f, buf, sizeof(buf)), rel),
		       "Install /boot/config-%s with the kernel (distributions ship it), or build "
		       "it with CONFIG_IKCONFIG=y.", rel);
	else if (!f->cfg_tdx_host.v)
		remedy(add(r, "new-kernel-no-tdx", lost_sev(f), "The new kernel %s is built "
			   "without CONFIG_INTEL_TDX_HOST (%s): it cannot use TDX, so no TD can "
			   "run after the kexec.", rel, f->image_config.v),
		       "Load a kernel built with CONFIG_INTEL_TDX_HOST=y if this host must keep "
		       "running TDs.");
}

static bool has_param(const char *cmdline, const char *name, const char *const *vals)
{
	char word[96];

	for (; *vals; vals++) {
		snprintf(word, sizeof(word), "%s=%s", name, *vals);
		if (kx_has_word(cmdline, word))
			return true;
	}
	return false;
}

static void rule_hibernation(const struct tdx_facts *f, const struct tdx_mode *m,
			     struct tdx_report *r)
{
	static const char *const no[] = { "no", NULL };
	static const char *const locked[] = { "integrity", "confidentiality", NULL };
	const char *cl = f->cmdline.v;
	char rel[128];

	if (!image_rules_apply(f, m) || tri_of(&f->cfg_tdx_host) != YES ||
	    tri_of(&f->cfg_hibernation) != YES || !known(&f->cmdline.f))
		return;
	/* hibernation_available() is false with nohibernate, hibernate=no or lockdown */
	if (kx_has_word(cl, "nohibernate") || has_param(cl, "hibernate", no) ||
	    has_param(cl, "lockdown", locked))
		return;
	new_release(f, rel, sizeof(rel));
	remedy(add(r, "new-kernel-hibernation", lost_sev(f), "The new kernel %s is built with "
		   "CONFIG_HIBERNATION and its command line has no nohibernate: it will not "
		   "initialize TDX (\"initialization failed: Hibernation support is enabled\").",
		   rel),
	       "Add nohibernate to the new kernel's command line (--append=\"... nohibernate\").");
}

struct blocker {
	const char *param;
	const char *why;
};

/* Boolean parameters whose "off" makes KVM give up TDX (arch/x86/kvm/vmx/tdx.c, tdx_bringup). */
static const struct blocker blockers[] = {
	{ "kvm_intel.tdx", "KVM's TDX support is off" },
	{ "kvm_intel.ept", "TDX needs EPT" },
	{ "kvm_intel.eptad", "TDX needs EPT A/D bits" },
	{ "kvm_intel.enable_apicv", "TDX needs APICv" },
	{ "kvm.tdp_mmu", "TDX needs the TDP MMU" },
	{ "kvm.mmio_caching", "TDX needs MMIO caching" },
	{ "kvm.enable_virt_at_load", "TDX needs virtualization enabled at load" },
};

static void rule_cmdline(const struct tdx_facts *f, const struct tdx_mode *m,
			 struct tdx_report *r)
{
	static const char *const off[] = { "0", "n", "N", "off", "no", NULL };
	char found[480] = "";
	size_t i, len = 0;

	if (!image_rules_apply(f, m) || tri_of(&f->cfg_tdx_host) == NO || !known(&f->cmdline.f))
		return;
	for (i = 0; i < sizeof(blockers) / sizeof(blockers[0]); i++) {
		if (!has_param(f->cmdline.v, blockers[i].param, off))
			continue;
		len += (size_t)snprintf(found + len, sizeof(found) - len, "%s%s=off (%s)",
					len ? ", " : "", blockers[i].param, blockers[i].why);
		if (len >= sizeof(found))
			break;
	}
	if (found[0])
		remedy(add(r, "cmdline-disables-tdx", lost_sev(f), "The new command line turns off "
			   "what KVM needs for TDX: %s; the new kernel will not run TDs.", found),
		       "Drop these parameters from the new kernel's command line.");
}

/* --- confidence --------------------------------------------------------- */

static void rule_conf(const struct tdx_facts *f, const struct tdx_mode *m, struct tdx_report *r)
{
	if (f->conf.state != TDX_UNREADABLE || tdx_host(f) == NO)
		return;
	remedy(add(r, "config-invalid", TDX_NOGO, "The TDX handover policy cannot be used: %s.",
		   f->conf.detail),
	       "Fix %s (its format is in kexec(8), FILES) or remove it.", kx_if(KX_IF_POLICY));
}

static size_t fact_list(const struct tdx_facts *f, const struct tdx_fact **out, size_t max)
{
	const struct tdx_fact *all[] = {
		&f->vendor.f, &f->family.f, &f->model.f, &f->tdx_host_platform.f, &f->tdx_pw_mce.f,
		&f->seamret_invd_vmcs.f, &f->release.f, &f->msr_keyids.f, &f->module_version.f,
		&f->seamldr_version.f, &f->remaining_updates.f, &f->update_status.f,
		&f->update_error.f, &f->kvm_tdx.f, &f->keyid_capacity.f, &f->live_tds.f,
		&f->disable_path.f, &f->kmsg.f, &f->image_config.f,
	};
	size_t i, n = sizeof(all) / sizeof(all[0]);

	for (i = 0; i < n && i < max; i++)
		out[i] = all[i];
	return i;
}

static bool seen_before(const struct tdx_fact **l, size_t i, bool by_detail)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (l[j]->state == l[i]->state && l[j]->err == l[i]->err &&
		    strcmp(by_detail ? l[j]->detail : l[j]->source,
			   by_detail ? l[i]->detail : l[i]->source) == 0)
			return true;
	return false;
}

static void rule_unreadable(const struct tdx_facts *f, const struct tdx_mode *m,
			    struct tdx_report *r)
{
	const struct tdx_fact *l[32];
	size_t n = fact_list(f, l, 32), i;

	for (i = 0; i < n; i++) {
		const struct tdx_fact *x = l[i];

		if (x->state != TDX_UNREADABLE || x->err == EACCES || x->err == EPERM ||
		    x->err == ENODATA || seen_before(l, i, x->err == EBADMSG))
			continue;
		/* sysfs_upload.c: error reads EBUSY while an update runs (said above) */
		if (x == &f->update_error.f && x->err == EBUSY)
			continue;
		if (x->err == EBADMSG)
			remedy(add(r, "fact-malformed", TDX_WARN, "%s.", x->detail),
			       "Check the kernel and the file named; a recorded host tree may be "
			       "damaged.");
		else
			remedy(add(r, "fact-unreadable", TDX_INFO, "%s.", x->detail),
			       "Check the file named; the report is less certain without it.");
	}
}

static void rule_not_root(const struct tdx_facts *f, const struct tdx_mode *m,
			  struct tdx_report *r)
{
	const struct tdx_fact *l[32];
	size_t n = fact_list(f, l, 32), i, len = 0, cnt = 0;
	char files[400] = "";

	for (i = 0; i < n; i++) {
		if (l[i]->state != TDX_UNREADABLE || (l[i]->err != EACCES && l[i]->err != EPERM) ||
		    seen_before(l, i, false))
			continue;
		if (cnt++ < 5 && len < sizeof(files))
			len += (size_t)snprintf(files + len, sizeof(files) - len, "%s%s",
						len ? ", " : "", l[i]->source);
	}
	if (cnt)
		remedy(add(r, "not-root", TDX_INFO, "Some TDX state can be read by root only "
			   "(%s%s); the report is less certain without it.", files,
			   cnt > 5 ? ", ..." : ""),
		       "Run kexec as root.");
}

typedef void (*rule_fn)(const struct tdx_facts *, const struct tdx_mode *, struct tdx_report *);

static const rule_fn rules[] = {
	rule_conf, rule_platform, rule_pw_mce, rule_kernel_flush, rule_module_state,
	rule_module_version, rule_update, rule_live_tds, rule_crash, rule_seamret, rule_image,
	rule_hibernation, rule_cmdline, rule_unreadable, rule_not_root,
};

/* Worst first; otherwise in rule order (insertion sort keeps it stable). */
static void sort_findings(struct tdx_report *r)
{
	struct tdx_finding tmp;
	size_t i, j;

	for (i = 1; i < r->n; i++) {
		tmp = r->f[i];
		for (j = i; j > 0 && r->f[j - 1].severity < tmp.severity; j--)
			r->f[j] = r->f[j - 1];
		r->f[j] = tmp;
	}
}

void tdx_evaluate(const struct tdx_facts *f, const struct tdx_mode *m, struct tdx_report *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->mode = *m;
	r->verdict = TDX_INFO;
	snprintf(r->root, sizeof(r->root), "%s", f->root[0] ? f->root : "/");
	r->recorded = f->recorded;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		rules[i](f, m, r);
	sort_findings(r);
}

const struct tdx_finding *tdx_report_find(const struct tdx_report *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->f[i].code, code) == 0)
			return &r->f[i];
	return NULL;
}

const char *tdx_verdict_name(enum tdx_severity s)
{
	return s == TDX_NOGO ? "no-go" : s == TDX_WARN ? "warn" : "go";
}

const char *tdx_severity_name(enum tdx_severity s)
{
	return s == TDX_NOGO ? "no-go" : s == TDX_WARN ? "warn" : "info";
}

const char *tdx_state_name(enum tdx_state s)
{
	switch (s) {
	case TDX_KNOWN:		return "known";
	case TDX_ABSENT:	return "absent";
	case TDX_UNREADABLE:	return "unreadable";
	default:		return "not-read";
	}
}
