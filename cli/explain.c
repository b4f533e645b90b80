// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Turn the kernel's answer to a load into a sentence with the likely cause
 * and the fix.  The facts behind each sentence (lockdown mode, sysctls,
 * memory size, the image's limits) are read, not guessed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bzimage.h"
#include "cli/cli.h"
#include "cli/tdx-commands.h"
#include "kexec/crash.h"
#include "base/ctx.h"
#include "base/file.h"
#include "base/read.h"
#include "kexec/load.h"
#include "cli/options.h"
#include "base/parse.h"
#include "base/sysroot.h"

/* A one-line file under the sysroot, without its newline; NULL if unreadable. */
static char *read_line(struct kx_ctx *ctx, const char *path)
{
	char *buf;

	if (kx_sysroot_read(ctx->root, path, 4096, &buf, NULL) < 0)
		return NULL;
	kx_chomp(buf);
	return buf;
}

static int read_num(struct kx_ctx *ctx, const char *path, int64_t *v)
{
	char *buf = read_line(ctx, path);
	int rc = buf ? kx_parse_s64(buf, v) : -ENOENT;

	free(buf);
	return rc;
}

/* The active lockdown mode, the word in brackets: "none", "integrity", ... */
static void lockdown_mode(struct kx_ctx *ctx, char *out, size_t len)
{
	char *buf = read_line(ctx, "/sys/kernel/security/lockdown"), *l, *r;

	snprintf(out, len, "unknown");
	if (buf && (l = strchr(buf, '[')) && (r = strchr(l, ']'))) {
		*r = '\0';
		snprintf(out, len, "%s", l + 1);
	}
	free(buf);
}

static void explain_eperm(struct kx_ctx *ctx, const struct kx_opts *o, bool file)
{
	int64_t disabled = 0, limit = -1;
	char mode[32];

	if (geteuid() != 0) {
		kx_cli_err("loading a kernel needs CAP_SYS_BOOT: run kexec as root");
		return;
	}
	if (read_num(ctx, "/proc/sys/kernel/kexec_load_disabled", &disabled) == 0 && disabled) {
		kx_cli_err("kexec is switched off on this system (kernel.kexec_load_disabled = 1); "
		     "it stays off until the next reboot");
		return;
	}
	if (read_num(ctx, o->crash ? "/proc/sys/kernel/kexec_load_limit_panic"
				   : "/proc/sys/kernel/kexec_load_limit_reboot", &limit) == 0 && limit == 0) {
		kx_cli_err("the kernel's kexec load limit is used up (kernel.kexec_load_limit_%s = 0)",
		     o->crash ? "panic" : "reboot");
		return;
	}
	lockdown_mode(ctx, mode, sizeof(mode));
	if (strcmp(mode, "none") != 0 && !file) {
		kx_cli_err("the kernel is locked down (%s): kexec_load is refused; use -s "
		     "(kexec_file_load) with a kernel signed by a key this kernel trusts", mode);
		return;
	}
	if (strcmp(mode, "none") != 0) {
		kx_cli_err("the kernel is locked down (%s) and did not accept the image's signature; "
		     "sign the kernel with a key in the kernel's or the platform (UEFI db) keyring", mode);
		return;
	}
	kx_cli_err("the kernel or a security module (IMA, SELinux) refused the load; see dmesg%s",
	     file ? "" : "; kexec_file_load (-s) may be allowed where kexec_load is not");
}

struct sizes {
	uint64_t ram;		/* MemTotal */
	uint64_t kernel_mem;	/* init_size: what the kernel segment occupies */
	uint64_t initrd;
	uint32_t cmdline_size;
	bool have_image;
};

static void gather_sizes(struct kx_ctx *ctx, const struct kx_opts *o, struct sizes *s)
{
	struct kx_file k = KX_FILE_INIT, i = KX_FILE_INIT;
	struct kx_bzimage bz;
	char errsave[sizeof(ctx->err)];

	memset(s, 0, sizeof(*s));
	memcpy(errsave, ctx->err, sizeof(errsave));
	s->ram = kx_mem_total(ctx);
	if (o->kernel && kx_file_open(ctx, "kernel", o->kernel, true, &k) == 0 &&
	    kx_bzimage_parse(ctx, o->kernel, k.data, k.size, &bz) == 0) {
		s->kernel_mem = bz.init_size;
		s->cmdline_size = bz.cmdline_size;
		s->have_image = true;
	}
	kx_file_close(&k);
	if (o->initrd && kx_file_open(ctx, "initrd", o->initrd, false, &i) == 0)
		s->initrd = i.file_size;
	kx_file_close(&i);
	memcpy(ctx->err, errsave, sizeof(errsave));
}

#define MIB(x) ((unsigned long long)((x) >> 20))

static void explain_einval(struct kx_ctx *ctx, const struct kx_opts *o, const char *cmdline_hint,
			   bool file)
{
	struct sizes s;
	char *cmdline = NULL;
	size_t len = 0;

	gather_sizes(ctx, o, &s);
	if (kx_cmdline_build(ctx, o, &cmdline) == 0)
		len = strlen(cmdline) + 1;
	free(cmdline);
	/* kexec_file_load keeps 30 bytes free for elfcorehdr= (kexec-bzimage64.c) */
	if (s.have_image && file && len + 30 > s.cmdline_size) {
		kx_cli_err("the command line is %zu bytes; with kexec_file_load this kernel takes at most %u "
		     "(cmdline_size %u minus 30 kept for elfcorehdr=); shorten it or use -c",
		     len, s.cmdline_size - 30, s.cmdline_size);
		return;
	}
	if (s.have_image && len > s.cmdline_size) {
		kx_cli_err("the command line is %zu bytes; this kernel takes at most %u", len, s.cmdline_size);
		return;
	}
	/* kernel/kexec_core.c: no segment may take more than half of RAM */
	if (s.ram && (s.kernel_mem > s.ram / 2 || s.initrd > s.ram / 2)) {
		kx_cli_err("an image larger than half of RAM cannot be loaded: kernel needs %llu MiB, "
		     "initrd %llu MiB, RAM is %llu MiB (swap does not count)",
		     MIB(s.kernel_mem), MIB(s.initrd), MIB(s.ram));
		return;
	}
	kx_cli_err("the kernel rejected the request as invalid%s; run with -d and see dmesg",
	     cmdline_hint);
}

static void explain_eaddrnotavail(struct kx_ctx *ctx, const struct kx_opts *o)
{
	struct kx_range r;
	struct sizes s;

	gather_sizes(ctx, o, &s);
	if (o->crash && kx_crash_range(ctx, &r) == 0) {
		kx_cli_err("the crash kernel reservation (%llu MiB) has no room for the kernel (%llu MiB "
		     "with its init_size) and initrd (%llu MiB); reserve more with crashkernel=",
		     MIB(r.end - r.start + 1), MIB(s.kernel_mem), MIB(s.initrd));
		return;
	}
	kx_cli_err("the kernel found no free memory for the segments (kernel %llu MiB, initrd %llu MiB, "
	     "RAM %llu MiB); a larger machine, a smaller initrd or -c may help",
	     MIB(s.kernel_mem), MIB(s.initrd), MIB(s.ram));
}

static bool is_signature_error(int err)
{
	return err == -EKEYREJECTED || err == -ENOKEY || err == -EBADMSG || err == -ENOPKG ||
	       err == -ELIBBAD || err == -EMSGSIZE;
}

void kx_cli_explain_load_error(struct kx_ctx *ctx, const struct kx_opts *o, const char *call,
			       int err)
{
	bool file = strcmp(call, "kexec_file_load") == 0;

	if (ctx->err[0])
		kx_cli_err("%s", ctx->err);
	if (err == -EPERM || err == -EACCES)
		explain_eperm(ctx, o, file);
	else if (is_signature_error(err))
		kx_cli_err("the kernel could not verify the image's signature (%s); sign it with a key "
		     "the kernel trusts, or load it with -c where lockdown allows", strerror(-err));
	else if (err == -EINVAL)
		explain_einval(ctx, o, file ? " (an image type or flag this kernel does not know?)" : "",
			       file);
	else if (err == -EADDRNOTAVAIL)
		explain_eaddrnotavail(ctx, o);
	else if (err == -EBUSY)
		kx_cli_err("another kexec load or unload is running; try again when it has finished");
	else if (err == -EOPNOTSUPP)
		kx_cli_tdx_explain_refusal(ctx, o);
	else if (err == -ENOEXEC)
		kx_cli_err("the kernel could not parse the image; is it an x86_64 bzImage?");
	else if (err == -ENOMEM)
		kx_cli_err("the kernel ran out of memory while staging the image");
	else if (err == -ENOSYS)
		kx_cli_err("this kernel was built without %s", file ? "CONFIG_KEXEC_FILE" : "CONFIG_KEXEC");
}
