// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

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

#include "base/bytes.h"
#include "base/bzimage.h"
#include "tests/helpers/testimage.h"

void ti_bzimage_defaults(struct ti_bzimage *p)
{
	memset(p, 0, sizeof(*p));
	p->version = "6.1.0-test (test@kexec-tdx) #1 SMP";
	p->protocol = 0x020f;
	p->xloadflags = 0x7f;
	p->loadflags = 0x01;
	p->setup_sects = 27;
	p->cmdline_size = 2047;
	p->init_size = 16u << 20;
	p->kernel_alignment = 2u << 20;
	p->pref_address = 16u << 20;
	p->payload_len = 1u << 20;
	p->payload_offset = 0x100;
}

static size_t setup_size(const struct ti_bzimage *p)
{
	return ((size_t)(p->setup_sects ? p->setup_sects : 4) + 1) * 512;
}

void ti_bzimage_header(uint8_t *img, size_t img_len, const struct ti_bzimage *p)
{
	size_t voff = 0x300, setup = setup_size(p);	/* version string offset in the file */
	size_t plen = img_len > setup ? img_len - setup : 0;	/* the protected-mode part */

	if (plen > p->payload_len)
		plen = p->payload_len;

	img[KX_BZ_SETUP_SECTS] = (uint8_t)p->setup_sects;
	kx_put32(img, KX_BZ_SYSSIZE, p->syssize ? p->syssize :
		 img_len > setup ? (uint32_t)((img_len - setup) / 16) : 0);
	kx_put16(img, KX_BZ_BOOT_FLAG, 0xAA55);
	img[KX_BZ_JUMP] = 0xeb;
	img[KX_BZ_JUMP + 1] = 0x6a;	/* the header ends at 0x26c */
	memcpy(img + KX_BZ_HEADER, "HdrS", 4);
	kx_put16(img, KX_BZ_VERSION, (uint16_t)p->protocol);
	img[KX_BZ_LOADFLAGS] = (uint8_t)p->loadflags;
	kx_put32(img, KX_BZ_INITRD_ADDR_MAX, 0x7fffffff);
	kx_put32(img, KX_BZ_KERNEL_ALIGNMENT, p->kernel_alignment);
	img[KX_BZ_RELOCATABLE] = 1;
	kx_put16(img, KX_BZ_XLOADFLAGS, (uint16_t)p->xloadflags);
	kx_put32(img, KX_BZ_CMDLINE_SIZE, p->cmdline_size);
	kx_put32(img, KX_BZ_PAYLOAD_OFFSET, p->payload_offset);
	kx_put32(img, KX_BZ_PAYLOAD_LENGTH, (uint32_t)(plen > p->payload_offset ?
						      plen - p->payload_offset : 0));
	kx_put64(img, KX_BZ_PREF_ADDRESS, p->pref_address);
	kx_put32(img, KX_BZ_INIT_SIZE, p->init_size);
	if (p->version && setup <= img_len && voff < setup) {
		kx_put16(img, KX_BZ_KERNEL_VERSION, (uint16_t)(voff - 0x200));
		snprintf((char *)img + voff, setup - voff, "%s", p->version);
	}
}

int ti_bzimage_build(const struct ti_bzimage *p, uint8_t **out, size_t *len)
{
	size_t setup = setup_size(p), i;
	uint8_t *img = calloc(1, setup + p->payload_len);

	if (!img)
		return -1;
	ti_bzimage_header(img, setup + p->payload_len, p);
	for (i = 0; i < p->payload_len; i++)	/* deterministic, not compressible filler */
		img[setup + i] = p->payload ? p->payload[i] : (uint8_t)((i * 2654435761u) >> 13);
	*out = img;
	*len = setup + p->payload_len;
	return 0;
}

/* --- a small greedy LZ4 block compressor ---------------------------------- */

static size_t put_len(uint8_t *o, size_t v)
{
	size_t n = 0;

	for (; v >= 255; v -= 255)
		o[n++] = 255;
	o[n++] = (uint8_t)v;
	return n;
}

