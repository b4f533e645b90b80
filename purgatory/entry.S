/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Purgatory entry and exit.
 *
 * The old kernel's relocate_kernel (arch/x86/kernel/relocate_kernel_64.S)
 * jumps to purgatory_start in 64-bit mode with interrupts off, paging on
 * through an identity map of RAM, CR0 without TS/EM/WP/AM, CR4 reduced to
 * PAE (+LA57, +MCE in a TDX guest), no usable IDT (machine_kexec() loaded
 * an empty one) and a stack in its control page.  We load our own GDT
 * (0x10 flat 64-bit code, 0x18 flat data: the selectors the 64-bit boot
 * protocol wants, Documentation/arch/x86/boot.rst), move to our own stack,
 * and call C.  C comes back through kx_jump_to_kernel, which loads
 * entry64_regs and jumps to the new kernel with CS 0x10 and DS/ES/SS 0x18.
 *
 * Everything is %rip-relative or filled in at run time, so the only
 * relocations are PC32/PLT32 within the image.
 */

#include <linux/errno.h>

#define KX_CS	0x10
#define KX_DS	0x18

/* Load our GDT and the data selector into every data segment, then far-return into KX_CS. */
.macro load_gdt_and_segments
	lgdt	gdt_desc(%rip)
	movl	$KX_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	pushq	$KX_CS
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:
.endm

	.text
	.code64

	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	cli
	cld
	leaq	gdt(%rip), %rax
	movq	%rax, gdt_desc + 2(%rip)
	leaq	stack_end(%rip), %rsp
	load_gdt_and_segments
	call	purgatory_main
	jmp	kx_halt
	.size	purgatory_start, . - purgatory_start

/* void kx_jump_to_kernel(void): never returns */
	.globl	kx_jump_to_kernel
	.type	kx_jump_to_kernel, @function
kx_jump_to_kernel:
	cli
	load_gdt_and_segments
	movq	entry64_regs + 0x00(%rip), %rax
	movq	entry64_regs + 0x08(%rip), %rbx
	movq	entry64_regs + 0x10(%rip), %rcx
	movq	entry64_regs + 0x18(%rip), %rdx
	movq	entry64_regs + 0x20(%rip), %rsi
	movq	entry64_regs + 0x28(%rip), %rdi
	movq	entry64_regs + 0x30(%rip), %rsp
	movq	entry64_regs + 0x38(%rip), %rbp
	movq	entry64_regs + 0x40(%rip), %r8
	movq	entry64_regs + 0x48(%rip), %r9
	movq	entry64_regs + 0x50(%rip), %r10
	movq	entry64_regs + 0x58(%rip), %r11
	movq	entry64_regs + 0x60(%rip), %r12
	movq	entry64_regs + 0x68(%rip), %r13
	movq	entry64_regs + 0x70(%rip), %r14
	movq	entry64_regs + 0x78(%rip), %r15
	jmpq	*entry64_regs + 0x80(%rip)
	.size	kx_jump_to_kernel, . - kx_jump_to_kernel

/* void kx_halt(void): interrupts off, halt forever (NMIs return to the loop). */
	.globl	kx_halt
	.type	kx_halt, @function
kx_halt:
	cli
1:	hlt
	jmp	1b
	.size	kx_halt, . - kx_halt

/* void kx_triple_fault(void): no IDT, then an exception: the CPU shuts down. */
	.globl	kx_triple_fault
	.type	kx_triple_fault, @function
kx_triple_fault:
	cli
	lidt	idt_empty(%rip)
	int3
	ud2
	jmp	kx_halt
	.size	kx_triple_fault, . - kx_triple_fault

/* void kx_idt_clear(void) */
	.globl	kx_idt_clear
	.type	kx_idt_clear, @function
kx_idt_clear:
	lidt	idt_empty(%rip)
	ret
	.size	kx_idt_clear, . - kx_idt_clear

/*
 * int kx_rdmsr_safe(uint32_t msr, uint64_t *val)
 * The #GP handler recognises a fault at .Lrdmsr_insn, steps over the
 * two-byte rdmsr and sets %r8d (call-clobbered, so free to use here).
 */
	.globl	kx_rdmsr_safe
	.type	kx_rdmsr_safe, @function
kx_rdmsr_safe:
	movl	%edi, %ecx
	xorl	%r8d, %r8d
	xorl	%eax, %eax
	xorl	%edx, %edx
.Lrdmsr_insn:
	rdmsr
	testl	%r8d, %r8d
	jnz	1f
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	%rax, (%rsi)
	xorl	%eax, %eax
	ret
