/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The digest table: what the loader hashed and the purgatory checks before
 * it jumps.  Shared by kexec/digest.c (which fills it), freestanding/digest-verify.c
 * (which checks it) and the tests; freestanding.
 *
 * Every segment except the purgatory's own is covered over its full memsz
 * (data, then the zero tail the kernel fills in).  Each segment is cut into
 * chunks of chunk_size bytes (the last one of a segment may be shorter),
 * and every chunk has its own SHA-256, so that
 *  - the loader hashes chunks in parallel and reuses the digest of an
 *    all-zero chunk instead of hashing it again;
 *  - the purgatory checks a chunk whose expected digest is that of
 *    chunk_size zero bytes by scanning it for a non-zero byte, which is
 *    equivalent to hashing it and many times faster;
 *  - a mismatch names the segment and the byte range that differs.
 *
 * chunk_size is the smallest power of two >= KX_DTAB_MIN_CHUNK that keeps
 * the number of chunks within KX_DTAB_MAX_CHUNKS, so the table has a fixed
 * size whatever the segments are.
 */
#pragma once

#include <stdint.h>

#define KX_DTAB_MAGIC		0x4254444bu	/* "KDTB" in memory order */
#define KX_DTAB_VERSION		1
#define KX_DTAB_MAX_SEGS	16		/* KEXEC_SEGMENT_MAX */
#define KX_DTAB_MAX_CHUNKS	1024
#define KX_DTAB_MIN_CHUNK	(64u << 10)
#define KX_DTAB_MAX_CHUNK	(1u << 31)
#define KX_DTAB_NAME_LEN	16

struct kx_dtab_seg {
	uint64_t mem;		/* physical start */
	uint64_t memsz;		/* bytes covered (data + zero tail) */
	uint64_t bufsz;		/* bytes of data; the rest was zero at load time */
	char name[KX_DTAB_NAME_LEN];	/* "kernel", "initrd", ...; NUL-padded */
	uint32_t index;		/* index in the kexec_load segment list */
	uint32_t reserved;
};

struct kx_dtab_chunk {
	uint64_t start;		/* physical address */
	uint32_t len;		/* chunk_size, or less for a segment's last chunk */
	uint16_t seg;		/* index into kx_dtab.seg[] */
	uint16_t reserved;
	uint8_t sha256[32];
};

struct kx_dtab {
	uint32_t magic;		/* KX_DTAB_MAGIC once filled */
	uint16_t version;	/* KX_DTAB_VERSION */
	uint16_t nseg;
	uint32_t nchunk;
	uint32_t chunk_size;	/* power of two */
	uint64_t total;		/* sum of the covered memsz */
	struct kx_dtab_seg seg[KX_DTAB_MAX_SEGS];
	struct kx_dtab_chunk chunk[KX_DTAB_MAX_CHUNKS];
};

_Static_assert(sizeof(struct kx_dtab_seg) == 48, "kx_dtab_seg layout");
_Static_assert(sizeof(struct kx_dtab_chunk) == 48, "kx_dtab_chunk layout");
_Static_assert(sizeof(struct kx_dtab) == 24 + 16 * 48 + 1024 * 48, "kx_dtab layout");
