/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The crash kernel reservation ("Crash kernel" in /proc/iomem). */
#pragma once

#include "kexec/memmap.h"

struct kx_ctx;

/*
 * The highest "Crash kernel" range, the one kexec-tools loads into.
 * -ENOENT when none is reserved (or /proc/iomem shows zeros to non-root).
 */
int kx_crash_range(struct kx_ctx *ctx, struct kx_range *out);
