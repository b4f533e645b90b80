/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A common symbol: no section, so no address the loader could give it. */
	.text
	.globl	purgatory_start
purgatory_start:
	ret
	.comm	shared_thing, 8, 8
	.section .note.GNU-stack, "", @progbits
