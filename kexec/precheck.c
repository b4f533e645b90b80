// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <string.h>

#include "base/bzimage.h"
#include "base/ctx.h"
#include "kexec/abi.h"
#include "kexec/precheck.h"

static int refuse(struct kx_ctx *ctx)
{
	ctx->other_call = true;
	return -EINVAL;
}

/*
 * The kernel segment holds the file after the setup code in PAGE_ALIGN(init_size)
 * bytes, and sanity_check_segment_list wants bufsz <= memsz and each segment
 * within half of totalram_pages().
 */
static int check_sizes(struct kx_ctx *ctx, const char *name, const struct kx_bzimage *bz,
		       uint64_t ram_bytes)
{
	uint64_t memsz = KX_ALIGN_UP((uint64_t)bz->init_size, KX_PAGE_SIZE);
	uint64_t half = (ram_bytes / KX_PAGE_SIZE / 2) * KX_PAGE_SIZE;

	if (bz->size - bz->setup_size > memsz) {
		kx_fail(ctx, -EINVAL, "%s: the %zu bytes after its setup code do not fit in "
			"init_size (0x%x, 0x%llx bytes page-aligned), so kexec_file_load would "
			"refuse it (EINVAL)", name, bz->size - bz->setup_size, bz->init_size,
			(unsigned long long)memsz);
		return refuse(ctx);
	}
	if (ram_bytes && memsz > half) {
		kx_fail(ctx, -EINVAL, "%s: its init_size (%llu MiB) is more than half of RAM "
			"(MemTotal %llu MiB), so the kernel would refuse it (EINVAL)", name,
			(unsigned long long)(memsz >> 20), (unsigned long long)(ram_bytes >> 20));
		return refuse(ctx);
	}
	return 0;
}

int kx_file_load_precheck(struct kx_ctx *ctx, const char *name, const struct kx_bzimage *bz,
			  uint64_t ram_bytes)
{
	return check_sizes(ctx, name, bz, ram_bytes);
}
