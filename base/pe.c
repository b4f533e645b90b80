// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PE/COFF parsing with every field checked against the file.  Offsets are
 * those of the PE format specification: the DOS header's e_lfanew at 0x3c,
 * the 4-byte signature, the 20-byte COFF header, the optional header, then
 * 40-byte section headers.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/ctx.h"
#include "base/pe.h"

#define DOS_HDR_SIZE	64
#define DOS_LFANEW	0x3c
#define COFF_SIZE	20
#define COFF_MACHINE	0
#define COFF_NSECTIONS	2
#define COFF_OPTHDR_SIZE 16
#define OPT_MAGIC_PE32	0x10b
#define OPT_MAGIC_PE32P	0x20b
#define SEC_SIZE	40
#define SEC_VSIZE	8
#define SEC_VADDR	12
#define SEC_RAW_SIZE	16
#define SEC_RAW_OFF	20

/* Every refusal names the file and what this reader takes. */
#define reject(ctx, name, ...) \
	kx_reject_image(ctx, name, "an x86_64 PE/EFI image such as a unified kernel image", __VA_ARGS__)

bool kx_pe_magic(const void *data, size_t size)
{
	const uint8_t *d = data;
	uint32_t lfanew;

	if (size < DOS_HDR_SIZE || d[0] != 'M' || d[1] != 'Z')
		return false;
	lfanew = kx_get32(d, DOS_LFANEW);
	return lfanew >= DOS_HDR_SIZE && (uint64_t)lfanew + 4 <= size &&
	       memcmp(d + lfanew, "PE\0\0", 4) == 0;
}

/* The headers up to the section table; sets *table to its offset. */
static int parse_headers(struct kx_ctx *ctx, const char *name, struct kx_pe *pe, uint64_t *table)
{
	const uint8_t *d = pe->data;
	uint64_t coff, opt;
	uint16_t optsize, magic;

	if (!kx_pe_magic(d, pe->file_size))
		return reject(ctx, name, "no DOS header with a PE signature (MZ ... PE\\0\\0)");
	coff = (uint64_t)kx_get32(d, DOS_LFANEW) + 4;
	if (coff + COFF_SIZE + 2 > pe->file_size)
		return reject(ctx, name, "the file ends inside the COFF header");
	pe->machine = kx_get16(d, coff + COFF_MACHINE);
	if (pe->machine != KX_PE_MACHINE_X86_64)
		return reject(ctx, name, "machine type 0x%04x is not x86_64 (0x8664)", pe->machine);
	pe->nsec = kx_get16(d, coff + COFF_NSECTIONS);
	if (pe->nsec == 0 || pe->nsec > KX_PE_MAX_SECTIONS)
		return reject(ctx, name, "%u sections (NumberOfSections); a kernel image has 1 "
			      "to %d", pe->nsec, KX_PE_MAX_SECTIONS);
	optsize = kx_get16(d, coff + COFF_OPTHDR_SIZE);
	opt = coff + COFF_SIZE;
	magic = kx_get16(d, opt);
	if (optsize < 2 || (magic != OPT_MAGIC_PE32 && magic != OPT_MAGIC_PE32P))
		return reject(ctx, name, "optional header magic 0x%x (size %u) is neither PE32 nor "
			      "PE32+", magic, optsize);
	pe->pe32plus = magic == OPT_MAGIC_PE32P;
	*table = opt + optsize;
	if (*table + (uint64_t)pe->nsec * SEC_SIZE > pe->file_size)
		return reject(ctx, name, "the section table (%u entries at 0x%llx) runs past "
			      "the end of the %zu-byte file", pe->nsec, (unsigned long long)*table,
			      pe->file_size);
	return 0;
}

static int read_section(struct kx_ctx *ctx, const char *name, struct kx_pe *pe, unsigned int i,
			uint64_t at, uint64_t headers_end)
{
	struct kx_pe_section *s = &pe->sec[i];
	const uint8_t *h = pe->data + at;
	uint64_t end;

	memcpy(s->name, h, 8);
	s->name[8] = '\0';
	s->vsize = kx_get32(h, SEC_VSIZE);
	s->vaddr = kx_get32(h, SEC_VADDR);
	s->raw_size = kx_get32(h, SEC_RAW_SIZE);
	s->raw_off = kx_get32(h, SEC_RAW_OFF);
	if ((uint64_t)s->vaddr + s->vsize > UINT32_MAX)
		return reject(ctx, name, "section %u (%s): VirtualAddress 0x%x + VirtualSize 0x%x "
			      "overflows the 32-bit image", i, s->name, s->vaddr, s->vsize);
	end = (uint64_t)s->raw_off + s->raw_size;
	if (s->raw_size && end > pe->file_size)
		return reject(ctx, name, "section %u (%s): its data (0x%x bytes at 0x%x) runs past "
			      "the end of the %zu-byte file", i, s->name, s->raw_size, s->raw_off,
			      pe->file_size);
	if (s->raw_size && s->raw_off < headers_end)
		return reject(ctx, name, "section %u (%s): its data at 0x%x overlaps the headers "
			      "(which end at 0x%llx)", i, s->name, s->raw_off,
			      (unsigned long long)headers_end);
	s->size = s->raw_size < s->vsize ? s->raw_size : s->vsize;
	s->data = s->size ? pe->data + s->raw_off : NULL;
	return 0;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static int check_overlaps(struct kx_ctx *ctx, const char *name, const struct kx_pe *pe)
{
	unsigned int i, j;

	for (i = 0; i < pe->nsec; i++) {
		const struct kx_pe_section *a = &pe->sec[i];

		for (j = 0; j < i; j++) {
			const struct kx_pe_section *b = &pe->sec[j];

			if (overlap(a->raw_off, a->raw_size, b->raw_off, b->raw_size))
				return reject(ctx, name, "sections %u (%s) and %u (%s) overlap in "
					      "the file", j, b->name, i, a->name);
			if (overlap(a->vaddr, a->vsize, b->vaddr, b->vsize))
				return reject(ctx, name, "sections %u (%s) and %u (%s) overlap in "
					      "memory (RVA 0x%x and 0x%x)", j, b->name, i, a->name,
					      b->vaddr, a->vaddr);
		}
	}
	return 0;
}

int kx_pe_parse(struct kx_ctx *ctx, const char *name, const void *data, size_t size,
		struct kx_pe *pe)
{
	uint64_t table = 0;
	unsigned int i;
	int rc;

	memset(pe, 0, sizeof(*pe));
	pe->data = data;
	pe->file_size = size;
	rc = parse_headers(ctx, name, pe, &table);
	if (rc < 0)
		return rc;
	pe->sec = calloc(pe->nsec, sizeof(*pe->sec));
	if (!pe->sec)
		return -ENOMEM;
	for (i = 0; i < pe->nsec && rc == 0; i++)
		rc = read_section(ctx, name, pe, i, table + (uint64_t)i * SEC_SIZE,
				  table + (uint64_t)pe->nsec * SEC_SIZE);
	if (rc == 0)
		rc = check_overlaps(ctx, name, pe);
	if (rc < 0)
		kx_pe_free(pe);
	return rc;
}

void kx_pe_free(struct kx_pe *pe)
{
	free(pe->sec);
	pe->sec = NULL;
	pe->nsec = 0;
}

int kx_pe_find(const struct kx_pe *pe, const char *name, unsigned int from, unsigned int to)
{
	unsigned int i;

	for (i = from; i < to && i < pe->nsec; i++)
		if (strncmp(pe->sec[i].name, name, 8) == 0)
			return (int)i;
	return -1;
}
