/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading back, in the new kernel, the record our purgatory's TDX gate left
 * in a setup_data node (purgatory/tdx-gate.h), through
 * /sys/kernel/boot_params/setup_data/N/{type,data} (arch/x86/kernel/ksysfs.c).
 */
#pragma once

#include <stdbool.h>

#include "freestanding/gate-record.h"

struct kx_ctx;

struct kx_gate_found {
	unsigned int node;			/* N in setup_data/N */
	struct kx_tdx_gate_record rec;
};

/*
 * Find and check the record.  0 with @out filled; -ENOENT when this boot has
 * no gate record (not started by our kexec_load, or the gate was off);
 * -EINVAL with ctx->err naming the file when a record is malformed.
 */
int kx_gate_record_read(struct kx_ctx *ctx, struct kx_gate_found *out);
const char *kx_gate_verdict_name(unsigned int verdict);
