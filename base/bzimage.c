// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bzImage probe and setup-header parsing.  The rules are the 64-bit boot
 * protocol's (Documentation/arch/x86/boot.rst) as kexec-tools' bzImage64_probe
 * and the kernel's kexec-bzimage64.c apply them.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/bytes.h"
#include "base/bzimage.h"
#include "base/ctx.h"
#include "base/file.h"

/* Say what a file that is not a bzImage looks like. */
static const char *describe(const uint8_t *d, size_t size)
{
	if (size >= 4 && memcmp(d, "\177ELF", 4) == 0)
		return "an ELF file (an uncompressed vmlinux?)";
	if (size >= 6 && (memcmp(d, "070701", 6) == 0 || memcmp(d, "070702", 6) == 0))
		return "a cpio archive (an initramfs?)";
	if (size >= 2 && d[0] == 'M' && d[1] == 'Z')
		return "a PE/EFI executable without a Linux setup header (a unified kernel image or zboot image?)";
	if (kx_comp_detect(d, size) != KX_COMP_NONE)
		return "compressed data";
	if (size < 1024)
		return "too small to be a kernel";
	return "not a Linux kernel image";
}

/* Every refusal names the file and what this reader takes. */
#define reject(ctx, name, ...) \
	kx_reject_image(ctx, name, "an x86_64 bzImage (boot protocol 2.12 or later)", __VA_ARGS__)

