// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec_load(2): read the files, pick the image type (or check the one -t
 * names), let it plan the segments, check the plan against the kernel's
 * rules, and hand it to the ops table.  Nothing reaches the kernel unless the
 * whole plan was built.  A crash kernel (-p) also gets its core header,
 * backup segment and memory map (kexec/crash.h), all inside the reservation.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "kexec/crash.h"
#include "kexec/image.h"
#include "base/read.h"
#include "kexec/load.h"
#include "kexec/plan.h"

static const struct kx_image_type *pick_type(struct kx_ctx *ctx, const struct kx_load_req *req,
					     struct kx_file *k)
{
	const struct kx_image_type *t;

	if (req->type) {
		t = kx_image_type_find(req->type);
		if (!t) {
			kx_fail(ctx, -EINVAL, "unknown image type '%s'; the types are:", req->type);
			for (t = kx_image_types; t->name; t++)
				kx_fail_more(ctx, " %s", t->name);
			return NULL;
		}
		if (t->probe(ctx, kx_file_desc(k), k->data, k->size) < 0) {
			kx_fail_more(ctx, " (-t %s was given)", req->type);
			return NULL;
		}
		return t;
	}
	for (t = kx_image_types; t->name; t++)
		if (t->probe(ctx, kx_file_desc(k), k->data, k->size) == 0)
			return t;
	return NULL;	/* ctx->err holds the last probe's reason */
}

static int open_inputs(struct kx_classic *st)
{
	int rc;

	rc = kx_file_open(st->ctx, "kernel", st->req->kernel, true, &st->kernel);
	if (rc < 0)
		return rc;
	if (st->req->initrd)
		rc = kx_file_open(st->ctx, "initrd", st->req->initrd, false, &st->initrd);
	/* every byte is hashed and then copied by the kernel: map it all now */
	kx_file_populate(&st->kernel);
	kx_file_populate(&st->initrd);
	return rc;
}

static int build_and_load(struct kx_classic *st)
{
	const struct kx_image_type *t;
	int rc;

	rc = open_inputs(st);
	if (rc < 0)
		return rc;
	t = pick_type(st->ctx, st->req, &st->kernel);
	if (!t)
		return -ENOEXEC;
	rc = kx_memmap_read(st->ctx, st->map);
	if (rc < 0)
		return rc;
	/* without MemTotal the kernel's half-of-RAM rule is left to the kernel */
	if (kx_mem_total(st->ctx, &st->ram_bytes) < 0) {
		kx_dbg(st->ctx, "%s; the half-of-RAM rule is not checked", st->ctx->err);
		kx_clear_err(st->ctx);
		st->ram_bytes = 0;
	}
	st->plan.flags = KX_KEXEC_ARCH_X86_64 | (st->req->crash ? KX_KEXEC_ON_CRASH : 0);
	st->mem_min = st->req->mem_min;
	st->mem_max = st->req->mem_max;
	rc = st->req->crash ? kx_crash_begin(st) : 0;
	if (rc == 0)
		rc = t->load(st);
	if (rc == 0)
		rc = kx_plan_check(st->ctx, &st->plan, st->ram_bytes);
	if (rc == 0 && st->crash)
		rc = kx_crash_finish(st);
	if (rc == 0) {
		kx_dbg(st->ctx, "kexec_load: entry 0x%llx, %zu segments, flags 0x%lx",
		       (unsigned long long)st->plan.entry, st->plan.nr, st->plan.flags);
		rc = st->ctx->ops->kexec_load(st->ctx->ops_data, &st->plan);
		if (rc < 0)
			st->ctx->failed_call = "kexec_load";
	}
	if (t->cleanup)
		t->cleanup(st);
	kx_crash_end(st);
	return rc;
}

int kx_load_classic(struct kx_ctx *ctx, const struct kx_load_req *req)
{
	struct kx_classic st = {
		.ctx = ctx, .req = req,
		.kernel = KX_FILE_INIT, .initrd = KX_FILE_INIT,
	};
	int rc;

	kx_clear_err(ctx);
	st.map = malloc(sizeof(*st.map));
	if (!st.map)
		return -ENOMEM;
	rc = build_and_load(&st);
	kx_file_close(&st.kernel);
	kx_file_close(&st.initrd);
	free(st.map);
	return rc;
}
