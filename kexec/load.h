/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The loader's actions, each taking a narrow request: what to load, where
 * from, with which command line and flags.  Each returns 0 or -errno with
 * ctx->err explaining a failure a person can act on (ctx->failed_call says
 * whether it was the kernel's answer); none prints.  All kernel calls go
 * through ctx->ops.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "freestanding/gate-record.h"
#include "freestanding/purgatory-abi.h"

struct kx_ctx;

/* The purgatory's console (kexec-tools' --console-serial, --serial, ...). */
struct kx_console {
	bool serial, vga, reset_vga;
	uint16_t serial_base;	/* 0: 0x3f8 */
	uint32_t serial_baud;	/* 0: keep the UART's divisor */
};

/*
 * Test builds only (tests/helpers/kexec-testhooks): make a real load look
 * like something that cannot be arranged from outside.  Never set by the
 * kexec program.
 */
struct kx_test_hooks {
	bool corrupt;		/* the digest of byte corrupt_off of segment corrupt_seg */
	unsigned int corrupt_seg;	/* expects that byte inverted, as if memory had */
	uint64_t corrupt_off;	/* been corrupted after the load */
	int gate_mode;		/* -1, or the gate mode to run (ENFORCE also expects TDX) */
	bool gate_gp;		/* every MSR read of the gate raises #GP */
};

/* One load, through either system call. */
struct kx_load_req {
	const char *kernel;	/* path of the image */
	const char *initrd;	/* path, or NULL */
	const char *cmdline;	/* the new kernel's whole command line */
	bool crash;		/* a kdump kernel (-p) */
	/* kexec_file_load flags */
	bool debug, no_cma, force_dtb;
	/* kexec_load */
	const char *type;	/* image type (-t); NULL: the first whose probe takes it */
	uint64_t mem_min, mem_max;
	bool no_checks;		/* -i: the purgatory does not check digests */
	/* a digest mismatch: cold reset through firmware (0, the default) or halt */
	enum kx_mismatch_action on_mismatch;
	bool noefi, reuse_video_type;
	struct kx_console console;
	/* kexec_load of a crash kernel */
	bool pass_memmap_cmdline;	/* its map as memmap= words, the full one in its zero page */
	bool hotplug;		/* the kernel rewrites the header (KEXEC_UPDATE_ELFCOREHDR) */
	enum kx_tdx_gate_mode gate;	/* the purgatory's TDX gate */
	bool expect_tdx;	/* this machine is a TDX host: the gate may reset */
	const struct kx_test_hooks *hooks;	/* NULL */
};

/* The new kernel's command line, from its parts. */
struct kx_cmdline_req {
	bool reuse;		/* start from /proc/cmdline without BOOT_IMAGE= ... */
	bool crash;		/* ... and without crashkernel= for a kdump kernel */
	const char *append;	/* then this; NULL for nothing */
};

/* Build the command line; *out is malloc'd, never NULL on success. */
int kx_cmdline_build(struct kx_ctx *ctx, const struct kx_cmdline_req *r, char **out);

/* kexec_file_load(2) of req->kernel.  -ENOSYS etc. come back unchanged for the fallback. */
int kx_load_file(struct kx_ctx *ctx, const struct kx_load_req *req);
/* kexec_load(2) of req->kernel with our purgatory. */
int kx_load_classic(struct kx_ctx *ctx, const struct kx_load_req *req);
/* Unload the normal or (@crash) crash image through either syscall. */
int kx_unload(struct kx_ctx *ctx, bool crash, bool file_syscall);
/* 1 if a normal (or crash) image is loaded, 0 if not, -errno if unknown. */
int kx_loaded(struct kx_ctx *ctx, bool crash);

/* The errnos after which kexec-tools' -a retries with kexec_load. */
bool kx_file_load_falls_back(int err);
