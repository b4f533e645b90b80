// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rules as a table: a host described by its facts, the action, and
 * the verdict and finding codes expected (and codes that must not appear).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tdx/tdx.h"

static void k(struct tdx_fact *f)
{
	f->state = TDX_KNOWN;
	f->err = 0;
}

static void gone(struct tdx_fact *f)
{
	f->state = TDX_ABSENT;
	f->err = ENOENT;
}

static void bad(struct tdx_fact *f, int err, const char *detail)
{
	f->state = TDX_UNREADABLE;
	f->err = err;
	snprintf(f->source, sizeof(f->source), "/some/file");
	snprintf(f->detail, sizeof(f->detail), "%s", detail);
}

static void kb(struct tdx_bool *b, bool v)
{
	k(&b->f);
	b->v = v;
}

static void kn(struct tdx_num *n, uint64_t v)
{
	k(&n->f);
	n->v = v;
}

static void kv(struct tdx_ver *v, unsigned int a, unsigned int b, unsigned int c)
{
	k(&v->f);
	v->major = a;
	v->minor = b;
	v->update = c;
}

static void ks(struct tdx_str *s, const char *v)
{
	k(&s->f);
	snprintf(s->v, sizeof(s->v), "%s", v);
}

/* Sapphire Rapids with the erratum on 7.2, module 1.5.16, policy minimum 1.5.16, no TDs. */
static void spr72(struct tdx_facts *f)
{
	memset(f, 0, sizeof(*f));
	ks(&f->vendor, "GenuineIntel");
	kn(&f->family, 6);
	kn(&f->model, 143);
	kb(&f->tdx_host_platform, true);
	kb(&f->tdx_pw_mce, true);
	kb(&f->seamret_invd_vmcs, false);
	ks(&f->release, "7.2.0");
	kb(&f->disable_path, true);
	snprintf(f->disable_path.f.source, sizeof(f->disable_path.f.source), "/proc/kallsyms");
	kv(&f->module_version, 1, 5, 16);
	kb(&f->kvm_tdx, true);
	kn(&f->keyid_capacity, 63);
	kn(&f->live_tds, 0);
	ks(&f->update_status, "idle");
	ks(&f->update_error, "");
	k(&f->kmsg.f);
	f->kmsg.complete = true;
	f->kmsg.seen = TDX_LOG_MODULE_INIT;
	k(&f->conf);
	kv(&f->min_module_version, 1, 5, 16);
}

/* The image facts of a TDX-capable new kernel with a good command line. */
static void image_ok(struct tdx_facts *f)
{
	ks(&f->image_version, "7.2.1 (builder@host) #1 SMP");
	ks(&f->image_config, "/boot/config-7.2.1");
	kb(&f->cfg_tdx_host, true);
	kb(&f->cfg_hibernation, true);
	k(&f->cmdline.f);
	snprintf(f->cmdline.v, sizeof(f->cmdline.v), "root=/dev/sda1 ro nohibernate");
}

