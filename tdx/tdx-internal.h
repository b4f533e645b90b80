/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared between the files of the TDX library; not part of its interface. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "tdx/tdx.h"

struct tdx_ctx {
	struct kx_ctx *kx;
	struct kx_sysroot *root;
	bool recorded;		/* a recorded tree: honour <file>.errno sidecars */
};

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
 * The errno a recorded tree keeps for @path in "<path>.errno" (a name such
 * as EACCES), or 0.  Only for a recorded tree: on the running system the
 * kernel's own answer is used.
 */
int tdx_recorded_errno(const struct tdx_ctx *t, const char *path);
/* Map an errno name to its number; 0 if unknown. */
int tdx_errno_from_name(const char *name);

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

/* A growing string for the renderers. */
struct tdx_sb {
	char *p;
	size_t len, cap;
	bool oom;
};

void tdx_sb_printf(struct tdx_sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tdx_sb_vprintf(struct tdx_sb *sb, const char *fmt, va_list ap);
void tdx_sb_json_str(struct tdx_sb *sb, const char *s);
/* The string, or NULL (freed) after an allocation failure. */
char *tdx_sb_finish(struct tdx_sb *sb);

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
/* Was the TDX module initialized by the running kernel?  @ev says how we know. */
enum tri tdx_module_initialized(const struct tdx_facts *f, char *ev, size_t n);
