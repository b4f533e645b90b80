// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --tdx-verify as a table: this kernel's TDX facts and the purgatory's gate
 * record in, the verdict and finding codes out; plus reading the record
 * back from a setup_data tree.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/ctx.h"
#include "base/sysroot.h"
#include "tdx/tdx.h"
#include "freestanding/gate-logic.h"
#include "freestanding/gate-record.h"
#include "tests/unit/test-tdx-util.h"

enum host { H_NONE, H_UP, H_DOWN, H_UNKNOWN, H_LOST };
enum gate { G_NONE, G_NOT_RUN, G_PASS, G_WARN, G_FAIL, G_NOT_TDX };

static void known(struct tdx_fact *f)
{
	f->state = TDX_KNOWN;
}

static void host_facts(struct tdx_facts *f, enum host h)
{
	memset(f, 0, sizeof(*f));
	known(&f->vendor.f);
	snprintf(f->vendor.v, sizeof(f->vendor.v), "GenuineIntel");
	known(&f->tdx_host_platform.f);
	f->tdx_host_platform.v = h != H_NONE && h != H_LOST;
	known(&f->kmsg.f);
	f->kmsg.complete = h != H_UNKNOWN;
	if (h == H_UP) {
		known(&f->module_version.f);
		f->module_version.major = 1;
		f->module_version.minor = 5;
		f->module_version.update = 16;
	}
	if (h == H_DOWN)
		f->kmsg.seen = TDX_LOG_INIT_FAILED;
	if (h == H_UNKNOWN)
		f->kmsg.f.state = TDX_ABSENT;
}

static void gate_rec(struct kx_tdx_gate_record *g, enum gate which)
{
	uint8_t node[KX_TDX_GATE_NODE_SIZE];

	kx_tdx_gate_node_init(node, 0, KX_TDX_GATE_MODE_ENFORCE, which != G_NOT_TDX);
	memcpy(g, node + KX_SETUP_DATA_HDR, sizeof(*g));
	if (which == G_NOT_RUN)
		return;
	g->state = KX_TDX_GATE_RAN;
	g->flags = KX_GATE_F_WBINVD_ENTRY | KX_GATE_F_VERIFIED | KX_GATE_F_WBINVD;
	g->verify_bytes = 80ULL << 20;
	g->msr[KX_GATE_KEYID_PART] = 64ULL << 32 | 63;
	g->msr_valid = 0x1f;
	g->checks_known = KX_GATE_C_KNOWN;
	g->checks_made = KX_GATE_C_KNOWN;
	g->reasons_fail = kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_FAIL);
	g->reasons_unconfirmed = kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_UNCONFIRMED);
	g->entry_wbinvd_tsc = 1000;
	g->verdict = which == G_WARN ? KX_TDX_GATE_WARN :
		     which == G_FAIL ? KX_TDX_GATE_FAIL : KX_TDX_GATE_PASS;
	if (which == G_WARN) {
		g->reasons = 1u << KX_GATE_R_SEAMRR_UNREPORTED;
		g->checks_made &= ~(1u << KX_GATE_C_SEAMRR);
		g->msr_valid = 0x7;
	}
	if (which == G_FAIL)
		g->reasons = 1u << KX_GATE_R_VMX_ON | 1u << KX_GATE_R_KEYID_NONE;
}

struct vcase {
	const char *name;
	enum host host;
	enum gate gate;
	enum tdx_severity verdict;
	const char *codes;	/* space separated, all must appear */
};

static const struct vcase cases[] = {
	{ "plain machine, no record", H_NONE, G_NONE, TDX_INFO, "gate-absent not-tdx-host" },
	{ "TDX back up after our kexec", H_UP, G_PASS, TDX_INFO,
	  "gate-pass gate-checks digests-verified tdx-up" },
	{ "TDX back up via kexec_file_load", H_UP, G_NONE, TDX_INFO, "gate-absent tdx-up" },
	{ "module failed to initialize", H_DOWN, G_PASS, TDX_NOGO, "gate-pass tdx-not-up" },
	{ "cannot tell yet", H_UNKNOWN, G_PASS, TDX_WARN, "tdx-up-unknown" },
	{ "new kernel lost TDX", H_LOST, G_PASS, TDX_NOGO, "tdx-platform-lost" },
	{ "gate could not check everything", H_UP, G_WARN, TDX_WARN, "gate-warn gate-checks tdx-up" },
	{ "gate failed (record mode)", H_UP, G_FAIL, TDX_NOGO, "gate-fail" },
	{ "record left unrun", H_UP, G_NOT_RUN, TDX_WARN, "gate-not-run tdx-up" },
	{ "loaded on a non-TDX host", H_NONE, G_NOT_TDX, TDX_INFO,
	  "gate-not-tdx gate-checks not-tdx-host" },
};

/*
 * Only this kernel can confirm that TDX came up: no finding about the gate
 * may claim the platform was "ready", and none may say more than "checked".
 */
