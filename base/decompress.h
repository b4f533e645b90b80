/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Recognising and decompressing compressed kernels and kernel payloads:
 * gzip (zlib), xz and lzma (liblzma), zstd (libzstd) and LZ4 legacy frames
 * (our own decoder, base/lz4.c), as kexec-tools' slurp_decompress_file does
 * for whole files and as the kernel's decompressors do for the payload of a
 * bzImage.  bzip2 and the LZ4 frame format are recognised, never decompressed.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kx_ctx;

enum kx_comp {
	KX_COMP_NONE,
	KX_COMP_GZIP,
	KX_COMP_XZ,
	KX_COMP_LZMA,
	KX_COMP_ZSTD,
	KX_COMP_LZ4,	/* the legacy frame Linux builds with "lz4 -l" */
	KX_COMP_LZ4F,	/* the LZ4 frame format: recognised, never decompressed */
	KX_COMP_BZIP2,	/* recognised, never decompressed */
};

/*
 * The most any decompression here may produce: a compressed kernel file, or
 * the kernel inside a bzImage (about 55 MiB for a distribution kernel).
 */
#define KX_MAX_DECOMPRESSED	(256UL << 20)
/* How much of a compressed kernel file is decompressed to read its headers first. */
#define KX_IMAGE_HEAD		(64u << 10)

enum kx_comp kx_comp_detect(const void *data, size_t len);
const char *kx_comp_name(enum kx_comp c);
/* Can this build decompress @c? */
bool kx_comp_supported(enum kx_comp c);
/*
 * Decompress a whole buffer into a malloc'd one; stops with -EFBIG past @max
 * bytes of output.  After the data only the 4-byte size the kernel build
 * appends may follow (-EBADMSG otherwise).  @what names the input in ctx->err
 * ("kernel /boot/vmlinuz").
 */
int kx_decompress(struct kx_ctx *ctx, const char *what, const void *in, size_t len,
		  enum kx_comp c, size_t max, uint8_t **out, size_t *outlen);
/*
 * The same for a compressed kernel image, bounded by what its own headers
 * say it is (base/image-bound.h): a head of KX_IMAGE_HEAD bytes first, then
 * at most that size.  -ENOEXEC when the head is no kernel image.
 */
int kx_decompress_image(struct kx_ctx *ctx, const char *what, const void *in, size_t len,
			enum kx_comp c, uint8_t **out, size_t *outlen);
/*
 * An LZ4 legacy frame (magic 02 21 4c 18), with or without the 4-byte size
 * the kernel build appends: 0, -EINVAL (not a legacy frame), -EBADMSG
 * (corrupt or truncated), -EFBIG (more than @max bytes) or -ENOMEM.
 */
int kx_lz4_legacy(const uint8_t *in, size_t len, size_t max, uint8_t **out, size_t *outlen);
