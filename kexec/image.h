/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Image types for kexec_load, behind a const table as in kexec-tools'
 * file_type[]: each knows how to recognise its files and how to turn one into
 * a plan of segments.  Probes have no side effects.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/file.h"
#include "kexec/memmap.h"
#include "kexec/ops.h"

struct kx_ctx;
struct kx_load_req;

/* Everything a kexec_load image loader works with and builds. */
struct kx_classic {
	struct kx_ctx *ctx;
	const struct kx_load_req *req;
	struct kx_file kernel;		/* decompressed when the file was compressed */
	struct kx_file initrd;		/* fd -1 when there is none */
	struct kx_memmap *map;
	uint64_t ram_bytes;		/* MemTotal, for the kernel's half-of-RAM rule; 0 unknown */
	struct kx_plan plan;
	/* the placement window: the request's, narrowed to the reservation for -p */
	uint64_t mem_min, mem_max;
	struct kx_crash *crash;		/* -p: the kdump pieces (kexec/crash.h); else NULL */
	void *loader_data;		/* owned by the image type, freed by its cleanup */
};

struct kx_image_type {
	const char *name;
	/* 0 if the file is of this type; -ENOEXEC with ctx->err saying why not */
	int (*probe)(struct kx_ctx *ctx, const char *name, const void *data, size_t size);
	/* Fill st->plan (segments, entry, flags). */
	int (*load)(struct kx_classic *st);
	void (*cleanup)(struct kx_classic *st);
	const char *usage;
};

/* The table, ending with a NULL name. */
extern const struct kx_image_type kx_image_types[];

const struct kx_image_type *kx_image_type_find(const char *name);

/* The bzImage64 type (kexec/bzimage64.c). */
int kx_bzimage64_probe(struct kx_ctx *ctx, const char *name, const void *data, size_t size);
int kx_bzimage64_load(struct kx_classic *st);
void kx_bzimage64_cleanup(struct kx_classic *st);
