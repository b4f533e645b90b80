/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TDX host library: facts about the running TDX host and about the
 * kernel image being loaded, read through a sysroot; the rules that turn
 * them into a report (go, warn, no-go and the reasons); and the report as
 * text or JSON.  Nothing here prints or exits: readers fill facts, the rules
 * fill a report, the renderers return a malloc'd string.
 *
 * Every fact is known, absent (the file or the line does not exist) or
 * unreadable (with the errno; malformed content is unreadable with EBADMSG
 * and a detail naming the file and what was expected).  A fact is never
 * guessed; the rules treat an unknown fact as lowered confidence, never as
 * a reason to say go.  The kernel interfaces are described in
 * Documentation/ABI/testing/sysfs-devices-faux-tdx-host and
 * arch/x86/virt/vmx/tdx/tdx.c of Linux.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kx_ctx;
struct kx_sysroot;
struct kx_bzimage;

/* Bumped when a key of the JSON report changes meaning or disappears. */
#define TDX_SCHEMA_VERSION 1

enum tdx_state {
	TDX_NOT_READ = 0,	/* not looked at: not needed here, or no image */
	TDX_KNOWN,
	TDX_ABSENT,		/* the file, or the line in it, does not exist */
	TDX_UNREADABLE,		/* err says why; EBADMSG: malformed content */
};

struct tdx_fact {
	enum tdx_state state;
	int err;		/* positive errno when unreadable */
	char source[96];	/* the file the fact came (or would come) from */
	char detail[200];	/* unreadable: what went wrong, naming the file */
};

struct tdx_bool {
	struct tdx_fact f;
	bool v;
};

struct tdx_num {
	struct tdx_fact f;
	uint64_t v;
};

/* A TDX module or P-SEAMLDR version, "major.minor.update" (TDX_VERSION_FMT). */
struct tdx_ver {
	struct tdx_fact f;
	unsigned int major, minor, update;
};

struct tdx_str {
	struct tdx_fact f;
	char v[160];
};

/* A kernel command line (x86 COMMAND_LINE_SIZE is 2048; kexec_file_load takes more). */
struct tdx_cmdline {
	struct tdx_fact f;
	char v[4096];
};

/* Kernel log lines the rules care about (arch/x86/virt/vmx/tdx/tdx.c and friends). */
enum tdx_log_line {
	TDX_LOG_MODULE_INIT = 1u << 0,		/* TDX-Module initialized (or vendor text) */
	TDX_LOG_INIT_FAILED = 1u << 1,		/* TDX-Module initialization failed */
	TDX_LOG_NOT_LOADED = 1u << 2,		/* virt/tdx: module not loaded */
	TDX_LOG_HIBERNATION = 1u << 3,		/* initialization failed: Hibernation ... */
	TDX_LOG_FEW_KEYIDS = 1u << 4,		/* initialization failed: too few ... KeyIDs */
	TDX_LOG_KEXEC_REFUSED = 1u << 5,	/* kexec: Not allowed on platform with tdx_pw_mce */
	TDX_LOG_UPDATE_FAILED = 1u << 6,	/* seamldr: update failed */
	TDX_LOG_BIOS_ENABLED = 1u << 7,		/* BIOS enabled: private KeyID range */
};

struct tdx_kmsg {
	struct tdx_fact f;
	unsigned int seen;	/* TDX_LOG_* bits */
	bool complete;		/* the log starts at record 0: nothing lost since boot */
	unsigned long records;
};

/* Where the answer to "does the running kernel have tdx_sys_disable()" came from. */
enum tdx_symsrc {
	TDX_SYM_NONE,
	TDX_SYM_BTF,		/* /sys/kernel/btf/vmlinux: a FUNC or VAR of that name */
	TDX_SYM_KALLSYMS,	/* /proc/kallsyms */
};

struct tdx_facts {
	/* Where the facts were read: "/" (this machine) or a recorded host tree. */
	char root[256];
	bool recorded;

	/* /proc/cpuinfo, first processor */
	struct tdx_str vendor;
	struct tdx_num family, model;
	struct tdx_bool tdx_host_platform;	/* flags */
	struct tdx_bool tdx_pw_mce;		/* bugs */
	struct tdx_bool seamret_invd_vmcs;	/* bugs */
	struct tdx_str release;			/* /proc/sys/kernel/osrelease */
	struct tdx_num msr_keyids;		/* MSR 0x87 via /dev/cpu/0/msr */

	/* /sys/devices/faux/tdx_host (and the older seamldr/ layout) */
	struct tdx_ver module_version;
	struct tdx_ver seamldr_version;
	struct tdx_num remaining_updates;
	/* /sys/class/firmware/tdx_module */
	struct tdx_str update_status;
	struct tdx_str update_error;		/* "" when the last update did not fail */

