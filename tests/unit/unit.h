/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared bits of the C unit tests (cmocka). */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "base/ctx.h"
#include "kexec/ops.h"
#include "base/sysroot.h"

/* A fixture path: $FIXTURES/<rel>, else the source tree's tests/fixtures/<rel>. */
static inline const char *fixture(const char *rel)
{
	static char buf[4096];
	const char *base = getenv("FIXTURES");

	snprintf(buf, sizeof(buf), "%s/%s", base ? base : FIXTURES_DIR, rel);
	return buf;
}

/* A context rooted at a fixture tree, with the recorder as its ops. */
struct unit_ctx {
	struct kx_ctx ctx;
	struct kx_recorder rec;
};

static inline void unit_ctx_init(struct unit_ctx *u, const char *fixture_rel)
{
	int rc;

	memset(u, 0, sizeof(*u));
	rc = kx_sysroot_new(fixture_rel ? fixture(fixture_rel) : NULL, &u->ctx.root);
	if (rc < 0)
		fail_msg("cannot open fixture %s: %d", fixture_rel ? fixture_rel : "/", rc);
	u->ctx.ops = &kx_ops_recorder;
	u->ctx.ops_data = &u->rec;
}

static inline void unit_ctx_fini(struct unit_ctx *u)
{
	kx_recorder_free(&u->rec);
	kx_sysroot_free(u->ctx.root);
}
