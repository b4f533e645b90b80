// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The handover token a load puts on the new kernel's command line where the
 * purgatory's TDX gate would be armed (a TDX host, or --tdx-disable), for
 * either system call: what the preflight saw (base/htoken.h) and a nonce new
 * for every load, which the record of what was staged and the reboot check's
 * decision keep, so that --tdx-verify in the new kernel can tell which load
 * started it.  Not for a kdump kernel: it never brings TDX up.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/ctx.h"
#include "base/htoken.h"
#include "cli/cli.h"
#include "kexec/load.h"

/*
 * 64 random bits as hex.  The nonce only has to differ from one load to the
 * next: where getrandom() cannot answer at once (early boot on an old
 * kernel) the clock and the pid stand in.
 */
static void new_nonce(char out[KX_HTOKEN_NONCE_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	uint64_t v = 0;
	struct timespec ts;
	int i;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		v = ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 48);
	}
	for (i = KX_HTOKEN_NONCE_LEN - 1; i >= 0; i--, v >>= 4)
		out[i] = digits[v & 15];
	out[KX_HTOKEN_NONCE_LEN] = '\0';
}

bool kx_cli_handover_wanted(const struct kx_load_req *req)
{
	return !req->crash && req->gate != KX_TDX_GATE_MODE_OFF;
}

int kx_cli_handover_add(struct kx_ctx *ctx, struct kx_cli_tdx_outcome *tdx, char **cmdline)
{
	char word[KX_HTOKEN_MAX + 1], *with = NULL;
	int rc;

	new_nonce(tdx->expect.nonce);
	rc = kx_htoken_format(&tdx->expect, word, sizeof(word));
	if (rc < 0) {
		tdx->expect.nonce[0] = '\0';
		return kx_fail(ctx, rc, "cannot write the kexec-tdx handover token: %s",
			       strerror(-rc));
	}
	rc = kx_cmdline_add_token(ctx, *cmdline, word, &with);
	if (rc < 0) {
		tdx->expect.nonce[0] = '\0';
		return rc;
	}
	kx_dbg(ctx, "handover token for the new kernel's command line: %s", word);
	free(*cmdline);
	*cmdline = with;
	return 0;
}
