// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Command-line parsing: one getopt_long pass over the union of kexec-tools'
 * generic, x86_64 and bzImage64 options plus ours.  Option names, the short
 * option string and the action rules follow kexec-tools (kexec/kexec.h,
 * kexec/arch/i386/include/arch/options.h, kexec/kexec.c main()).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/ctx.h"
#include "cli/options.h"
#include "base/parse.h"

enum {
	OPT_EXEC_LIVE_UPDATE = 256,
	OPT_LOAD_PRESERVE_CONTEXT,
	OPT_LOAD_JUMP_BACK_HELPER,
	OPT_LOAD_LIVE_UPDATE,
	OPT_ENTRY,
	OPT_MEM_MIN,
	OPT_MEM_MAX,
	OPT_REUSEINITRD,
	OPT_PRINT_CKR_SIZE,
	OPT_HOTPLUG,
	OPT_NO_CMA,
	OPT_FORCE_DTB,
	/* x86_64 */
	OPT_RESET_VGA,
	OPT_SERIAL,
	OPT_SERIAL_BAUD,
	OPT_CONSOLE_VGA,
	OPT_CONSOLE_SERIAL,
	OPT_ELF32_CORE,
	OPT_ELF64_CORE,
	OPT_PASS_MEMMAP_CMDLINE,
	OPT_NOEFI,
	OPT_REUSE_VIDEO_TYPE,
	/* loaders */
	OPT_APPEND,
	OPT_REUSE_CMDLINE,
	OPT_INITRD,
	OPT_ARGS_ELF,
	OPT_ARGS_LINUX,
	OPT_ARGS_NONE,
	OPT_MODULE,
	OPT_REAL_MODE,
	OPT_ENTRY_32BIT,
	OPT_DTB,
	OPT_UKI_PROFILE,
	/* kexec-tdx */
	OPT_SYSROOT,
	OPT_DRY_RUN,
	OPT_TDX_DISABLE,
	OPT_TDX_WAIT,
	OPT_TDX_FORCE,
	OPT_TDX_STATUS,
	OPT_TDX_VERIFY,
	OPT_TDX_SYSROOT,
	OPT_JSON,
	OPT_LIST_INTERFACES,
	OPT_SHOW_STAGED,
	OPT_TDX_RESTAGE,
	OPT_ON_MISMATCH,
};

static const char short_options[] = "h?vdfixyluet:pscaS";

