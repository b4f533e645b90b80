/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How large a kernel image can be, from the headers at its start: what stops
 * a compressed "kernel" that would decompress to gigabytes.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Room for what may follow an image's last byte: a signature (an appended one for IMA). */
#define KX_IMAGE_SLACK	(1u << 20)

/*
 * The most a kernel image whose first @len bytes are @head may hold, capped
 * at KX_MAX_DECOMPRESSED: for a bzImage (setup_sects + 1) * 512 + syssize *
 * 16, or the end of its PE sections and signature, with KX_IMAGE_SLACK; for
 * an ELF64 file the end of its headers and segments; for a PE file the end of
 * its sections and certificate table.  0 when @head is none of these.  @why
 * (a phrase after "the most") says where the bound came from.
 */
uint64_t kx_image_bound(const uint8_t *head, size_t len, char *why, size_t whylen);