1:	movq	$0, (%rsi)
	movl	$-EIO, %eax
	ret
	.size	kx_rdmsr_safe, . - kx_rdmsr_safe

/*
 * void kx_idt_install(void): 32 interrupt gates, one 16-byte stub each.
 * Gate: offset 15:0, selector, IST 0 / type 0xe (64-bit interrupt gate) /
 * P=1 DPL 0 = 0x8e00, offset 31:16, offset 63:32, reserved (SDM vol. 3,
 * 6.14.1).
 */
	.globl	kx_idt_install
	.type	kx_idt_install, @function
kx_idt_install:
	leaq	idt(%rip), %rdi
	leaq	exc_stubs(%rip), %rsi
	xorl	%ecx, %ecx
1:	movq	%rsi, %rax
	movw	%ax, 0(%rdi)
	movw	$KX_CS, 2(%rdi)
	movw	$0x8e00, 4(%rdi)
	shrq	$16, %rax
	movw	%ax, 6(%rdi)
	shrq	$16, %rax
	movl	%eax, 8(%rdi)
	movl	$0, 12(%rdi)
	addq	$16, %rdi
	addq	$16, %rsi
	incl	%ecx
	cmpl	$32, %ecx
	jb	1b
	leaq	idt(%rip), %rax
	movq	%rax, idt_desc + 2(%rip)
	lidt	idt_desc(%rip)
	ret
	.size	kx_idt_install, . - kx_idt_install

/*
 * Exception stubs.  Vectors 8, 10-14, 17, 21, 29 and 30 push an error
 * code; the others get a 0 so that every frame looks the same:
 * vector, error code, rip, cs, rflags, rsp, ss.
 */
.macro EXC_STUB vec
	.org	exc_stubs + \vec * 16
.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || \
    (\vec == 29) || (\vec == 30)
.else
	pushq	$0
.endif
	pushq	$\vec
	jmp	exc_common
.endm

	.balign	16
exc_stubs:
	.irp	v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	EXC_STUB \v
	.endr
	.irp	v, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	EXC_STUB \v
	.endr
	.org	exc_stubs + 32 * 16

exc_common:
	cmpq	$13, (%rsp)
	jne	2f
	pushq	%rax
	leaq	.Lrdmsr_insn(%rip), %rax
	cmpq	%rax, 24(%rsp)		/* saved rip, above rax, vector, error */
	popq	%rax
	jne	3f
	addq	$2, 16(%rsp)		/* step over rdmsr (0f 32) */
	movl	$1, %r8d
	addq	$16, %rsp
	iretq
2:	cmpq	$2, (%rsp)		/* NMI: nothing to do, carry on */
	jne	3f
	addq	$16, %rsp
	iretq
3:	movq	0(%rsp), %rdi		/* vector */
	movq	8(%rsp), %rsi		/* error code */
	movq	16(%rsp), %rdx		/* rip */
	andq	$-16, %rsp
	call	kx_exception
	jmp	kx_halt

	.data
	.balign	16
gdt:
	.quad	0			/* 0x00 null */
	.quad	0			/* 0x08 unused */
	.quad	0x00af9b000000ffff	/* 0x10 code: P, DPL 0, exec/read, accessed; G, L */
	.quad	0x00cf93000000ffff	/* 0x18 data: P, DPL 0, read/write, accessed; G, D */
gdt_end:

	.balign	16
	.word	0, 0, 0
gdt_desc:
	.word	gdt_end - gdt - 1
	.quad	0			/* base, filled at run time */

	.balign	16
	.word	0, 0, 0
idt_desc:
	.word	32 * 16 - 1
	.quad	0

	.balign	16
	.word	0, 0, 0
idt_empty:
	.word	0
	.quad	0

/*
 * struct kx_entry_regs: rax rbx rcx rdx rsi rdi rsp rbp r8-r15 rip, filled by
 * the loader (kexec/purgatory-elf.c).
 */
	.balign	16
	.globl	entry64_regs
	.type	entry64_regs, @object
entry64_regs:
	.fill	17, 8, 0
	.size	entry64_regs, . - entry64_regs

	.bss
	.balign	16
idt:
	.fill	32 * 16, 1, 0

/* Our stack; its end is the new kernel's %rsp too, as with kexec-tools. */
	.balign	4096
stack:
	.fill	16384, 1, 0
	.globl	stack_end
	.type	stack_end, @object
stack_end:
	.size	stack_end, 0

	.section .note.GNU-stack, "", @progbits