static const struct option long_options[] = {
	{ "help",			no_argument,		NULL, 'h' },
	{ "version",			no_argument,		NULL, 'v' },
	{ "force",			no_argument,		NULL, 'f' },
	{ "no-checks",			no_argument,		NULL, 'i' },
	{ "no-ifdown",			no_argument,		NULL, 'x' },
	{ "no-sync",			no_argument,		NULL, 'y' },
	{ "load",			no_argument,		NULL, 'l' },
	{ "unload",			no_argument,		NULL, 'u' },
	{ "exec",			no_argument,		NULL, 'e' },
	{ "exec-live-update",		no_argument,		NULL, OPT_EXEC_LIVE_UPDATE },
	{ "load-preserve-context",	no_argument,		NULL, OPT_LOAD_PRESERVE_CONTEXT },
	{ "load-jump-back-helper",	no_argument,		NULL, OPT_LOAD_JUMP_BACK_HELPER },
	{ "load-live-update",		no_argument,		NULL, OPT_LOAD_LIVE_UPDATE },
	{ "entry",			required_argument,	NULL, OPT_ENTRY },
	{ "type",			required_argument,	NULL, 't' },
	{ "load-panic",			no_argument,		NULL, 'p' },
	{ "mem-min",			required_argument,	NULL, OPT_MEM_MIN },
	{ "mem-max",			required_argument,	NULL, OPT_MEM_MAX },
	{ "reuseinitrd",		no_argument,		NULL, OPT_REUSEINITRD },
	{ "kexec-file-syscall",		no_argument,		NULL, 's' },
	{ "kexec-syscall",		no_argument,		NULL, 'c' },
	{ "kexec-syscall-auto",		no_argument,		NULL, 'a' },
	{ "debug",			no_argument,		NULL, 'd' },
	{ "status",			no_argument,		NULL, 'S' },
	{ "print-ckr-size",		no_argument,		NULL, OPT_PRINT_CKR_SIZE },
	{ "hotplug",			no_argument,		NULL, OPT_HOTPLUG },
	{ "no-cma",			no_argument,		NULL, OPT_NO_CMA },
	{ "force-dtb",			no_argument,		NULL, OPT_FORCE_DTB },
	{ "reset-vga",			no_argument,		NULL, OPT_RESET_VGA },
	{ "serial",			required_argument,	NULL, OPT_SERIAL },
	{ "serial-baud",		required_argument,	NULL, OPT_SERIAL_BAUD },
	{ "console-vga",		no_argument,		NULL, OPT_CONSOLE_VGA },
	{ "console-serial",		no_argument,		NULL, OPT_CONSOLE_SERIAL },
	{ "elf32-core-headers",		no_argument,		NULL, OPT_ELF32_CORE },
	{ "elf64-core-headers",		no_argument,		NULL, OPT_ELF64_CORE },
	{ "pass-memmap-cmdline",	no_argument,		NULL, OPT_PASS_MEMMAP_CMDLINE },
	{ "noefi",			no_argument,		NULL, OPT_NOEFI },
	{ "reuse-video-type",		no_argument,		NULL, OPT_REUSE_VIDEO_TYPE },
	{ "command-line",		required_argument,	NULL, OPT_APPEND },
	{ "append",			required_argument,	NULL, OPT_APPEND },
	{ "reuse-cmdline",		no_argument,		NULL, OPT_REUSE_CMDLINE },
	{ "initrd",			required_argument,	NULL, OPT_INITRD },
	{ "ramdisk",			required_argument,	NULL, OPT_INITRD },
	{ "args-elf",			no_argument,		NULL, OPT_ARGS_ELF },
	{ "args-linux",			no_argument,		NULL, OPT_ARGS_LINUX },
	{ "args-none",			no_argument,		NULL, OPT_ARGS_NONE },
	{ "module",			required_argument,	NULL, OPT_MODULE },
	{ "real-mode",			no_argument,		NULL, OPT_REAL_MODE },
	{ "entry-32bit",		no_argument,		NULL, OPT_ENTRY_32BIT },
	{ "dtb",			required_argument,	NULL, OPT_DTB },
	{ "uki-profile",		required_argument,	NULL, OPT_UKI_PROFILE },
	{ "sysroot",			required_argument,	NULL, OPT_SYSROOT },
	{ "dry-run",			no_argument,		NULL, OPT_DRY_RUN },
	{ "tdx-disable",		no_argument,		NULL, OPT_TDX_DISABLE },
	{ "tdx-wait",			required_argument,	NULL, OPT_TDX_WAIT },
	{ "tdx-force",			no_argument,		NULL, OPT_TDX_FORCE },
	{ "tdx-status",			no_argument,		NULL, OPT_TDX_STATUS },
	{ "tdx-verify",			no_argument,		NULL, OPT_TDX_VERIFY },
	{ "tdx-sysroot",		required_argument,	NULL, OPT_TDX_SYSROOT },
	{ "json",			no_argument,		NULL, OPT_JSON },
	{ "list-interfaces",		no_argument,		NULL, OPT_LIST_INTERFACES },
	{ "show-staged",		no_argument,		NULL, OPT_SHOW_STAGED },
	{ "tdx-restage",		no_argument,		NULL, OPT_TDX_RESTAGE },
	{ "on-mismatch",		required_argument,	NULL, OPT_ON_MISMATCH },
	{ NULL, 0, NULL, 0 },
};

/* Options accepted for compatibility whose behaviour is not built. */
struct unsupported {
	int opt;
	const char *name;
	const char *why;
};

static const struct unsupported unsupported[] = {
	{ OPT_EXEC_LIVE_UPDATE, "--exec-live-update", "it is for Xen, which kexec-tdx does not support" },
	{ OPT_LOAD_LIVE_UPDATE, "--load-live-update", "it is for Xen, which kexec-tdx does not support" },
	{ OPT_LOAD_PRESERVE_CONTEXT, "--load-preserve-context", "kexec jump is not supported" },
	{ OPT_LOAD_JUMP_BACK_HELPER, "--load-jump-back-helper", "kexec jump is not supported" },
	{ OPT_ENTRY, "--entry", "kexec jump is not supported" },
	{ OPT_REUSEINITRD, "--reuseinitrd", "reusing this boot's initrd is not supported on x86 "
	  "(kexec-tools does not implement it there either)" },
	{ OPT_ARGS_ELF, "--args-elf", "ELF boot notes are not supported: a vmlinux gets Linux boot "
	  "parameters (--args-linux)" },
	{ OPT_ARGS_NONE, "--args-none", "a vmlinux is always entered through the purgatory with "
	  "Linux boot parameters (--args-linux)" },
	{ OPT_MODULE, "--module", "multiboot images are not supported" },
	{ OPT_REAL_MODE, "--real-mode", "the 16-bit and 32-bit entry points are not supported" },
	{ OPT_ENTRY_32BIT, "--entry-32bit", "the 16-bit and 32-bit entry points are not supported" },
	{ OPT_DTB, "--dtb", "passing a device tree on x86 is not supported yet" },
};

