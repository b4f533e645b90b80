// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The handover token (base/htoken.c) and the command line around it
 * (kexec/cmdline.c): a token written is read back the same; every malformed
 * one is refused with a reason and never half-filled; --reuse-cmdline and
 * --append lose their tokens; a new one goes before "--"; the image's limit
 * counts it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/unit/unit.h"
#include "base/htoken.h"
#include "kexec/load.h"

static void sample(struct kx_htoken *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->nonce, sizeof(t->nonce), "0123456789abcdef");
	t->verdict = KX_HTOKEN_WARN;
	t->tdx = KX_HTOKEN_YES;
	t->have_module = true;
	t->major = 1;
	t->minor = 5;
	t->update = 6;
	t->pw_mce = KX_HTOKEN_YES;
	snprintf(t->codes, sizeof(t->codes), "live-tds module-update-in-progress");
}

static const char *value_of(const char *word)
{
	return strchr(word, '=') + 1;
}

static void test_round_trip(void **state)
{
	struct kx_htoken t, back;
	char word[KX_HTOKEN_MAX + 1], why[160];
	int n;

	(void)state;
	sample(&t);
	n = kx_htoken_format(&t, word, sizeof(word));
	assert_int_equal(n, (int)strlen(word));
	assert_string_equal(word, "kexec_tdx.expect=v1,n=0123456789abcdef,pre=warn,tdx=yes,"
			    "mod=1.5.06,mce=yes,src=host,f=live-tds+module-update-in-progress");
	assert_int_equal(kx_htoken_parse(value_of(word), strlen(value_of(word)), &back, why,
					 sizeof(why)), 0);
	assert_memory_equal(&t, &back, sizeof(t));

	/* the other values of every field */
	t.verdict = KX_HTOKEN_UNCHECKED;
	t.tdx = KX_HTOKEN_UNSURE;
	t.have_module = false;
	t.major = t.minor = t.update = 0;
	t.pw_mce = KX_HTOKEN_UNSURE;
	t.recorded = true;
	memset(t.codes, 0, sizeof(t.codes));
	kx_htoken_format(&t, word, sizeof(word));
	assert_non_null(strstr(word, ",pre=unchecked,tdx=unsure,mod=-,mce=unknown,src=tree,f=-"));
	assert_int_equal(kx_htoken_parse(value_of(word), strlen(value_of(word)), &back, why,
					 sizeof(why)), 0);
	assert_memory_equal(&t, &back, sizeof(t));
	t.verdict = KX_HTOKEN_FORCED;
	t.tdx = KX_HTOKEN_NO;
	t.pw_mce = KX_HTOKEN_NO;
	kx_htoken_format(&t, word, sizeof(word));
	assert_non_null(strstr(word, ",pre=forced,tdx=no,mod=-,mce=no,"));
}

/*
 * Codes that fill the field are written whole; more codes than it holds (the
 * caller says so with codes_cut) are cut at a code boundary, marked, and
 * read back as cut.
 */
static void test_codes_cut(void **state)
{
	struct kx_htoken t, back;
	char word[KX_HTOKEN_MAX + 1], why[160], *f;
	size_t i;

	(void)state;
	sample(&t);
	/* 120 bytes of 8-letter codes: exactly the field */
	for (i = 0; i + 1 < sizeof(t.codes); i++)
		t.codes[i] = i % 9 == 8 ? ' ' : (char)('a' + i % 9);
	t.codes[i] = '\0';
	assert_true(kx_htoken_format(&t, word, sizeof(word)) > 0);
	f = strstr(word, ",f=") + 3;
	assert_int_equal(strlen(f), KX_HTOKEN_CODES_MAX);
	assert_null(strstr(f, "..."));
	assert_int_equal(kx_htoken_parse(value_of(word), strlen(value_of(word)), &back, why,
					 sizeof(why)), 0);
	assert_string_equal(back.codes, t.codes);
	/* ... and more than that: no room left for the mark after the last one */
	t.codes_cut = true;
	assert_true(kx_htoken_format(&t, word, sizeof(word)) > 0);
	assert_true(strlen(word) <= KX_HTOKEN_MAX);
	f = strstr(word, ",f=") + 3;
	assert_true(strlen(f) <= KX_HTOKEN_CODES_MAX);
	assert_non_null(strstr(f, "+..."));
	assert_int_equal(kx_htoken_parse(value_of(word), strlen(value_of(word)), &back, why,
					 sizeof(why)), 0);
	assert_true(back.codes_cut);
	assert_int_equal(strncmp(back.codes, t.codes, strlen(back.codes)), 0);
	/* a bad code or nonce is not written */
	sample(&t);
	snprintf(t.codes, sizeof(t.codes), "Not_A_Code");
	assert_int_equal(kx_htoken_format(&t, word, sizeof(word)), -EINVAL);
	sample(&t);
	snprintf(t.nonce, sizeof(t.nonce), "0123456789ABCDEF");
	assert_int_equal(kx_htoken_format(&t, word, sizeof(word)), -EINVAL);
	sample(&t);
	assert_int_equal(kx_htoken_format(&t, word, 40), -ENOSPC);
}