static size_t emit(uint8_t *o, const uint8_t *lit, size_t nlit, size_t off, size_t mlen)
{
	size_t n = 1;

	o[0] = (uint8_t)((nlit >= 15 ? 15 : nlit) << 4);
	if (mlen)
		o[0] |= (uint8_t)(mlen - 4 >= 15 ? 15 : mlen - 4);
	if (nlit >= 15)
		n += put_len(o + n, nlit - 15);
	memcpy(o + n, lit, nlit);
	n += nlit;
	if (!mlen)
		return n;
	o[n++] = (uint8_t)off;
	o[n++] = (uint8_t)(off >> 8);
	if (mlen - 4 >= 15)
		n += put_len(o + n, mlen - 4 - 15);
	return n;
}

static size_t lz4_block(const uint8_t *s, size_t n, uint8_t *o)
{
	uint32_t table[4096];
	size_t ip = 0, anchor = 0, op = 0, limit = n > 12 ? n - 12 : 0;

	memset(table, 0, sizeof(table));
	while (ip < limit) {
		uint32_t seq = kx_get32(s, ip), h = (seq * 2654435761u) >> 20;
		size_t ref = table[h];

		table[h] = (uint32_t)ip + 1;
		if (ref && ip - (ref - 1) <= 65535 && kx_get32(s, ref - 1) == seq) {
			size_t r = ref - 1, mlen = 4;

			while (ip + mlen < n - 5 && s[r + mlen] == s[ip + mlen])
				mlen++;
			op += emit(o + op, s + anchor, ip - anchor, ip - r, mlen);
			ip += mlen;
			anchor = ip;
		} else {
			ip++;
		}
	}
	return op + emit(o + op, s + anchor, n - anchor, 0, 0);
}

int ti_lz4_legacy(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen)
{
	size_t chunk = 8u << 20, pos = 0, op = 4;
	uint8_t *o = malloc(len + len / 255 + 64 * (len / chunk + 1) + 16);

	if (!o)
		return -1;
	kx_put32(o, 0, 0x184c2102u);
	while (pos < len) {
		size_t n = len - pos < chunk ? len - pos : chunk;
		size_t c = lz4_block(in + pos, n, o + op + 4);

		kx_put32(o, op, (uint32_t)c);
		op += 4 + c;
		pos += n;
	}
	kx_put32(o, op, (uint32_t)len);	/* the size the kernel build appends */
	*out = o;
	*outlen = op + 4;
	return 0;
}

static int gzip_buf(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen)
{
	z_stream zs = { 0 };
	uLong cap = compressBound((uLong)len) + 64;
	uint8_t *o = malloc(cap);

	if (!o || deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = o;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		return -1;
	*outlen = zs.total_out;
	deflateEnd(&zs);
	*out = o;
	return 0;
}

static int xz_buf(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen)
{
#ifdef HAVE_LZMA
	size_t cap = len + len / 2 + 4096, pos = 0;
	uint8_t *o = malloc(cap);

	if (!o || lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, len, o, &pos, cap) !=
	    LZMA_OK)
		return -1;
	*out = o;
	*outlen = pos;
	return 0;
#else
	return -1;
#endif
}

static int zstd_buf(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen)
{
#ifdef HAVE_ZSTD
	size_t cap = ZSTD_compressBound(len), n = 0;
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	uint8_t *o = malloc(cap);

	/* a content checksum, as the zstd program writes by default */
	if (o && cc && !ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1)) &&
	    !ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 19)))
		n = ZSTD_compress2(cc, o, cap, in, len);
	ZSTD_freeCCtx(cc);
	if (!n || ZSTD_isError(n)) {
		free(o);
		return -1;
	}
	*out = o;
	*outlen = n;
	return 0;
#else
	return -1;
#endif
}

/* scripts/Makefile.lib size_append: the uncompressed size, 4 bytes little-endian. */
static int size_append(uint8_t **buf, size_t *len, size_t size)
{
	uint8_t *p = realloc(*buf, *len + 4);

	if (!p)
		return -1;
	kx_put32(p, *len, (uint32_t)size);
	*buf = p;
	*len += 4;
	return 0;
}