/* A usage error: -EINVAL with the sentence in ctx->err. */
#define usage_error(o, ...) kx_fail((o)->ctx, -EINVAL, __VA_ARGS__)

static void mark_unsupported(struct kx_opts *o, int opt)
{
	size_t i;

	if (o->unsupported)
		return;
	for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
		if (unsupported[i].opt == opt) {
			o->unsupported = unsupported[i].name;
			o->unsupported_why = unsupported[i].why;
		}
	}
}

static int parse_addr(struct kx_opts *o, const char *name, const char *arg, uint64_t *out)
{
	if (kx_parse_u64(arg, 0, out) < 0)
		return usage_error(o, "bad value '%s' for %s: expected an address such as 0x1000000",
				   arg, name);
	return 0;
}

static int parse_serial(struct kx_opts *o, const char *arg)
{
	uint64_t v;

	if (strcmp(arg, "ttyS0") == 0)
		v = 0x3f8;
	else if (strcmp(arg, "ttyS1") == 0)
		v = 0x2f8;
	else if (strncmp(arg, "0x", 2) != 0 || kx_parse_u64(arg, 16, &v) < 0 || v > 0xffff)
		return usage_error(o, "bad serial port base '%s': expected ttyS0, ttyS1 or an I/O port such as 0x3f8",
				   arg);
	o->serial_base = (uint16_t)v;
	return 0;
}

static int parse_baud(struct kx_opts *o, const char *arg)
{
	uint64_t v;

	/* The UART divisor is 115200 / baud, so the rate must divide 115200. */
	if (kx_parse_u64(arg, 0, &v) < 0 || v < 9600 || v > 115200 || 115200 % v)
		return usage_error(o, "bad serial baud rate '%s': expected a divisor of 115200 from 9600 to 115200",
				   arg);
	o->serial_baud = (uint32_t)v;
	return 0;
}

static int parse_profile(struct kx_opts *o, const char *arg)
{
	uint64_t v;

	/* systemd-stub reads at most 256 profiles (UNIFIED_PROFILES_MAX) */
	if (kx_parse_u64(arg, 10, &v) < 0 || v > 255)
		return usage_error(o, "bad value '%s' for --uki-profile: expected a profile number "
				   "from 0 to 255", arg);
	o->uki_profile = (unsigned int)v;
	o->uki_profile_set = true;
	return 0;
}

static int parse_mismatch(struct kx_opts *o, const char *arg)
{
	if (strcmp(arg, "reset") != 0 && strcmp(arg, "halt") != 0)
		return usage_error(o, "bad value '%s' for --on-mismatch: expected reset or halt", arg);
	o->halt_on_mismatch = strcmp(arg, "halt") == 0;
	return 0;
}

static int parse_wait(struct kx_opts *o, const char *arg)
{
	int64_t v;

	if (kx_parse_s64(arg, &v) < 0 || v < 0 || v > 86400)
		return usage_error(o, "bad value '%s' for --tdx-wait: expected seconds from 0 to 86400", arg);
	o->tdx_wait = (int)v;
	return 0;
}

/* The action options, with kexec-tools' assignments in the same order. */
static void set_action(struct kx_opts *o, int opt)
{
	switch (opt) {
	case 'f':
		o->load = true;
		o->shutdown = false;
		o->sync = true;
		o->ifdown = true;
		o->exec = true;
		break;
	case 'l':
		o->has_opt_load = true;
		o->load = true;
		o->exec = false;
		o->shutdown = false;
		break;
	case 'u':
		o->load = false;
		o->shutdown = false;
		o->sync = false;
		o->unload = true;
		break;
	case 'e':
		o->load = false;
		o->shutdown = false;
		o->sync = true;
		o->ifdown = true;
		o->exec = true;
		break;
	case 'p':
		o->load = true;
		o->exec = false;
		o->shutdown = false;
		o->sync = false;
		o->crash = true;
		break;
	}
}