struct bad {
	const char *value;
	const char *why;	/* part of the reason */
};

static const struct bad bads[] = {
	{ "", "does not start with the version" },
	{ "v2,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=-",
	  "it is version 2; this kexec reads version 1" },
	{ "1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=-",
	  "does not start with the version" },
	{ "v1", "ends before its n= field" },
	{ "v1,n=0123456789abcde,pre=go,tdx=yes,mod=-,mce=no,src=host,f=-",
	  "is not a nonce of 16 lowercase hex digits" },
	{ "v1,n=0123456789ABCDEF,pre=go,tdx=yes,mod=-,mce=no,src=host,f=-", "is not a nonce" },
	{ "v1,n=0123456789abcdef,pre=yes,tdx=yes,mod=-,mce=no,src=host,f=-",
	  "pre='yes' is not one of the values" },
	{ "v1,n=0123456789abcdef,pre=nogo,tdx=yes,mod=-,mce=no,src=host,f=-", "pre='nogo'" },
	{ "v1,n=0123456789abcdef,tdx=yes,pre=go,mod=-,mce=no,src=host,f=-",
	  "'tdx=yes' is where its pre= field belongs" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=maybe,mod=-,mce=no,src=host,f=-", "tdx='maybe'" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=1.5,mce=no,src=host,f=-",
	  "mod='1.5' is not a TDX module version" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=1.5.x,mce=no,src=host,f=-", "mod='1.5.x'" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=1.5.06.1,mce=no,src=host,f=-", "mod=" },
	/* only the form kexec-tdx writes: no leading zeros, two digits of update */
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=1.05.06,mce=no,src=host,f=-", "mod=" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=1.5.6,mce=no,src=host,f=-", "mod=" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=1.5.016,mce=no,src=host,f=-", "mod=" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=unsure,src=host,f=-", "mce='unsure'" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=elsewhere,f=-", "src=" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host", "ends before its f=" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=-,x=1",
	  "goes on after its last field" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=live-tds,",
	  "goes on after its last field" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=live-tds+",
	  "empty finding code" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=Live",
	  "does not hold finding codes" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=a+...+b",
	  "does not hold finding codes" },
	{ "v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=\"-\"",
	  "it is quoted" },
};

/* Every malformed token is refused with a reason; none is ever taken for a "go". */
static void test_malformed(void **state)
{
	struct kx_htoken t;
	char why[160], longer[400];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		memset(&t, 0x5a, sizeof(t));
		if (kx_htoken_parse(bads[i].value, strlen(bads[i].value), &t, why, sizeof(why)) !=
		    -EINVAL)
			fail_msg("accepted: %s", bads[i].value);
		if (!strstr(why, bads[i].why))
			fail_msg("%s: reason '%s' does not say '%s'", bads[i].value, why, bads[i].why);
	}
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(kx_htoken_parse(longer, strlen(longer), &t, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "a token has at most 256"));
}

static void test_find(void **state)
{
	const char *v;
	size_t n;

	(void)state;
	assert_int_equal(kx_htoken_find("root=/dev/vda quiet", &v, &n), 0);
	assert_null(v);
	assert_int_equal(kx_htoken_find("a kexec_tdx.expect=v1,x b", &v, &n), 1);
	assert_int_equal(n, 4);
	assert_memory_equal(v, "v1,x", 4);
	/* a quoted one counts (and keeps its quotes, which the parser refuses) */
	assert_int_equal(kx_htoken_find("\"kexec_tdx.expect=v1 y\" kexec_tdx.expect=z", &v, &n), 2);
	assert_memory_equal(v, "v1 y\"", n);
	/* not a token: another name, or a word that only contains the name */
	assert_int_equal(kx_htoken_find("kexec_tdx.expected=1 xkexec_tdx.expect=1 "
					"kexec_tdx.expect", &v, &n), 0);
	assert_false(kx_htoken_is_word("kexec-tdx.expect=1", 18));
}

