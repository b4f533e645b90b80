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
 * bzImage64_load: cmdline_len (with its NUL) + 30 for "elfcorehdr=0x..." must
 * fit in cmdline_size, for every image, not only a crash kernel.
 */
static int check_cmdline(struct kx_ctx *ctx, const char *name, const struct kx_bzimage *bz,
			 const char *cmdline)
{
	size_t len = strlen(cmdline) + 1;

	if (len + KX_ELFCOREHDR_ROOM <= bz->cmdline_size)
		return 0;
	kx_fail(ctx, -EINVAL, "the command line is %zu bytes with its NUL; kexec_file_load "
		"needs %d more for elfcorehdr= and %s takes %u (its cmdline_size), so the "
		"kernel would refuse it (EINVAL); expected at most %u bytes with the NUL%s", len,
		KX_ELFCOREHDR_ROOM, name, bz->cmdline_size,
		bz->cmdline_size > KX_ELFCOREHDR_ROOM ? bz->cmdline_size - KX_ELFCOREHDR_ROOM : 0,
		len <= bz->cmdline_size ? " (kexec_load, -c, takes it)" : "");
	return refuse(ctx);
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
			  const char *cmdline, uint64_t ram_bytes)
{
	int rc = check_cmdline(ctx, name, bz, cmdline);

	return rc < 0 ? rc : check_sizes(ctx, name, bz, ram_bytes);
}