/* Mutators, one per row. */
static void m_none(struct tdx_facts *f) { }
static void m_no_disable(struct tdx_facts *f) { kb(&f->disable_path, false); }
static void m_disable_unknown(struct tdx_facts *f)
{
	bad(&f->disable_path.f, ELOOP, "cannot read /proc/kallsyms: Too many levels");
}
static void m_gnr_old(struct tdx_facts *f)
{
	kb(&f->tdx_pw_mce, false);
	kb(&f->disable_path, false);
	gone(&f->module_version.f);
}
static void m_gnr_old_strict(struct tdx_facts *f)
{
	m_gnr_old(f);
	f->tdx_lost_nogo = true;
}
static void m_state_unknown(struct tdx_facts *f)
{
	m_gnr_old(f);
	gone(&f->kvm_tdx.f);
	gone(&f->keyid_capacity.f);
	bad(&f->kmsg.f, EPERM, "cannot read /dev/kmsg: Operation not permitted");
}
static void m_never_init(struct tdx_facts *f)
{
	m_gnr_old(f);
	kb(&f->kvm_tdx, false);
	kn(&f->keyid_capacity, 0);
	f->kmsg.seen = 0;
}
static void m_old_module(struct tdx_facts *f) { kv(&f->module_version, 1, 5, 6); }
static void m_no_min(struct tdx_facts *f) { gone(&f->min_module_version.f); }
static void m_no_version(struct tdx_facts *f) { gone(&f->module_version.f); }
static void m_no_min_gnr(struct tdx_facts *f)
{
	kb(&f->tdx_pw_mce, false);
	gone(&f->min_module_version.f);
}
static void m_no_version_gnr(struct tdx_facts *f)
{
	kb(&f->tdx_pw_mce, false);
	gone(&f->module_version.f);
}
static void m_no_flag_evidence(struct tdx_facts *f)
{
	kb(&f->tdx_host_platform, false);
	kb(&f->tdx_pw_mce, false);
	kn(&f->live_tds, 2);
}
static void m_release_616(struct tdx_facts *f)
{
	m_gnr_old(f);
	ks(&f->release, "6.16.8-amd64");
	kb(&f->kexec_flush, false);
}
static void m_release_68_backport(struct tdx_facts *f)
{
	m_gnr_old(f);
	ks(&f->release, "6.8.0-1020-intel");
	kb(&f->kexec_flush, true);
}
static void m_release_unknown(struct tdx_facts *f)
{
	m_gnr_old(f);
	bad(&f->release.f, EACCES, "cannot read osrelease: Permission denied");
	bad(&f->kexec_flush.f, EACCES, "cannot read /proc/kallsyms: Permission denied");
}
static void m_live(struct tdx_facts *f) { kn(&f->live_tds, 2); }
static void m_live_unknown(struct tdx_facts *f) { gone(&f->live_tds.f); }
static void m_live_unknown_nokvm(struct tdx_facts *f)
{
	gone(&f->live_tds.f);
	kb(&f->kvm_tdx, false);
}
static void m_updating(struct tdx_facts *f) { ks(&f->update_status, "programming"); }
static void m_update_failed(struct tdx_facts *f) { ks(&f->update_error, "programming:hw-error"); }
static void m_module_dead(struct tdx_facts *f)
{
	bad(&f->module_version.f, ENXIO, "cannot read version: No such device or address");
	kb(&f->kvm_tdx, false);
	kn(&f->keyid_capacity, 0);
	f->kmsg.seen = TDX_LOG_UPDATE_FAILED;
}
static void m_amd(struct tdx_facts *f)
{
	memset(f, 0, sizeof(*f));
	ks(&f->vendor, "AuthenticAMD");
	kb(&f->tdx_host_platform, false);
	kb(&f->tdx_pw_mce, false);
	bad(&f->conf, EBADMSG, "/etc/kexec-tdx.conf: line 1: unknown key");
}
static void m_bios_only(struct tdx_facts *f)
{
	kb(&f->tdx_host_platform, false);
	kb(&f->tdx_pw_mce, false);
	kn(&f->msr_keyids, 0x000000400000003full);
	gone(&f->module_version.f);
	gone(&f->kvm_tdx.f);
	gone(&f->keyid_capacity.f);
	f->kmsg.seen = TDX_LOG_HIBERNATION;
}
static void m_cpu_unknown(struct tdx_facts *f)
{
	memset(f, 0, sizeof(*f));
	bad(&f->vendor.f, EISDIR, "cannot read /proc/cpuinfo: Is a directory");
	bad(&f->tdx_host_platform.f, EISDIR, "cannot read /proc/cpuinfo: Is a directory");
	bad(&f->tdx_pw_mce.f, EISDIR, "cannot read /proc/cpuinfo: Is a directory");
}
static void m_bad_conf(struct tdx_facts *f)
{
	bad(&f->conf, EBADMSG, "/etc/kexec-tdx.conf: line 3: unknown key 'x'");
	bad(&f->min_module_version.f, EBADMSG, "/etc/kexec-tdx.conf: line 3: unknown key 'x'");
}
static void m_img(struct tdx_facts *f) { image_ok(f); }
static void m_img_notdx(struct tdx_facts *f)
{
	image_ok(f);
	kb(&f->cfg_tdx_host, false);
}
static void m_img_hib(struct tdx_facts *f)
{
	image_ok(f);
	snprintf(f->cmdline.v, sizeof(f->cmdline.v), "root=/dev/sda1 ro");
}
static void m_img_lockdown(struct tdx_facts *f)
{
	image_ok(f);
	snprintf(f->cmdline.v, sizeof(f->cmdline.v), "root=/dev/sda1 lockdown=integrity");
}
static void m_img_nocfg(struct tdx_facts *f)
{
	image_ok(f);
	gone(&f->image_config.f);
	gone(&f->cfg_tdx_host.f);
	gone(&f->cfg_hibernation.f);
}
static void m_img_kvm_off(struct tdx_facts *f)
{
	image_ok(f);
	snprintf(f->cmdline.v, sizeof(f->cmdline.v), "nohibernate kvm_intel.tdx=0 kvm.tdp_mmu=N");
}
static void m_img_unknown(struct tdx_facts *f)
{
	image_ok(f);
	bad(&f->image_version.f, EINVAL, "x: is a cpio archive");
}
static void m_unreadables(struct tdx_facts *f)
{
	bad(&f->seamldr_version.f, EACCES, "cannot read seamldr_version: Permission denied");
	bad(&f->msr_keyids.f, EACCES, "cannot read msr: Permission denied");
	bad(&f->remaining_updates.f, EBADMSG, "num_remaining_updates: expected a decimal count");
	bad(&f->update_error.f, EIO, "cannot read error: Input/output error");
}