/* A fake vmlinux: an ELF magic, compressible filler, and the IKCONFIG block. */
static uint8_t *fake_vmlinux(const char *config, size_t *len)
{
	size_t filler = 256 * 1024, glen = 0, n = 0, i;
	uint8_t *gz = NULL, *v;

	if (config && gzip_buf((const uint8_t *)config, strlen(config), &gz, &glen) < 0)
		return NULL;
	v = malloc(filler * 2 + glen + 64);
	if (!v)
		return NULL;
	memcpy(v, "\177ELF", 4);
	for (i = 4; i < filler; i++)
		v[i] = (uint8_t)((i * 7) ^ (i >> 9));
	n = filler;
	if (gz) {
		memcpy(v + n, "IKCFG_ST", 8);
		memcpy(v + n + 8, gz, glen);
		memcpy(v + n + 8 + glen, "IKCFG_ED", 8);
		n += 16 + glen;
	}
	for (i = 0; i < filler; i++)
		v[n + i] = (uint8_t)(i % 251);
	*len = n + filler;
	free(gz);
	return v;
}

static int compress_as(const char *comp, const uint8_t *in, size_t len, uint8_t **out,
		       size_t *outlen)
{
	if (strcmp(comp, "gzip") == 0)
		return gzip_buf(in, len, out, outlen);
	/* every compressor but gzip gets the size appended, as the kernel build does */
	if (strcmp(comp, "xz") == 0)
		return xz_buf(in, len, out, outlen) < 0 ? -1 : size_append(out, outlen, len);
	if (strcmp(comp, "zstd") == 0)
		return zstd_buf(in, len, out, outlen) < 0 ? -1 : size_append(out, outlen, len);
	if (strcmp(comp, "lz4") == 0)
		return ti_lz4_legacy(in, len, out, outlen);
	if (strcmp(comp, "none") != 0)
		return -1;
	*out = malloc(len);
	if (!*out)
		return -1;
	memcpy(*out, in, len);
	*outlen = len;
	return 0;
}

int ti_mkimage(const char *version, const char *comp, const char *config, uint8_t **out,
	       size_t *len)
{
	struct ti_bzimage p;
	size_t vlen, plen;
	uint8_t *vm = fake_vmlinux(config, &vlen), *pay = NULL, *frame;
	int rc;

	if (!vm || compress_as(comp, vm, vlen, &pay, &plen) < 0) {
		free(vm);
		return -1;
	}
	/* the compressed kernel at payload_offset 0x200, 512 bytes of tail after it */
	frame = calloc(1, 0x200 + plen + 512);
	if (!frame) {
		free(vm);
		free(pay);
		return -1;
	}
	memcpy(frame + 0x200, pay, plen);
	ti_bzimage_defaults(&p);
	p.version = version;
	p.setup_sects = 1;
	p.xloadflags = 0x03;
	p.init_size = 0x2000000;
	p.pref_address = 0;
	p.payload = frame;
	p.payload_len = 0x200 + plen + 512;
	p.payload_offset = 0x200;
	rc = ti_bzimage_build(&p, out, len);
	if (rc == 0)	/* payload_length is the compressed kernel's, not the rest */
		kx_put32(*out, KX_BZ_PAYLOAD_LENGTH, (uint32_t)plen);
	free(frame);
	free(vm);
	free(pay);
	return rc;
}

/* --- PE/COFF ---------------------------------------------------------------- */

#define PE_FILE_ALIGN	0x200u
#define PE_SECT_ALIGN	0x1000u
#define ALIGN_TO(x, a)	(((x) + (a) - 1) / (a) * (a))

static void pe_headers(uint8_t *img, size_t n, uint32_t headers, uint32_t image_size)
{
	uint8_t *coff = img + TI_PE_LFANEW + 4, *opt = coff + 20;

	img[0] = 'M';
	img[1] = 'Z';
	kx_put32(img, 0x3c, TI_PE_LFANEW);
	memcpy(img + TI_PE_LFANEW, "PE\0\0", 4);
	kx_put16(coff, 0, 0x8664);
	kx_put16(coff, 2, (uint16_t)n);
	kx_put16(coff, 16, 240);
	kx_put16(coff, 18, 0x0206);	/* executable, large address aware */
	kx_put16(opt, 0, 0x20b);
	kx_put32(opt, 32, PE_SECT_ALIGN);
	kx_put32(opt, 36, PE_FILE_ALIGN);
	kx_put32(opt, 56, image_size);
	kx_put32(opt, 60, headers);
	kx_put16(opt, 68, 10);		/* EFI application */
	kx_put32(opt, 108, 16);
}

