/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine's physical memory map: /sys/firmware/memmap (the raw firmware
 * e820 map, which the kernel ABI documents as the one kexec should hand on),
 * with /proc/iomem as the fallback, as kexec-tools reads it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct kx_ctx;

/* e820 types (arch/x86/include/asm/e820/types.h) */
enum kx_mem_type {
	KX_MEM_RAM = 1,
	KX_MEM_RESERVED = 2,
	KX_MEM_ACPI = 3,
	KX_MEM_NVS = 4,
	KX_MEM_UNUSABLE = 5,
	KX_MEM_PMEM = 7,
	KX_MEM_PRAM = 12,
	KX_MEM_SOFT_RESERVED = 0xefffffff,
};

struct kx_range {
	uint64_t start;
	uint64_t end;		/* inclusive */
	enum kx_mem_type type;
};

#define KX_MAX_RANGES 2048

struct kx_memmap {
	struct kx_range r[KX_MAX_RANGES];
	size_t nr;
	const char *source;	/* the firmware memory map or iomem (base/iface.h) */
};

/* Read, sort and merge the map from the best source (ctx->err on failure). */
int kx_memmap_read(struct kx_ctx *ctx, struct kx_memmap *map);
/* The same from either source alone (unit tests). */
int kx_memmap_read_firmware(struct kx_ctx *ctx, struct kx_memmap *map);
int kx_memmap_read_iomem(struct kx_ctx *ctx, struct kx_memmap *map);
/* Sort by start and merge overlapping or adjacent ranges of the same type. */
void kx_memmap_normalize(struct kx_memmap *map);
uint64_t kx_memmap_ram_bytes(const struct kx_memmap *map);
const char *kx_mem_type_name(enum kx_mem_type t);

/*
 * Walk /proc/iomem: @fn gets each line's range, its name and its nesting
 * depth; returning non-zero stops the walk with that value.
 */
typedef int (*kx_iomem_fn)(void *data, uint64_t start, uint64_t end, const char *name,
			   int depth);
int kx_iomem_walk(struct kx_ctx *ctx, kx_iomem_fn fn, void *data);