struct row {
	const char *name;
	void (*mutate)(struct tdx_facts *);
	enum tdx_action action;
	bool crash;
	bool reboot_now;
	enum tdx_severity verdict;
	const char *want;	/* space-separated codes that must be found */
	const char *unwanted;	/* codes that must not be */
};

#define ST TDX_ACT_STATUS
#define LD TDX_ACT_LOAD
#define EX TDX_ACT_EXEC

static const struct row rows[] = {
	{ "clean handover", m_none, ST, false, false, TDX_INFO, "module-version-ok", "live-tds" },
	{ "erratum, no disable path", m_no_disable, LD, false, false, TDX_NOGO, "pw-mce-refused",
	  "tdx-lost-no-disable module-version-ok" },
	{ "erratum, no disable path, kdump", m_no_disable, LD, true, false, TDX_NOGO,
	  "pw-mce-refused crash-kernel-no-tdx", "" },
	{ "erratum, disable path unknown", m_disable_unknown, ST, false, false, TDX_NOGO,
	  "disable-path-unknown", "pw-mce-refused" },
	{ "erratum, disable path unknown, kdump", m_disable_unknown, LD, true, false, TDX_WARN,
	  "disable-path-unknown", "pw-mce-refused" },
	{ "no erratum, no disable path", m_gnr_old, LD, false, false, TDX_WARN, "tdx-lost-no-disable",
	  "pw-mce-refused" },
	{ "tdx_lost = no-go", m_gnr_old_strict, LD, false, false, TDX_NOGO, "tdx-lost-no-disable", "" },
	{ "module state unknown", m_state_unknown, ST, false, false, TDX_WARN, "module-state-unknown",
	  "tdx-lost-no-disable" },
	{ "module never initialized", m_never_init, ST, false, false, TDX_INFO, "module-not-initialized",
	  "tdx-lost-no-disable" },
	{ "module below minimum", m_old_module, LD, false, false, TDX_NOGO, "module-below-minimum",
	  "module-version-ok" },
	{ "erratum, no minimum configured", m_no_min, LD, false, false, TDX_NOGO,
	  "pw-mce-module-unverified", "module-version-unverified" },
	{ "erratum, no minimum, kdump", m_no_min, LD, true, false, TDX_WARN, "pw-mce-crash-risk",
	  "pw-mce-module-unverified" },
	{ "erratum, module version unknown", m_no_version, EX, false, false, TDX_NOGO,
	  "pw-mce-module-unverified", "module-version-unknown" },
	{ "no erratum, no minimum configured", m_no_min_gnr, ST, false, false, TDX_WARN,
	  "module-version-unverified", "pw-mce-module-unverified" },
	{ "no erratum, module version unknown", m_no_version_gnr, ST, false, false, TDX_WARN,
	  "module-version-unknown", "" },
	{ "no flag, but TDs hold KeyIDs", m_no_flag_evidence, ST, false, false, TDX_NOGO,
	  "tdx-facts-disagree live-tds", "no-tdx-host" },
	{ "TDX on Linux 6.16", m_release_616, LD, false, false, TDX_NOGO,
	  "kernel-lacks-kexec-flush tdx-lost-no-disable", "" },
	{ "TDX on a 6.8 vendor kernel with the flush", m_release_68_backport, LD, false, false,
	  TDX_WARN, "kexec-flush-backported", "kernel-lacks-kexec-flush" },
	{ "release and symbols unreadable", m_release_unknown, LD, false, false, TDX_NOGO,
	  "kernel-lacks-kexec-flush", "" },
	{ "live TDs, staged", m_live, LD, false, false, TDX_WARN, "live-tds", "" },
	{ "live TDs, load and reboot", m_live, LD, false, true, TDX_NOGO, "live-tds", "" },
	{ "live TDs at -e", m_live, EX, false, false, TDX_NOGO, "live-tds", "" },
	{ "live TDs, kdump load", m_live, LD, true, false, TDX_INFO, "crash-kernel-no-tdx",
	  "live-tds module-version-ok" },
	{ "live TDs unknown", m_live_unknown, ST, false, false, TDX_WARN, "live-tds-unknown", "" },
	{ "live TDs unknown, KVM TDX off", m_live_unknown_nokvm, ST, false, false, TDX_INFO, "",
	  "live-tds-unknown" },
	{ "update in progress", m_updating, EX, false, false, TDX_NOGO, "module-update-in-progress", "" },
	{ "update in progress, staged", m_updating, LD, false, false, TDX_WARN,
	  "module-update-in-progress", "" },
	{ "update failed", m_update_failed, ST, false, false, TDX_WARN, "module-update-failed", "" },
	{ "module dead after update", m_module_dead, ST, false, false, TDX_WARN,
	  "module-update-failed module-not-initialized", "module-version-ok" },
	{ "AMD", m_amd, LD, false, false, TDX_INFO, "not-intel", "config-invalid tdx-host-unknown" },
	{ "BIOS TDX, kernel did not", m_bios_only, LD, false, false, TDX_INFO, "tdx-not-enabled",
	  "no-tdx-host" },
	{ "cpuinfo unreadable", m_cpu_unknown, LD, false, false, TDX_WARN, "tdx-host-unknown",
	  "not-intel no-tdx-host" },
	{ "policy malformed", m_bad_conf, ST, false, false, TDX_NOGO, "config-invalid",
	  "module-version-ok module-version-unverified" },
	{ "new kernel fine", m_img, LD, false, false, TDX_INFO, "module-version-ok",
	  "new-kernel-hibernation new-kernel-no-tdx" },
	{ "new kernel without TDX", m_img_notdx, LD, false, false, TDX_WARN, "new-kernel-no-tdx", "" },
	{ "new kernel would hibernate", m_img_hib, LD, false, false, TDX_WARN, "new-kernel-hibernation",
	  "" },
	{ "lockdown makes hibernation unavailable", m_img_lockdown, LD, false, false, TDX_INFO, "",
	  "new-kernel-hibernation" },
	{ "new kernel config unknown", m_img_nocfg, LD, false, false, TDX_WARN,
	  "new-kernel-config-unknown", "" },
	{ "command line turns KVM TDX off", m_img_kvm_off, LD, false, false, TDX_WARN,
	  "cmdline-disables-tdx", "" },
	{ "new kernel unreadable", m_img_unknown, LD, false, false, TDX_WARN, "new-kernel-unknown", "" },
	{ "image rules skip -e", m_img_notdx, EX, false, false, TDX_INFO, "", "new-kernel-no-tdx" },
	{ "image rules skip kdump", m_img_notdx, LD, true, false, TDX_INFO, "crash-kernel-no-tdx",
	  "new-kernel-no-tdx" },
	{ "unreadable facts", m_unreadables, ST, false, false, TDX_WARN,
	  "not-root fact-malformed fact-unreadable", "" },
};

