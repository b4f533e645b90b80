/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Why the kernel refused a load: the likely cause, the facts it rests on
 * (read from the system, never guessed) and the remedy.  The CLI prints it
 * as a sentence and, with --json, as an object (kexec(8), JSON OUTPUT).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct kx_ctx;
struct kx_load_req;

#define KX_DIAG_MAX_FACTS 6

struct kx_diag_fact {
	const char *name;	/* stable key: "lockdown", "cmdline_bytes", ... */
	char value[128];
};

struct kx_diagnosis {
	int err;		/* the kernel's answer, -errno */
	const char *call;	/* "kexec_load" or "kexec_file_load" */
	const char *code;	/* stable: "not-root", "lockdown", "cmdline-too-long", ... */
	char cause[320];	/* what went wrong, for a person */
	char remedy[256];	/* what to do; "" when there is nothing to suggest */
	size_t nfacts;
	struct kx_diag_fact facts[KX_DIAG_MAX_FACTS];
	/* EOPNOTSUPP on a machine that may be a TDX host: the TDX library can
	 * tell more (the loader library does not read TDX state). */
	bool ask_tdx;
};

/*
 * The active lockdown mode, the word in brackets of
 * /sys/kernel/security/lockdown: "none", "integrity", "confidentiality";
 * "unknown" when it cannot be read.  Leaves ctx->err as it was.
 */
void kx_lockdown_mode(struct kx_ctx *ctx, char *out, size_t len);

/*
 * Diagnose @err, the kernel's answer to @call for @req.  Reads what it needs
 * through ctx->root; leaves ctx->err as it was.  Always fills @d (code
 * "unknown" when nothing more can be said).
 */
void kx_diagnose(struct kx_ctx *ctx, const struct kx_load_req *req, const char *call, int err,
		 struct kx_diagnosis *d);
