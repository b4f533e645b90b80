// SPDX-License-Identifier: GPL-2.0-or-later
/* The new kernel's command line (--reuse-cmdline, --append/--command-line). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "base/read.h"
#include "kexec/load.h"

/* Length of the word at @p; double quotes group spaces, as the kernel parses. */
static size_t word_len(const char *p)
{
	bool quoted = false;
	size_t n = 0;

	while (p[n] && (quoted || (p[n] != ' ' && p[n] != '\t' && p[n] != '\n'))) {
		if (p[n] == '"')
			quoted = !quoted;
		n++;
	}
	return n;
}

static bool drop_word(const char *w, size_t n, bool crash)
{
	if (n >= 11 && strncmp(w, "BOOT_IMAGE=", 11) == 0)
		return true;
	return crash && n >= 12 && strncmp(w, "crashkernel=", 12) == 0;
}

/* Copy @in without BOOT_IMAGE= (and crashkernel= for a crash kernel). */
static void filter_words(const char *in, bool crash, char *out)
{
	const char *p = in;
	char *o = out;

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		n = word_len(p);
		if (!drop_word(p, n, crash)) {
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
	char *proc = NULL, *res;
	size_t len;
	int rc;

	if (r->reuse) {
		rc = kx_read_cmdline(ctx, &proc);
		if (rc < 0) {
			kx_fail_prefix(ctx, "--reuse-cmdline: ");
			return rc;
		}
	}
	len = (proc ? strlen(proc) : 0) + strlen(append) + 2;
	res = malloc(len);
	if (!res) {
		free(proc);
		return -ENOMEM;
	}
	res[0] = '\0';
	if (proc)
		filter_words(proc, r->crash, res);
	if (*append && *res)
		strcat(res, " ");
	strcat(res, append);
	free(proc);
	*out = res;
	return 0;
}
