/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The library context: where reads come from (the sysroot), where changes to
 * the kernel go (the ops table), and where a failing call leaves the sentence
 * that explains it.  The library never prints and never exits; it returns
 * -errno and, for anything a person needs to act on, fills ctx->err.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct kx_sysroot;
struct kx_ops;

typedef void (*kx_log_fn)(void *data, const char *fmt, va_list ap);

struct kx_ctx {
	struct kx_sysroot *root;	/* every /proc, /sys, /dev, /boot, /etc read */
	/* Every call that changes the kernel (kexec/ops.h): the loader
	 * library's; the layers below never use them. */
	const struct kx_ops *ops;
	void *ops_data;
	kx_log_fn log;			/* debug messages (-d); NULL drops them */
	void *log_data;
	/* Warnings a person must see although the action goes on (a malformed
	 * memory map entry that was skipped); NULL drops them. */
	kx_log_fn warn;
	void *warn_data;
	char err[1024];			/* detail of the last failure, "" if none */
	/* Set when the failure being returned is the kernel's answer to this
	 * call ("kexec_load", "kexec_file_load"); NULL when it failed before. */
	const char *failed_call;
	/* Set with a failure before any call: this system call cannot take the
	 * image at all, the other one may (an ELF vmlinux and kexec_file_load). */
	bool other_call;
};

/* Record a human-readable detail for the failure being returned; returns @err. */
int kx_fail(struct kx_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "NAME: WHY; expected EXPECTED" for a file that is not the image a reader
 * takes; returns -ENOEXEC. */
int kx_reject_image(struct kx_ctx *ctx, const char *name, const char *expected,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Append to the recorded detail (for a hint after the first sentence). */
void kx_fail_more(struct kx_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Put @prefix in front of the recorded detail ("--reuse-cmdline: "). */
void kx_fail_prefix(struct kx_ctx *ctx, const char *prefix);
/* Forget the last failure (err and failed_call). */
void kx_clear_err(struct kx_ctx *ctx);
void kx_dbg(const struct kx_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A warning through ctx->warn: something was wrong, and what was done about it. */
void kx_warn(const struct kx_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
