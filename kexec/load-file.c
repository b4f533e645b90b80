// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec_file_load(2): the kernel reads the image and initrd from file
 * descriptors and builds everything itself, with its own purgatory.  The
 * original kernel file is passed when it is not compressed, so IMA can
 * appraise it by its xattrs; a memfd only for a decompressed copy.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/bzimage.h"
#include "base/ctx.h"
#include "base/file.h"
#include "base/read.h"
#include "kexec/load.h"
#include "base/iface.h"
#include "base/io.h"
#include "kexec/ops.h"
#include "kexec/precheck.h"

bool kx_file_load_falls_back(int err)
{
	/* kexec-tools' do_kexec_file_load(): only these mean "try kexec_load". */
	return err == -ENOSYS || err == -EINVAL || err == -ENOEXEC || err == -ENOTSUP;
}

static int memfd_copy(struct kx_ctx *ctx, const struct kx_file *k)
{
	int fd, rc;

	fd = memfd_create("kexec-kernel", MFD_CLOEXEC);
	if (fd < 0)
		return kx_fail(ctx, -errno, "cannot create a memfd for the decompressed kernel: %s",
			       strerror(errno));
	rc = kx_write_all(fd, k->data, k->size);
	if (rc < 0) {
		close(fd);
		return kx_fail(ctx, rc, "cannot fill the memfd for the decompressed kernel: %s",
			       strerror(-rc));
	}
	return fd;
}

static unsigned long file_flags(const struct kx_load_req *req)
{
	unsigned long flags = 0;

	if (req->crash)
		flags |= KX_KEXEC_FILE_ON_CRASH;
	if (!req->initrd)
		flags |= KX_KEXEC_FILE_NO_INITRAMFS;
	if (req->debug)
		flags |= KX_KEXEC_FILE_DEBUG;
	if (req->no_cma)
		flags |= KX_KEXEC_FILE_NO_CMA;
	if (req->force_dtb)
		flags |= KX_KEXEC_FILE_FORCE_DTB;
	return flags;
}

/* MemTotal, for the kernel's half-of-RAM rule; 0 (the rule left to the kernel) when unreadable. */
static uint64_t ram_bytes(struct kx_ctx *ctx)
{
	uint64_t bytes;

	if (kx_mem_total(ctx, &bytes) == 0)
		return bytes;
	kx_dbg(ctx, "%s; the half-of-RAM rule is not checked", ctx->err);
	kx_clear_err(ctx);
	return 0;
}

static int call_file_load(struct kx_ctx *ctx, struct kx_file_req *req)
{
	int rc = ctx->ops->kexec_file_load(ctx->ops_data, req);

	/*
	 * KEXEC_FILE_DEBUG (-d) is newer than many kernels, which reject the
	 * unknown bit with EINVAL; retry without it rather than let -d change
	 * which syscall ends up being used.
	 */
	if (rc == -EINVAL && (req->flags & KX_KEXEC_FILE_DEBUG)) {
		kx_dbg(ctx, "kexec_file_load: EINVAL with KEXEC_FILE_DEBUG; retrying without it");
		req->flags &= ~KX_KEXEC_FILE_DEBUG;
		rc = ctx->ops->kexec_file_load(ctx->ops_data, req);
	}
	if (rc < 0) {
		ctx->failed_call = "kexec_file_load";
		kx_dbg(ctx, "kexec_file_load: %s", strerror(-rc));
	}
	return rc;
}

int kx_load_file(struct kx_ctx *ctx, const struct kx_load_req *lr)
{
	const char *cmdline = lr->cmdline;
	struct kx_file kernel = KX_FILE_INIT;
	struct kx_file_req req = { .kernel_fd = -1, .initrd_fd = -1 };
	struct kx_bzimage bz;
	uint64_t isize;
	int rc;

	kx_clear_err(ctx);
	rc = kx_file_open(ctx, "kernel", lr->kernel, true, &kernel);
	if (rc < 0)
		return rc;
	rc = kx_bzimage_parse(ctx, kx_file_desc(&kernel), kernel.data, kernel.size, &bz);
	if (rc == 0)
		rc = kx_file_load_precheck(ctx, kx_file_desc(&kernel), &bz, cmdline, ram_bytes(ctx));
	if (rc < 0)
		goto out;
	req.kernel_path = lr->kernel;
	req.kernel_decompressed = kernel.comp != KX_COMP_NONE;
	req.kernel_fd = req.kernel_decompressed ? memfd_copy(ctx, &kernel) : kernel.fd;
	if (req.kernel_fd < 0) {
		rc = req.kernel_fd;
		goto out;
	}
	if (lr->initrd) {
		req.initrd_path = lr->initrd;
		req.initrd_fd = kx_file_open_fd(ctx, "initrd", lr->initrd, &isize);
		if (req.initrd_fd < 0 || isize == 0) {	/* kernel_read_file: EINVAL */
			rc = req.initrd_fd < 0 ? req.initrd_fd :
			     kx_fail(ctx, -EINVAL, "initrd %s is empty", lr->initrd);
			goto out;
		}
	}
	req.cmdline = cmdline;
	req.cmdline_len = strlen(cmdline) + 1;	/* the kernel wants the NUL */
	req.flags = file_flags(lr);
	kx_dbg(ctx, "kexec_file_load: kernel %s (%s, %s), initrd %s, %zu-byte command line, flags 0x%lx",
	       lr->kernel, bz.version[0] ? bz.version : "no version string",
	       req.kernel_decompressed ? "decompressed into a memfd" : "original file",
	       lr->initrd ? lr->initrd : "none", req.cmdline_len, req.flags);
	rc = call_file_load(ctx, &req);
out:
	if (req.initrd_fd >= 0)
		close(req.initrd_fd);
	if (req.kernel_decompressed && req.kernel_fd >= 0)
		close(req.kernel_fd);
	kx_file_close(&kernel);
	return rc;
}

int kx_unload(struct kx_ctx *ctx, bool crash, bool file_syscall)
{
	struct kx_file_req req = { .kernel_fd = -1, .initrd_fd = -1, .cmdline = NULL };
	struct kx_plan plan = { .nr = 0 };
	int rc;

	kx_clear_err(ctx);
	if (file_syscall) {
		req.flags = KX_KEXEC_FILE_UNLOAD | (crash ? KX_KEXEC_FILE_ON_CRASH : 0);
		rc = ctx->ops->kexec_file_load(ctx->ops_data, &req);
		if (rc < 0)
			ctx->failed_call = "kexec_file_load";
		return rc;
	}
	/* kexec_load with no segments unloads */
	plan.flags = KX_KEXEC_ARCH_X86_64 | (crash ? KX_KEXEC_ON_CRASH : 0);
	rc = ctx->ops->kexec_load(ctx->ops_data, &plan);
	if (rc < 0)
		ctx->failed_call = "kexec_load";
	return rc;
}

int kx_loaded(struct kx_ctx *ctx, bool crash)
{
	const char *path = kx_if(crash ? KX_IF_KEXEC_CRASH_LOADED : KX_IF_KEXEC_LOADED);
	uint64_t v;
	int rc;

	if (ctx->ops->loaded) {
		rc = ctx->ops->loaded(ctx->ops_data, crash);
		if (rc >= 0)
			return rc;
	}
	rc = kx_read_u64(ctx, path, 10, &v);
	if (rc == 0 && v > 1)
		rc = kx_fail(ctx, -EINVAL, "%s: expected 0 or 1, found %llu", path,
			     (unsigned long long)v);
	return rc < 0 ? rc : (int)v;
}
