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

struct kx_ctx;
struct kx_plan;

/* purgatory/purgatory.ro, linked into the program. */
extern const unsigned char kx_purgatory_blob[];
extern const size_t kx_purgatory_blob_size;

struct kx_purgatory;

/* Parse a relocatable x86_64 ELF object (normally the embedded blob). */
int kx_purgatory_new(struct kx_ctx *ctx, const void *elf, size_t len, struct kx_purgatory **out);
void kx_purgatory_free(struct kx_purgatory *p);

/* Size of the loaded image: bytes with contents, bytes including .bss, alignment. */
void kx_purgatory_size(const struct kx_purgatory *p, uint64_t *bufsz, uint64_t *memsz,
		       uint64_t *align);
/* Lay the sections out at physical address @base (identity mapped) and apply relocations. */
int kx_purgatory_relocate(struct kx_ctx *ctx, struct kx_purgatory *p, uint64_t base);
/* After relocation: the image to load and the address of purgatory_start. */
const void *kx_purgatory_buf(const struct kx_purgatory *p);
uint64_t kx_purgatory_entry(const struct kx_purgatory *p);

/* Symbol access; -ENOENT for a missing symbol, -EINVAL for a size mismatch. */
int kx_purgatory_set(struct kx_ctx *ctx, struct kx_purgatory *p, const char *sym,
		     const void *val, size_t size);
int kx_purgatory_get(struct kx_ctx *ctx, const struct kx_purgatory *p, const char *sym,
		     void *val, size_t size);
int kx_purgatory_symaddr(struct kx_ctx *ctx, const struct kx_purgatory *p, const char *sym,
			 uint64_t *addr);

enum kx_gate_mode {
	KX_GATE_OFF,		/* no TDX check in purgatory */
	KX_GATE_RECORD,		/* check and record the verdict, always jump */
	KX_GATE_ENFORCE,	/* check, record, and cold-reset instead of a bad jump */
};

struct kx_purgatory_cfg {
	uint64_t kernel_entry;	/* rip: 64-bit entry of the new kernel (load address + 0x200) */
	uint64_t boot_params;	/* rsi: the zero page */
	bool skip_checks;	/* -i: no digest verification */
	bool console_serial, console_vga, reset_vga;
	uint16_t serial_base;
	uint32_t serial_baud;	/* 0: leave the UART divisor alone */
	enum kx_gate_mode gate;
	bool gate_expect_tdx;	/* the loading kernel ran on a TDX host */
	uint64_t gate_record;	/* physical address of the gate's setup_data payload, 0 = none */
};

/*
 * Fill every parameter of a relocated purgatory: entry registers, console,
 * TDX gate, and the SHA-256 digests of every segment of @plan except
 * plan->seg[@self] (the purgatory itself), over each segment's full memsz.
 */
int kx_purgatory_configure(struct kx_ctx *ctx, struct kx_purgatory *p,
			   const struct kx_purgatory_cfg *cfg, const struct kx_plan *plan,
			   size_t self);
