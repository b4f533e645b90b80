/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The purgatory's parameters: global symbols in .data that the loader
 * (kexec/purgatory-config.c, kx_purgatory_configure) fills by name after it has
 * relocated the object.  Names and sizes are checked by
 * tests/unit/test-purgatory-syms.c against the built purgatory.ro, and
 * at load time by the loader.
 */
#pragma once

#include <stdint.h>

#include "freestanding/digest-table.h"
#include "freestanding/purgatory-abi.h"


#ifdef KX_PURGATORY
extern struct kx_entry_regs entry64_regs;	/* entry.S */
extern uint8_t console_serial;			/* 1: print on the 8250 at serial_base */
extern uint16_t serial_base;			/* I/O port */
extern uint32_t serial_baud;			/* 0: keep the divisor the old kernel set */
extern uint8_t console_vga;			/* 1: print on the VGA text screen */
extern uint8_t reset_vga;			/* 1: reset the VGA card to text mode 3 */
extern uint8_t skip_checks;			/* 1: do not check digest_table */
extern uint8_t on_mismatch;			/* enum kx_mismatch_action */
extern uint8_t gate_mode;			/* enum kx_tdx_gate_mode */
extern uint8_t gate_expect_tdx;			/* 1: the loading kernel ran on a TDX host */
extern uint64_t gate_record;			/* physical address of the record, 0: none */
extern struct kx_dtab digest_table;
extern uint64_t backup_src_start;		/* kdump backup: source, size, destination */
extern uint64_t backup_src_size;
extern uint64_t backup_start;			/* 0: no backup */
extern uint8_t stack_end[];			/* entry.S; address only */
#endif
