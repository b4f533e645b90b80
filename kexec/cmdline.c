// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The new kernel's command line (--reuse-cmdline, --append/--command-line),
 * or the image's own: a UKI's .cmdline when neither option is given, as
 * systemd-stub uses it when the boot loader passes none.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "base/file.h"
#include "base/read.h"
#include "base/uki.h"
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
	return rc;
}

int kx_cmdline_build(struct kx_ctx *ctx, const struct kx_cmdline_req *r, char **out,
		     bool *from_image)
{
	const char *append = r->append ? r->append : "";
	char *proc = NULL, *res;
	size_t len;
	int rc;

	*out = NULL;
	if (from_image)
		*from_image = false;
	if (!r->reuse && !r->append && r->kernel) {
		rc = image_cmdline(ctx, r, out);
		if (rc < 0 || *out) {
			if (from_image)
				*from_image = rc == 0;
			return rc;
		}
	}
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
