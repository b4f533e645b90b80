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
#endif

#include "base/buf.h"
#include "base/ctx.h"
#include "base/decompress.h"
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

static int gunzip(const void *in, size_t len, struct kx_buf *o)
{
	z_stream zs;
	int zr, rc = 0;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 32) != Z_OK)	/* 15-bit window, gzip or zlib header */
		return -ENOMEM;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
	do {
		if (o->len == o->cap && (rc = kx_buf_reserve(o, 1)) < 0)
			break;
		zs.next_out = o->p + o->len;
		zs.avail_out = (uInt)(o->cap - o->len);
		zr = inflate(&zs, Z_NO_FLUSH);
		o->len = o->cap - zs.avail_out;
		if (zr == Z_STREAM_END)
			break;
		if (zr != Z_OK && zr != Z_BUF_ERROR)
			rc = -EBADMSG;
		else if (zr == Z_BUF_ERROR && zs.avail_in == 0)
			rc = -EBADMSG;	/* truncated */
	} while (!rc);
	inflateEnd(&zs);
	return rc;
}

#ifdef HAVE_LZMA
static int unxz(const void *in, size_t len, bool alone, struct kx_buf *o)
{
	lzma_stream ls = LZMA_STREAM_INIT;
	lzma_ret lr;
	int rc = 0;

	lr = alone ? lzma_alone_decoder(&ls, UINT64_MAX)
		   : lzma_stream_decoder(&ls, UINT64_MAX, LZMA_CONCATENATED);
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
		else if (lr != LZMA_OK && lr != LZMA_BUF_ERROR)
			rc = -EBADMSG;
		else if (lr == LZMA_BUF_ERROR && ls.avail_in == 0)
			rc = -EBADMSG;
	} while (!rc);
	lzma_end(&ls);
	return rc;
}
#endif

#ifdef HAVE_ZSTD
static int unzstd(const void *in, size_t len, struct kx_buf *o)
{
	ZSTD_DStream *ds = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, len, 0 };
	size_t zr = 1;
	int rc = 0;

	if (!ds)
		return -ENOMEM;
	while (!rc && (ib.pos < ib.size || zr != 0)) {
		ZSTD_outBuffer ob;

		if (o->len == o->cap && (rc = kx_buf_reserve(o, 1)) < 0)
			break;
		ob.dst = o->p;
		ob.size = o->cap;
		ob.pos = o->len;
		zr = ZSTD_decompressStream(ds, &ob, &ib);
		o->len = ob.pos;
		if (ZSTD_isError(zr))
			rc = -EBADMSG;
		else if (zr != 0 && ib.pos == ib.size && ob.pos < ob.size)
			rc = -EBADMSG;	/* truncated */
	}
	ZSTD_freeDStream(ds);
	return rc;
}
#endif

int kx_decompress(struct kx_ctx *ctx, const char *what, const void *in, size_t len,
		  enum kx_comp c, size_t max, uint8_t **out, size_t *outlen)
{
	struct kx_buf o = KX_BUF_INIT(max);
	int rc = -ENOEXEC;

	if (kx_comp_supported(c) && c != KX_COMP_NONE)
		kx_buf_reserve(&o, max < (1u << 20) ? max : (1u << 20));
	switch (c) {
	case KX_COMP_LZ4:
		rc = kx_lz4_legacy_buf(in, len, &o);
		break;
	case KX_COMP_GZIP:
		rc = gunzip(in, len, &o);
		break;
#ifdef HAVE_LZMA
	case KX_COMP_XZ:
	case KX_COMP_LZMA:
		rc = unxz(in, len, c == KX_COMP_LZMA, &o);
		break;
#endif
#ifdef HAVE_ZSTD
	case KX_COMP_ZSTD:
		rc = unzstd(in, len, &o);
		break;
#endif
	default:
		break;
	}
	if (rc == 0) {
		*out = o.p;
		*outlen = o.len;
		return 0;
	}
	free(o.p);
	if (rc == -ENOEXEC)
		return kx_fail(ctx, rc, "%s is %s-compressed, which this build cannot decompress; "
			       "gzip, lz4%s%s are supported", what, kx_comp_name(c),
			       kx_comp_supported(KX_COMP_XZ) ? ", xz, lzma" : "",
			       kx_comp_supported(KX_COMP_ZSTD) ? ", zstd" : "");
	if (rc == -EFBIG)
		return kx_fail(ctx, rc, "%s decompresses to more than %zu MiB", what, max >> 20);
	if (rc == -EBADMSG)
		return kx_fail(ctx, rc, "%s: corrupt or truncated %s data", what, kx_comp_name(c));
	return kx_fail(ctx, rc, "%s: cannot decompress: %s", what, strerror(-rc));
}
