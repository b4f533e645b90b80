/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A unified kernel image as the loader uses it, for either system call: the
 * .linux bzImage, and one initrd made of .ucode first, then the UKI's
 * .initrd or, when the caller gives one, the caller's initrd instead; each
 * piece padded with zeros to 4 bytes and concatenated, as systemd-stub
 * combines them (src/boot/stub.c combine_initrds: microcode first, the
 * kernel's early loader reads only the first archive).  A caller's initrd
 * replaces .initrd rather than adding to it, as in kexec-tools 2.0.30 and
 * later: kdumpctl passes its own kdump initramfs for a UKI, and two
 * complete initramfs images in one would mix their files.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/bzimage.h"
#include "base/uki.h"

struct kx_ctx;

struct kx_uki_piece {
	char from[192];		/* ".ucode of the base", "--initrd /boot/x.img", ... */
	const uint8_t *data;
	size_t size;
};

struct kx_uki_parts {
	struct kx_uki uki;
	struct kx_bzimage bz;		/* the .linux setup header */
	char kernel_from[96];		/* ".linux of the base" */
	char name[320];			/* "FILE (.linux)", for messages about the kernel */
	struct kx_uki_piece initrd[2];
	size_t ninitrd;
	size_t initrd_size;		/* pieces padded to 4 bytes; 0: no initrd */
};

/*
 * Take @data (the file @name) apart for @profile.  @user_initrd (the file
 * @user_name, @user_size bytes) replaces .initrd when not NULL.  Returns 0,
 * -ENOEXEC with ctx->err naming the file (a bad PE, no .linux, a .linux
 * that is not a bzImage, no such profile), or -ENOMEM.
 */
int kx_uki_parts_get(struct kx_ctx *ctx, const char *name, const void *data, size_t size,
		     unsigned int profile, const char *user_name, const void *user_initrd,
		     size_t user_size, struct kx_uki_parts *p);
void kx_uki_parts_free(struct kx_uki_parts *p);
/* "of the base" or "of profile N" for section @part. */
const char *kx_uki_part_origin(const struct kx_uki_parts *p, enum kx_uki_part part, char *buf,
			       size_t len);
/* The initrd in one buffer (initrd_size bytes, malloc'd). */
int kx_uki_initrd_concat(const struct kx_uki_parts *p, uint8_t **out);
/* Write the initrd to @fd. */
int kx_uki_initrd_write(struct kx_ctx *ctx, const struct kx_uki_parts *p, int fd);
