// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report as text (for people) and as JSON (for fleet automation; the
 * schema is in kexec(8), TDX HANDOVER, and TDX_SCHEMA_VERSION changes when
 * a key changes meaning or disappears).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/errname.h"
#include "tdx/tdx-internal.h"

enum fact_kind { K_STR, K_NUM, K_HEX, K_BOOL, K_VER, K_KMSG, K_SYM, K_TDS, K_FACT, K_CMDLINE };

struct fact_desc {
	const char *key;	/* stable JSON key */
	enum fact_kind kind;
	size_t off;		/* of the fact in struct tdx_facts */
};

#define F(key, kind, member) { key, kind, offsetof(struct tdx_facts, member) }

static const struct fact_desc facts[] = {
	F("cpu.vendor", K_STR, vendor),
	F("cpu.family", K_NUM, family),
	F("cpu.model", K_NUM, model),
	F("cpu.flags.tdx_host_platform", K_BOOL, tdx_host_platform),
	F("cpu.bugs.tdx_pw_mce", K_BOOL, tdx_pw_mce),
	F("cpu.bugs.seamret_invd_vmcs", K_BOOL, seamret_invd_vmcs),
	F("msr.keyid_partitioning", K_HEX, msr_keyids),
	F("kernel.release", K_STR, release),
	F("kernel.tdx_sys_disable", K_SYM, disable_path),
	F("kernel.kexec_cache_flush", K_SYM, kexec_flush),
	F("kernel.log", K_KMSG, kmsg),
	F("tdx_host.version", K_VER, module_version),
	F("tdx_host.seamldr_version", K_VER, seamldr_version),
	F("tdx_host.num_remaining_updates", K_NUM, remaining_updates),
	F("fw_upload.status", K_STR, update_status),
	F("fw_upload.error", K_STR, update_error),
	F("kvm_intel.tdx", K_BOOL, kvm_tdx),
	F("cgroup.tdx_capacity", K_NUM, keyid_capacity),
	F("cgroup.tdx_current", K_TDS, live_tds),
	F("policy.file", K_FACT, conf),
	F("policy.min_module_version", K_VER, min_module_version),
	F("image.version", K_STR, image_version),
	F("image.config", K_STR, image_config),
	F("image.config.intel_tdx_host", K_BOOL, cfg_tdx_host),
	F("image.config.hibernation", K_BOOL, cfg_hibernation),
	F("image.cmdline", K_CMDLINE, cmdline),
};

#define NR_FACTS (sizeof(facts) / sizeof(facts[0]))

static const void *at(const struct tdx_facts *f, size_t i)
{
	return (const char *)f + facts[i].off;
}

static const struct log_name {
	unsigned int bit;
	const char *name;
} log_names[] = {
	{ TDX_LOG_MODULE_INIT, "module-initialized" },
	{ TDX_LOG_INIT_FAILED, "module-init-failed" },
	{ TDX_LOG_NOT_LOADED, "module-not-loaded" },
	{ TDX_LOG_HIBERNATION, "init-failed-hibernation" },
	{ TDX_LOG_FEW_KEYIDS, "init-failed-keyids" },
	{ TDX_LOG_KEXEC_REFUSED, "kexec-refused-pw-mce" },
	{ TDX_LOG_UPDATE_FAILED, "update-failed" },
	{ TDX_LOG_BIOS_ENABLED, "bios-enabled" },
};

static void log_list(struct kx_buf *sb, unsigned int seen, bool json)
{
	const char *sep = "";
	size_t i;

	for (i = 0; i < sizeof(log_names) / sizeof(log_names[0]); i++) {
		if (!(seen & log_names[i].bit))
			continue;
		kx_buf_printf(sb, json ? "%s\"%s\"" : "%s%s", sep, log_names[i].name);
		sep = json ? "," : " ";
	}
}

