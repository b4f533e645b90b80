// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The new kernel's command line (--reuse-cmdline, --append/--command-line),
 * or the image's own: a UKI's .cmdline when neither option is given, as
 * systemd-stub uses it when the boot loader passes none; the handover token
 * a load on a TDX host adds, and the image's limit.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "base/file.h"
#include "base/htoken.h"
#include "base/parse.h"
#include "base/read.h"
#include "base/uki.h"
#include "kexec/load.h"

enum drop {
	DROP_TOKEN = 1,		/* a handover token: every load writes its own */
	DROP_BOOT_IMAGE = 2,	/* BOOT_IMAGE=, which the boot loader adds */
	DROP_CRASHKERNEL = 4,	/* crashkernel=, for a kdump kernel */
};

static bool drop_word(const char *w, size_t n, unsigned int what)
{
	if ((what & DROP_TOKEN) && kx_htoken_is_word(w, n))
		return true;
	if ((what & DROP_BOOT_IMAGE) && n >= 11 && strncmp(w, "BOOT_IMAGE=", 11) == 0)
		return true;
	return (what & DROP_CRASHKERNEL) && n >= 12 && strncmp(w, "crashkernel=", 12) == 0;
}

/* Copy @in without the words @what names, one space between words. */
static void filter_words(const char *in, unsigned int what, char *out)
{
	const char *p = in;
	char *o = out;

	while (*p) {
		size_t n;

		while (kx_is_cmdline_space(*p))
			p++;
		if (!*p)
			break;
		n = kx_word_len(p);
		if (!drop_word(p, n, what)) {
			if (o != out)
				*o++ = ' ';
			memmove(o, p, n);	/* @out may be @in */
			o += n;
		}
		p += n;
	}
	*o = '\0';
}

/* @s without its handover tokens, in place: a load writes its own. */
static void drop_tokens(struct kx_ctx *ctx, char *s, const char *what)
{
	const char *v;
	size_t n;

	if (!kx_htoken_find(s, &v, &n))
		return;
	kx_dbg(ctx, "%s holds a kexec-tdx handover token (%s=); dropped: each load writes its "
	       "own", what, KX_HTOKEN_NAME);
	filter_words(s, DROP_TOKEN, s);
}

/*
 * The .cmdline of r->kernel if it is a UKI; *out stays NULL otherwise.  A
 * file that cannot be read or parsed is left to the load to report.
 */
static int image_cmdline(struct kx_ctx *ctx, const struct kx_cmdline_req *r, char **out)
{
	struct kx_file k = KX_FILE_INIT;
	struct kx_uki u;
	int rc = 0;

	if (kx_file_open(ctx, "kernel", r->kernel, false, &k) < 0) {
		kx_clear_err(ctx);
		return 0;
	}
	if (kx_uki_looks_like(k.data, k.size)) {
		if (kx_uki_parse(ctx, r->kernel, k.data, k.size, r->uki_profile, &u) == 0) {
			rc = kx_uki_cmdline(&u, out);
			kx_uki_free(&u);
		}
		kx_clear_err(ctx);
	}
	kx_file_close(&k);
	if (rc == 0 && *out)
		drop_tokens(ctx, *out, "the image's .cmdline");
	return rc;
}

int kx_cmdline_build(struct kx_ctx *ctx, const struct kx_cmdline_req *r, char **out,
		     bool *from_image)
{
	char *proc = NULL, *res, *append = strdup(r->append ? r->append : "");
	size_t len;
	int rc;

	*out = NULL;
	if (from_image)
		*from_image = false;
	if (!append)
		return -ENOMEM;
	if (!r->reuse && !r->append && r->kernel) {
		rc = image_cmdline(ctx, r, out);
		if (rc < 0 || *out) {
			if (from_image)
				*from_image = rc == 0;
			free(append);
			return rc;
		}
	}
	if (r->reuse) {
		rc = kx_read_cmdline(ctx, &proc);
		if (rc < 0) {
			kx_fail_prefix(ctx, "--reuse-cmdline: ");
			free(append);
			return rc;
		}
	}
	/* --append is kept as it is given, unless it holds a token to drop */
	drop_tokens(ctx, append, "the command line given");
	len = (proc ? strlen(proc) : 0) + strlen(append) + 2;
	res = malloc(len);
	if (!res) {
		free(proc);
		free(append);
		return -ENOMEM;
	}
	res[0] = '\0';
	if (proc)
		filter_words(proc, DROP_TOKEN | DROP_BOOT_IMAGE | (r->crash ? DROP_CRASHKERNEL : 0),
			     res);
	if (*append && *res)
		strcat(res, " ");
	strcat(res, append);
	free(proc);
	free(append);
	*out = res;
	return 0;
}

/* Where the kernel's own parameters end: a bare "--" word (parse_args(), kernel/params.c). */
static const char *params_end(const char *cmdline)
{
	const char *p = cmdline;
	size_t n;

	for (; *p; p += n) {
		while (kx_is_cmdline_space(*p))
			p++;
		n = kx_word_len(p);
		if (n == 2 && p[0] == '-' && p[1] == '-')
			return p;
	}
	return p;
}

int kx_cmdline_add_token(struct kx_ctx *ctx, const char *cmdline, const char *token, char **out)
{
	const char *end = params_end(cmdline);
	size_t head = (size_t)(end - cmdline), len = strlen(cmdline) + strlen(token) + 3;
	char *res = malloc(len);

	if (!res)
		return kx_fail(ctx, -ENOMEM, "out of memory");
	/* before "--": what follows it goes to init as its arguments */
	while (head && kx_is_cmdline_space(cmdline[head - 1]))
		head--;
	memcpy(res, cmdline, head);
	res[head] = '\0';
	if (head)
		strcat(res, " ");
	strcat(res, token);
	if (*end) {
		strcat(res, " ");
		strcat(res, end);
	}
	*out = res;
	return 0;
}

int kx_cmdline_fits(struct kx_ctx *ctx, const char *cmdline, uint32_t cmdline_size,
		    bool file_syscall)
{
	size_t len = strlen(cmdline) + 1, tn;
	const char *tv;
	char token[96] = "";
	uint32_t max = cmdline_size;

	/*
	 * Both count the NUL.  kexec_file_load also keeps 30 bytes free for
	 * "elfcorehdr=0x..." on every load (MAX_ELFCOREHDR_STR_LEN in
	 * arch/x86/kernel/kexec-bzimage64.c, bzImage64_load()).
	 */
	if (file_syscall)
		max = cmdline_size > 30 ? cmdline_size - 30 : 0;
	if (len <= max)
		return 0;
	if (kx_htoken_find(cmdline, &tv, &tn))
		snprintf(token, sizeof(token), " (%zu of them the kexec-tdx handover token %s=)",
			 tn + strlen(KX_HTOKEN_NAME) + 2, KX_HTOKEN_NAME);
	/* -a may try kexec_load, which keeps no 30 bytes; -s exits 253 as after EINVAL */
	ctx->other_call = file_syscall;
	if (file_syscall)
		return kx_fail(ctx, -E2BIG, "the command line is %zu bytes with its NUL%s; with "
			       "kexec_file_load this kernel takes at most %u (its cmdline_size %u "
			       "minus 30 the kernel keeps for elfcorehdr=): %zu too many", len,
			       token, max, cmdline_size, len - max);
	return kx_fail(ctx, -E2BIG, "the command line is %zu bytes with its NUL%s; this kernel "
		       "takes at most %u (its cmdline_size): %zu too many", len, token, max,
		       len - max);
}
