// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec_file_load(2): the kernel reads the image and initrd from file
 * descriptors and builds everything itself, with its own purgatory.  The
 * original kernel file is passed when it is not compressed, so IMA can
 * appraise it by its xattrs; a memfd only for a decompressed copy, and for a
 * unified kernel image's .linux (byte for byte as signed, so the kernel's
 * signature check sees what it would see in a file) and its initrd pieces.
 * An ELF vmlinux is refused before the call: the kernel's x86 file loader
 * takes only bzImages (arch/x86/kernel/machine_kexec_64.c kexec_file_loaders).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/bzimage.h"
#include "base/ctx.h"
#include "base/file.h"
#include "base/read.h"
#include "base/uki.h"
#include "kexec/image.h"
#include "kexec/load.h"
#include "kexec/uki-image.h"
#include "base/iface.h"
#include "base/io.h"
#include "kexec/ops.h"
#include "kexec/precheck.h"

bool kx_file_load_falls_back(int err)
{
	/* kexec-tools' do_kexec_file_load(): only these mean "try kexec_load". */
	return err == -ENOSYS || err == -EINVAL || err == -ENOEXEC || err == -ENOTSUP;
}

static int memfd_fill(struct kx_ctx *ctx, const char *mname, const char *what, const void *data,
		      size_t size)
{
	int fd, rc;

	fd = memfd_create(mname, MFD_CLOEXEC);
	if (fd < 0)
		return kx_fail(ctx, -errno, "cannot create a memfd for the %s: %s", what,
			       strerror(errno));
	rc = kx_write_all(fd, data, size);
	if (rc < 0) {
		close(fd);
		return kx_fail(ctx, rc, "cannot fill the memfd for the %s: %s", what,
			       strerror(-rc));
	}
	return fd;
}

static int memfd_copy(struct kx_ctx *ctx, const struct kx_file *k)
{
	return memfd_fill(ctx, "kexec-kernel", "decompressed kernel", k->data, k->size);
}

static unsigned long file_flags(const struct kx_load_req *req, bool has_initrd)
{
	unsigned long flags = 0;

	if (req->crash)
		flags |= KX_KEXEC_FILE_ON_CRASH;
	if (!has_initrd)
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

/*
 * Our refusals, before the kernel's EINVAL, for every bzImage handed over
 * (a plain one or a UKI's .linux): the command line, then the sizes.
 */
static int prechecks(struct kx_ctx *ctx, const char *name, const struct kx_bzimage *bz,
		     const char *cmdline)
{
	int rc = kx_cmdline_fits(ctx, cmdline, bz->cmdline_size, true);

	return rc ? rc : kx_file_load_precheck(ctx, name, bz, ram_bytes(ctx));
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

static int load_bzimage(struct kx_ctx *ctx, const struct kx_load_req *lr, struct kx_file *kernel)
{
	struct kx_file_req req = { .kernel_fd = -1, .initrd_fd = -1 };
	struct kx_bzimage bz;
	uint64_t isize;
	int rc;

	rc = kx_bzimage_parse(ctx, kx_file_desc(kernel), kernel->data, kernel->size, &bz);
	if (rc < 0)
		return rc;
	if (lr->uki_profile_set)
		return kx_fail(ctx, -EINVAL, "--uki-profile=%u: %s is a bzImage, not a unified "
			       "kernel image", lr->uki_profile, lr->kernel);
	rc = prechecks(ctx, kx_file_desc(kernel), &bz, lr->cmdline);
	if (rc < 0)
		return rc;
	req.kernel_path = lr->kernel;
	req.kernel_decompressed = kernel->comp != KX_COMP_NONE;
	req.kernel_fd = req.kernel_decompressed ? memfd_copy(ctx, kernel) : kernel->fd;
	if (req.kernel_fd < 0)
		return req.kernel_fd;
	if (lr->initrd) {
		req.initrd_path = lr->initrd;
		req.initrd_fd = kx_file_open_fd(ctx, "initrd", lr->initrd, &isize);
		if (req.initrd_fd < 0 || isize == 0) {	/* kernel_read_file: EINVAL */
			rc = req.initrd_fd < 0 ? req.initrd_fd :
			     kx_fail(ctx, -EINVAL, "initrd %s is empty", lr->initrd);
			goto out;
		}
	}
	req.cmdline = lr->cmdline;
	req.cmdline_len = strlen(lr->cmdline) + 1;	/* the kernel wants the NUL */
	req.flags = file_flags(lr, lr->initrd != NULL);
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
	return rc;
}

/* "FROM (N bytes) + FROM (M bytes)": where the UKI's initrd memfd comes from. */
static void initrd_sources(const struct kx_uki_parts *p, char *out, size_t len)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < p->ninitrd && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s (%zu bytes)", i ? " + " : "",
					 p->initrd[i].from, p->initrd[i].size);
}

