/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Offsets in struct boot_params, the "zero page"
 * (arch/x86/include/uapi/asm/bootparam.h, Documentation/arch/x86/zero-page.rst).
 */
#pragma once

#define KX_BP_SIZE			4096

/* struct screen_info, at offset 0 (include/uapi/linux/screen_info.h) */
#define KX_SI_SIZE			0x40
#define KX_SI_EXT_MEM_K			0x02
#define KX_SI_ORIG_VIDEO_COLS		0x07
#define KX_SI_ORIG_VIDEO_LINES		0x0e
#define KX_SI_ORIG_VIDEO_ISVGA		0x0f
#define KX_SI_ORIG_VIDEO_POINTS		0x10
#define KX_SI_LFB_WIDTH			0x12
#define KX_SI_LFB_HEIGHT		0x14
#define KX_SI_LFB_DEPTH			0x16
#define KX_SI_LFB_BASE			0x18
#define KX_SI_LFB_SIZE			0x1c
#define KX_SI_CL_MAGIC			0x20
#define KX_SI_CL_OFFSET			0x22
#define KX_SI_LFB_LINELENGTH		0x24
#define KX_SI_RED_SIZE			0x26	/* then red_pos, green_size/pos, blue, rsvd */
#define KX_SI_PAGES			0x32
#define KX_SI_CAPABILITIES		0x36
#define KX_SI_EXT_LFB_BASE		0x3a

#define KX_VIDEO_TYPE_VLFB		0x23	/* VESA VGA in graphic mode */
#define KX_VIDEO_TYPE_EFI		0x70	/* EFI graphic mode */
#define KX_VIDEO_CAPABILITY_64BIT_BASE	0x2
#define KX_CL_MAGIC_VALUE		0xA33F

#define KX_BP_ACPI_RSDP_ADDR		0x070
#define KX_BP_EXT_RAMDISK_IMAGE		0x0c0
#define KX_BP_EXT_RAMDISK_SIZE		0x0c4
#define KX_BP_EXT_CMD_LINE_PTR		0x0c8
#define KX_BP_EFI_INFO			0x1c0	/* struct efi_info, 32 bytes */
#define KX_EFI_LOADER_SIGNATURE		0x00
#define KX_EFI_SYSTAB			0x04
#define KX_EFI_MEMDESC_SIZE		0x08
#define KX_EFI_MEMDESC_VERSION		0x0c
#define KX_EFI_MEMMAP			0x10
#define KX_EFI_MEMMAP_SIZE		0x14
#define KX_EFI_SYSTAB_HI		0x18
#define KX_EFI_MEMMAP_HI		0x1c
#define KX_EFI_INFO_SIZE		0x20
#define KX_BP_ALT_MEM_K			0x1e0
#define KX_BP_E820_ENTRIES		0x1e8
#define KX_BP_EDDBUF_ENTRIES		0x1e9
#define KX_BP_EDD_MBR_SIG_ENTRIES	0x1ea
#define KX_BP_SECURE_BOOT		0x1ec
#define KX_BP_HDR			0x1f1	/* struct setup_header */
#define KX_BP_EDD_MBR_SIG_BUFFER	0x290	/* 16 x u32 */
#define KX_BP_E820_TABLE		0x2d0	/* 128 x {u64 addr, u64 size, u32 type} */
#define KX_BP_EDDBUF			0xd00	/* 6 x 82 bytes */
#define KX_BP_EDDBUF_SIZE		(6 * 82)

#define KX_E820_ENTRY_SIZE		20
#define KX_E820_MAX_ZEROPAGE		128

/* struct setup_data: u64 next, u32 type, u32 len, data[] */
#define KX_SETUP_DATA_HDR		16
#define KX_SETUP_E820_EXT		1
#define KX_SETUP_EFI			4
#define KX_SETUP_RNG_SEED		9

/* struct efi_setup_data: fw_vendor, __unused, tables, smbios, reserved[8] */
#define KX_EFI_SETUP_DATA_SIZE		(12 * 8)
/* struct efi_mem_desc as /sys/firmware/efi/runtime-map exports it */
#define KX_EFI_MEMDESC_BYTES		40

#define KX_LOADER_TYPE_KEXEC		0xD0	/* loader ID 0xD in the high nibble */
