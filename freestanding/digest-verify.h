/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Check memory against a digest table (freestanding/digest-table.h).  Runs in
 * the purgatory on identity-mapped physical memory, and on the host in the
 * unit tests, where the table's addresses are ordinary pointers.
 */
#pragma once

#include <stdint.h>

#include "freestanding/digest-table.h"
#include "freestanding/sha256.h"

struct kx_verify_bad {
	unsigned int chunk;		/* index into t->chunk[] */
	uint8_t found[32];		/* SHA-256 of what is in memory now */
	int zero_expected;		/* the chunk should hold only zero bytes */
	uint64_t first_nonzero;		/* then: offset of the first non-zero byte */
};

typedef void (*kx_verify_report_fn)(void *arg, const struct kx_dtab *t,
				    const struct kx_verify_bad *bad);

struct kx_verify_stats {
	uint64_t hashed;		/* bytes run through SHA-256 */
	uint64_t scanned;		/* bytes checked by the zero scan */
	unsigned int mismatches;
};

/*
 * 0 if the table is well formed, else -errno naming the first problem:
 * -EBADMSG (magic or version), -E2BIG (counts), -EINVAL (chunk size),
 * -ERANGE (a chunk outside its segment).
 */
int kx_verify_table_ok(const struct kx_dtab *t);

/*
 * Check every chunk; call @report (may be NULL) for each one that differs.
 * Returns the number of mismatching chunks, or the -errno of
 * kx_verify_table_ok() when the table itself is malformed.  @impl picks the
 * SHA-256 block function.
 */
int kx_verify_dtab(const struct kx_dtab *t, enum kx_sha256_impl impl,
		   kx_verify_report_fn report, void *arg, struct kx_verify_stats *st);

/*
 * Describe a mismatch for a person, in lines ending with '\n': the segment
 * (kexec_load index and name), the physical range, the byte range within
 * the segment and whether it is data or zero tail, the expected and found
 * digests, and for a chunk that should be zeros the first non-zero byte.
 * Always NUL-terminates @buf (truncating if @size is short); returns the
 * length written.  KX_VERIFY_DESCRIBE_MAX bytes are always enough.
 */
#define KX_VERIFY_DESCRIBE_MAX 512
unsigned int kx_verify_describe(const struct kx_dtab *t, const struct kx_verify_bad *bad,
				char *buf, unsigned int size);

/* Offset of the first non-zero byte in [p, p + len), or len if there is none. */
uint64_t kx_verify_first_nonzero(const uint8_t *p, uint64_t len);
