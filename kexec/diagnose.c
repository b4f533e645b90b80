// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Turn the kernel's answer to a load into a diagnosis: the likely cause, the
 * facts behind it (lockdown mode, sysctls, memory size, the image's limits),
 * read and never guessed, and the fix.  Facts are read with a scratch
 * context, so the caller's error detail stays as it was.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bzimage.h"
#include "base/ctx.h"
#include "base/file.h"
#include "base/iface.h"
#include "base/parse.h"
#include "base/read.h"
#include "base/sysroot.h"
#include "kexec/crash.h"
#include "kexec/diagnose.h"
#include "kexec/load.h"

#define MIB(x) ((unsigned long long)((x) >> 20))

static void cause(struct kx_diagnosis *d, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void remedy(struct kx_diagnosis *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fact(struct kx_diagnosis *d, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cause(struct kx_diagnosis *d, const char *code, const char *fmt, ...)
{
	va_list ap;

	d->code = code;
	va_start(ap, fmt);
	vsnprintf(d->cause, sizeof(d->cause), fmt, ap);
	va_end(ap);
}

static void remedy(struct kx_diagnosis *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->remedy, sizeof(d->remedy), fmt, ap);
	va_end(ap);
}

static void fact(struct kx_diagnosis *d, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (d->nfacts == KX_DIAG_MAX_FACTS)
		return;
	d->facts[d->nfacts].name = name;
	va_start(ap, fmt);
	vsnprintf(d->facts[d->nfacts].value, sizeof(d->facts[0].value), fmt, ap);
	va_end(ap);
	d->nfacts++;
}

/* A one-line file, without its newline; NULL if unreadable. */
static char *read_line(struct kx_ctx *ctx, enum kx_if id)
{
	char *buf;

	if (kx_sysroot_read(ctx->root, kx_if(id), 4096, &buf, NULL) < 0)
		return NULL;
	kx_chomp(buf);
	return buf;
}

static int read_num(struct kx_ctx *ctx, enum kx_if id, int64_t *v)
{
	char *buf = read_line(ctx, id);
	int rc = buf ? kx_parse_s64(buf, v) : -ENOENT;

	free(buf);
	return rc;
}

void kx_lockdown_mode(struct kx_ctx *ctx, char *out, size_t len)
{
	char *buf = read_line(ctx, KX_IF_LOCKDOWN), *l, *r;

	snprintf(out, len, "unknown");
	if (buf && (l = strchr(buf, '[')) && (r = strchr(l, ']'))) {
		*r = '\0';
		snprintf(out, len, "%s", l + 1);
	}
	free(buf);
}

static bool sysctl_says_no(struct kx_ctx *ctx, const struct kx_load_req *req,
			   struct kx_diagnosis *d)
{
	int64_t disabled = 0, limit = -1;

	if (read_num(ctx, KX_IF_KEXEC_LOAD_DISABLED, &disabled) == 0 && disabled) {
		fact(d, "kexec_load_disabled", "1");
		cause(d, "kexec-disabled", "kexec is switched off on this system "
		      "(kernel.kexec_load_disabled = 1)");
		remedy(d, "it stays off until the next reboot");
		return true;
	}
	if (read_num(ctx, req->crash ? KX_IF_KEXEC_LIMIT_PANIC : KX_IF_KEXEC_LIMIT_REBOOT,
		     &limit) == 0 && limit == 0) {
		fact(d, req->crash ? "kexec_load_limit_panic" : "kexec_load_limit_reboot", "0");
		cause(d, "kexec-limit", "the kernel's kexec load limit is used up "
		      "(kernel.kexec_load_limit_%s = 0)", req->crash ? "panic" : "reboot");
		remedy(d, "it cannot be raised again until the next reboot");
		return true;
	}
	return false;
}

static void explain_eperm(struct kx_ctx *ctx, const struct kx_load_req *req, bool file,
			  struct kx_diagnosis *d)
{
	char mode[32];

	fact(d, "euid", "%u", (unsigned int)geteuid());
	if (geteuid() != 0) {
		cause(d, "not-root", "loading a kernel needs CAP_SYS_BOOT");
		remedy(d, "run kexec as root");
		return;
	}
	if (sysctl_says_no(ctx, req, d))
		return;
	kx_lockdown_mode(ctx, mode, sizeof(mode));
	fact(d, "lockdown", "%s", mode);
	/*
	 * Under Secure Boot IMA refuses kexec_load with EACCES before lockdown
	 * would with EPERM: it cannot appraise an image that comes without a
	 * file (security/integrity/ima/ima_main.c, ima_load_data()).
	 */
	if (strcmp(mode, "none") != 0 && !file) {
		cause(d, "lockdown", "the kernel is locked down (%s): kexec_load is refused%s", mode,
		      d->err == -EACCES ? " (EACCES: under Secure Boot IMA refuses it first, as it "
		      "cannot appraise an image without a file)" : "");
		remedy(d, "use -s (kexec_file_load) with a kernel signed by a key this kernel "
		       "trusts");
		return;
	}
	/*
	 * kimage_validate_signature() (kernel/kexec_file.c): a signature that
	 * does not verify against the secondary or the platform keyring gives
	 * EPERM under lockdown unless signatures are enforced (then the key
	 * error itself comes back).
	 */
	if (strcmp(mode, "none") != 0) {
		cause(d, "lockdown-signature", "the kernel is locked down (%s) and did not accept "
		      "the image's signature: no key in its keyrings verifies it", mode);
		remedy(d, "sign the kernel with a key in the kernel's (MOK) or the platform (UEFI "
		       "db) keyring; kexec_load (-c) is refused under lockdown too");
		return;
	}
	cause(d, "security-module", "the kernel or a security module (IMA, SELinux) refused "
	      "the load");
	remedy(d, "see dmesg%s",
	       file ? "" : "; kexec_file_load (-s) may be allowed where kexec_load is not");
}

struct sizes {
	uint64_t ram;		/* MemTotal; 0 unknown */
	uint64_t kernel_mem;	/* init_size: what the kernel segment occupies */
	uint64_t initrd;
	uint32_t cmdline_size;
	bool have_image;
};

static void gather_sizes(struct kx_ctx *ctx, const struct kx_load_req *req, struct sizes *s)
{
	struct kx_file k = KX_FILE_INIT, i = KX_FILE_INIT;
	struct kx_bzimage bz;

	memset(s, 0, sizeof(*s));
	if (kx_mem_total(ctx, &s->ram) < 0)
		s->ram = 0;
	if (req->kernel && kx_file_open(ctx, "kernel", req->kernel, true, &k) == 0 &&
	    kx_bzimage_parse(ctx, req->kernel, k.data, k.size, &bz) == 0) {
		s->kernel_mem = bz.init_size;
		s->cmdline_size = bz.cmdline_size;
		s->have_image = true;
	}
	kx_file_close(&k);
	if (req->initrd && kx_file_open(ctx, "initrd", req->initrd, false, &i) == 0)
		s->initrd = i.file_size;
	kx_file_close(&i);
}

static void size_facts(struct kx_diagnosis *d, const struct sizes *s)
{
	if (s->ram)
		fact(d, "ram_mib", "%llu", MIB(s->ram));
	if (s->have_image)
		fact(d, "kernel_mib", "%llu", MIB(s->kernel_mem));
	fact(d, "initrd_mib", "%llu", MIB(s->initrd));
}

static void explain_einval(struct kx_ctx *ctx, const struct kx_load_req *req, bool file,
			   struct kx_diagnosis *d)
{
	size_t len = req->cmdline ? strlen(req->cmdline) + 1 : 1;
	struct sizes s;

	gather_sizes(ctx, req, &s);
	fact(d, "cmdline_bytes", "%zu", len);
	if (s.have_image)
		fact(d, "cmdline_size", "%u", s.cmdline_size);
	/* kexec_file_load keeps 30 bytes free for elfcorehdr= (kexec-bzimage64.c) */
	if (s.have_image && file && len + 30 > s.cmdline_size) {
		cause(d, "cmdline-too-long", "the command line is %zu bytes; with kexec_file_load "
		      "this kernel takes at most %u (cmdline_size %u minus 30 kept for "
		      "elfcorehdr=)", len, s.cmdline_size - 30, s.cmdline_size);
		remedy(d, "shorten it or use -c");
		return;
	}
	if (s.have_image && len > s.cmdline_size) {
		cause(d, "cmdline-too-long", "the command line is %zu bytes; this kernel takes at "
		      "most %u", len, s.cmdline_size);
		remedy(d, "shorten it");
		return;
	}
	size_facts(d, &s);
	/* kernel/kexec_core.c: no segment may take more than half of RAM */
	if (s.ram && (s.kernel_mem > s.ram / 2 || s.initrd > s.ram / 2)) {
		cause(d, "half-of-ram", "an image larger than half of RAM cannot be loaded: kernel "
		      "needs %llu MiB, initrd %llu MiB, RAM is %llu MiB (swap does not count)",
		      MIB(s.kernel_mem), MIB(s.initrd), MIB(s.ram));
		remedy(d, "use a smaller initrd or a machine with more memory");
		return;
	}
	cause(d, "invalid", "the kernel rejected the request as invalid%s",
	      file ? " (an image type or flag this kernel does not know?)" : "");
	remedy(d, "run with -d and see dmesg");
}

static void explain_eaddrnotavail(struct kx_ctx *ctx, const struct kx_load_req *req,
				  struct kx_diagnosis *d)
{
	struct kx_range r;
	struct sizes s;

	gather_sizes(ctx, req, &s);
	size_facts(d, &s);
	if (req->crash && kx_crash_range(ctx, &r) == 0) {
		fact(d, "crashkernel_mib", "%llu", MIB(r.end - r.start + 1));
		cause(d, "crashkernel-too-small", "the crash kernel reservation (%llu MiB) has no "
		      "room for the kernel (%llu MiB with its init_size) and initrd (%llu MiB)",
		      MIB(r.end - r.start + 1), MIB(s.kernel_mem), MIB(s.initrd));
		remedy(d, "reserve more with crashkernel=");
		return;
	}
	cause(d, "no-room", "the kernel found no free memory for the segments (kernel %llu MiB, "
	      "initrd %llu MiB, RAM %llu MiB)", MIB(s.kernel_mem), MIB(s.initrd), MIB(s.ram));
	remedy(d, "a larger machine, a smaller initrd or -c may help");
}

static bool is_signature_error(int err)
{
	return err == -EKEYREJECTED || err == -ENOKEY || err == -EBADMSG || err == -ENOPKG ||
	       err == -ELIBBAD || err == -EMSGSIZE;
}

static void explain_simple(const struct kx_load_req *req, bool file, int err,
			   struct kx_diagnosis *d)
{
	if (is_signature_error(err)) {
		cause(d, "signature", "the kernel could not verify the image's signature (%s)",
		      strerror(-err));
		remedy(d, "sign it with a key the kernel trusts, or load it with -c where lockdown "
		       "allows");
	} else if (err == -EBUSY) {
		cause(d, "busy", "another kexec load or unload is running");
		remedy(d, "try again when it has finished");
	} else if (err == -EOPNOTSUPP) {
		cause(d, "not-supported", "the kernel does not support this load (EOPNOTSUPP)");
		remedy(d, "see dmesg");
		d->ask_tdx = true;
	} else if (err == -ENOEXEC) {
		cause(d, "not-an-image", "the kernel could not parse the image");
		remedy(d, "is it an x86_64 bzImage?");
	} else if (err == -ENOMEM) {
		cause(d, "no-memory", "the kernel ran out of memory while staging the image");
	} else if (err == -ENOSYS) {
		cause(d, "not-built", "this kernel was built without %s",
		      file ? "CONFIG_KEXEC_FILE" : "CONFIG_KEXEC");
	}
}

void kx_diagnose(struct kx_ctx *ctx, const struct kx_load_req *req, const char *call, int err,
		 struct kx_diagnosis *d)
{
	struct kx_ctx scratch = *ctx;	/* reads here must not change ctx->err */
	bool file = strcmp(call, "kexec_file_load") == 0;

	memset(d, 0, sizeof(*d));
	d->err = err;
	d->call = call;
	d->code = "unknown";
	kx_clear_err(&scratch);
	if (err == -EPERM || err == -EACCES)
		explain_eperm(&scratch, req, file, d);
	else if (err == -EINVAL)
		explain_einval(&scratch, req, file, d);
	else if (err == -EADDRNOTAVAIL)
		explain_eaddrnotavail(&scratch, req, d);
	else
		explain_simple(req, file, err, d);
}
