// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Size bounds from image headers: the bzImage setup header
 * (Documentation/arch/x86/boot.rst), the ELF64 file header and program
 * headers (the ELF gABI), and the PE/COFF headers, section table and the
 * certificate table's data directory (the Microsoft PE format).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/bytes.h"
#include "base/bzimage.h"
#include "base/decompress.h"
#include "base/image-bound.h"

#define PE_OPT_HDR	24	/* the optional header after "PE\0\0" and the COFF header */
#define PE_SEC_SIZE	40

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* The end of a PE file's sections and certificate table; 0 when @h holds no PE headers. */
static uint64_t pe_end(const uint8_t *h, size_t len)
{
	uint64_t end = 0, pe, opt, sec;
	unsigned int i, nsec, dirs;
	uint16_t magic;

	if (len < 0x40 || h[0] != 'M' || h[1] != 'Z')
		return 0;
	pe = kx_get32(h, 0x3c);
	if (pe > len - PE_OPT_HDR || memcmp(h + pe, "PE\0\0", 4) != 0)
		return 0;
	nsec = kx_get16(h, pe + 6);
	opt = pe + PE_OPT_HDR;
	sec = opt + kx_get16(h, pe + 20);
	if (opt + 2 > len || sec + (uint64_t)nsec * PE_SEC_SIZE > len)
		return 0;
	magic = kx_get16(h, opt);
	/* data directories: at 96 (PE32) or 112 (PE32+); entry 4 is the certificate table */
	dirs = magic == 0x20b ? 112 : magic == 0x10b ? 96 : 0;
	if (dirs && opt + dirs + 5 * 8 <= sec && kx_get32(h, opt + dirs - 4) > 4)
		end = (uint64_t)kx_get32(h, opt + dirs + 32) + kx_get32(h, opt + dirs + 36);
	for (i = 0; i < nsec; i++)
		end = max64(end, (uint64_t)kx_get32(h, sec + i * PE_SEC_SIZE + 20) +
				 kx_get32(h, sec + i * PE_SEC_SIZE + 16));
	return max64(end, sec + (uint64_t)nsec * PE_SEC_SIZE);
}

/* The end of an ELF64 file's header tables and of the segments it loads. */
static uint64_t elf64_end(const uint8_t *h, size_t len)
{
	uint64_t end, phoff = kx_get64(h, 0x20), shoff = kx_get64(h, 0x28), p;
	unsigned int phent = kx_get16(h, 0x36), phnum = kx_get16(h, 0x38), i;

	end = max64(phoff + (uint64_t)phent * phnum,
		    shoff + (uint64_t)kx_get16(h, 0x3a) * kx_get16(h, 0x3c));
	if (phent < 0x28 || phoff > len || (uint64_t)phent * phnum > len - phoff)
		return 0;	/* the segments are what matters: they must be readable */
	for (i = 0; i < phnum; i++) {
		p = phoff + (uint64_t)i * phent;
		end = max64(end, kx_get64(h, p + 8) + kx_get64(h, p + 0x20));
	}
	return end;
}

static bool is_bzimage(const uint8_t *h, size_t len)
{
	return len >= KX_BZ_HEADER_MAX && kx_get16(h, KX_BZ_BOOT_FLAG) == 0xAA55 &&
	       memcmp(h + KX_BZ_HEADER, "HdrS", 4) == 0;
}

static uint64_t bzimage_end(const uint8_t *h)
{
	unsigned int sects = h[KX_BZ_SETUP_SECTS] ? h[KX_BZ_SETUP_SECTS] : 4;

	return ((uint64_t)sects + 1) * 512 + (uint64_t)kx_get32(h, KX_BZ_SYSSIZE) * 16;
}

static uint64_t cap(uint64_t bound, const char *what, char *why, size_t whylen)
{
	if (bound > KX_MAX_DECOMPRESSED) {
		snprintf(why, whylen, "this program accepts for a kernel image (%s says %llu)",
			 what, (unsigned long long)bound);
		return KX_MAX_DECOMPRESSED;
	}
	snprintf(why, whylen, "%s allows", what);
	return bound;
}

uint64_t kx_image_bound(const uint8_t *head, size_t len, char *why, size_t whylen)
{
	uint64_t end;

	if (is_bzimage(head, len)) {
		end = max64(bzimage_end(head), pe_end(head, len)) + KX_IMAGE_SLACK;
		return cap(end, "its bzImage header ((setup_sects + 1) * 512 + syssize * 16, and "
			   "1 MiB for a signature)", why, whylen);
	}
	if (len >= 0x40 && memcmp(head, "\177ELF\2\1", 6) == 0 && (end = elf64_end(head, len)))
		return cap(end + KX_IMAGE_SLACK, "its ELF headers", why, whylen);
	if ((end = pe_end(head, len)) != 0)
		return cap(end + KX_IMAGE_SLACK, "its PE section table", why, whylen);
	return 0;
}