static void no_overclaim(const char *name, const struct tdx_report *r)
{
	static const char *const claims[] = { "ready for TDX", "was ready", "not ready",
					      "TDX would not come back" };
	size_t i, j;

	for (i = 0; i < r->n; i++)
		for (j = 0; j < sizeof(claims) / sizeof(claims[0]); j++)
			if (strstr(r->f[i].message, claims[j]))
				fail_msg("%s: %s claims '%s': %s", name, r->f[i].code,
					 claims[j], r->f[i].message);
}

static void test_table(void **state)
{
	static struct tdx_facts f;
	static struct tdx_report r;
	struct kx_tdx_gate_record g;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *c = &cases[i];
		char codes[256], *tok, *save = NULL;

		host_facts(&f, c->host);
		gate_rec(&g, c->gate);
		tdx_verify(&f, c->gate == G_NONE ? NULL : &g, &r);
		if (r.verdict != c->verdict)
			fail_msg("%s: verdict %s, expected %s", c->name, tdx_verdict_name(r.verdict),
				 tdx_verdict_name(c->verdict));
		snprintf(codes, sizeof(codes), "%s", c->codes);
		for (tok = strtok_r(codes, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
			if (!tdx_report_find(&r, tok))
				fail_msg("%s: no finding %s", c->name, tok);
		no_overclaim(c->name, &r);
	}
}

/* The failing gate names its reasons in words. */
static void test_reasons(void **state)
{
	static struct tdx_facts f;
	static struct tdx_report r;
	struct kx_tdx_gate_record g;
	const struct tdx_finding *fd;

	host_facts(&f, H_UP);
	gate_rec(&g, G_FAIL);
	tdx_verify(&f, &g, &r);
	fd = tdx_report_find(&r, "gate-fail");
	assert_non_null(fd);
	assert_non_null(strstr(fd->message, "CR4.VMXE is set: VMX is still on; no TDX private KeyIDs"));
}

static const char *message(const struct tdx_report *r, const char *code)
{
	const struct tdx_finding *fd = tdx_report_find(r, code);

	if (!fd)
		fail_msg("no finding %s", code);
	return fd->message;
}

#define HAS(r, code, text) do {								\
	if (!strstr(message(r, code), text))						\
		fail_msg("%s does not say '%s': %s", code, text, message(r, code));	\
} while (0)

/* What the gate checked and what it did not, from a v2 record and from a v1 one. */
static void test_scope(void **state)
{
	static struct tdx_facts f;
	static struct tdx_report r;
	struct kx_tdx_gate_record g;

	host_facts(&f, H_UP);
	gate_rec(&g, G_WARN);
	g.apic_id = 5;
	tdx_verify(&f, &g, &r);
	HAS(&r, "gate-checks", "on the CPU with APIC ID 5");
	HAS(&r, "gate-checks", "checked CR4.VMXE, IA32_FEATURE_CONTROL, the TDX KeyID count (64), "
	    "SEAMRR support in IA32_MTRRCAP");
	HAS(&r, "gate-checks", "not checked: the SEAMRR registers");
	HAS(&r, "gate-checks", "the TDX module itself and the other CPUs");
	HAS(&r, "gate-warn", "IA32_MTRRCAP bit 15 (SEAMRR supported) is clear (meaning unconfirmed)");
	HAS(&r, "digests-verified", "wrote back and invalidated the caches (WBINVD), then verified");

	/* a version-1 record from an older purgatory: derived from the registers it read */
	memset((uint8_t *)&g + KX_TDX_GATE_V1_SIZE, 0, sizeof(g) - KX_TDX_GATE_V1_SIZE);
	g.version = 1;
	g.size = KX_TDX_GATE_V1_SIZE;
	g.flags &= ~KX_GATE_F_WBINVD_ENTRY;
	tdx_verify(&f, &g, &r);
	HAS(&r, "gate-checks", "version-1 record");
	HAS(&r, "gate-checks", "checked CR4.VMXE, IA32_FEATURE_CONTROL, the TDX KeyID count (64), "
	    "SEAMRR support in IA32_MTRRCAP");
	HAS(&r, "digests-verified", "only after");
	/* a version-1 purgatory failed on SEAMRR readings too: not certain, so a warning */
	g.verdict = KX_TDX_GATE_FAIL;
	g.reasons = 1u << KX_GATE_R_SEAMRR_UNCONFIGURED;
	tdx_verify(&f, &g, &r);
	assert_int_equal(r.verdict, TDX_WARN);
	HAS(&r, "gate-warn", "(meaning unconfirmed)");
	g.reasons |= 1u << KX_GATE_R_KEYID_NONE;
	tdx_verify(&f, &g, &r);
	assert_int_equal(r.verdict, TDX_NOGO);
	HAS(&r, "gate-fail", "no TDX private KeyIDs are partitioned");

	/* an unconfirmed SEAMRR reading is a warning, not a failure */
	gate_rec(&g, G_PASS);
	g.verdict = KX_TDX_GATE_WARN;
	g.reasons = 1u << KX_GATE_R_SEAMRR_UNCONFIGURED | 1u << KX_GATE_R_SEAMRR_DISABLED;
	tdx_verify(&f, &g, &r);
	assert_int_equal(r.verdict, TDX_WARN);
	HAS(&r, "gate-warn", "nothing certain to stop TDX");
	HAS(&r, "gate-warn", "IA32_SEAMRR_PHYS_BASE bit 3 (configured) is clear (meaning unconfirmed)");
	no_overclaim("unconfirmed", &r);
}

