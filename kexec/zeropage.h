/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The boot parameters segment for kexec_load: struct boot_params (the zero
 * page), the command line, and every setup_data node (E820_EXT, EFI, RNG
 * seed, and any the caller adds, such as the purgatory's TDX gate record),
 * plus the EFI runtime map, all in one segment as the kernel's own
 * kexec_file_load loader lays them out.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kx_ctx;
struct kx_load_req;
struct kx_bzimage;
struct kx_memmap;

#define KX_ZP_MAX_EXTRA 4

struct kx_setup_extra {
	uint32_t type;
	const void *data;
	uint32_t len;
};

struct kx_zeropage {
	uint8_t *buf;
	size_t size;			/* bytes of the segment */
	char *cmdline;
	size_t cmdline_off, cmdline_len;	/* length including the NUL */
	uint64_t base;			/* physical address, set by kx_zp_finish */
	size_t extra_off[KX_ZP_MAX_EXTRA];	/* payload offsets of the caller's nodes */

	/* Facts gathered by kx_zp_prepare. */
	uint8_t cur[4096];		/* this boot's boot_params */
	bool have_cur;
	bool efi;			/* hand EFI state over */
	uint8_t *efi_map;		/* runtime map descriptors */
	size_t efi_map_len;
	uint64_t efi_vendor, efi_runtime, efi_tables, efi_smbios, efi_acpi;
	size_t nr_extra;
	struct kx_setup_extra extra[KX_ZP_MAX_EXTRA];
	size_t e820_nr;
	uint8_t *e820;			/* all entries, 20 bytes each */
	bool have_fb;
	uint8_t fb_si[0x40];		/* screen_info built from /dev/fb0 */
};

/*
 * Gather what the zero page needs (this boot's boot_params, EFI runtime
 * state, framebuffer, memory map) and size the segment for req->cmdline.  @extra nodes are
 * copied into it; their payload offsets end up in zp->extra_off[].
 */
int kx_zp_prepare(struct kx_ctx *ctx, struct kx_zeropage *zp, const struct kx_load_req *req,
		  const struct kx_bzimage *bz, const struct kx_memmap *map,
		  const struct kx_setup_extra *extra, size_t nr_extra);
/* Fill the segment for its final address @base and the initrd's place. */
int kx_zp_finish(struct kx_ctx *ctx, struct kx_zeropage *zp, const struct kx_bzimage *bz,
		 uint64_t base, uint64_t initrd_addr, uint64_t initrd_size);
void kx_zp_free(struct kx_zeropage *zp);
/* The ACPI RSDP: this boot's boot_params, else the EFI system table; 0 when unknown. */
uint64_t kx_zp_acpi_rsdp(struct kx_ctx *ctx);