	struct tdx_bool kvm_tdx;		/* /sys/module/kvm_intel/parameters/tdx */
	struct tdx_num keyid_capacity;		/* misc.capacity "tdx" */
	struct tdx_num live_tds;		/* misc.current "tdx": HKIDs in use, one per TD */
	unsigned int live_tds_cgroups;		/* > 0: summed over that many child cgroups */

	struct tdx_bool disable_path;		/* tdx_sys_disable() in the running kernel */
	enum tdx_symsrc disable_src;
	/* The 6.18 kexec cache flush (cache_state_incoherent) in a kernel older than 6.18 */
	struct tdx_bool kexec_flush;
	enum tdx_symsrc flush_src;
	struct tdx_kmsg kmsg;			/* /dev/kmsg */

	/* /etc/kexec-tdx.conf */
	struct tdx_fact conf;
	struct tdx_ver min_module_version;	/* absent: not configured */
	bool tdx_lost_nogo;			/* tdx_lost = no-go */
	bool preflight_explicit;		/* preflight = explicit: only with --tdx-disable */

	/* The image being loaded (TDX_NOT_READ without one). */
	struct tdx_str image_version;		/* the bzImage's kernel version string */
	struct tdx_str image_config;		/* v: where its config came from */
	struct tdx_bool cfg_tdx_host;		/* CONFIG_INTEL_TDX_HOST=y */
	struct tdx_bool cfg_hibernation;	/* CONFIG_HIBERNATION=y */
	struct tdx_cmdline cmdline;		/* the new kernel's command line */
};

/* What is being checked. */
enum tdx_action {
	TDX_ACT_STATUS,		/* --tdx-status */
	TDX_ACT_LOAD,		/* -l, -p, -f or no action */
	TDX_ACT_EXEC,		/* right before the reboot of -e */
	TDX_ACT_VERIFY,		/* --tdx-verify, in the new kernel */
};

struct tdx_mode {
	enum tdx_action action;
	bool crash;		/* -p: a kdump kernel */
	/*
	 * TDX_ACT_LOAD only: the reboot follows at once (-f, or no action:
	 * load, then shutdown -r now).  Findings that can change before a
	 * reboot (live TDs, a module update in progress) only warn at a load
	 * that stages a kernel for later; they stop -e, --tdx-status and a
	 * load whose reboot follows at once.
	 */
	bool reboot_now;
};

enum tdx_severity {
	TDX_INFO,
	TDX_WARN,
	TDX_NOGO,
};

#define TDX_MAX_FINDINGS 48

struct tdx_finding {
	const char *code;	/* stable; documented in kexec(8) */
	enum tdx_severity severity;
	char message[480];
	char remedy[360];
};

struct tdx_report {
	struct tdx_mode mode;
	char root[256];		/* the facts' tree (struct tdx_facts root) */
	bool recorded;		/* not this machine's facts: every report says so */
	enum tdx_severity verdict;	/* INFO means go */
	size_t n;
	struct tdx_finding f[TDX_MAX_FINDINGS];
};

/* A context bound to a sysroot (borrowed; it must outlive the context). */
struct tdx_ctx;

int tdx_ctx_new(struct kx_ctx *kx, struct kx_sysroot *root, struct tdx_ctx **out);
void tdx_ctx_free(struct tdx_ctx *t);
/* What the last failed call of the library left: a sentence naming the file; "" if none. */
const char *tdx_ctx_error(const struct tdx_ctx *t);

/* Every host fact and the policy file.  Returns 0 or -ENOMEM. */
int tdx_read_host(struct tdx_ctx *t, struct tdx_facts *f);
/*
 * The cheap part, enough for tdx_is_host(): the CPU, the release, the policy,
 * the tdx_host driver, kvm_intel and the misc cgroup.  Returns 0.
 */
int tdx_read_host_brief(struct tdx_ctx *t, struct tdx_facts *f);

enum tdx_answer { TDX_ANSWER_NO, TDX_ANSWER_YES, TDX_ANSWER_UNSURE };
/*
 * Is this a TDX host: did the running kernel enable TDX, by its flag or by
 * the evidence (a vendor kernel may lack the flag)?  UNSURE on an Intel CPU
 * whose state cannot be read, which callers treat as a TDX host.
 */
enum tdx_answer tdx_is_host(const struct tdx_facts *f);
/* Facts about the image at @path (a real path, as given to -l) and its command line. */
int tdx_read_image(struct tdx_ctx *t, const char *path, const char *cmdline, struct tdx_facts *f);

