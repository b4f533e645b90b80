// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef HAVE_LZMA
#include <lzma.h>
#endif

#include "base/bytes.h"
#include "base/ctx.h"
#include "base/sysroot.h"
#include "tdx/tdx.h"
#include "tests/unit/test-tdx-util.h"

char *tt_tree(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (asprintf(&path, "%s/tdx-test-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0 || !mkdtemp(path))
		abort();
	return path;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

void tt_rmtree(char *root)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

static void mkparents(const char *path)
{
	char *dup = strdup(path), *p;

	if (!dup)
		abort();
	for (p = dup + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dup, 0755) < 0 && errno != EEXIST)
			abort();
		*p = '/';
	}
	free(dup);
}

static char *join(const char *root, const char *rel)
{
	char *p;

	if (asprintf(&p, "%s/%s", root, rel[0] == '/' ? rel + 1 : rel) < 0)
		abort();
	mkparents(p);
	return p;
}

void tt_write_bin(const char *root, const char *rel, const void *buf, size_t len, long off)
{
	char *p = join(root, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || pwrite(fd, buf, len, off) != (ssize_t)len)
		abort();
	close(fd);
	free(p);
}

void tt_write(const char *root, const char *rel, const char *content)
{
	tt_write_bin(root, rel, content, strlen(content), 0);
}

void tt_mkdir(const char *root, const char *rel)
{
	char *p = join(root, rel);

	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		abort();
	free(p);
}

void tt_symlink(const char *root, const char *rel, const char *target)
{
	char *p = join(root, rel);

	if (symlink(target, p) < 0)
		abort();
	free(p);
}

struct tdx_ctx *tt_ctx(const char *root, struct kx_ctx *kx)
{
	struct tdx_ctx *t;

	memset(kx, 0, sizeof(*kx));
	if (kx_sysroot_new(root, &kx->root) < 0 || tdx_ctx_new(kx, kx->root, &t) < 0)
		abort();
	return t;
}

void tt_ctx_free(struct tdx_ctx *t, struct kx_ctx *kx)
{
	tdx_ctx_free(t);
	kx_sysroot_free(kx->root);
	kx->root = NULL;
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

int tt_lz4_legacy(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen)
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
		return tt_lz4_legacy(in, len, out, outlen);
	if (strcmp(comp, "none") != 0)
		return -1;
	*out = malloc(len);
	if (!*out)
		return -1;
	memcpy(*out, in, len);
	*outlen = len;
	return 0;
}

/* Documentation/arch/x86/boot.rst: the fields kx_bzimage_parse() checks. */
static void setup_header(uint8_t *d, const char *version, size_t payload_len)
{
	d[0x1f1] = 1;				/* setup_sects: setup is 1024 bytes */
	kx_put16(d, 0x1fe, 0xaa55);
	d[0x200] = 0xeb;
	d[0x201] = 0x66;			/* header ends at 0x268 */
	memcpy(d + 0x202, "HdrS", 4);
	kx_put16(d, 0x206, 0x020f);
	kx_put16(d, 0x20e, 0x100);		/* version string at 0x300 */
	d[0x211] = 0x01;			/* LOADED_HIGH */
	kx_put32(d, 0x230, 0x200000);		/* kernel_alignment */
	kx_put16(d, 0x236, 0x03);		/* XLF_KERNEL_64 | CAN_BE_LOADED_ABOVE_4G */
	kx_put32(d, 0x238, 2047);		/* cmdline_size */
	kx_put32(d, 0x248, 0x200);		/* payload_offset, from the protected-mode code */
	kx_put32(d, 0x24c, (uint32_t)payload_len);
	kx_put32(d, 0x260, 0x2000000);		/* init_size */
	snprintf((char *)d + 0x300, 0x100, "%s", version);
}

int tt_mkimage(const char *version, const char *comp, const char *config, uint8_t **out,
	       size_t *len)
{
	size_t vlen, plen, size;
	uint8_t *vm = fake_vmlinux(config, &vlen), *pay = NULL, *d;

	if (!vm || compress_as(comp, vm, vlen, &pay, &plen) < 0) {
		free(vm);
		return -1;
	}
	size = 1024 + 0x200 + plen + 512;
	d = calloc(1, size);
	if (!d)
		return -1;
	setup_header(d, version, plen);
	memcpy(d + 1024 + 0x200, pay, plen);
	free(vm);
	free(pay);
	*out = d;
	*len = size;
	return 0;
}
