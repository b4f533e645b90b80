/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The whole command line, parsed once.  Actions follow kexec-tools'
 * last-writer-wins rules (kexec/kexec.c main() in kexec-tools): for example
 * "-p -u" unloads the crash kernel while "-u -p" unloads and then loads.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum kx_syscall {
	KX_SYSCALL_AUTO,	/* -a: kexec_file_load, falling back to kexec_load (default) */
	KX_SYSCALL_FILE,	/* -s: kexec_file_load only */
	KX_SYSCALL_CLASSIC,	/* -c: kexec_load only */
};

/* Exit codes; 0, 1, 253, 254 and 255 are kexec-tools'. */
enum kx_exit {
	KX_EXIT_OK = 0,
	KX_EXIT_USAGE = 1,		/* also -S: a kernel is loaded */
	KX_EXIT_UNSUPPORTED = 3,	/* an option or case this build does not do */
	KX_EXIT_TDX_NOGO = 4,		/* TDX preflight: no-go, nothing was loaded */
	KX_EXIT_TDX_WARN = 5,		/* --tdx-status: verdict "warn" */
	KX_EXIT_FALLBACK = 253,		/* kexec_file_load unusable and no fallback */
	KX_EXIT_NOCRASH = 254,		/* no crash kernel reservation */
	KX_EXIT_FAILED = 255,		/* load, unload or exec failed */
};

struct kx_opts {
	/* Actions, as kexec-tools resolves them. */
	bool load, exec, shutdown, unload, status, sync, ifdown;
	bool has_opt_load;	/* -l was given (selects the normal image for -S) */
	bool crash;		/* -p: the image is for kdump */
	bool help, version, print_ckr_size;

	enum kx_syscall syscall;
	bool no_checks;		/* -i */
	bool halt_on_mismatch;	/* --on-mismatch=halt (default reset) */
	bool debug;		/* -d */
	bool dry_run;
	const char *type;	/* -t */
	uint64_t mem_min, mem_max;
	bool no_cma, force_dtb;

	/* x86_64 */
	bool reset_vga, console_vga, console_serial;
	uint16_t serial_base;
	uint32_t serial_baud;
	bool noefi, reuse_video_type;
	/* kdump through kexec_load */
	bool hotplug;		/* --hotplug */
	bool pass_memmap_cmdline;	/* --pass-memmap-cmdline */
	bool elf32_core;	/* --elf32-core-headers: ELF64 is built anyway (kexec-tools) */

	/* bzImage64 */
	const char *append;	/* --append and --command-line: the last one wins */
	bool reuse_cmdline;
	const char *initrd;	/* --initrd and --ramdisk */

	/* TDX */
	bool tdx_disable, tdx_status, tdx_verify, tdx_force, json;
	/* Set by --tdx-restage only: the reboot follows this load at once, so
	 * findings that can still change before a reboot count in full. */
	bool reboot_follows;
	int tdx_wait;		/* seconds; -1 when not given */
	const char *tdx_sysroot;

	const char *sysroot;
	const char *kernel;

	/* The first loader option given (--append, --initrd, ...), for the check
	 * that it comes with a load. */
	const char *loader_opt;
	char loader_opt_buf[64];

	/* The first option given whose behaviour this build does not have. */
	const char *unsupported;
	const char *unsupported_why;

	/* Test builds only (tests/helpers/kexec-testhooks): see kexec/load.h. */
	const struct kx_test_hooks *hooks;
	bool list_interfaces;	/* --list-interfaces */
	bool show_staged;	/* --show-staged */
	bool tdx_restage;	/* --tdx-restage: the check a kexec reboot starts with */

	/* Where kexec-tdx keeps its records, and the journal it writes the
	 * audit trail to (NULL: none, as in a dry run).  Only test builds move
	 * them (cli/main.c). */
	const char *run_dir;	/* /run/kexec-tdx: what was staged */
	const char *state_dir;	/* /var/lib/kexec-tdx: the last kexec reboot's decision */
	const char *journal;	/* /run/systemd/journal/socket */
	const char *bootctl;	/* bootctl, for the default boot entry */
	bool records_readonly;	/* the records are a recorded host tree's (--sysroot) */

	struct kx_ctx *ctx;	/* where a usage error's sentence goes */
};

struct kx_ctx;
struct kx_test_hooks;

/*
 * Parse argv into @o.  Returns 0, or -EINVAL with ctx->err saying what is
 * wrong for a usage error (unknown option, bad value, stray argument).  An
 * option that is accepted but not built yet is not an error here: it sets
 * o->unsupported.
 */
int kx_opts_parse(struct kx_ctx *ctx, struct kx_opts *o, int argc, char *const argv[]);