/* The x86_64 and bzImage64 options; -ENOENT when @opt is not one of them. */
static int set_x86_option(struct kx_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case OPT_RESET_VGA:
		o->reset_vga = true;
		return 0;
	case OPT_SERIAL:
		return parse_serial(o, arg);
	case OPT_SERIAL_BAUD:
		return parse_baud(o, arg);
	case OPT_CONSOLE_VGA:
		o->console_vga = true;
		return 0;
	case OPT_CONSOLE_SERIAL:
		o->console_serial = true;
		return 0;
	case OPT_ELF64_CORE:	/* the x86_64 default; accepted as a no-op */
	case OPT_ARGS_LINUX:	/* every image, a vmlinux too, gets Linux boot parameters */
		return 0;
	case OPT_ELF32_CORE:
		/* kexec-tools on x86_64 accepts it and builds ELF64 anyway
		 * (its x86_64 arch_process_options has no case for it) */
		o->elf32_core = true;
		return 0;
	case OPT_PASS_MEMMAP_CMDLINE:
		o->pass_memmap_cmdline = true;
		return 0;
	case OPT_UKI_PROFILE:
		return parse_profile(o, arg);
	case OPT_NOEFI:
		o->noefi = true;
		return 0;
	case OPT_REUSE_VIDEO_TYPE:
		o->reuse_video_type = true;
		return 0;
	case OPT_APPEND:
		o->append = arg;
		return 0;
	case OPT_REUSE_CMDLINE:
		o->reuse_cmdline = true;
		return 0;
	case OPT_INITRD:
		o->initrd = arg;
		return 0;
	}
	return -ENOENT;
}

/* Our own options; -ENOENT when @opt is not one of them. */
static int set_tdx_option(struct kx_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case OPT_SYSROOT:
		o->sysroot = arg;
		return 0;
	case OPT_DRY_RUN:
		o->dry_run = true;
		return 0;
	case OPT_TDX_DISABLE:
		o->tdx_disable = true;
		return 0;
	case OPT_TDX_WAIT:
		return parse_wait(o, arg);
	case OPT_TDX_FORCE:
		o->tdx_force = true;
		return 0;
	case OPT_TDX_STATUS:
		o->tdx_status = true;
		return 0;
	case OPT_TDX_VERIFY:
		o->tdx_verify = true;
		return 0;
	case OPT_TDX_SYSROOT:
		o->tdx_sysroot = arg;
		return 0;
	case OPT_JSON:
		o->json = true;
		return 0;
	case OPT_LIST_INTERFACES:
		o->list_interfaces = true;
		return 0;
	case OPT_SHOW_STAGED:
		o->show_staged = true;
		return 0;
	case OPT_TDX_RESTAGE:
		o->tdx_restage = true;
		return 0;
	case OPT_ON_MISMATCH:
		return parse_mismatch(o, arg);
	}
	return -ENOENT;
}

/* kexec-tools' generic options; -ENOENT when @opt is not one of them. */
static int set_generic_option(struct kx_opts *o, int opt, const char *arg, bool *skip_sync,
			      bool *skip_ifdown)
{
	switch (opt) {
	case 'h':
		o->help = true;
		return 0;
	case 'v':
		o->version = true;
		return 0;
	case 'd':
		o->debug = true;
		return 0;
	case 'x':
		*skip_ifdown = true;
		return 0;
	case 'y':
		*skip_sync = true;
		return 0;
	case 'f': case 'l': case 'u': case 'e': case 'p':
		set_action(o, opt);
		return 0;
	case 't':
		o->type = arg;
		return 0;
	case 'i':
		o->no_checks = true;
		return 0;
	case 's':
		o->syscall = KX_SYSCALL_FILE;
		return 0;
	case 'c':
		o->syscall = KX_SYSCALL_CLASSIC;
		return 0;
	case 'a':
		o->syscall = KX_SYSCALL_AUTO;
		return 0;
	case 'S':
		o->status = true;
		return 0;
	case OPT_PRINT_CKR_SIZE:
		o->print_ckr_size = true;
		return 0;
	case OPT_MEM_MIN:
		return parse_addr(o, "--mem-min", arg, &o->mem_min);
	case OPT_MEM_MAX:
		return parse_addr(o, "--mem-max", arg, &o->mem_max);
	case OPT_NO_CMA:
		o->no_cma = true;
		return 0;
	case OPT_HOTPLUG:
		o->hotplug = true;
		return 0;
	case OPT_FORCE_DTB:
		o->force_dtb = true;
		return 0;
	}
	return -ENOENT;
}

static int set_option(struct kx_opts *o, int opt, const char *arg, bool *skip_sync,
		      bool *skip_ifdown)
{
	int rc = set_generic_option(o, opt, arg, skip_sync, skip_ifdown);

	if (rc == -ENOENT)
		rc = set_x86_option(o, opt, arg);
	if (rc == -ENOENT)
		rc = set_tdx_option(o, opt, arg);
	if (rc == -ENOENT) {
		mark_unsupported(o, opt);
		rc = 0;
	}
	return rc;
}


