/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The loader side of our purgatory: parse the relocatable object built from
 * purgatory/ (embedded in this program), relocate it to the address the plan
 * gave it, and fill its parameters by symbol name with size checks.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "freestanding/gate-record.h"
#include "kexec/load.h"

struct kx_ctx;
struct kx_plan;

/* purgatory/purgatory.ro, linked into the program. */
extern const unsigned char kx_purgatory_blob[];
extern const size_t kx_purgatory_blob_size;

struct kx_purgatory;

/* Parse a relocatable x86_64 ELF object (normally the embedded blob). */
int kx_purgatory_new(struct kx_ctx *ctx, const void *elf, size_t len, struct kx_purgatory **out);
void kx_purgatory_free(struct kx_purgatory *p);

/*
 * Size of the loaded image: bytes with contents (the segment's bufsz), bytes
 * including .bss and the stack (memsz, not rounded to pages: round it up when
 * placing), and the alignment the base needs (at least 16; place it on a
 * page boundary anyway).
 */
void kx_purgatory_size(const struct kx_purgatory *p, uint64_t *bufsz, uint64_t *memsz,
		       uint64_t *align);
/*
 * Lay the sections out at physical address @base (identity mapped) and apply
 * relocations.  May be called again for another base; the image is rebuilt
 * from the object, so anything set before is lost.
 */
int kx_purgatory_relocate(struct kx_ctx *ctx, struct kx_purgatory *p, uint64_t base);
/*
 * After relocation: the image to load (bufsz bytes, NULL before relocation;
 * it stays valid until kx_purgatory_free() and kx_purgatory_configure()
 * writes into it), the base it was relocated for, and the address of
 * purgatory_start, which is kexec_load's entry.
 */
const void *kx_purgatory_buf(const struct kx_purgatory *p);
uint64_t kx_purgatory_base(const struct kx_purgatory *p);
uint64_t kx_purgatory_entry(const struct kx_purgatory *p);

/*
 * Symbol access by name, after relocation.  The symbol must be GLOBAL and,
 * for set/get, exactly @size bytes in a section with contents (not .bss).
 * -ENOENT for a missing symbol, -EINVAL for a size mismatch or a .bss symbol.
 */
int kx_purgatory_set(struct kx_ctx *ctx, struct kx_purgatory *p, const char *sym,
		     const void *val, size_t size);
int kx_purgatory_get(struct kx_ctx *ctx, const struct kx_purgatory *p, const char *sym,
		     void *val, size_t size);
int kx_purgatory_symaddr(struct kx_ctx *ctx, const struct kx_purgatory *p, const char *sym,
			 uint64_t *addr);

struct kx_purgatory_cfg {
	uint64_t kernel_entry;	/* rip: 64-bit entry, kernel load address + 0x200 */
	uint64_t boot_params;	/* rsi: the zero page */
	bool skip_checks;	/* -i: no digest verification */
	enum kx_mismatch_action on_mismatch;	/* a digest mismatch: reset (0) or halt */
	struct kx_console console;
	/* OFF: no TDX check; RECORD: check and record, always jump; ENFORCE:
	 * check, record, and cold-reset instead of a bad jump on a TDX host */
	enum kx_tdx_gate_mode gate;
	bool gate_expect_tdx;	/* the loading kernel ran on a TDX host */
	/* Physical address of the gate's record: the payload of a setup_data
	 * node filled by kx_tdx_gate_node_init() (freestanding/gate-record.h), i.e.
	 * node address + KX_SETUP_DATA_HDR; 0 = checks without a record. */
	uint64_t gate_record;
	/* kdump: after verification, copy backup_size bytes from backup_src
	 * (the first RAM range below 640 KiB) to backup_dst, a segment of
	 * backup_size zero bytes; 0 = no backup (kexec-tools'
	 * crashdump_backup_memory(), purgatory/arch/i386/crashdump_backup.c). */
	uint64_t backup_src, backup_size, backup_dst;
	/* The segment at this address is left out of the digests: kdump
	 * --hotplug, where the kernel rewrites the elfcorehdr after the load
	 * (kexec-tools' arch_do_exclude_segment()); 0 = every segment. */
	uint64_t unhashed;
	const struct kx_test_hooks *hooks;	/* NULL; test builds only */
};

/*
 * Fill every parameter of a relocated purgatory: entry registers (rip, rsi,
 * rsp = the purgatory's stack end, everything else 0), console, TDX gate,
 * and the SHA-256 digests of every segment of @plan except plan->seg[@self]
 * (the purgatory itself, which must be at kx_purgatory_base()), over each
 * segment's full memsz.  Call it last: the digests cover the other
 * segments' buffers as they are now.
 */
int kx_purgatory_configure(struct kx_ctx *ctx, struct kx_purgatory *p,
			   const struct kx_purgatory_cfg *cfg, const struct kx_plan *plan,
			   size_t self);

/* The symbols kx_purgatory_configure() fills, with their sizes; ends with a NULL name. */
struct kx_purgatory_param {
	const char *name;
	size_t size;
};
extern const struct kx_purgatory_param kx_purgatory_params[];
