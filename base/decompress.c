// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef HAVE_LZMA
#include <lzma.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#include <zstd_errors.h>
#endif

#include "base/buf.h"
#include "base/bytes.h"
#include "base/ctx.h"
#include "base/decompress.h"
#include "base/image-bound.h"
#include "base/lz4.h"

struct magic {
	enum kx_comp comp;
	size_t len;
	const char *bytes;
};

static const struct magic magics[] = {
	{ KX_COMP_GZIP, 2, "\x1f\x8b" },
	{ KX_COMP_XZ, 6, "\xfd" "7zXZ\0" },
	{ KX_COMP_ZSTD, 4, "\x28\xb5\x2f\xfd" },
	{ KX_COMP_BZIP2, 3, "BZh" },
	{ KX_COMP_LZ4, 4, "\x02\x21\x4c\x18" },	/* legacy frame, as the kernel uses */
	{ KX_COMP_LZ4F, 4, "\x04\x22\x4d\x18" },
	{ KX_COMP_LZMA, 3, "\x5d\0\0" },		/* .lzma: lc=3 lp=0 pb=2 */
};

enum kx_comp kx_comp_detect(const void *data, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (len >= magics[i].len && memcmp(data, magics[i].bytes, magics[i].len) == 0)
			return magics[i].comp;
	return KX_COMP_NONE;
}

const char *kx_comp_name(enum kx_comp c)
{
	switch (c) {
	case KX_COMP_NONE:	return "uncompressed";
	case KX_COMP_GZIP:	return "gzip";
	case KX_COMP_XZ:	return "xz";
	case KX_COMP_LZMA:	return "lzma";
	case KX_COMP_ZSTD:	return "zstd";
	case KX_COMP_BZIP2:	return "bzip2";
	case KX_COMP_LZ4:	return "lz4";
	case KX_COMP_LZ4F:	return "lz4 frame";
	}
	return "unknown";
}

bool kx_comp_supported(enum kx_comp c)
{
	switch (c) {
	case KX_COMP_NONE:
	case KX_COMP_GZIP:
	case KX_COMP_LZ4:
		return true;
	case KX_COMP_XZ:
	case KX_COMP_LZMA:
#ifdef HAVE_LZMA
		return true;
#else
		return false;
#endif
	case KX_COMP_ZSTD:
#ifdef HAVE_ZSTD
		return true;
#else
		return false;
#endif
	default:
		return false;
	}
}

/*
 * What may follow the end of the compressed data: nothing, or the 4-byte
 * little-endian size the kernel build appends to every compressed kernel but
 * a gzip one (scripts/Makefile.lib size_append; mkpiggy reads it back).
 * Anything else is refused: a kernel file with bytes we cannot account for
 * is not one to boot.
 */
static int check_tail(const uint8_t *rest, size_t n, size_t outlen)
{
	if (n == 0 || (n == 4 && kx_get32(rest, 0) == (uint32_t)outlen))
		return 0;
	return -EBADMSG;
}

/* One gzip member (or zlib stream) from @zs; 1 at its end, 0 for more, or -errno. */
static int gunzip_step(z_stream *zs, struct kx_buf *o)
{
	int zr, rc;

	if (o->len == o->cap && (rc = kx_buf_reserve(o, 1)) < 0)
		return rc;
	zs->next_out = o->p + o->len;
	zs->avail_out = (uInt)(o->cap - o->len > UINT32_MAX ? UINT32_MAX : o->cap - o->len);
	zr = inflate(zs, Z_NO_FLUSH);
	o->len = (size_t)(zs->next_out - o->p);
	if (zr == Z_STREAM_END)
		return 1;
	if (zr == Z_MEM_ERROR)
		return -ENOMEM;
	if (zr != Z_OK && zr != Z_BUF_ERROR)
		return -EBADMSG;
	if (zr == Z_BUF_ERROR && zs->avail_in == 0)
		return -EBADMSG;	/* truncated */
	return 0;
}

/* gzip (or zlib) data, with concatenated gzip members as gzip(1) reads them. */
static int gunzip(const uint8_t *in, size_t len, struct kx_buf *o)
{
	size_t pos = 0;
	z_stream zs;
	int rc = 0;

	if (len > UINT32_MAX)
		return -EFBIG;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 32) != Z_OK)	/* 15-bit window, gzip or zlib header */
		return -ENOMEM;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	while (rc == 0) {
		rc = gunzip_step(&zs, o);
		if (rc != 1)
			continue;
		pos = len - zs.avail_in;
		if (len - pos >= 2 && in[pos] == 0x1f && in[pos + 1] == 0x8b) {
			rc = inflateReset(&zs) == Z_OK ? 0 : -ENOMEM;
			continue;
		}
		rc = check_tail(in + pos, len - pos, o->len);
		break;
	}
	inflateEnd(&zs);
	return rc;
}