static void read_version(struct kx_bzimage *bz)
{
	uint16_t off = kx_get16(bz->data, KX_BZ_KERNEL_VERSION);
	size_t pos = (size_t)off + 0x200, i = 0;

	bz->version[0] = '\0';
	if (!off || pos >= bz->setup_size)
		return;
	while (pos + i < bz->setup_size && i + 1 < sizeof(bz->version) && bz->data[pos + i]) {
		char c = (char)bz->data[pos + i];

		bz->version[i++] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	bz->version[i] = '\0';
}

static int truncated(struct kx_ctx *ctx, const char *name, const struct kx_bzimage *bz)
{
	return kx_fail(ctx, -ENOEXEC, "%s is truncated: it has %zu bytes, but its setup header "
		       "says (setup_sects %u + 1) * 512 + syssize 0x%x * 16 = %llu; expected the "
		       "whole file (a copy or download cut short?)", name, bz->size,
		       bz->setup_sects, bz->syssize, (unsigned long long)bz->kernel_size);
}

/* The size the kernel build appends to a compressed payload (mkpiggy reads it as z_output_len). */
static void read_olen(struct kx_bzimage *bz)
{
	const uint8_t *p = bz->data + bz->setup_size + bz->payload_offset;

	if (bz->payload_length >= 8 && kx_comp_detect(p, bz->payload_length) != KX_COMP_NONE)
		bz->payload_olen = kx_get32(p, bz->payload_length - 4);
}

/*
 * The sizes must agree, or the new kernel crashes at boot: the file must hold
 * the setup code and the protected-mode code the header counts (the kernel
 * build writes exactly that, arch/x86/boot/tools/build.c; a signature may
 * follow), the compressed kernel must lie inside it, and init_size, the
 * memory the kernel decompresses itself in (boot.rst), must hold both the
 * protected-mode code and the decompressed kernel.
 */
static int check_sizes(struct kx_ctx *ctx, const char *name, struct kx_bzimage *bz)
{
	uint64_t pm, pend;

	bz->syssize = kx_get32(bz->data, KX_BZ_SYSSIZE);
	pm = (uint64_t)bz->syssize * 16;
	bz->kernel_size = bz->setup_size + pm;
	if (!bz->syssize)
		return kx_fail(ctx, -ENOEXEC, "%s: its setup header says syssize 0; expected the "
			       "size of the protected-mode code, which every kernel build writes",
			       name);
	if (bz->kernel_size > bz->size)
		return truncated(ctx, name, bz);
	pend = (uint64_t)bz->payload_offset + bz->payload_length;
	if (bz->payload_length && pend > pm)
		return kx_fail(ctx, -ENOEXEC, "%s is truncated or corrupt: its compressed kernel "
			       "(payload_offset 0x%x, payload_length 0x%x) ends at byte %llu, past the "
			       "end of the protected-mode code (syssize * 16 = %llu bytes)", name,
			       bz->payload_offset, bz->payload_length,
			       (unsigned long long)(bz->setup_size + pend), (unsigned long long)pm);
	if (bz->init_size < pm)
		return kx_fail(ctx, -ENOEXEC, "%s: init_size 0x%x is smaller than its protected-mode "
			       "code (syssize * 16 = 0x%llx bytes); expected room for the kernel to "
			       "decompress itself in", name, bz->init_size, (unsigned long long)pm);
	if (bz->payload_length)
		read_olen(bz);
	if (bz->init_size < bz->payload_olen)
		return kx_fail(ctx, -ENOEXEC, "%s: init_size 0x%x is smaller than its decompressed "
			       "kernel (0x%x bytes, the size at the end of the compressed kernel); "
			       "expected room for the kernel to decompress itself in", name,
			       bz->init_size, bz->payload_olen);
	return 0;
}

int kx_bzimage_parse(struct kx_ctx *ctx, const char *name, const void *data, size_t size,
		     struct kx_bzimage *bz)
{
	const uint8_t *d = data;

	memset(bz, 0, sizeof(*bz));
	if (size < KX_BZ_HEADER_MAX || kx_get16(d, KX_BZ_BOOT_FLAG) != 0xAA55 ||
	    memcmp(d + KX_BZ_HEADER, "HdrS", 4) != 0)
		return kx_fail(ctx, -ENOEXEC,
			       "%s is %s; expected an x86_64 bzImage (such as /boot/vmlinuz-*)",
			       name, describe(d, size));
	bz->data = d;
	bz->size = size;
	bz->protocol = kx_get16(d, KX_BZ_VERSION);
	bz->loadflags = d[KX_BZ_LOADFLAGS];
	bz->setup_sects = d[KX_BZ_SETUP_SECTS] ? d[KX_BZ_SETUP_SECTS] : 4;
	bz->setup_size = ((size_t)bz->setup_sects + 1) * 512;
	bz->header_end = 0x202 + (size_t)d[KX_BZ_JUMP + 1];
	if (bz->protocol < 0x020c)
		return reject(ctx, name, "boot protocol %u.%02u is too old",
			      bz->protocol >> 8, bz->protocol & 0xff);
	if (bz->setup_size >= size)
		return kx_fail(ctx, -ENOEXEC, "%s is truncated: its setup code (setup_sects %u: "
			       "%zu bytes) %s (%zu bytes); expected the protected-mode code after it",
			       name, bz->setup_sects, bz->setup_size, bz->setup_size > size ?
			       "reaches past the end of the file" : "fills the whole file", size);
	if (bz->header_end > KX_BZ_HEADER_MAX || bz->header_end < KX_BZ_INIT_SIZE + 4)
		return reject(ctx, name, "the setup header length (0x%zx) is implausible",
			      bz->header_end);
	bz->xloadflags = kx_get16(d, KX_BZ_XLOADFLAGS);
	if (!(bz->loadflags & KX_LOADED_HIGH))
		return reject(ctx, name, "it is a zImage, not loaded high (loadflags 0x%x)",
			      bz->loadflags);
	if ((bz->xloadflags & (KX_XLF_KERNEL_64 | KX_XLF_CAN_BE_LOADED_ABOVE_4G)) !=
	    (KX_XLF_KERNEL_64 | KX_XLF_CAN_BE_LOADED_ABOVE_4G))
		return reject(ctx, name, "it has no 64-bit entry point that can run above 4 GiB (xloadflags 0x%x)",
			      bz->xloadflags);
	bz->cmdline_size = kx_get32(d, KX_BZ_CMDLINE_SIZE);
	bz->kernel_alignment = kx_get32(d, KX_BZ_KERNEL_ALIGNMENT);
	bz->pref_address = kx_get64(d, KX_BZ_PREF_ADDRESS);
	bz->init_size = kx_get32(d, KX_BZ_INIT_SIZE);
	bz->payload_offset = kx_get32(d, KX_BZ_PAYLOAD_OFFSET);
	bz->payload_length = kx_get32(d, KX_BZ_PAYLOAD_LENGTH);
	if (bz->kernel_alignment == 0 || (bz->kernel_alignment & (bz->kernel_alignment - 1)))
		return reject(ctx, name, "kernel_alignment 0x%x is not a power of two",
			      bz->kernel_alignment);
	read_version(bz);
	return check_sizes(ctx, name, bz);
}

void kx_bzimage_release(const struct kx_bzimage *bz, char *out, size_t outlen)
{
	size_t i = 0;

	while (i + 1 < outlen && bz->version[i] && bz->version[i] != ' ') {
		out[i] = bz->version[i];
		i++;
	}
	if (outlen)
		out[i] = '\0';
}
