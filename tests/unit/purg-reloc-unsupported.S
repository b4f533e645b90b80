/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A relocation type the loader does not apply (a 64-bit PC-relative one). */
	.text
	.globl	purgatory_start
purgatory_start:
	ret
	.globl	target
target:
	ret
	.data
	.globl	d
d:	.quad	0
	.reloc	d, R_X86_64_PC64, target
	.section .note.GNU-stack, "", @progbits
