/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A PC-relative reference to an absolute address far from any base: overflows.
 * (gas turns it into a relocation against symbol 0 with the address as addend.) */
	.set	far_away, 0x7fff00000000
	.globl	far_away
	.text
	.globl	purgatory_start
purgatory_start:
	ret
	.data
	.globl	dpc
dpc:	.long	0
	.reloc	dpc, R_X86_64_PC32, far_away
	.section .note.GNU-stack, "", @progbits