/* The readers tdx_read_host() runs, one per observable (for tests and --tdx-wait). */
void tdx_read_cpuinfo(struct tdx_ctx *t, struct tdx_facts *f);
void tdx_read_release(struct tdx_ctx *t, struct tdx_facts *f);
void tdx_read_msr(struct tdx_ctx *t, struct tdx_facts *f);
void tdx_read_tdx_host(struct tdx_ctx *t, struct tdx_facts *f);
void tdx_read_fw_upload(struct tdx_ctx *t, struct tdx_facts *f);
void tdx_read_kvm(struct tdx_ctx *t, struct tdx_facts *f);
void tdx_read_misc(struct tdx_ctx *t, struct tdx_facts *f);
void tdx_read_live_tds(struct tdx_ctx *t, struct tdx_facts *f);
/* tdx_sys_disable() and the kexec cache flush: BTF for a "yes", /proc/kallsyms otherwise. */
void tdx_read_disable_path(struct tdx_ctx *t, struct tdx_facts *f);
void tdx_read_kexec_flush(struct tdx_ctx *t, struct tdx_facts *f);
void tdx_read_kmsg(struct tdx_ctx *t, struct tdx_facts *f);
void tdx_read_conf(struct tdx_ctx *t, struct tdx_facts *f);

/*
 * Image helpers.  tdx_config_parse() reads CONFIG_INTEL_TDX_HOST and
 * CONFIG_HIBERNATION from a .config text; tdx_ikconfig() finds the config a
 * kernel built with CONFIG_IKCONFIG carries in its compressed payload and
 * returns it decompressed (malloc'd), -ENOENT when there is none.
 */
int tdx_config_parse(const char *name, const char *text, size_t len, struct tdx_facts *f);
int tdx_ikconfig(struct kx_ctx *kx, const struct kx_bzimage *bz, char **text, size_t *len);

/* Parse "M.m.u" strictly (one trailing newline allowed). 0 or -EINVAL. */
int tdx_parse_version(const char *s, struct tdx_ver *v);
int tdx_version_cmp(const struct tdx_ver *a, const struct tdx_ver *b);
/* A kernel release against @major.@minor: -1 older, 0 same, 1 newer; -EINVAL unparseable. */
int tdx_release_cmp(const char *release, unsigned int major, unsigned int minor);

#include "freestanding/gate-record.h"

/* The gate record this boot was started with, and the setup_data node it came in. */
struct tdx_gate_found {
	unsigned int node;			/* N in setup_data/N */
	struct kx_tdx_gate_record rec;
};

/*
 * Find and check the record.  0 with @out filled; -ENOENT when this boot has
 * no gate record (not started by our kexec_load, or the gate was off);
 * -EINVAL with tdx_ctx_error() naming the file when a record is malformed.
 */
int tdx_gate_record_read(struct tdx_ctx *t, struct tdx_gate_found *out);

/*
 * --tdx-verify, in the kernel a kexec started: did TDX come back up, and
 * what did our purgatory's gate record between the kernels (@gate NULL when
 * this boot has no record).  Pure: no I/O.  Verdict go: TDX is back (or there
 * is nothing to bring back); warn: it cannot be confirmed yet; no-go: it is
 * not back.
 */
void tdx_verify(const struct tdx_facts *f, const struct kx_tdx_gate_record *gate,
		struct tdx_report *r);

/* The rules: fill @r from the facts.  Pure: no I/O. */
void tdx_evaluate(const struct tdx_facts *f, const struct tdx_mode *m, struct tdx_report *r);
const struct tdx_finding *tdx_report_find(const struct tdx_report *r, const char *code);

const char *tdx_verdict_name(enum tdx_severity s);	/* "go", "warn", "no-go" */
const char *tdx_severity_name(enum tdx_severity s);	/* "info", "warn", "no-go" */
const char *tdx_state_name(enum tdx_state s);

/*
 * Renderers; both return a malloc'd NUL-terminated string or NULL (ENOMEM).
 * Text with @facts lists the facts after the findings; @prefix starts every
 * line ("kexec: " for the preflight).
 */
char *tdx_report_text(const struct tdx_report *r, const struct tdx_facts *facts,
		      const char *prefix);
char *tdx_report_json(const struct tdx_report *r, const struct tdx_facts *f);

/*
 * What the last kexec reboot check decided (kexec --tdx-restage, or -e's
 * re-check), kept across the reboot: --tdx-verify says what became of it.
 */
struct tdx_planned {
	bool allowed;
	bool same_boot;		/* the check ran in this boot: no kexec since */
	char image[256];
	char release[96];	/* the kernel that was to start, "" unknown */
	char reason[512];
	char when[40];		/* "2026-11-30 14:22:05 UTC" */
};

/*
 * Add to a --tdx-verify report what became of the planned kexec: it was
 * refused (the machine rebooted through firmware), this boot is that kexec,
 * or this kernel is not the one that was to start.  Pure: no I/O.
 */
void tdx_verify_planned(const struct tdx_facts *f, const struct tdx_planned *p,
			struct tdx_report *r);