static void init_defaults(struct kx_opts *o)
{
	memset(o, 0, sizeof(*o));
	/* No action option: load, then run shutdown(8); kexec-tools' defaults. */
	o->load = true;
	o->shutdown = true;
	o->sync = true;
	o->syscall = KX_SYSCALL_AUTO;
	o->mem_max = UINT64_MAX;
	o->serial_base = 0x3f8;
	o->tdx_wait = -1;
	o->run_dir = "/run/kexec-tdx";
	o->state_dir = "/var/lib/kexec-tdx";
	o->journal = "/run/systemd/journal/socket";
	o->bootctl = "bootctl";
}

/* An unknown --name: say so, or list the options an ambiguous prefix matches. */
static int unknown_long(struct kx_opts *o, const char *arg)
{
	size_t len = strcspn(arg + 2, "="), used, matches = 0;
	const struct option *lo;
	char list[160] = "";

	for (lo = long_options; lo->name; lo++) {
		if (strncmp(lo->name, arg + 2, len) != 0)
			continue;
		matches++;
		used = strlen(list);
		snprintf(list + used, sizeof(list) - used, " --%s", lo->name);
	}
	if (matches > 1)
		return usage_error(o, "option '%.*s' is ambiguous; possibilities:%s", (int)len + 2, arg,
				   list);
	return usage_error(o, "unrecognized option '%s'", arg);
}

static bool is_long(const char *arg)
{
	return arg[0] == '-' && arg[1] == '-';
}

/*
 * getopt_long answered '?': -? itself (help), an unknown option or a missing
 * argument.  glibc sets optopt only on an error and keeps it across parses
 * (optind = 0 does not clear it), so for a short option it names this error
 * only if it is one of this argument's letters.
 */
static int question_mark(struct kx_opts *o, char *const argv[], int optind_now, int optopt_now)
{
	const char *arg = argv[optind_now - 1];

	if (!is_long(arg) && (optopt_now <= 0 || optopt_now > 0x7f || optopt_now == '?' ||
			      !strchr(arg + 1, optopt_now))) {
		o->help = true;		/* "-?" is in the short option string */
		return 0;
	}
	if (optopt_now && !is_long(arg))
		return usage_error(o, "invalid option -- '%c'", optopt_now);
	if (optopt_now)
		return usage_error(o, "option '%s' requires an argument", arg);
	return unknown_long(o, arg);
}

/* The option as the user wrote it ("--append"), for messages. */
static const char *given_name(char *const argv[], int optind_now, const char *optarg_now,
			      char *buf, size_t len)
{
	const char *arg = argv[optind_now - 1];

	if (optarg_now && arg == optarg_now && optind_now >= 2)
		arg = argv[optind_now - 2];	/* "--append value": the option came first */
	snprintf(buf, len, "%s", arg);
	buf[strcspn(buf, "=")] = '\0';
	return buf;
}

/* kexec-tools rejects loader options without a load (its "bogus options" check). */
static void note_loader_opt(struct kx_opts *o, int opt, char *const argv[])
{
	if (o->loader_opt || opt < OPT_APPEND || opt > OPT_UKI_PROFILE)
		return;
	o->loader_opt = given_name(argv, optind, optarg, o->loader_opt_buf,
				   sizeof(o->loader_opt_buf));
}

int kx_opts_parse(struct kx_ctx *ctx, struct kx_opts *o, int argc, char *const argv[])
{
	bool skip_sync = false, skip_ifdown = false;
	int opt, rc;

	init_defaults(o);
	o->ctx = ctx;
	opterr = 0;
	optind = 0;	/* glibc: full re-initialisation */
	while ((opt = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		if (opt == '?') {
			rc = question_mark(o, argv, optind, optopt);
			if (rc < 0)
				return rc;
			continue;
		}
		note_loader_opt(o, opt, argv);
		rc = set_option(o, opt, optarg, &skip_sync, &skip_ifdown);
		if (rc < 0)
			return rc;
	}
	if (skip_ifdown)
		o->ifdown = false;
	if (skip_sync)
		o->sync = false;
	if (optind < argc)
		o->kernel = argv[optind++];
	if (optind < argc)
		return usage_error(o, "unexpected argument '%s' after the kernel '%s'",
				   argv[optind], o->kernel);
	if (o->mem_min > o->mem_max)
		return usage_error(o, "--mem-min (0x%llx) is above --mem-max (0x%llx)",
				   (unsigned long long)o->mem_min, (unsigned long long)o->mem_max);
	return 0;
}
