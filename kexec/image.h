/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Image types for kexec_load, behind a const table as in kexec-tools'
 * file_type[]: each knows how to recognise its files and how to turn one into
 * a plan of segments.  Probes have no side effects.
 */
#pragma once

#include <stdbool.h>
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
	/*
	 * Does the file look like this type at first sight (its magic)?  When no
	 * probe takes a file, the error shown is that of the type that claims
	 * it; NULL: the type whose error is shown otherwise (bzImage64).
	 */
	bool (*claims)(const void *data, size_t size);
	const char *usage;
};

/* The table, ending with a NULL name. */
extern const struct kx_image_type kx_image_types[];

const struct kx_image_type *kx_image_type_find(const char *name);

#define KX_DESC_LINES 8

/* What --dry-run says about the image of a load: where each part comes from. */
struct kx_image_desc {
	const char *type;	/* "bzImage64", "elf-x86_64", "uki" */
	char cmdline_from[64];	/* a UKI's ".cmdline of profile 1", or "" when it has none */
	size_t nlines;
	struct {
		const char *name;	/* "kernel", "initrd", ... */
		char text[448];
	} line[KX_DESC_LINES];
};

/*
 * Describe req->kernel (with req->initrd and req->uki_profile) for a
 * person: nothing for a bzImage (the files are the parts), the profile,
 * sections and os-release of a UKI, the segments of a vmlinux.  Returns 0
 * or -errno with ctx->err set (the load would fail the same way).
 */
int kx_image_describe(struct kx_ctx *ctx, const struct kx_load_req *req, struct kx_image_desc *d);

/* The bzImage64 type (kexec/bzimage64.c). */
int kx_bzimage64_probe(struct kx_ctx *ctx, const char *name, const void *data, size_t size);
int kx_bzimage64_load(struct kx_classic *st);
void kx_bzimage64_cleanup(struct kx_classic *st);
/*
 * Plan a bzImage held in @kernel (@name in messages) with @initrd (NULL for
 * none), as bzImage64 does for the files; *state is the loader's, freed
 * with kx_bzimage64_free() whatever the result.
 */
int kx_bzimage64_load_buf(struct kx_classic *st, const char *name, const void *kernel,
			  size_t ksize, const void *initrd, size_t isize, void **state);
void kx_bzimage64_free(void *state);

/* The elf-x86_64 type (kexec/elf-x86_64.c): a vmlinux, kexec_load only. */
bool kx_elf_magic(const void *data, size_t size);
int kx_elf_x86_64_probe(struct kx_ctx *ctx, const char *name, const void *data, size_t size);
int kx_elf_x86_64_load(struct kx_classic *st);
void kx_elf_x86_64_cleanup(struct kx_classic *st);
/* One line about the vmlinux's segments and entry, for --dry-run. */
int kx_elf_x86_64_describe(struct kx_ctx *ctx, const char *name, const void *data, size_t size,
			   char *out, size_t len);

/* The uki type (kexec/uki-image.c): a unified kernel image. */
bool kx_uki_claims(const void *data, size_t size);
int kx_uki_probe(struct kx_ctx *ctx, const char *name, const void *data, size_t size);
int kx_uki_load(struct kx_classic *st);
void kx_uki_cleanup(struct kx_classic *st);
