// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Until the purgatory lands (branch purg), kexec_load stops here with a
 * clear error.  This file goes away when kexec/purgatory.c arrives.
 */
#include "config.h"

#include <errno.h>

#include "ctx.h"
#include "purgatory.h"

const unsigned char kx_purgatory_blob[1];
const size_t kx_purgatory_blob_size;

int kx_purgatory_new(struct kx_ctx *ctx, const void *elf, size_t len, struct kx_purgatory **out)
{
	return kx_fail(ctx, -ENOSYS, "this build has no purgatory yet: kexec_load (-c) is not available; use -s");
}

void kx_purgatory_free(struct kx_purgatory *p) { }
void kx_purgatory_size(const struct kx_purgatory *p, uint64_t *b, uint64_t *m, uint64_t *a) { }
int kx_purgatory_relocate(struct kx_ctx *ctx, struct kx_purgatory *p, uint64_t base) { return -ENOSYS; }
const void *kx_purgatory_buf(const struct kx_purgatory *p) { return NULL; }
uint64_t kx_purgatory_entry(const struct kx_purgatory *p) { return 0; }
int kx_purgatory_configure(struct kx_ctx *ctx, struct kx_purgatory *p,
			   const struct kx_purgatory_cfg *cfg, const struct kx_plan *plan,
			   size_t self) { return -ENOSYS; }
