/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Privileged x86 instructions the purgatory uses (ring 0, identity-mapped). */
#pragma once

#include <stdint.h>

#define KX_CR0_MP	(1ull << 1)
#define KX_CR0_EM	(1ull << 2)
#define KX_CR0_TS	(1ull << 3)
#define KX_CR4_OSFXSR	(1ull << 9)
#define KX_CR4_OSXMMEXCPT (1ull << 10)

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint8_t v, uint16_t port)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t v, uint16_t port)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void cpuid_leaf(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void wbinvd(void)
{
	__asm__ volatile("wbinvd" : : : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause");
}

/* Implemented in entry.S. */
/* rdmsr that survives #GP: 0 and *val set, or -1 when the read faulted. */
int kx_rdmsr_safe(uint32_t msr, uint64_t *val);
/* Load the IDT whose handlers catch a #GP in kx_rdmsr_safe and report anything else. */
void kx_idt_install(void);
/* Load an empty IDT (limit 0), the state the old kernel left, before the jump. */
void kx_idt_clear(void);
/* Load entry64_regs and jump to the new kernel; never returns. */
__attribute__((noreturn)) void kx_jump_to_kernel(void);
/* cli; hlt forever. */
__attribute__((noreturn)) void kx_halt(void);
/* Load a zero-limit IDT and raise an exception: the CPU shuts down (triple fault). */
__attribute__((noreturn)) void kx_triple_fault(void);