static char *build(bool reuse, bool crash, const char *append, const char *root)
{
	struct kx_cmdline_req r = { .reuse = reuse, .crash = crash, .append = append };
	struct kx_ctx ctx = { 0 };
	char *out = NULL;

	assert_int_equal(kx_sysroot_new(root, &ctx.root), 0);
	assert_int_equal(kx_cmdline_build(&ctx, &r, &out, NULL), 0);
	kx_sysroot_free(ctx.root);
	return out;
}

/* --reuse-cmdline and --append never carry a token on: a load writes its own. */
static void test_strip(void **state)
{
	char dir[] = "/tmp/kx-htoken-XXXXXX", path[64], cmd[96], *s;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/proc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/cmdline", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("BOOT_IMAGE=/vmlinuz root=/dev/vda kexec_tdx.expect=v1,n=0123456789abcdef,pre=go "
	      "crashkernel=256M quiet\n", f);
	fclose(f);
	s = build(true, false, "stage=2", dir);
	assert_string_equal(s, "root=/dev/vda crashkernel=256M quiet stage=2");
	free(s);
	s = build(true, true, NULL, dir);
	assert_string_equal(s, "root=/dev/vda quiet");
	free(s);
	/* --append is kept as given, unless it holds a token */
	s = build(false, false, "a  b=\"x  y\"  c", NULL);
	assert_string_equal(s, "a  b=\"x  y\"  c");
	free(s);
	s = build(false, false, "root=/dev/vda kexec_tdx.expect=v1,old  \"kexec_tdx.expect=q\" "
		  "-- init-arg", NULL);
	assert_string_equal(s, "root=/dev/vda -- init-arg");
	free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void add(const char *cmdline, const char *want)
{
	struct kx_ctx ctx = { 0 };
	char *out = NULL;

	assert_int_equal(kx_cmdline_add_token(&ctx, cmdline, "T=1", &out), 0);
	assert_string_equal(out, want);
	free(out);
}

/* The token goes where the kernel reads it as a parameter: before a bare "--". */
static void test_add(void **state)
{
	(void)state;
	add("", "T=1");
	add("root=/dev/vda", "root=/dev/vda T=1");
	add("root=/dev/vda  ", "root=/dev/vda T=1");
	add("root=/dev/vda -- single", "root=/dev/vda T=1 -- single");
	add("-- single", "T=1 -- single");
	add("a \"x -- y\" b", "a \"x -- y\" b T=1");
	add("a --x b", "a --x b T=1");
}

/* A command line of @len characters. */
static char *line_of(char *buf, size_t len)
{
	memset(buf, 'x', len);
	buf[len] = '\0';
	return buf;
}

/* The limit: cmdline_size with the NUL; kexec_file_load keeps 30 bytes more. */
static void test_fits(void **state)
{
	struct kx_ctx ctx = { 0 };
	char line[2100];

	(void)state;
	/* 2017 bytes with the NUL: 2047 - 30 */
	assert_int_equal(kx_cmdline_fits(&ctx, line_of(line, 2016), 2047, true), 0);
	assert_int_equal(kx_cmdline_fits(&ctx, line_of(line, 2017), 2047, true), -E2BIG);
	assert_non_null(strstr(ctx.err, "the command line is 2018 bytes with its NUL; with "
			       "kexec_file_load this kernel takes at most 2017 (its cmdline_size "
			       "2047 minus 30 the kernel keeps for elfcorehdr=): 1 too many"));
	assert_int_equal(kx_cmdline_fits(&ctx, line_of(line, 2017), 2047, false), 0);
	assert_int_equal(kx_cmdline_fits(&ctx, line_of(line, 2046), 2047, false), 0);
	assert_int_equal(kx_cmdline_fits(&ctx, line_of(line, 2047), 2047, false), -E2BIG);
	assert_non_null(strstr(ctx.err, "2048 bytes with its NUL; this kernel takes at most "
			       "2047 (its cmdline_size): 1 too many"));
	/* the token's share is named: the word and the space before it */
	line_of(line, 2047);
	memcpy(line + 1900, " kexec_tdx.expect=v1,n=0123456789abcdef ", 40);
	assert_int_equal(kx_cmdline_fits(&ctx, line, 2047, true), -E2BIG);
	assert_non_null(strstr(ctx.err, "(39 of them the kexec-tdx handover token "
			       "kexec_tdx.expect=)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_codes_cut),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_strip),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_fits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
