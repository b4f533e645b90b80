/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PE/COFF executables (EFI images) read byte by byte: the DOS header, the
 * PE signature, the COFF file header, the optional header's magic and the
 * section table.  Every offset and size is checked against the file before
 * it is used, so a truncated or forged file is an error naming the field,
 * never a read past the end.  Layout: the PE format specification
 * (Microsoft, "PE Format"); the checks follow systemd's stub
 * (src/boot/pe.c) and add the ones a loader that trusts nothing needs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kx_ctx;

#define KX_PE_MACHINE_X86_64	0x8664
#define KX_PE_MAX_SECTIONS	1024	/* more is not a kernel image: refused */

struct kx_pe_section {
	char name[9];		/* NUL-terminated copy of the 8-byte name */
	uint32_t vaddr;		/* RVA */
	uint32_t vsize;		/* bytes in memory: the exact payload size */
	uint32_t raw_off;	/* file offset of the data */
	uint32_t raw_size;	/* bytes in the file, rounded up to FileAlignment */
	/* The bytes the section's contents are: min(raw_size, vsize) from
	 * raw_off, as systemd reads them (VirtualSize is exact, SizeOfRawData
	 * padded; a longer VirtualSize is a zero-filled tail). */
	const uint8_t *data;
	size_t size;
};

struct kx_pe {
	const uint8_t *data;	/* the whole file */
	size_t file_size;
	uint16_t machine;
	bool pe32plus;		/* optional header magic 0x20b (else 0x10b) */
	unsigned int nsec;
	struct kx_pe_section *sec;	/* nsec entries, malloc'd */
};

/* Does @data start like a PE image (MZ, e_lfanew in the file, PE\0\0)? */
bool kx_pe_magic(const void *data, size_t size);

/*
 * Parse and check @data (the file @name) as an x86_64 PE image: headers in
 * the file, 1 to KX_PE_MAX_SECTIONS sections, none past the end of the file,
 * none whose offset + size overflows, no two whose file data or memory
 * ranges overlap.  Returns 0, -ENOEXEC with ctx->err naming the file and what
 * is wrong, or -ENOMEM.  Free with kx_pe_free().
 */
int kx_pe_parse(struct kx_ctx *ctx, const char *name, const void *data, size_t size,
		struct kx_pe *pe);
void kx_pe_free(struct kx_pe *pe);

/* Index of the first section named @name at or after @from and before @to, or -1. */
int kx_pe_find(const struct kx_pe *pe, const char *name, unsigned int from, unsigned int to);
