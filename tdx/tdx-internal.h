/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared between the files of the TDX library; not part of its interface. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/ctx.h"
#include "tdx/tdx.h"

struct tdx_ctx {
	/* The library's own context: bound to the TDX sysroot, with its own
	 * error buffer, so a failed read never overwrites the caller's. */
	struct kx_ctx kx;
	struct kx_sysroot *root;
};

/* Name the misc cgroup files as the sources of the KeyID facts, before they are read. */
void tdx_misc_sources(struct tdx_facts *f);

/* Start a fact: state NOT_READ, source @path, no error. */
void tdx_fact_init(struct tdx_fact *f, const char *path);
void tdx_fact_known(struct tdx_fact *f);
/* ENOENT and ENOTDIR make the fact absent; any other errno unreadable. */
void tdx_fact_errno(struct tdx_fact *f, int err);
/* Malformed content: unreadable with EBADMSG and "<source>: <what>". */
void tdx_fact_malformed(struct tdx_fact *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Set the source or the detail from a format (truncating silently). */
void tdx_fact_source(struct tdx_fact *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tdx_fact_detail(struct tdx_fact *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Copy the state and error of @from (the fact a derived fact depends on). */
void tdx_fact_copy(struct tdx_fact *to, const struct tdx_fact *from);

/*
 * Read a small file into *buf (NUL-terminated, malloc'd) for fact @f.
 * Returns 0, or -errno with @f already set (absent or unreadable).
 */
int tdx_read_text(struct tdx_ctx *t, const char *path, size_t max, char **buf, size_t *len,
		  struct tdx_fact *f);
/* The same for a one-line file; the newline is dropped, and a second line is malformed. */
int tdx_read_line(struct tdx_ctx *t, const char *path, size_t max, char **buf, struct tdx_fact *f);

/* Copy at most @n bytes of @s into a fixed array, replacing control characters. */
void tdx_copy_str(char *dst, size_t size, const char *s, size_t n);

/* --- shared by the rules (rules.c) and the verification (verify.c) ------ */

enum tri { NO, YES, UNKNOWN };

/* Add a finding (the verdict becomes the worst severity); NULL when full. */
struct tdx_finding *tdx_report_add(struct tdx_report *r, const char *code, enum tdx_severity sev,
				   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void tdx_finding_remedy(struct tdx_finding *fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool tdx_known(const struct tdx_fact *f);
enum tri tri_of(const struct tdx_bool *b);
/* Did the running kernel enable TDX (the tdx_host_platform flag, or its traces)? */
enum tri tdx_host_enabled(const struct tdx_facts *f);
/* Is there evidence besides the flag that the kernel enabled TDX?  @ev says which. */
bool tdx_enabled_evidence(const struct tdx_facts *f, char *ev, size_t n);
/* Was the TDX module initialized by the running kernel?  @ev says how we know. */
enum tri tdx_module_initialized(const struct tdx_facts *f, char *ev, size_t n);