int ti_pe_build(const struct ti_pe_section *s, size_t n, uint8_t **out, size_t *len)
{
	uint32_t headers = ALIGN_TO(TI_PE_SECTION_TABLE + n * TI_PE_SEC_SIZE, PE_FILE_ALIGN);
	uint32_t off = headers, rva = PE_SECT_ALIGN;
	size_t total = headers, i;
	uint8_t *img;

	for (i = 0; i < n; i++)
		total += ALIGN_TO(s[i].size, PE_FILE_ALIGN);
	img = calloc(1, total);
	if (!img)
		return -1;
	for (i = 0; i < n; i++) {
		uint8_t *h = img + TI_PE_SECTION_TABLE + i * TI_PE_SEC_SIZE;
		uint32_t raw = ALIGN_TO(s[i].size, PE_FILE_ALIGN);

		if (s[i].vaddr)
			rva = s[i].vaddr;
		strncpy((char *)h, s[i].name, 8);
		kx_put32(h, 8, (uint32_t)s[i].size);
		kx_put32(h, 12, rva);
		kx_put32(h, 16, raw);
		kx_put32(h, 20, raw ? off : 0);
		kx_put32(h, 36, 0x40000040);	/* initialised data, readable */
		if (s[i].size)
			memcpy(img + off, s[i].data, s[i].size);
		off += raw;
		rva = ALIGN_TO(rva + (uint32_t)s[i].size + 1, PE_SECT_ALIGN);
	}
	pe_headers(img, n, headers, rva);
	*out = img;
	*len = total;
	return 0;
}

/* --- ELF64 ------------------------------------------------------------------ */

int ti_elf_build(uint64_t entry, const struct ti_elf_load *l, size_t n, uint8_t **out,
		 size_t *len)
{
	size_t phnum = n + 1, off = ALIGN_TO(TI_ELF_PHOFF + phnum * 56, 4096), total = off, i, j;
	uint8_t *img;

	for (i = 0; i < n; i++)
		total += ALIGN_TO(l[i].filesz, 4096);
	img = calloc(1, total + 64);
	if (!img)
		return -1;
	memcpy(img, "\177ELF", 4);
	img[4] = 2;	/* ELFCLASS64 */
	img[5] = 1;	/* little endian */
	img[6] = 1;	/* EV_CURRENT */
	kx_put16(img, 16, 2);	/* ET_EXEC */
	kx_put16(img, 18, 62);	/* EM_X86_64 */
	kx_put32(img, 20, 1);
	kx_put64(img, 24, entry);
	kx_put64(img, 32, TI_ELF_PHOFF);
	kx_put16(img, 52, 64);
	kx_put16(img, 54, 56);
	kx_put16(img, 56, (uint16_t)phnum);
	for (i = 0; i < n; i++) {
		uint8_t *ph = img + TI_ELF_PHOFF + i * 56;

		kx_put32(ph, 0, 1);	/* PT_LOAD */
		kx_put32(ph, 4, 7);
		kx_put64(ph, 8, off);
		kx_put64(ph, 16, 0xffffffff80000000ull + l[i].paddr);
		kx_put64(ph, 24, l[i].paddr);
		kx_put64(ph, 32, l[i].filesz);
		kx_put64(ph, 40, l[i].memsz);
		kx_put64(ph, 48, 0x200000);
		for (j = 0; j < l[i].filesz; j++)
			img[off + j] = (uint8_t)((j * 2654435761u) >> 11) ^ (uint8_t)i;
		off += ALIGN_TO(l[i].filesz, 4096);
	}
	kx_put32(img + TI_ELF_PHOFF + n * 56, 0, 4);	/* PT_NOTE, empty */
	*out = img;
	*len = total;
	return 0;
}

/* --- decompression bombs ---------------------------------------------------- */

#define BOMB_CHUNK (8u << 20)	/* zeros compressed once, then repeated */

struct bomb {
	uint8_t *p;
	size_t len, cap;
	int err;
};

