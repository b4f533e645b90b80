/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one builder of synthetic kernel images for the tests (never booted):
 * a bzImage setup header with the values a test wants
 * (Documentation/arch/x86/boot.rst), a payload that is filler, a given
 * buffer, or a fake vmlinux (optionally carrying IKCONFIG) compressed as the
 * kernel build compresses it; PE images with any sections (unified kernel
 * images: a stub-less systemd-stub layout); ELF64 vmlinux files with given
 * program headers.  Used by the unit tests and by tests/helpers/mkbzimage,
 * mkuki and mkvmlinux.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct ti_bzimage {
	const char *version;		/* kernel version string; NULL: none */
	unsigned int protocol;		/* 0x020f */
	unsigned int xloadflags;	/* 0x7f: 64-bit, above 4G, EFI handover, EFI kexec, 5-level */
	unsigned int loadflags;		/* 0x01: LOADED_HIGH */
	unsigned int setup_sects;	/* 27 */
	uint32_t cmdline_size;		/* 2047 */
	uint32_t init_size;		/* 16 MiB */
	uint32_t kernel_alignment;	/* 2 MiB */
	uint64_t pref_address;		/* 16 MiB */
	const uint8_t *payload;		/* the protected-mode part; NULL: filler */
	size_t payload_len;		/* 1 MiB */
	uint32_t payload_offset;	/* of the compressed kernel in it: 0x100 */
	uint32_t syssize;		/* 0: the length after the setup code / 16, as kbuild */
};

/* The defaults above. */
void ti_bzimage_defaults(struct ti_bzimage *p);
/* The setup header into @img, whose setup part is (setup_sects + 1) * 512 bytes. */
void ti_bzimage_header(uint8_t *img, size_t img_len, const struct ti_bzimage *p);
/* A whole image, malloc'd: 0 or -1. */
int ti_bzimage_build(const struct ti_bzimage *p, uint8_t **out, size_t *len);

/* An LZ4 legacy frame as the kernel build makes it (with the size appended). */
int ti_lz4_legacy(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen);
/*
 * A bzImage (setup header only, as the probe needs) whose payload is a fake
 * vmlinux, carrying @config as IKCONFIG when not NULL, compressed with
 * @comp: "none", "gzip", "xz", "zstd" or "lz4", with the 4-byte size the kernel
 * build appends after all but gzip.  Returns 0 or -1.
 */
int ti_mkimage(const char *version, const char *comp, const char *config, uint8_t **out,
	       size_t *len);

/* --- PE/COFF (UKI) -------------------------------------------------------- */

struct ti_pe_section {
	const char *name;	/* up to 8 characters */
	const void *data;
	size_t size;		/* VirtualSize; the file holds it padded to 0x200 */
	uint32_t vaddr;		/* RVA; 0: 4 KiB aligned after the previous section */
};

#define TI_PE_LFANEW		0x40
#define TI_PE_SECTION_TABLE	(TI_PE_LFANEW + 24 + 240)	/* PE32+ with 16 data directories */
#define TI_PE_SEC_SIZE		40

/* A PE32+ x86_64 image with these sections, in this order; malloc'd: 0 or -1. */
int ti_pe_build(const struct ti_pe_section *s, size_t n, uint8_t **out, size_t *len);

/* --- ELF64 vmlinux ---------------------------------------------------------- */

struct ti_elf_load {
	uint64_t paddr;
	size_t filesz;		/* filler bytes from the file */
	size_t memsz;
};

#define TI_ELF_PHOFF 64

/* An ET_EXEC x86_64 ELF64 file with these PT_LOADs (and one PT_NOTE); 0 or -1. */
int ti_elf_build(uint64_t entry, const struct ti_elf_load *l, size_t n, uint8_t **out,
		 size_t *len);

/*
 * A decompression bomb: @prefix (a bzImage header, or nothing), then @zeros
 * bytes of zeros (in 8 MiB steps), compressed with @comp ("gzip", "xz",
 * "zstd", "lz4") as one valid stream whose file is about a thousandth of
 * that.  Returns 0 or -1 (also for a compression this build lacks).
 */
int ti_bomb(const char *comp, const uint8_t *prefix, size_t plen, uint64_t zeros,
	    uint8_t **out, size_t *outlen);