/* The value of a known fact, as JSON. */
static void json_value(struct kx_buf *sb, const struct tdx_facts *f, size_t i)
{
	const void *p = at(f, i);

	switch (facts[i].kind) {
	case K_STR:
		kx_buf_json_str(sb, ((const struct tdx_str *)p)->v);
		break;
	case K_CMDLINE:
		kx_buf_json_str(sb, ((const struct tdx_cmdline *)p)->v);
		break;
	case K_NUM:
	case K_TDS:
		kx_buf_printf(sb, "%llu", (unsigned long long)((const struct tdx_num *)p)->v);
		break;
	case K_HEX:
		kx_buf_printf(sb, "\"0x%016llx\"",
			      (unsigned long long)((const struct tdx_num *)p)->v);
		break;
	case K_BOOL:
	case K_SYM:
		kx_buf_printf(sb, "%s", ((const struct tdx_bool *)p)->v ? "true" : "false");
		break;
	case K_VER: {
		const struct tdx_ver *v = p;

		kx_buf_printf(sb, "\"%u.%u.%02u\"", v->major, v->minor, v->update);
		break;
	}
	case K_KMSG:
		kx_buf_printf(sb, "[");
		log_list(sb, ((const struct tdx_kmsg *)p)->seen, true);
		kx_buf_printf(sb, "]");
		break;
	case K_FACT:
		kx_buf_printf(sb, "true");
		break;
	}
}

/* Where a symbol fact's answer came from. */
static enum tdx_symsrc sym_src(const struct tdx_facts *f, size_t i)
{
	return at(f, i) == &f->kexec_flush ? f->flush_src : f->disable_src;
}

/* Members some facts add: how they were found. */
static void json_extra(struct kx_buf *sb, const struct tdx_facts *f, size_t i)
{
	if (facts[i].kind == K_SYM && sym_src(f, i) != TDX_SYM_NONE)
		kx_buf_printf(sb, ",\"via\":\"%s\"",
			      sym_src(f, i) == TDX_SYM_BTF ? "btf" : "kallsyms");
	if (facts[i].kind == K_TDS && f->live_tds_cgroups)
		kx_buf_printf(sb, ",\"summed_cgroups\":%u", f->live_tds_cgroups);
	if (facts[i].kind == K_KMSG)
		kx_buf_printf(sb, ",\"complete\":%s,\"records\":%lu",
			      f->kmsg.complete ? "true" : "false", f->kmsg.records);
}

static void json_fact(struct kx_buf *sb, const struct tdx_facts *f, size_t i)
{
	const struct tdx_fact *x = at(f, i);
	const char *en = kx_errno_name(x->err);

	kx_buf_json_str(sb, facts[i].key);
	kx_buf_printf(sb, ":{\"state\":\"%s\",\"source\":", tdx_state_name(x->state));
	kx_buf_json_str(sb, x->source);
	if (x->state == TDX_KNOWN) {
		kx_buf_printf(sb, ",\"value\":");
		json_value(sb, f, i);
		json_extra(sb, f, i);
	} else if (x->state == TDX_UNREADABLE) {
		if (en)
			kx_buf_printf(sb, ",\"errno\":\"%s\"", en);
		else
			kx_buf_printf(sb, ",\"errno\":\"E%d\"", x->err);
		kx_buf_printf(sb, ",\"error\":");
		kx_buf_json_str(sb, x->detail);
	}
	kx_buf_printf(sb, "}");
}

static const char *action_name(const struct tdx_mode *m)
{
	if (m->action == TDX_ACT_EXEC)
		return "exec";
	if (m->action == TDX_ACT_VERIFY)
		return "verify";
	if (m->action == TDX_ACT_LOAD)
		return m->crash ? "crash-load" : "load";
	return m->crash ? "crash-status" : "status";
}

