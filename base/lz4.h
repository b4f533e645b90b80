/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The LZ4 legacy frame decoder behind kx_decompress() and kx_lz4_legacy(). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/decompress.h"

struct kx_buf;

/* Decode a legacy frame, appending to @o: the returns of kx_lz4_legacy(). */
int kx_lz4_legacy_buf(const uint8_t *in, size_t len, struct kx_buf *o);
