/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A crash (kdump) kernel through kexec_load: what kexec_file_load builds in
 * the kernel, built here, as kexec-tools builds it
 * (kexec/arch/i386/crashdump-x86.c, kexec/crashdump-elf.c):
 *  - the facts, read once (kx_crash_info_read): the memory ranges of
 *    /proc/iomem minus the "Crash kernel" reservations, each CPU's crash
 *    note, the vmcoreinfo note, the kernel text mapping and the direct map
 *    base (from /proc/kcore and /proc/kallsyms), and the low RAM the crash
 *    kernel reuses (the backup source);
 *  - the ELF64 core header ("elfcorehdr") that the crash kernel turns into
 *    /proc/vmcore;
 *  - the crash kernel's memory map (e820 in its zero page, or memmap= words);
 *  - its command line additions (acpi_rsdp=, elfcorehdr=, memmap=).
 * Builders are pure functions of the facts and the segment addresses.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kexec/memmap.h"

struct kx_ctx;
struct kx_plan;

#define KX_CRASH_MAX_RANGES	32768	/* kexec-tools' CRASH_MAX_MEMORY_RANGES */
#define KX_CRASH_MAX_RESERVED	8	/* kexec-tools' CRASH_RESERVED_MEM_NR */
#define KX_CRASH_MAX_MEMMAP	1024	/* kexec-tools' CRASH_MAX_MEMMAP_NR */
#define KX_CRASH_NOTE_DEFAULT	1024	/* note size without crash_notes_size (MAX_NOTE_BYTES) */
#define KX_CRASH_HDR_MIN	(16 * 1024)	/* kexec-tools' minimum elfcorehdr memsz */
#define KX_CRASH_CMDLINE_MAX	2047	/* COMMAND_LINE_SIZE - 1 */

/*
 * The highest "Crash kernel" range, the one kexec-tools loads into.
 * -ENOENT when none is reserved (or /proc/iomem shows zeros to non-root).
 */
int kx_crash_range(struct kx_ctx *ctx, struct kx_range *out);

struct kx_crash_note {
	unsigned int cpu;
	uint64_t addr, size;	/* physical */
};

struct kx_crash_info {
	/* /proc/iomem lines of the types kexec-tools keeps (RAM, ACPI, NVS,
	 * PMEM, PRAM, reserved) in file order, minus every reservation and
	 * the GART aperture; malloc'd */
	struct kx_range *mem;
	size_t nr_mem;
	struct kx_range reserved[KX_CRASH_MAX_RESERVED];	/* "Crash kernel", ascending */
	size_t nr_reserved;
	struct kx_crash_note *notes;	/* one per CPU with a crash_notes file; malloc'd */
	size_t nr_notes;
	bool have_vmcoreinfo;
	uint64_t vmcoreinfo_addr, vmcoreinfo_size;
	uint64_t page_offset;	/* virtual address of physical 0 in the direct map */
	uint64_t kern_paddr, kern_vaddr, kern_size;	/* the kernel text mapping */
	uint64_t backup_src, backup_size;	/* the low RAM the crash kernel reuses */
};

/* Read every fact above from ctx->root.  0, or -errno with ctx->err. */
int kx_crash_info_read(struct kx_ctx *ctx, struct kx_crash_info *ci);
void kx_crash_info_free(struct kx_crash_info *ci);

/*
 * --hotplug: /sys/kernel/crash_elfcorehdr_size, the program-header bytes the
 * kernel needs to rewrite the header itself.  -ENOENT (with ctx->err
 * saying what that means) on kernels without CONFIG_CRASH_HOTPLUG.
 */
int kx_crash_hotplug_size(struct kx_ctx *ctx, uint64_t *size);
/*
 * After a load: 1 when both crash_hotplug files say the kernel will
 * update the header itself, 0 when either says no, -errno when unknown.
 */
int kx_crash_hotplug_state(struct kx_ctx *ctx);

/* The segments the crash kernel's memory map and header depend on. */
struct kx_crash_segs {
	uint64_t backup, backup_memsz;	/* the copy of the backup source */
	uint64_t hdr, hdr_memsz;	/* the elfcorehdr segment */
};