char *tdx_report_json(const struct tdx_report *r, const struct tdx_facts *f)
{
	struct kx_buf sb = KX_BUF_INIT(0);
	size_t i;

	kx_buf_printf(&sb, "{\"schema\":\"kexec-tdx-report\",\"schema_version\":%d,"
		      "\"verdict\":\"%s\",\"action\":\"%s\",\"facts_from\":", TDX_SCHEMA_VERSION,
		      tdx_verdict_name(r->verdict), action_name(&r->mode));
	kx_buf_json_str(&sb, r->root);
	kx_buf_printf(&sb, ",\"recorded\":%s,\"findings\":[", r->recorded ? "true" : "false");
	for (i = 0; i < r->n; i++) {
		const struct tdx_finding *x = &r->f[i];

		kx_buf_printf(&sb, "%s{\"code\":\"%s\",\"severity\":\"%s\",\"message\":",
			      i ? "," : "", x->code, tdx_severity_name(x->severity));
		kx_buf_json_str(&sb, x->message);
		kx_buf_printf(&sb, ",\"remedy\":");
		kx_buf_json_str(&sb, x->remedy);
		kx_buf_printf(&sb, "}");
	}
	kx_buf_printf(&sb, "],\"facts\":{");
	for (i = 0; i < NR_FACTS; i++) {
		kx_buf_printf(&sb, "%s", i ? "," : "");
		json_fact(&sb, f, i);
	}
	kx_buf_printf(&sb, "}}\n");
	return kx_buf_steal(&sb);
}

/* A fact's value for people. */
static void text_value(struct kx_buf *sb, const struct tdx_facts *f, size_t i)
{
	const void *p = at(f, i);

	switch (facts[i].kind) {
	case K_BOOL:
	case K_SYM:
		kx_buf_printf(sb, "%s", ((const struct tdx_bool *)p)->v ? "yes" : "no");
		break;
	case K_KMSG:
		kx_buf_printf(sb, "%lu records%s; TDX lines: ", f->kmsg.records,
			      f->kmsg.complete ? " since boot" : "");
		if (f->kmsg.seen)
			log_list(sb, f->kmsg.seen, false);
		else
			kx_buf_printf(sb, "none");
		break;
	case K_STR:
		if (!((const struct tdx_str *)p)->v[0]) {
			kx_buf_printf(sb, "(empty)");
			break;
		}
		/* fall through */
	default:
		json_value(sb, f, i);
		break;
	}
	if (facts[i].kind == K_SYM && sym_src(f, i) != TDX_SYM_NONE)
		kx_buf_printf(sb, " (%s)", sym_src(f, i) == TDX_SYM_BTF ? "BTF" : "kallsyms");
	if (facts[i].kind == K_TDS && f->live_tds_cgroups)
		kx_buf_printf(sb, " (summed over %u child cgroups)", f->live_tds_cgroups);
}

static void text_facts(struct kx_buf *sb, const struct tdx_facts *f, const char *prefix)
{
	size_t i;

	kx_buf_printf(sb, "%sFacts:\n", prefix);
	for (i = 0; i < NR_FACTS; i++) {
		const struct tdx_fact *x = at(f, i);

		if (x->state == TDX_NOT_READ)
			continue;
		kx_buf_printf(sb, "%s  %-31s ", prefix, facts[i].key);
		if (x->state == TDX_KNOWN)
			text_value(sb, f, i);
		else if (x->state == TDX_ABSENT)
			kx_buf_printf(sb, "absent (%s)", x->source);
		else
			kx_buf_printf(sb, "unreadable: %s", x->detail);
		kx_buf_printf(sb, "\n");
	}
}

char *tdx_report_text(const struct tdx_report *r, const struct tdx_facts *facts_or_null,
		      const char *prefix)
{
	struct kx_buf sb = KX_BUF_INIT(0);
	size_t i;

	if (!prefix)
		prefix = "";
	kx_buf_printf(&sb, "%sTDX handover (%s): %s\n", prefix, action_name(&r->mode),
		      tdx_verdict_name(r->verdict));
	if (r->recorded)
		kx_buf_printf(&sb, "%s  facts from %s (a recorded host tree), not from this machine\n",
			      prefix, r->root);
	for (i = 0; i < r->n; i++) {
		const struct tdx_finding *x = &r->f[i];

		kx_buf_printf(&sb, "%s  %-5s %s: %s\n", prefix, tdx_severity_name(x->severity),
			      x->code, x->message);
		if (x->severity != TDX_INFO)
			kx_buf_printf(&sb, "%s        remedy: %s\n", prefix, x->remedy);
	}
	if (facts_or_null)
		text_facts(&sb, facts_or_null, prefix);
	return kx_buf_steal(&sb);
}