#ifdef HAVE_LZMA
/*
 * What the decoder may allocate, mostly the dictionary the header asks for:
 * the kernel's xz_wrap.sh uses 32 MiB, xz -9 64 MiB; a header that asks for
 * gigabytes (found by fuzzing) is refused.
 */
#define XZ_MEMLIMIT (128u << 20)

/* One xz stream or .lzma file from @in; *used says where it ended. */
static int unxz_one(const uint8_t *in, size_t len, bool alone, struct kx_buf *o, size_t *used)
{
	lzma_stream ls = LZMA_STREAM_INIT;
	lzma_ret lr;
	int rc = 0;

	lr = alone ? lzma_alone_decoder(&ls, XZ_MEMLIMIT) : lzma_stream_decoder(&ls, XZ_MEMLIMIT, 0);
	if (lr != LZMA_OK)
		return -ENOMEM;
	ls.next_in = in;
	ls.avail_in = len;
	do {
		if (o->len == o->cap && (rc = kx_buf_reserve(o, 1)) < 0)
			break;
		ls.next_out = o->p + o->len;
		ls.avail_out = o->cap - o->len;
		lr = lzma_code(&ls, LZMA_FINISH);
		o->len = o->cap - ls.avail_out;
		if (lr == LZMA_STREAM_END)
			break;
		if (lr == LZMA_MEM_ERROR)
			rc = -ENOMEM;
		else if (lr == LZMA_MEMLIMIT_ERROR)
			rc = -ENOBUFS;
		else if (lr != LZMA_OK && lr != LZMA_BUF_ERROR)
			rc = -EBADMSG;
		else if (lr == LZMA_BUF_ERROR && ls.avail_in == 0)
			rc = -EBADMSG;
	} while (!rc);
	*used = len - ls.avail_in;
	lzma_end(&ls);
	return rc;
}

/* xz streams, each maybe followed by stream padding (xz-file-format.txt 2.2), or one .lzma. */
static int unxz(const uint8_t *in, size_t len, bool alone, struct kx_buf *o)
{
	size_t pos = 0, used;
	int rc;

	for (;;) {
		rc = unxz_one(in + pos, len - pos, alone, o, &used);
		if (rc < 0)
			return rc;
		pos += used;
		if (alone)
			break;
		while (len - pos >= 4 && kx_get32(in, pos) == 0)
			pos += 4;
		if (len - pos < 6 || kx_comp_detect(in + pos, len - pos) != KX_COMP_XZ)
			break;
	}
	return check_tail(in + pos, len - pos, o->len);
}
#endif

#ifdef HAVE_ZSTD
/* zstd frames (and skippable frames) as libzstd reads them. */
static int unzstd(const uint8_t *in, size_t len, struct kx_buf *o)
{
	ZSTD_DStream *ds = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, len, 0 };
	size_t zr = 1;
	int rc = 0;

	if (!ds)
		return -ENOMEM;
	while (!rc && (ib.pos < ib.size || zr != 0)) {
		ZSTD_outBuffer ob;

		if (zr == 0 && ib.size - ib.pos <= 4)
			break;	/* a frame ended: what follows is checked below */
		if (o->len == o->cap && (rc = kx_buf_reserve(o, 1)) < 0)
			break;
		ob.dst = o->p;
		ob.size = o->cap;
		ob.pos = o->len;
		zr = ZSTD_decompressStream(ds, &ob, &ib);
		o->len = ob.pos;
		if (ZSTD_isError(zr))
			rc = ZSTD_getErrorCode(zr) == ZSTD_error_memory_allocation ? -ENOMEM : -EBADMSG;
		else if (zr != 0 && ib.pos == ib.size && ob.pos < ob.size)
			rc = -EBADMSG;	/* truncated */
	}
	ZSTD_freeDStream(ds);
	return rc ? rc : check_tail(in + ib.pos, ib.size - ib.pos, o->len);
}
#endif

static int run(enum kx_comp c, const void *in, size_t len, struct kx_buf *o)
{
	switch (c) {
	case KX_COMP_LZ4:
		return kx_lz4_legacy_buf(in, len, o);
	case KX_COMP_GZIP:
		return gunzip(in, len, o);
#ifdef HAVE_LZMA
	case KX_COMP_XZ:
	case KX_COMP_LZMA:
		return unxz(in, len, c == KX_COMP_LZMA, o);
#endif
#ifdef HAVE_ZSTD
	case KX_COMP_ZSTD:
		return unzstd(in, len, o);
#endif
	default:
		return -ENOEXEC;
	}
}

