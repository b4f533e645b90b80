// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tdx's own records and the one JSON document it reads: the key=value
 * files (escaping round trips, damage is refused with the file and line),
 * the record of what was staged and the reboot check's decision, and the
 * JSON reader bootctl's output goes through (valid and invalid documents,
 * nesting and size limits, escapes).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/kvfile.h"
#include "kexec/staged.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kx-records-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

struct seen {
	char keys[8][32];
	char vals[8][128];
	int n;
};

static int collect(void *arg, const char *key, const char *val, unsigned int line)
{
	struct seen *s = arg;

	(void)line;
	if (s->n == 8)
		return -E2BIG;
	snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", key);
	snprintf(s->vals[s->n], sizeof(s->vals[0]), "%s", val);
	s->n++;
	return 0;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_kv_round_trip(void **state)
{
	struct kx_buf b = KX_BUF_INIT(4096);
	struct kx_ctx ctx = { 0 };
	struct seen s = { 0 };
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/deep/er/kv", dir);
	kx_kv_put(&b, "plain", "root=/dev/vda ro");
	kx_kv_put(&b, "tricky", "a\\b\nc\td\x7f=e");
	kx_kv_put(&b, "none", NULL);
	kx_kv_putf(&b, "num", "%d", 42);
	assert_int_equal(kx_kv_write(&ctx, path, &b, 0600), 0);
	kx_buf_free(&b);
	assert_int_equal(kx_kv_read(&ctx, path, collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.vals[0], "root=/dev/vda ro");
	assert_string_equal(s.keys[1], "tricky");
	assert_string_equal(s.vals[1], "a\\b\nc\td\x7f=e");
	assert_string_equal(s.vals[2], "42");
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path + strlen(path), 8, ".tmp");
	assert_int_equal(access(path, F_OK), -1);	/* renamed, not left behind */
}

static void test_kv_damage(void **state)
{
	struct kx_ctx ctx = { 0 };
	struct seen s = { 0 };
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/bad", dir);
	assert_int_equal(kx_kv_read(&ctx, path, collect, &s), -ENOENT);
	write_text(path, "# comment\n\nok=1\nnot a pair\n");
	assert_int_equal(kx_kv_read(&ctx, path, collect, &s), -EBADMSG);
	assert_non_null(strstr(ctx.err, "line 4: expected key=value"));
	assert_non_null(strstr(ctx.err, path));
	write_text(path, "k=bad \\q escape\n");
	assert_int_equal(kx_kv_read(&ctx, path, collect, &s), -EBADMSG);
	write_text(path, "k=nul \\x00 byte\n");
	assert_int_equal(kx_kv_read(&ctx, path, collect, &s), -EBADMSG);
	write_text(path, "k=short \\x4\n");
	assert_int_equal(kx_kv_read(&ctx, path, collect, &s), -EBADMSG);
}

static void test_staged_round_trip(void **state)
{
	struct unit_ctx u;
	struct kx_load_req req = { 0 }, back;
	struct kx_staged s, r;
	char img[128], rd[128];

	(void)state;
	unit_ctx_init(&u, "hosts/spr-pw-mce-7.2-disable");
	snprintf(img, sizeof(img), "%s/vmlinuz", dir);
	snprintf(rd, sizeof(rd), "%s/initrd", dir);
	write_text(img, "not really a kernel");
	write_text(rd, "abc");
	req.kernel = img;
	req.initrd = rd;
	req.cmdline = "root=/dev/vda\nsecond line";
	req.mem_max = UINT64_MAX;
	req.console.serial = true;
	req.console.serial_base = 0x2f8;
	req.gate = KX_TDX_GATE_MODE_ENFORCE;
	req.no_checks = true;
	req.on_mismatch = KX_MISMATCH_HALT;
	assert_int_equal(kx_staged_from_req(&u.ctx, &req, false, &s), 0);
	/* SHA-256("abc"), FIPS 180-2 appendix B.1 */
	assert_string_equal(s.initrd_sha256,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	snprintf(s.tdx, sizeof(s.tdx), "warn");
	s.time = 1796000000;
	assert_int_equal(kx_staged_write(&u.ctx, dir, &s), 0);
	assert_int_equal(kx_staged_read(&u.ctx, dir, false, &r), 0);
	kx_staged_to_req(&r, &back);
	assert_string_equal(back.kernel, img);
	assert_string_equal(back.initrd, rd);
	assert_string_equal(back.cmdline, "root=/dev/vda\nsecond line");
	assert_true(back.console.serial && back.no_checks && !back.noefi);
	assert_int_equal(back.on_mismatch, KX_MISMATCH_HALT);	/* the restage keeps it */
	assert_int_equal(back.console.serial_base, 0x2f8);
	assert_true(back.mem_max == UINT64_MAX);
	assert_int_equal(back.gate, KX_TDX_GATE_MODE_ENFORCE);
	assert_string_equal(r.tdx, "warn");
	assert_int_equal(r.time, 1796000000);
	assert_int_equal(kx_staged_check_files(&u.ctx, &r), 0);
	write_text(rd, "abd");
	assert_int_equal(kx_staged_check_files(&u.ctx, &r), -ESTALE);
	assert_non_null(strstr(u.ctx.err, "changed since it was staged"));
	unlink(rd);
	assert_int_equal(kx_staged_check_files(&u.ctx, &r), -ESTALE);
	/* the crash record is another file */
	assert_int_equal(kx_staged_read(&u.ctx, dir, true, &r), -ENOENT);
	assert_int_equal(kx_staged_remove(&u.ctx, dir, false), 0);
	assert_int_equal(kx_staged_read(&u.ctx, dir, false, &r), -ENOENT);
	assert_int_equal(kx_staged_remove(&u.ctx, dir, false), 0);
	kx_staged_free(&s);
	kx_staged_free(&r);
	unit_ctx_fini(&u);
}

static void test_staged_damaged(void **state)
{
	struct kx_ctx ctx = { 0 };
	struct kx_staged r;
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/staged", dir);
	write_text(path, "version=2\nkind=normal\nimage=/x\ncmdline=\n");
	assert_int_equal(kx_staged_read(&ctx, dir, false, &r), -EBADMSG);
	write_text(path, "version=1\nkind=crash\nimage=/x\ncmdline=\n");
	assert_int_equal(kx_staged_read(&ctx, dir, false, &r), -EBADMSG);
	write_text(path, "version=1\nkind=normal\nimage=/x\ncmdline=\nflags=bogus\n");
	assert_int_equal(kx_staged_read(&ctx, dir, false, &r), -EBADMSG);
	assert_non_null(strstr(ctx.err, "flags='bogus' is not valid"));
	write_text(path, "version=1\nkind=normal\nimage=/x\ncmdline=a\nfuture_key=1\n");
	assert_int_equal(kx_staged_read(&ctx, dir, false, &r), 0);
	kx_staged_free(&r);
}

static void test_decision(void **state)
{
	struct kx_decision d = { .allowed = false, .time = 5 }, r;
	struct kx_ctx ctx = { 0 };
	char sub[128];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/lib", dir);
	snprintf(d.image, sizeof(d.image), "/boot/vmlinuz");
	snprintf(d.reason, sizeof(d.reason), "TDX handover no-go: pw-mce-refused");
	assert_int_equal(kx_decision_read(&ctx, sub, &r), -ENOENT);
	assert_int_equal(kx_decision_write(&ctx, sub, &d), 0);
	assert_int_equal(kx_decision_read(&ctx, sub, &r), 0);
	assert_false(r.allowed);
	assert_string_equal(r.reason, d.reason);
	assert_int_equal(kx_decision_consume(&ctx, sub), 0);
	assert_int_equal(kx_decision_read(&ctx, sub, &r), -ENOENT);
	assert_int_equal(kx_decision_consume(&ctx, sub), 0);
}

static int parse(const char *text, bool seq, struct kx_json **out)
{
	char err[160];

	return kx_json_parse(text, strlen(text), seq, out, err, sizeof(err));
}

static void test_json_valid(void **state)
{
	struct kx_json *v;

	(void)state;
	assert_int_equal(parse("[{\"id\":\"a\",\"isDefault\":false,\"n\":-1.5e3},"
			       " {\"id\":\"b\\u00e9\\ud83d\\ude00\\n\",\"isDefault\":true,"
			       "\"initrd\":[\"/x\"],\"z\":null}]", false, &v), 0);
	assert_int_equal(v->type, KX_JSON_ARRAY);
	assert_int_equal(v->n, 2);
	assert_int_equal(kx_json_get_bool(&v->item[0], "isDefault"), 0);
	assert_int_equal(kx_json_get_bool(&v->item[1], "isDefault"), 1);
	assert_int_equal(kx_json_get_bool(&v->item[1], "id"), -1);
	assert_string_equal(kx_json_get_str(&v->item[1], "id"), "b\xc3\xa9\xf0\x9f\x98\x80\n");
	assert_string_equal(kx_json_get(&v->item[0], "n")->s, "-1.5e3");
	assert_null(kx_json_get_str(&v->item[1], "missing"));
	kx_json_free(v);
	/* systemd 252: one object after another */
	assert_int_equal(parse("{\"id\":\"a\"}\n{\"id\":\"b\"}\n", true, &v), 0);
	assert_int_equal(v->n, 2);
	assert_string_equal(kx_json_get_str(&v->item[1], "id"), "b");
	kx_json_free(v);
	assert_int_equal(parse("  ", true, &v), 0);
	assert_int_equal(v->n, 0);
	kx_json_free(v);
	/* a NUL inside a string is kept, but not handed out as a C string */
	assert_int_equal(parse("{\"k\":\"a\\u0000b\"}", false, &v), 0);
	assert_null(kx_json_get_str(v, "k"));
	kx_json_free(v);
}

static void test_json_invalid(void **state)
{
	static const char *const bad[] = {
		"", "[", "{\"a\"}", "{\"a\":1,}", "[1,]", "01", "1.", "-", "tru", "\"a",
		"\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\tb\"", "{1:2}", "[1 2]", "{} {}",
		"nul", "\"\\u12g4\"",
	};
	char deep[200];
	struct kx_json *v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], false, &v) != -EBADMSG)
			fail_msg("accepted: %s", bad[i]);
		assert_null(v);
	}
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	deep[130] = '\0';
	assert_int_equal(parse(deep, false, &v), -EBADMSG);
	deep[64] = ']';
	memset(deep + 64, ']', 64);
	deep[128] = '\0';
	assert_int_equal(parse(deep + 0, false, &v), 0);	/* 64 levels are fine */
	kx_json_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kv_round_trip),
		cmocka_unit_test(test_kv_damage),
		cmocka_unit_test(test_staged_round_trip),
		cmocka_unit_test(test_staged_damaged),
		cmocka_unit_test(test_decision),
		cmocka_unit_test(test_json_valid),
		cmocka_unit_test(test_json_invalid),
	};

	return cmocka_run_group_tests_name("records", tests, setup, teardown);
}