/* Append @n bytes of @d, which may point into @b itself. */
static void bomb_put(struct bomb *b, const void *d, size_t n)
{
	const uint8_t *src = d;
	size_t self = b->p && src >= b->p && src < b->p + b->len ? (size_t)(src - b->p) : SIZE_MAX;

	if (b->err || !n)
		return;
	if (b->len + n > b->cap) {
		size_t cap = (b->len + n) * 2;
		uint8_t *p = realloc(b->p, cap);

		if (!p) {
			b->err = -1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, self == SIZE_MAX ? src : b->p + self, n);
	b->len += n;
}

/* The output of one deflate() call with @flush, appended to @b. */
static void deflate_put(struct bomb *b, z_stream *zs, const uint8_t *in, size_t n, int flush)
{
	uint8_t tmp[1 << 16];
	int zr;

	zs->next_in = (Bytef *)(uintptr_t)in;
	zs->avail_in = (uInt)n;
	do {
		zs->next_out = tmp;
		zs->avail_out = sizeof(tmp);
		zr = deflate(zs, flush);
		if (zr == Z_STREAM_ERROR)
			b->err = -1;
		bomb_put(b, tmp, sizeof(tmp) - zs->avail_out);
	} while (!b->err && (zs->avail_out == 0 || zs->avail_in));
}

/*
 * One gzip member: the prefix, then @n copies of a chunk of zeros.  Each
 * chunk is flushed with Z_FULL_FLUSH, so it ends on a byte and refers to
 * nothing before it: its bytes can be repeated as they are.
 */
static int gzip_bomb(const uint8_t *pre, size_t plen, uint64_t n, const uint8_t *zeros,
		     struct bomb *b)
{
	static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3 };
	uLong crc = crc32(0, pre, (uInt)plen), zcrc = crc32(0, zeros, BOMB_CHUNK);
	z_stream zs = { 0 };
	size_t at, zlen;
	uint8_t tail[8];
	uint64_t i;

	if (deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bomb_put(b, hdr, sizeof(hdr));
	deflate_put(b, &zs, pre, plen, Z_FULL_FLUSH);
	at = b->len;
	if (n)
		deflate_put(b, &zs, zeros, BOMB_CHUNK, Z_FULL_FLUSH);
	zlen = b->len - at;
	for (i = 1; i < n && !b->err; i++)
		bomb_put(b, b->p + at, zlen);
	for (i = 0; i < n; i++)
		crc = crc32_combine(crc, zcrc, BOMB_CHUNK);
	deflate_put(b, &zs, NULL, 0, Z_FINISH);
	deflateEnd(&zs);
	kx_put32(tail, 0, (uint32_t)crc);
	kx_put32(tail, 4, (uint32_t)(plen + n * BOMB_CHUNK));
	bomb_put(b, tail, sizeof(tail));
	return b->err;
}

#ifdef HAVE_LZMA
/* One xz block of @in appended to @b and to the index @idx; *@unpadded for more copies. */
static int xz_block(struct bomb *b, lzma_index *idx, const uint8_t *in, size_t n,
		    lzma_vli *unpadded)
{
	lzma_options_lzma opt;
	lzma_filter f[2] = { { LZMA_FILTER_LZMA2, &opt }, { LZMA_VLI_UNKNOWN, NULL } };
	lzma_block blk = { .version = 0, .check = LZMA_CHECK_CRC32, .filters = f };
	size_t cap = lzma_block_buffer_bound(n), pos = 0;
	uint8_t *o = malloc(cap);

	if (!o || lzma_lzma_preset(&opt, 1) ||
	    lzma_block_buffer_encode(&blk, NULL, in, n, o, &pos, cap) != LZMA_OK) {
		free(o);
		return -1;
	}
	*unpadded = lzma_block_unpadded_size(&blk);
	bomb_put(b, o, pos);
	free(o);
	return lzma_index_append(idx, NULL, *unpadded, n) == LZMA_OK ? 0 : -1;
}

/* The index and the stream footer (xz-file-format.txt 2.1.2, 4). */
static int xz_end(struct bomb *b, lzma_index *idx, lzma_stream_flags *fl)
{
	size_t cap = (size_t)lzma_index_size(idx), pos = 0;
	uint8_t *o = malloc(cap), ft[LZMA_STREAM_HEADER_SIZE];

	fl->backward_size = lzma_index_size(idx);
	if (!o || lzma_index_buffer_encode(idx, o, &pos, cap) != LZMA_OK ||
	    lzma_stream_footer_encode(fl, ft) != LZMA_OK) {
		free(o);
		return -1;
	}
	bomb_put(b, o, pos);
	bomb_put(b, ft, sizeof(ft));
	free(o);
	return b->err;
}

/* An xz stream: a block with the prefix, then @n blocks of zeros (one encoding repeated). */
static int xz_bomb(const uint8_t *pre, size_t plen, uint64_t n, const uint8_t *zeros,
		   struct bomb *b)
{
	lzma_stream_flags fl = { .version = 0, .check = LZMA_CHECK_CRC32 };
	lzma_index *idx = lzma_index_init(NULL);
	uint8_t hdr[LZMA_STREAM_HEADER_SIZE];
	lzma_vli unpadded;
	size_t at, zlen;
	uint64_t i;
	int rc = -1;

	if (!idx || lzma_stream_header_encode(&fl, hdr) != LZMA_OK)
		goto out;
	bomb_put(b, hdr, sizeof(hdr));
	if (plen && xz_block(b, idx, pre, plen, &unpadded) < 0)
		goto out;
	at = b->len;
	if (n && xz_block(b, idx, zeros, BOMB_CHUNK, &unpadded) < 0)
		goto out;
	zlen = b->len - at;
	for (i = 1; i < n && !b->err; i++) {
		bomb_put(b, b->p + at, zlen);
		if (lzma_index_append(idx, NULL, unpadded, BOMB_CHUNK) != LZMA_OK)
			goto out;
	}
	rc = xz_end(b, idx, &fl);
out:
	lzma_index_end(idx, NULL);
	return rc;
}
#endif

#ifdef HAVE_ZSTD
/* zstd frames: the prefix, then @n frames of zeros (one frame repeated). */
static int zstd_bomb(const uint8_t *pre, size_t plen, uint64_t n, const uint8_t *zeros,
		     struct bomb *b)
{
	size_t cap = ZSTD_compressBound(BOMB_CHUNK > plen ? BOMB_CHUNK : plen), z;
	uint8_t *o = malloc(cap);
	uint64_t i;
	int rc = -1;

	if (!o)
		return -1;
	if (plen) {
		z = ZSTD_compress(o, cap, pre, plen, 3);
		if (ZSTD_isError(z))
			goto out;
		bomb_put(b, o, z);
	}
	z = ZSTD_compress(o, cap, zeros, BOMB_CHUNK, 3);
	if (ZSTD_isError(z))
		goto out;
	for (i = 0; i < n; i++)
		bomb_put(b, o, z);
	rc = b->err;
out:
	free(o);
	return rc;
}
#endif

/* LZ4 legacy blocks: the prefix, then @n blocks of zeros (one block repeated). */
static int lz4_bomb(const uint8_t *pre, size_t plen, uint64_t n, const uint8_t *zeros,
		    struct bomb *b)
{
	uint8_t *o = NULL, *z = NULL;
	size_t olen, zlen;
	uint64_t i;
	int rc = -1;

	if (ti_lz4_legacy(pre, plen, &o, &olen) < 0 || ti_lz4_legacy(zeros, BOMB_CHUNK, &z,
								    &zlen) < 0)
		goto out;
	bomb_put(b, o, olen - 4);		/* without the size */
	for (i = 0; i < n; i++)
		bomb_put(b, z + 4, zlen - 8);	/* the block: without magic and size */
	rc = b->err;
out:
	free(o);
	free(z);
	return rc;
}

int ti_bomb(const char *comp, const uint8_t *prefix, size_t plen, uint64_t zeros,
	    uint8_t **out, size_t *outlen)
{
	uint8_t *z = calloc(1, BOMB_CHUNK);
	struct bomb b = { 0 };
	uint64_t n = zeros / BOMB_CHUNK;
	int rc = -1;

	if (!z)
		return -1;
	if (strcmp(comp, "gzip") == 0)
		rc = gzip_bomb(prefix, plen, n, z, &b);
#ifdef HAVE_LZMA
	else if (strcmp(comp, "xz") == 0)
		rc = xz_bomb(prefix, plen, n, z, &b);
#endif
#ifdef HAVE_ZSTD
	else if (strcmp(comp, "zstd") == 0)
		rc = zstd_bomb(prefix, plen, n, z, &b);
#endif
	else if (strcmp(comp, "lz4") == 0)
		rc = lz4_bomb(prefix, plen, n, z, &b);
	free(z);
	if (rc < 0 || b.err) {
		free(b.p);
		return -1;
	}
	*out = b.p;
	*outlen = b.len;
	return 0;
}
