/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Calls a function nobody defines: the loader must refuse it by name. */
	.text
	.globl	purgatory_start
purgatory_start:
	call	kx_not_defined_anywhere
	ret
	.section .note.GNU-stack, "", @progbits
