// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkgaterecord [--v1] [--version N] [--size N] VERDICT [EXPECT_TDX [REASONS]] > data:
 * write a TDX gate record (freestanding/gate-record.h) as our purgatory would
 * leave it, for tests of --tdx-verify.  VERDICT: pass, warn, fail, or not-run.
 * --v1 writes the 128-byte version 1 an older purgatory left; --version and
 * --size set those header fields (the bytes written follow --size, padded
 * with zeros), to make records of later versions or inconsistent ones.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freestanding/gate-logic.h"
#include "freestanding/gate-record.h"

static const char usage[] =
	"usage: mkgaterecord [--v1] [--version N] [--size N] pass|warn|fail|not-run "
	"[EXPECT_TDX [REASONS]]\n";

/* A number for --version or --size, or -1 with a message naming the value. */
static long number(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v = strtol(arg, &end, 0);

	if (*arg == '\0' || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "mkgaterecord: bad value '%s' for %s: expected %ld to %ld\n", arg,
			opt, min, max);
		return -1;
	}
	return v;
}

static void fill(struct kx_tdx_gate_record *r, const char *verdict, int expect, uint32_t reasons)
{
	r->state = KX_TDX_GATE_RAN;
	r->verdict = strcmp(verdict, "fail") == 0 ? KX_TDX_GATE_FAIL :
		     strcmp(verdict, "warn") == 0 ? KX_TDX_GATE_WARN : KX_TDX_GATE_PASS;
	r->reasons = reasons;
	r->flags = KX_GATE_F_WBINVD_ENTRY | KX_GATE_F_VERIFIED | KX_GATE_F_WBINVD;
	r->verify_bytes = 96ULL << 20;
	r->msr[KX_GATE_KEYID_PART] = expect ? (64ULL << 32 | 63) : 0;
	r->msr_valid = (1u << KX_GATE_FEATURE_CONTROL) | (1u << KX_GATE_KEYID_PART) |
		       (1u << KX_GATE_MTRRCAP);
	/* as on QEMU: IA32_MTRRCAP without SEAMRR, so the SEAMRR registers are not read */
	r->checks_known = KX_GATE_C_KNOWN;
	r->checks_made = KX_GATE_C_KNOWN & ~(1u << KX_GATE_C_SEAMRR);
	r->reasons_fail = kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_FAIL);
	r->reasons_unconfirmed = kx_tdx_gate_reasons_of_class(KX_GATE_CLASS_UNCONFIRMED);
	r->apic_id = 0;
	r->entry_wbinvd_tsc = 123456;
}

/* The v1 part only, as a purgatory of version 1 wrote it. */
static void make_v1(struct kx_tdx_gate_record *r)
{
	uint8_t *b = (uint8_t *)r;

	memset(b + KX_TDX_GATE_V1_SIZE, 0, sizeof(*r) - KX_TDX_GATE_V1_SIZE);
	r->version = 1;
	r->size = KX_TDX_GATE_V1_SIZE;
	r->flags &= ~KX_GATE_F_WBINVD_ENTRY;
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "v1", no_argument, NULL, '1' },
		{ "version", required_argument, NULL, 'V' },
		{ "size", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t node[KX_TDX_GATE_NODE_SIZE], out[4096];
	struct kx_tdx_gate_record r;
	long version = -1, size = -1;
	int opt, v1 = 0, expect;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case '1':
			v1 = 1;
			break;
		case 'V':
			version = number("--version", optarg, 0, 0xffff);
			if (version < 0)
				return 2;
			break;
		case 'S':
			size = number("--size", optarg, 1, (long)sizeof(out));
			if (size < 0)
				return 2;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	expect = optind + 1 < argc ? atoi(argv[optind + 1]) : 1;
	kx_tdx_gate_node_init(node, 0, KX_TDX_GATE_MODE_ENFORCE, expect);
	memcpy(&r, node + KX_SETUP_DATA_HDR, sizeof(r));
	if (strcmp(argv[optind], "not-run") != 0)
		fill(&r, argv[optind], expect,
		     optind + 2 < argc ? (uint32_t)strtoul(argv[optind + 2], NULL, 0) : 0);
	if (v1)
		make_v1(&r);
	if (version >= 0)
		r.version = (uint16_t)version;
	if (size >= 0)
		r.size = (uint16_t)size;
	memset(out, 0, sizeof(out));
	memcpy(out, &r, sizeof(r) < r.size ? sizeof(r) : r.size);
	return fwrite(out, r.size, 1, stdout) == 1 ? 0 : 1;
}