static void check_codes(const struct row *row, const struct tdx_report *r, const char *list,
			bool present)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if ((tdx_report_find(r, tok) != NULL) != present)
			fail_msg("%s: code %s %s", row->name, tok,
				 present ? "missing" : "unexpected");
	}
}

static void table(void **state)
{
	struct tdx_report r;
	struct tdx_facts f;
	size_t i, j;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *row = &rows[i];
		struct tdx_mode m = { row->action, row->crash, row->reboot_now };

		spr72(&f);
		row->mutate(&f);
		tdx_evaluate(&f, &m, &r);
		if (r.verdict != row->verdict)
			fail_msg("%s: verdict %s, expected %s", row->name,
				 tdx_verdict_name(r.verdict), tdx_verdict_name(row->verdict));
		check_codes(row, &r, row->want, true);
		check_codes(row, &r, row->unwanted, false);
		for (j = 0; j < r.n; j++) {
			assert_true(r.f[j].message[0] && r.f[j].remedy[0]);
			assert_true(j == 0 || r.f[j - 1].severity >= r.f[j].severity);
		}
	}
}

/* Whatever is unknown, the verdict is never better than warn. */
static void unknown_is_never_go(void **state)
{
	struct tdx_mode m = { TDX_ACT_LOAD, false };
	struct tdx_report r;
	struct tdx_facts f;

	memset(&f, 0, sizeof(f));
	tdx_evaluate(&f, &m, &r);
	assert_int_equal(r.verdict, TDX_WARN);
	assert_non_null(tdx_report_find(&r, "tdx-host-unknown"));
}