/*
 * Decompress into a buffer of at most @max bytes: 0, or -EFBIG past it.  The
 * buffer may hold one byte more, so that a stream that ends exactly at @max
 * is seen to end.
 */
static int bounded(enum kx_comp c, const void *in, size_t len, size_t max, struct kx_buf *o)
{
	int rc;

	*o = (struct kx_buf)KX_BUF_INIT(max + 1);
	if (!kx_comp_supported(c) || c == KX_COMP_NONE)
		return -ENOEXEC;
	kx_buf_reserve(o, max < (1u << 20) ? max + 1 : (1u << 20));
	rc = run(c, in, len, o);
	if (rc == 0 && o->len > max)
		rc = -EFBIG;
	if (rc < 0) {
		kx_buf_free(o);
		return rc;
	}
	if (!o->p)	/* nothing came out */
		return kx_buf_reserve(o, 1);
	return 0;
}

static int fail(struct kx_ctx *ctx, const char *what, enum kx_comp c, size_t max, int rc)
{
	if (rc == -ENOEXEC)
		return kx_fail(ctx, rc, "%s is %s-compressed, which this build cannot decompress; "
			       "gzip, lz4%s%s are supported", what, kx_comp_name(c),
			       kx_comp_supported(KX_COMP_XZ) ? ", xz, lzma" : "",
			       kx_comp_supported(KX_COMP_ZSTD) ? ", zstd" : "");
	if (rc == -EFBIG)
		return kx_fail(ctx, rc, "%s decompresses to more than %zu bytes; expected at most "
			       "that", what, max);
	if (rc == -EBADMSG)
		return kx_fail(ctx, rc, "%s: corrupt or truncated %s data", what, kx_comp_name(c));
	if (rc == -ENOBUFS)
		return kx_fail(ctx, rc, "%s: its %s header asks for more than %u MiB of memory to "
			       "decompress; expected what a kernel build uses (32 MiB)", what,
			       kx_comp_name(c), 128u);
	return kx_fail(ctx, rc, "%s: cannot decompress: %s", what, strerror(-rc));
}

int kx_decompress(struct kx_ctx *ctx, const char *what, const void *in, size_t len,
		  enum kx_comp c, size_t max, uint8_t **out, size_t *outlen)
{
	struct kx_buf o;
	int rc = bounded(c, in, len, max, &o);

	if (rc < 0)
		return fail(ctx, what, c, max, rc);
	*out = o.p;
	*outlen = o.len;
	return 0;
}

/*
 * A compressed kernel file: first only its head, enough for the headers that
 * say how large the image is; then the whole, never past that.  A bomb
 * (gigabytes of output) stops at the size its headers give, or at once when
 * the head is not a kernel image at all.
 */
int kx_decompress_image(struct kx_ctx *ctx, const char *what, const void *in, size_t len,
			enum kx_comp c, uint8_t **out, size_t *outlen)
{
	struct kx_buf o = KX_BUF_INIT(KX_IMAGE_HEAD);
	char why[200];
	uint64_t bound;
	int rc;

	if (!kx_comp_supported(c) || c == KX_COMP_NONE)
		return fail(ctx, what, c, 0, -ENOEXEC);
	rc = kx_buf_reserve(&o, KX_IMAGE_HEAD);
	if (rc == 0)
		rc = run(c, in, len, &o);
	if (rc == 0) {
		*out = o.p;
		*outlen = o.len;
		return 0;
	}
	bound = rc == -EFBIG ? kx_image_bound(o.p, o.len, why, sizeof(why)) : 0;
	kx_buf_free(&o);
	if (rc != -EFBIG)
		return fail(ctx, what, c, KX_IMAGE_HEAD, rc);
	if (!bound)
		return kx_fail(ctx, -ENOEXEC, "%s does not decompress to a kernel image: its first "
			       "%u bytes hold no bzImage, ELF or PE header", what, KX_IMAGE_HEAD);
	rc = bounded(c, in, len, bound, &o);
	if (rc == -EFBIG)
		return kx_fail(ctx, rc, "%s decompresses to more than %llu bytes, the most %s; "
			       "stopped there", what, (unsigned long long)bound, why);
	if (rc < 0)
		return fail(ctx, what, c, bound, rc);
	*out = o.p;
	*outlen = o.len;
	return 0;
}
