// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef HAVE_LZMA
#include <lzma.h>
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

	img[KX_BZ_SETUP_SECTS] = (uint8_t)p->setup_sects;
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
	kx_put32(img, KX_BZ_PAYLOAD_LENGTH, (uint32_t)(p->payload_len > p->payload_offset ?
						      p->payload_len - p->payload_offset : 0));
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
	if (strcmp(comp, "xz") == 0)
		return xz_buf(in, len, out, outlen);
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
