/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kexec-tdx handover token: one word a load on a TDX host adds to the new
 * kernel's command line, so that `kexec --tdx-verify` in that kernel knows
 * what the loading kernel saw and expected, whichever system call loaded it
 * (kexec_file_load runs the kernel's own purgatory, so our gate record is
 * not there).  The new kernel shows the word in /proc/cmdline.
 *
 *   kexec_tdx.expect=v1,n=NONCE,pre=VERDICT,tdx=T,mod=MODULE,mce=E,src=S,f=CODES
 *
 *   n     16 lowercase hex digits, new for every load
 *   pre   the preflight verdict: go, warn, forced (a no-go overridden) or
 *         unchecked
 *   tdx   TDX enabled in the loading kernel: yes, no or unsure
 *   mod   the TDX module version major.minor.update (update two digits or
 *         more), or - when not known
 *   mce   the tdx_pw_mce erratum: yes, no or unknown
 *   src   host (this machine's facts) or tree (a recorded tree: --tdx-sysroot,
 *         --sysroot)
 *   f     the warn and no-go finding codes joined by '+', ending in "..." when
 *         cut short; - for none
 *
 * Every field is required, in this order.  The dotted name keeps the word
 * away from init: Linux's unknown_bootoption() treats a parameter whose name
 * holds a dot as an unused module parameter, and newer kernels also swallow
 * any parameter starting with "kexec" (init/main.c); neither is passed to
 * init's environment or reported as unknown.  Nothing in it is secret:
 * /proc/cmdline is world-readable.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define KX_HTOKEN_NAME		"kexec_tdx.expect"
#define KX_HTOKEN_VERSION	1
#define KX_HTOKEN_NONCE_LEN	16
#define KX_HTOKEN_CODES_MAX	120	/* the finding codes' share of the word */
#define KX_HTOKEN_MAX		256	/* the longest word written or read, name included */

enum kx_htoken_verdict {
	KX_HTOKEN_GO,
	KX_HTOKEN_WARN,
	KX_HTOKEN_FORCED,	/* no-go, overridden (--tdx-force, or --tdx-sysroot facts) */
	KX_HTOKEN_UNCHECKED,
};

enum kx_htoken_tri {
	KX_HTOKEN_NO,
	KX_HTOKEN_YES,
	KX_HTOKEN_UNSURE,
};

struct kx_htoken {
	char nonce[KX_HTOKEN_NONCE_LEN + 1];
	enum kx_htoken_verdict verdict;
	enum kx_htoken_tri tdx;		/* TDX enabled in the loading kernel */
	bool have_module;
	unsigned int major, minor, update;	/* the TDX module, when have_module */
	enum kx_htoken_tri pw_mce;	/* the tdx_pw_mce erratum */
	bool recorded;			/* the facts came from a recorded tree */
	char codes[KX_HTOKEN_CODES_MAX + 1];	/* space separated; "" none */
	bool codes_cut;			/* more codes than the word had room for */
};

/*
 * Write the whole word ("kexec_tdx.expect=v1,...") into @out.  Codes that do
 * not fit in KX_HTOKEN_CODES_MAX are cut at a code boundary and marked.
 * Returns its length, -EINVAL for a nonce that is not 16 lowercase hex
 * digits or a code with other characters than [a-z0-9-], -ENOSPC when @len
 * is too small.
 */
int kx_htoken_format(const struct kx_htoken *t, char *out, size_t len);

/*
 * Parse a token's value (what follows "kexec_tdx.expect=", @n bytes).  0, or
 * -EINVAL with a sentence in @why saying what is wrong; @t is then not to be
 * used.
 */
int kx_htoken_parse(const char *val, size_t n, struct kx_htoken *t, char *why, size_t wlen);

/* Is the command-line word @w (@n bytes) a token, quoted or not? */
bool kx_htoken_is_word(const char *w, size_t n);

/*
 * The token words of @cmdline: returns how many there are, and the value of
 * the first in *@val, *@n (pointing into @cmdline; a quoted word's value
 * keeps its quotes, which kx_htoken_parse() refuses).
 */
unsigned int kx_htoken_find(const char *cmdline, const char **val, size_t *n);

const char *kx_htoken_verdict_name(enum kx_htoken_verdict v);	/* "go", "warn", ... */
const char *kx_htoken_tri_name(enum kx_htoken_tri v, bool unknown);	/* "yes", "no", ... */
