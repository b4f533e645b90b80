// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ELF64 core header a crash kernel reads at elfcorehdr= and turns into
 * /proc/vmcore (fs/proc/vmcore.c).  Same layout as kexec-tools'
 * (kexec/crashdump-elf.c): the ELF header, then PT_NOTEs for each CPU and
 * for vmcoreinfo, a PT_LOAD for the kernel text mapping, and one PT_LOAD per
 * RAM range with p_vaddr in the direct map (makedumpfile takes the direct
 * map base from them: a wrong p_vaddr breaks a KASLR kernel's dump).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/ctx.h"
#include "kexec/abi.h"
#include "kexec/crash.h"

#define EHDR_SIZE	64
#define PHDR_SIZE	56
#define HDR_ALIGN	1024	/* elfcorehdr= takes KiB */
#define ET_CORE		4
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_NOTE		4
#define PF_RWX		7

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, size;
};

static void put_ehdr(uint8_t *b, size_t phnum)
{
	memcpy(b, "\177ELF", 4);
	b[4] = 2;		/* ELFCLASS64 */
	b[5] = 1;		/* ELFDATA2LSB */
	b[6] = 1;		/* EV_CURRENT */
	kx_put16(b, 16, ET_CORE);
	kx_put16(b, 18, EM_X86_64);
	kx_put32(b, 20, 1);	/* e_version */
	kx_put64(b, 32, EHDR_SIZE);	/* e_phoff */
	kx_put16(b, 52, EHDR_SIZE);	/* e_ehsize */
	kx_put16(b, 54, PHDR_SIZE);	/* e_phentsize */
	kx_put16(b, 56, (uint16_t)phnum);
}

static void put_phdr(uint8_t *b, size_t i, const struct phdr *p)
{
	uint8_t *d = b + EHDR_SIZE + i * PHDR_SIZE;

	kx_put32(d, 0, p->type);
	kx_put32(d, 4, p->flags);
	kx_put64(d, 8, p->offset);
	kx_put64(d, 16, p->vaddr);
	kx_put64(d, 24, p->paddr);
	kx_put64(d, 32, p->size);	/* p_filesz */
	kx_put64(d, 40, p->size);	/* p_memsz */
}

static size_t count_phdrs(const struct kx_crash_info *ci)
{
	size_t n = ci->nr_notes + ci->have_vmcoreinfo + (ci->kern_size != 0), i;

	for (i = 0; i < ci->nr_mem; i++)
		n += ci->mem[i].type == KX_MEM_RAM;
	return n;
}

static size_t put_notes(uint8_t *b, const struct kx_crash_info *ci)
{
	struct phdr p = { .type = PT_NOTE };
	size_t i, n = 0;

	for (i = 0; i < ci->nr_notes; i++) {
		p.offset = p.paddr = ci->notes[i].addr;
		p.size = ci->notes[i].size;
		put_phdr(b, n++, &p);
	}
	if (ci->have_vmcoreinfo) {
		p.offset = p.paddr = ci->vmcoreinfo_addr;
		p.size = ci->vmcoreinfo_size;
		put_phdr(b, n++, &p);
	}
	return n;
}

/* The kernel text and the RAM ranges; returns the next program header index. */
static size_t put_loads(uint8_t *b, size_t n, const struct kx_crash_info *ci, uint64_t backup)
{
	struct phdr p = { .type = PT_LOAD, .flags = PF_RWX };
	size_t i;

	if (ci->kern_size) {
		p.offset = p.paddr = ci->kern_paddr;
		p.vaddr = ci->kern_vaddr;
		p.size = ci->kern_size;
		put_phdr(b, n++, &p);
	}
	for (i = 0; i < ci->nr_mem; i++) {
		const struct kx_range *r = &ci->mem[i];

		if (r->type != KX_MEM_RAM)
			continue;
		p.paddr = p.offset = r->start;
		p.vaddr = ci->page_offset + r->start;
		p.size = r->end - r->start + 1;
		/* the crash kernel reuses this range: its old contents are in the copy */
		if (backup && r->start == ci->backup_src && p.size == ci->backup_size)
			p.offset = backup;
		put_phdr(b, n++, &p);
	}
	return n;
}

uint64_t kx_crash_vmcore_size(const void *hdr, size_t len)
{
	const uint8_t *b = hdr;
	size_t phnum, i, loads = 0;
	uint64_t mem = 0;

	if (len < EHDR_SIZE)
		return 0;
	phnum = kx_get16(b, 56);
	if (kx_get64(b, 32) != EHDR_SIZE || phnum > (len - EHDR_SIZE) / PHDR_SIZE)
		return 0;
	for (i = 0; i < phnum; i++) {
		const uint8_t *p = b + EHDR_SIZE + i * PHDR_SIZE;
		uint64_t off = kx_get64(p, 8), size = kx_get64(p, 40);

		if (kx_get32(p, 0) != PT_LOAD)
			continue;
		loads++;
		/* fs/proc/vmcore.c: each PT_LOAD is read as the whole pages it touches */
		mem += KX_ALIGN_UP(off + size, KX_PAGE_SIZE) - KX_ALIGN_DOWN(off, KX_PAGE_SIZE);
	}
	/* the PT_NOTEs merge into one, all program headers then fill whole pages */
	return KX_ALIGN_UP(EHDR_SIZE + (loads + 1) * PHDR_SIZE, KX_PAGE_SIZE) + mem;
}

int kx_crash_elf64(struct kx_ctx *ctx, const struct kx_crash_info *ci, uint64_t backup,
		   struct kx_crash_elf *out)
{
	size_t phnum = count_phdrs(ci), n;

	memset(out, 0, sizeof(*out));
	if (phnum >= 0xffff)	/* PN_XNUM: would need section headers */
		return kx_fail(ctx, -E2BIG, "the kdump header would need %zu program headers; "
			       "ELF allows 65534 without section headers", phnum);
	if (!ci->nr_notes && !ci->have_vmcoreinfo)
		kx_dbg(ctx, "kdump: no CPU notes and no vmcoreinfo note");
	out->len = KX_ALIGN_UP(EHDR_SIZE + phnum * PHDR_SIZE, HDR_ALIGN);
	out->buf = calloc(1, out->len);
	if (!out->buf)
		return kx_fail(ctx, -ENOMEM, "out of memory");
	put_ehdr(out->buf, phnum);
	out->nr_notes = put_notes(out->buf, ci);
	n = put_loads(out->buf, out->nr_notes, ci, backup);
	out->nr_loads = n - out->nr_notes;
	out->vmcore_size = kx_crash_vmcore_size(out->buf, out->len);
	return 0;
}

void kx_crash_elf_free(struct kx_crash_elf *e)
{
	free(e->buf);
	e->buf = NULL;
}
