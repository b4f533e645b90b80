/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small relocatable object for tests/unit/test-purgatory-reloc.c: one
 * relocation of each type the loader supports, at known places, plus
 * symbols for the set/get/symaddr checks.
 */
	.text
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	call	target			/* R_X86_64_PLT32 */
	leaq	d64(%rip), %rax		/* R_X86_64_PC32 */
	movabsq	$target, %rax		/* R_X86_64_64 */
	ret
	.size	purgatory_start, . - purgatory_start

	.balign	64
	.globl	target
	.type	target, @function
target:
	ret
	.size	target, . - target

	.data
	.balign	32
	.globl	d64, d32, d32s, dpc32, dplt32, dnone, param16
	.type	d64, @object
d64:	.quad	0
	.reloc	d64, R_X86_64_64, target + 8
	.size	d64, 8
d32:	.long	0
	.reloc	d32, R_X86_64_32, target + 4
	.size	d32, 4
d32s:	.long	0
	.reloc	d32s, R_X86_64_32S, target - 4
	.size	d32s, 4
dpc32:	.long	0
	.reloc	dpc32, R_X86_64_PC32, target - 4
	.size	dpc32, 4
dplt32:	.long	0
	.reloc	dplt32, R_X86_64_PLT32, far_data
	.size	dplt32, 4
dnone:	.long	0x11223344
	.reloc	dnone, R_X86_64_NONE, target
	.size	dnone, 4
param16:
	.fill	16, 1, 0xab
	.size	param16, 16
local16:
	.fill	16, 1, 0
	.size	local16, 16

	.section .rodata
	.balign	4096
	.globl	far_data
far_data:
	.quad	0x0123456789abcdef
	.size	far_data, 8

	.bss
	.balign	16
	.globl	bss8
	.type	bss8, @object
bss8:	.fill	8, 1, 0
	.size	bss8, 8

	.section .note.GNU-stack, "", @progbits