static void messages_name_facts(void **state)
{
	struct tdx_mode m = { TDX_ACT_LOAD, false };
	const struct tdx_finding *x;
	struct tdx_report r;
	struct tdx_facts f;

	spr72(&f);
	m_old_module(&f);
	tdx_evaluate(&f, &m, &r);
	x = tdx_report_find(&r, "module-below-minimum");
	assert_non_null(x);
	assert_non_null(strstr(x->message, "1.5.06 is older than 1.5.16"));
	assert_non_null(strstr(x->message, "partial-write poison"));
	assert_non_null(strstr(x->remedy, "1.5.16 or later"));
	spr72(&f);
	m_live(&f);
	tdx_evaluate(&f, &m, &r);
	x = tdx_report_find(&r, "live-tds");
	assert_non_null(strstr(x->message, "2 TDs are running (2 TDX KeyIDs in use of 63"));
	assert_non_null(strstr(x->message, "scrub"));
	assert_non_null(strstr(x->remedy, "--tdx-wait"));
}

static void json_escapes(void **state)
{
	struct tdx_mode m = { TDX_ACT_STATUS, false };
	struct tdx_report r;
	struct tdx_facts f;
	char *j;

	spr72(&f);
	ks(&f.release, "7.2.0-\"quoted\"\\\x01");
	kb(&f.disable_path, false);
	tdx_evaluate(&f, &m, &r);
	j = tdx_report_json(&r, &f);
	assert_non_null(j);
	assert_non_null(strstr(j, "\"value\":\"7.2.0-\\\"quoted\\\"\\\\\\u0001\""));
	assert_non_null(strstr(j, "\"verdict\":\"no-go\""));
	assert_non_null(strstr(j, "\"schema_version\":1"));
	free(j);
	j = tdx_report_text(&r, &f, "kexec: ");
	assert_non_null(strstr(j, "kexec: TDX handover (status): no-go\n"));
	assert_non_null(strstr(j, "kexec:   no-go pw-mce-refused: "));
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(unknown_is_never_go),
		cmocka_unit_test(messages_name_facts),
		cmocka_unit_test(json_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
