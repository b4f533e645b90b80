/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What kexec-tdx staged, kept in /run/kexec-tdx after a load the kernel took
 * ("staged" for the normal image, "staged-crash" for the kdump image) and
 * removed after an unload.  The kernel itself says only whether an image is
 * loaded, never which: this record is how kexec --show-staged names it and
 * how the reboot check (kexec --tdx-restage) loads the very same files again.
 * The record holds the whole load request, the files' SHA-256 (so a file
 * changed since is noticed), the TDX verdict at load, and when, by whom and
 * in which boot it was written.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kexec/load.h"

struct kx_ctx;

#define KX_STAGED_VERSION 1
#define KX_SHA256_HEX 65

struct kx_staged {
	bool crash;
	bool file_syscall;		/* kexec_file_load; else kexec_load */
	char *image, *initrd, *cmdline;	/* absolute paths; initrd NULL for none */
	char *type;			/* -t, NULL for the first type that takes it */
	char image_sha256[KX_SHA256_HEX], initrd_sha256[KX_SHA256_HEX];
	/* the rest of the request (struct kx_load_req) */
	bool debug, no_cma, force_dtb, no_checks, noefi, reuse_video_type, expect_tdx;
	bool halt_on_mismatch;		/* on_mismatch KX_MISMATCH_HALT; else RESET */
	uint64_t mem_min, mem_max;
	struct kx_console console;
	enum kx_tdx_gate_mode gate;
	/* the TDX check at load: "go", "warn", "no-go (forced)" or "not checked" */
	char tdx[32];
	char tdx_detail[256];		/* finding codes, or why it was not checked */
	char release[96];		/* the image's kernel release, "" unknown */
	/* provenance */
	long long time;			/* seconds since the epoch */
	unsigned int uid;
	char by[64];			/* the program that ran kexec (its parent) */
	char boot_id[40];		/* the boot the load happened in */
};

/* The record file of the normal (or @crash) image under @dir. */
int kx_staged_path(const char *dir, bool crash, char *out, size_t len);

/*
 * Fill @s from a load the kernel just took: the request's files made
 * absolute and hashed, the boot id read through the sysroot.  The caller
 * adds the TDX verdict and the provenance.  0 or -errno with ctx->err.
 */
int kx_staged_from_req(struct kx_ctx *ctx, const struct kx_load_req *req, bool file_syscall,
		       struct kx_staged *s);
/* The request that loads the same files again (pointers into @s). */
void kx_staged_to_req(const struct kx_staged *s, struct kx_load_req *req);
void kx_staged_free(struct kx_staged *s);

int kx_staged_write(struct kx_ctx *ctx, const char *dir, const struct kx_staged *s);
/* -ENOENT when there is none; -EBADMSG with ctx->err for a damaged record. */
int kx_staged_read(struct kx_ctx *ctx, const char *dir, bool crash, struct kx_staged *s);
int kx_staged_remove(struct kx_ctx *ctx, const char *dir, bool crash);

/*
 * Are the files still what was staged?  0, or -ESTALE with ctx->err naming
 * the file whose SHA-256 changed (or that is gone).
 */
int kx_staged_check_files(struct kx_ctx *ctx, const struct kx_staged *s);

/* The SHA-256 of the file at @path, in hex.  0 or -errno with ctx->err. */
int kx_file_sha256_hex(struct kx_ctx *ctx, const char *path, char hex[KX_SHA256_HEX]);
/* This boot's id (/proc/sys/kernel/random/boot_id, through the sysroot); "" if unknown. */
void kx_boot_id(struct kx_ctx *ctx, char out[40]);

/*
 * What the reboot check (kexec --tdx-restage) decided for a kexec reboot,
 * kept across that reboot in @dir/last-kexec (/var/lib/kexec-tdx) so that
 * kexec --tdx-verify in the next boot can say whether the planned kexec
 * happened, and if not, why.  Renamed to last-kexec.reported once reported.
 */
struct kx_decision {
	bool allowed;
	char image[256];
	char release[96];		/* the kernel that was to be started, "" unknown */
	char reason[512];
	long long time;
	char boot_id[40];		/* the boot the check ran in */
};

int kx_decision_write(struct kx_ctx *ctx, const char *dir, const struct kx_decision *d);
/* -ENOENT when there is none (or it was reported already). */
int kx_decision_read(struct kx_ctx *ctx, const char *dir, struct kx_decision *d);
/* Mark the decision reported: it is not reported again in a later boot. */
int kx_decision_consume(struct kx_ctx *ctx, const char *dir);
