// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec_load plan for a bzImage64, in kexec-tools' order and windows
 * (kexec/arch/x86_64/kexec-bzImage64.c): purgatory and the boot parameters
 * high above 0x3000, the kernel high above max(1 MiB, pref_address) at its
 * alignment with room for init_size, the initrd high above 16 MiB.  A crash
 * kernel's come after the backup and elfcorehdr segments, inside the
 * reservation (kexec/crash-plan.c), with its own command line and memory map
 * (kexec/boot64.c).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/bzimage.h"
#include "base/ctx.h"
#include "kexec/boot64.h"
#include "kexec/image.h"
#include "kexec/load.h"
#include "kexec/plan.h"

#define MIN_KERNEL_ADDR		0x100000UL	/* 1 MiB */

struct bz64 {
	struct kx_bzimage bz;
	struct kx_boot64 boot;
	uint64_t kernel_addr;
};

int kx_bzimage64_probe(struct kx_ctx *ctx, const char *name, const void *data, size_t size)
{
	struct kx_bzimage bz;

	return kx_bzimage_parse(ctx, name, data, size, &bz);
}

static int place_kernel(struct kx_classic *st, struct bz64 *b)
{
	const struct kx_bzimage *bz = &b->bz;
	struct kx_place pl = {
		.what = "kernel",
		.buf = bz->data + bz->setup_size,
		.bufsz = bz->size - bz->setup_size,
		/* the kernel decompresses itself in place: it needs init_size */
		.memsz = bz->init_size,
		.align = bz->kernel_alignment,
		.min = bz->pref_address > MIN_KERNEL_ADDR ? bz->pref_address : MIN_KERNEL_ADDR,
		.max = UINT64_MAX,
		.top_down = true,
	};

	if (pl.memsz < pl.bufsz)
		pl.memsz = pl.bufsz;
	return kx_plan_place(st->ctx, &st->plan, st->map, st->mem_min, st->mem_max, &pl,
			     &b->kernel_addr);
}

int kx_bzimage64_load_buf(struct kx_classic *st, const char *name, const void *kernel,
			  size_t ksize, const void *initrd, size_t isize, void **state)
{
	struct bz64 *b = calloc(1, sizeof(*b));
	int rc;

	*state = b;
	if (!b)
		return -ENOMEM;
	rc = kx_bzimage_parse(st->ctx, name, kernel, ksize, &b->bz);
	if (!rc)
		rc = kx_boot64_purgatory(st, &b->boot);
	if (!rc)
		rc = kx_boot64_params(st, &b->boot, &b->bz, UINT64_MAX);
	if (!rc)
		rc = place_kernel(st, b);
	if (!rc)
		rc = kx_boot64_initrd(st, &b->boot, initrd, isize, UINT64_MAX);
	/* startup_64: the 64-bit entry, 0x200 into the protected-mode code (boot.rst) */
	if (!rc)
		rc = kx_boot64_finish(st, &b->boot, &b->bz, b->kernel_addr + 0x200);
	return rc;
}

void kx_bzimage64_free(void *state)
{
	struct bz64 *b = state;

	if (!b)
		return;
	kx_boot64_free(&b->boot);
	free(b);
}

int kx_bzimage64_load(struct kx_classic *st)
{
	return kx_bzimage64_load_buf(st, st->req->kernel, st->kernel.data, st->kernel.size,
				     st->initrd.data, st->initrd.size, &st->loader_data);
}

void kx_bzimage64_cleanup(struct kx_classic *st)
{
	kx_bzimage64_free(st->loader_data);
	st->loader_data = NULL;
}