/* The ELF64 core header, and what /proc/vmcore will make of it. */
struct kx_crash_elf {
	uint8_t *buf;		/* malloc'd, len bytes (a multiple of 1 KiB) */
	size_t len;
	size_t nr_notes, nr_loads;
	/* /proc/vmcore = vmcore_size + the notes' bytes rounded up to a page
	 * (fs/proc/vmcore.c: program headers page-rounded, each PT_LOAD's
	 * pages whole) */
	uint64_t vmcore_size;
};

/*
 * Build the header: one PT_NOTE per CPU note, the vmcoreinfo PT_NOTE, the
 * kernel text PT_LOAD, one PT_LOAD per RAM range (p_vaddr in the direct
 * map); the range that is the backup source is read from @backup (0: no
 * backup).  0, or -errno with ctx->err.
 */
int kx_crash_elf64(struct kx_ctx *ctx, const struct kx_crash_info *ci, uint64_t backup,
		   struct kx_crash_elf *out);
void kx_crash_elf_free(struct kx_crash_elf *e);
/* The /proc/vmcore size an ELF64 core header promises, without its notes (tests, -d). */
uint64_t kx_crash_vmcore_size(const void *hdr, size_t len);

/*
 * The crash kernel's memory map, as kexec-tools builds it: RAM = the backup
 * source and every reservation, minus the backup copy and the header; then
 * the ACPI, NVS, reserved and persistent memory ranges it must see.  At most
 * KX_CRASH_MAX_MEMMAP entries, sorted.
 */
int kx_crash_memmap(struct kx_ctx *ctx, const struct kx_crash_info *ci,
		    const struct kx_crash_segs *segs, struct kx_memmap *out);

/*
 * The crash kernel's command line: @base, then " acpi_rsdp=0x..." (when
 * @rsdp is not 0), " elfcorehdr=<KiB>K", and with @memmap " memmap=exactmap"
 * and one memmap= word per RAM, ACPI, NVS and PRAM range of @memmap.
 * -E2BIG ("Command line overflow") past KX_CRASH_CMDLINE_MAX characters.
 */
int kx_crash_cmdline(struct kx_ctx *ctx, const char *base, uint64_t rsdp, uint64_t hdr,
		     const struct kx_memmap *memmap, char **out);

/*
 * The RSDP for acpi_rsdp=: this boot's boot_params, else the EFI system
 * table; 0 when the crash kernel finds it itself (an EFI runtime map is
 * handed over and the image takes EFI: @efi_kexec), or when unknown.
 */
uint64_t kx_crash_acpi_rsdp(struct kx_ctx *ctx, bool efi_kexec, bool noefi);

/*
 * Every segment of @plan, and @entry, inside @res (the kernel answers
 * EADDRNOTAVAIL otherwise).  0, or -EADDRNOTAVAIL with ctx->err.
 */
int kx_crash_check_plan(struct kx_ctx *ctx, const struct kx_plan *plan,
			const struct kx_range *res);

/* ------------------------------------------------------------ a crash load */

struct kx_classic;

/* What a crash load through kexec_load adds to the image type's work (kexec/crash-plan.c). */
struct kx_crash {
	struct kx_crash_info info;
	struct kx_range res;		/* the reservation loaded into: the highest */
	struct kx_crash_segs segs;
	struct kx_crash_elf elf;
	struct kx_memmap *map;		/* the crash kernel's memory map */
	uint64_t hotplug_size;		/* --hotplug: crash_elfcorehdr_size; else 0 */
};

/*
 * Before the image type plans: read the facts, narrow st's placement window
 * to the highest reservation, place the backup copy and the elfcorehdr at
 * its top, and build the crash kernel's memory map.  0 or -errno (ctx->err).
 */
int kx_crash_begin(struct kx_classic *st);
/*
 * The crash kernel's command line from the user's (checked against the
 * image's @cmdline_size first) for an image that takes EFI (@efi_kexec).
 */
int kx_crash_cmdline_for(struct kx_classic *st, const char *user, uint32_t cmdline_size,
			 bool efi_kexec, char **out);
/* The memory map for the crash kernel's zero page. */
const struct kx_memmap *kx_crash_zeropage_map(const struct kx_classic *st);
/* After the image type planned: the checks before the call. */
int kx_crash_finish(struct kx_classic *st);
void kx_crash_end(struct kx_classic *st);
