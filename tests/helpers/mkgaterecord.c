// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkgaterecord VERDICT [EXPECT_TDX [REASONS]] > data: write a TDX gate record
 * (freestanding/gate-record.h) as our purgatory would leave it, for tests of
 * --tdx-verify.  VERDICT: pass, warn, fail, or not-run.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freestanding/gate-record.h"

int main(int argc, char *argv[])
{
	uint8_t node[KX_TDX_GATE_NODE_SIZE];
	struct kx_tdx_gate_record r;
	int expect = argc > 2 ? atoi(argv[2]) : 1;

	if (argc < 2) {
		fprintf(stderr, "usage: mkgaterecord pass|warn|fail|not-run [EXPECT_TDX [REASONS]]\n");
		return 2;
	}
	kx_tdx_gate_node_init(node, 0, KX_TDX_GATE_MODE_ENFORCE, expect);
	memcpy(&r, node + KX_SETUP_DATA_HDR, sizeof(r));
	if (strcmp(argv[1], "not-run") != 0) {
		r.state = KX_TDX_GATE_RAN;
		r.verdict = strcmp(argv[1], "fail") == 0 ? KX_TDX_GATE_FAIL :
			    strcmp(argv[1], "warn") == 0 ? KX_TDX_GATE_WARN : KX_TDX_GATE_PASS;
		r.reasons = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 0) : 0;
		r.flags = KX_GATE_F_VERIFIED | KX_GATE_F_WBINVD;
		r.verify_bytes = 96ULL << 20;
		r.msr[KX_GATE_KEYID_PART] = expect ? (64ULL << 32 | 63) : 0;
	}
	return fwrite(&r, sizeof(r), 1, stdout) == 1 ? 0 : 1;
}