static void write_node(const char *root, const char *n, const char *type, const void *data,
		       size_t len)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "sys/kernel/boot_params/setup_data/%s/type", n);
	tt_write(root, rel, type);
	snprintf(rel, sizeof(rel), "sys/kernel/boot_params/setup_data/%s/data", n);
	tt_write_bin(root, rel, data, len, 0);
}

static int read_tree(char *root, struct tdx_gate_found *out, char *err)
{
	struct kx_ctx kx;
	struct tdx_ctx *t = tt_ctx(root, &kx);
	int rc;

	rc = tdx_gate_record_read(t, out);
	strcpy(err, tdx_ctx_error(t));
	tt_ctx_free(t, &kx);
	return rc;
}

/* Write @g (its first @len bytes) as setup_data node 1 after changing version and size. */
static void write_rec(const char *root, struct kx_tdx_gate_record *g, uint16_t version,
		      uint16_t size, size_t len)
{
	uint8_t buf[512];

	memset(buf, 0, sizeof(buf));
	g->version = version;
	g->size = size;
	memcpy(buf, g, sizeof(*g));
	write_node(root, "1", "0x4b585447\n", buf, len);
}

/*
 * The reader follows the growth rule of freestanding/gate-record.h: any
 * version >= 1 whose size fits the node, at least its version's least size;
 * short, truncated and foreign records are errors that say which.
 */
static void test_read_record(void **state)
{
	struct kx_tdx_gate_record g;
	struct tdx_gate_found found;
	static const uint8_t rng[32];
	char err[1024], *root = tt_tree();

	assert_int_equal(read_tree(root, &found, err), -ENOENT);	/* no setup_data at all */
	write_node(root, "0", "0x9\n", rng, sizeof(rng));		/* an RNG seed node */
	assert_int_equal(read_tree(root, &found, err), -ENOENT);
	gate_rec(&g, G_PASS);
	g.apic_id = 3;
	write_rec(root, &g, 2, 192, 192);				/* version 2, 192 bytes */
	assert_int_equal(read_tree(root, &found, err), 0);
	assert_int_equal(found.node, 1);
	assert_int_equal(found.rec.verdict, KX_TDX_GATE_PASS);
	assert_int_equal(found.rec.msr[KX_GATE_KEYID_PART] >> 32, 64);
	assert_int_equal(found.rec.apic_id, 3);
	write_rec(root, &g, 1, 128, 128);			/* an older purgatory's v1 */
	assert_int_equal(read_tree(root, &found, err), 0);
	assert_int_equal(found.rec.version, 1);
	assert_int_equal(found.rec.apic_id, 0);
	write_rec(root, &g, 9, 256, 256);			/* a later version that grew */
	assert_int_equal(read_tree(root, &found, err), 0);
	assert_int_equal(found.rec.apic_id, 3);

	/* malformed: truncated, short, shorter than its version, version 0, not ours, type */
	write_rec(root, &g, 2, 192, 150);
	assert_int_equal(read_tree(root, &found, err), -EINVAL);
	assert_non_null(strstr(err, "setup_data/1/data: 150 bytes, but the gate record says "
				    "192: truncated"));
	write_rec(root, &g, 2, 192, 100);
	assert_int_equal(read_tree(root, &found, err), -EINVAL);
	assert_non_null(strstr(err, "setup_data/1/data: 100 bytes; a gate record has at least 128"));
	write_rec(root, &g, 9, 128, 128);
	assert_int_equal(read_tree(root, &found, err), -EINVAL);
	assert_non_null(strstr(err, "gate record version 9 of 128 bytes; version 9 has at least "
				    "192 (records only grow)"));
	write_rec(root, &g, 0, 128, 128);
	assert_int_equal(read_tree(root, &found, err), -EINVAL);
	assert_non_null(strstr(err, "gate record version 0"));
	g.magic = 0x12345678;
	write_rec(root, &g, 2, 192, 192);
	assert_int_equal(read_tree(root, &found, err), -EINVAL);
	assert_non_null(strstr(err, "not a kexec-tdx gate record (magic 0x12345678)"));
	gate_rec(&g, G_PASS);
	g.verdict = 7;
	write_rec(root, &g, 2, 192, 192);
	assert_int_equal(read_tree(root, &found, err), -EINVAL);
	assert_non_null(strstr(err, "fields out of range"));
	write_node(root, "1", "banana\n", &g, sizeof(g));
	assert_int_equal(read_tree(root, &found, err), -EINVAL);
	assert_non_null(strstr(err, "expected a hexadecimal number, found 'banana'"));
	tt_rmtree(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_read_record),
	};

	return cmocka_run_group_tests_name("tdx-verify", tests, NULL, NULL);
}