static int uki_memfds(struct kx_ctx *ctx, const struct kx_uki_parts *p, struct kx_file_req *req)
{
	const struct kx_uki_sect *lx = &p->uki.part[KX_UKI_LINUX];
	int rc;

	req->kernel_fd = memfd_fill(ctx, "kexec-uki-linux", "UKI's .linux", lx->data, lx->size);
	if (req->kernel_fd < 0)
		return req->kernel_fd;
	if (!p->ninitrd)
		return 0;
	req->initrd_fd = memfd_create("kexec-uki-initrd", MFD_CLOEXEC);
	if (req->initrd_fd < 0)
		return kx_fail(ctx, -errno, "cannot create a memfd for the UKI's initrd: %s",
			       strerror(errno));
	rc = kx_uki_initrd_write(ctx, p, req->initrd_fd);
	return rc;
}

static int load_uki(struct kx_ctx *ctx, const struct kx_load_req *lr, struct kx_file *kernel)
{
	struct kx_file_req req = { .kernel_fd = -1, .initrd_fd = -1 };
	struct kx_file user = KX_FILE_INIT;
	char ksrc[160], isrc[640], lname[512];
	struct kx_uki_parts p;
	int rc;

	if (lr->initrd && (rc = kx_file_open(ctx, "initrd", lr->initrd, false, &user)) < 0)
		return rc;
	rc = kx_uki_parts_get(ctx, lr->kernel, kernel->data, kernel->size, lr->uki_profile,
			      lr->initrd, user.data, user.size, &p);
	if (rc < 0)
		goto out_user;
	snprintf(lname, sizeof(lname), "%s (%s)", lr->kernel, p.kernel_from);
	rc = prechecks(ctx, lname, &p.bz, lr->cmdline);
	if (rc == 0)
		rc = uki_memfds(ctx, &p, &req);
	if (rc < 0)
		goto out;
	snprintf(ksrc, sizeof(ksrc), "%s, in a memfd", p.kernel_from);
	initrd_sources(&p, isrc, sizeof(isrc));
	req.kernel_path = req.initrd_path = lr->kernel;
	req.kernel_src = ksrc;
	req.initrd_src = p.ninitrd ? isrc : NULL;
	req.cmdline = lr->cmdline;
	req.cmdline_len = strlen(lr->cmdline) + 1;
	req.flags = file_flags(lr, p.ninitrd > 0);
	kx_dbg(ctx, "kexec_file_load: UKI %s profile %u: kernel %s (%s), initrd %s, flags 0x%lx",
	       lr->kernel, p.uki.profile, ksrc, p.bz.version[0] ? p.bz.version : "no version",
	       p.ninitrd ? isrc : "none", req.flags);
	rc = call_file_load(ctx, &req);
out:
	if (req.initrd_fd >= 0)
		close(req.initrd_fd);
	if (req.kernel_fd >= 0)
		close(req.kernel_fd);
	kx_uki_parts_free(&p);
out_user:
	kx_file_close(&user);
	return rc;
}

int kx_load_file(struct kx_ctx *ctx, const struct kx_load_req *lr)
{
	struct kx_file kernel = KX_FILE_INIT;
	int rc;

	kx_clear_err(ctx);
	rc = kx_file_open(ctx, "kernel", lr->kernel, true, &kernel);
	if (rc < 0)
		return rc;
	if (kx_elf_magic(kernel.data, kernel.size)) {
		rc = kx_fail(ctx, -ENOEXEC, "%s is an ELF file (a vmlinux?): kexec_file_load "
			     "cannot load it, the kernel's x86 file loader takes only bzImages; "
			     "load it with kexec_load (-c)", kx_file_desc(&kernel));
		ctx->other_call = true;
	} else if (kx_uki_looks_like(kernel.data, kernel.size)) {
		rc = load_uki(ctx, lr, &kernel);
	} else {
		rc = load_bzimage(ctx, lr, &kernel);
	}
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
