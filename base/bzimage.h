/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bzImage setup header, per Documentation/arch/x86/boot.rst.  Offsets are
 * from the start of the file, which begins with the real-mode boot sector.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kx_ctx;

#define KX_BZ_SETUP_SECTS	0x1f1
#define KX_BZ_SYSSIZE		0x1f4	/* 16-byte units (4 bytes since protocol 2.04) */
#define KX_BZ_BOOT_FLAG		0x1fe	/* 0xAA55 */
#define KX_BZ_JUMP		0x200	/* byte 0x201: header length - 0x202 */
#define KX_BZ_HEADER		0x202	/* "HdrS" */
#define KX_BZ_VERSION		0x206
#define KX_BZ_KERNEL_VERSION	0x20e
#define KX_BZ_TYPE_OF_LOADER	0x210
#define KX_BZ_LOADFLAGS		0x211
#define KX_BZ_RAMDISK_IMAGE	0x218
#define KX_BZ_RAMDISK_SIZE	0x21c
#define KX_BZ_CMD_LINE_PTR	0x228
#define KX_BZ_INITRD_ADDR_MAX	0x22c
#define KX_BZ_KERNEL_ALIGNMENT	0x230
#define KX_BZ_RELOCATABLE	0x234
#define KX_BZ_XLOADFLAGS	0x236
#define KX_BZ_CMDLINE_SIZE	0x238
#define KX_BZ_HARDWARE_SUBARCH	0x23c
#define KX_BZ_PAYLOAD_OFFSET	0x248
#define KX_BZ_PAYLOAD_LENGTH	0x24c
#define KX_BZ_SETUP_DATA	0x250
#define KX_BZ_PREF_ADDRESS	0x258
#define KX_BZ_INIT_SIZE		0x260
#define KX_BZ_HEADER_MAX	0x280	/* the setup header ends before this */

#define KX_LOADED_HIGH		0x01	/* loadflags bit 0 */
#define KX_XLF_KERNEL_64	0x01
#define KX_XLF_CAN_BE_LOADED_ABOVE_4G 0x02
#define KX_XLF_EFI_HANDOVER_32	0x04
#define KX_XLF_EFI_HANDOVER_64	0x08
#define KX_XLF_EFI_KEXEC	0x10
#define KX_XLF_5LEVEL		0x20
#define KX_XLF_5LEVEL_ENABLED	0x40

struct kx_bzimage {
	const uint8_t *data;	/* the whole (decompressed) file */
	size_t size;
	unsigned setup_sects;	/* 0 in the header means 4 */
	size_t setup_size;	/* (setup_sects + 1) * 512: the real-mode part */
	size_t header_end;	/* end of the setup header in the file */
	uint32_t syssize;	/* the protected-mode code, in 16-byte units */
	uint64_t kernel_size;	/* setup_size + syssize * 16: the file without what follows
				 * (a signature); never more than size */
	uint16_t protocol;
	uint8_t loadflags;
	uint16_t xloadflags;
	uint32_t cmdline_size;
	uint32_t kernel_alignment;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t payload_offset;	/* from the start of the protected-mode code */
	uint32_t payload_length;
	uint32_t payload_olen;	/* the decompressed size the build appends to the payload; 0 */
	char version[256];	/* kernel version string, "" when the header has none */
};

/*
 * Check that @data is an x86_64 bzImage the 64-bit boot protocol can load,
 * as kexec-tools' bzImage64_probe does, and that it is whole and its sizes
 * agree (the header's length fits the file, the compressed kernel lies in it,
 * init_size holds it), and fill @bz.  Returns 0 or -ENOEXEC with ctx->err
 * saying what the file is and what was expected.
 */
int kx_bzimage_parse(struct kx_ctx *ctx, const char *name, const void *data, size_t size,
		     struct kx_bzimage *bz);
/* The kernel release: the first word of the version string ("6.1.0-28-amd64"). */
void kx_bzimage_release(const struct kx_bzimage *bz, char *out, size_t outlen);
