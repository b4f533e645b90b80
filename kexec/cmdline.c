// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The new kernel's command line: --reuse-cmdline, --append/--command-line,
 * the handover token a load on a TDX host adds, and the image's limit.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "base/htoken.h"
#include "base/parse.h"
#include "base/read.h"
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
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	*o = '\0';
}

int kx_cmdline_build(struct kx_ctx *ctx, const struct kx_cmdline_req *r, char **out)
{
	const char *append = r->append ? r->append : "";
	char *proc = NULL, *res, *app = NULL;
	const char *v;
	size_t len, n;
	int rc;

	if (r->reuse) {
		rc = kx_read_cmdline(ctx, &proc);
		if (rc < 0) {
			kx_fail_prefix(ctx, "--reuse-cmdline: ");
			return rc;
		}
	}
	/* --append is kept as it is given, unless it holds a token to drop */
	if (kx_htoken_find(append, &v, &n)) {
		kx_dbg(ctx, "the command line given holds a kexec-tdx handover token (%s=); "
		       "dropped: each load writes its own", KX_HTOKEN_NAME);
		app = malloc(strlen(append) + 1);
		if (!app) {
			free(proc);
			return -ENOMEM;
		}
		filter_words(append, DROP_TOKEN, app);
		append = app;
	}
	len = (proc ? strlen(proc) : 0) + strlen(append) + 2;
	res = malloc(len);
	if (!res) {
		free(proc);
		free(app);
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
	free(app);
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
	if (file_syscall)
		return kx_fail(ctx, -E2BIG, "the command line is %zu bytes with its NUL%s; with "
			       "kexec_file_load this kernel takes at most %u (its cmdline_size %u "
			       "minus 30 the kernel keeps for elfcorehdr=): %zu too many", len,
			       token, max, cmdline_size, len - max);
	return kx_fail(ctx, -E2BIG, "the command line is %zu bytes with its NUL%s; this kernel "
		       "takes at most %u (its cmdline_size): %zu too many", len, token, max,
		       len - max);
}
