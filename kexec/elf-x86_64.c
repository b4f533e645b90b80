// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec_load of an ELF64 x86_64 vmlinux, as kexec-tools' elf-x86_64 type
 * does with --args-linux (kexec/arch/x86_64/kexec-elf-x86_64.c): every
 * PT_LOAD becomes a segment at its physical address p_paddr (p_filesz bytes
 * from the file, p_memsz in memory), the purgatory enters the kernel at
 * e_entry (phys_startup_64, arch/x86/kernel/vmlinux.lds.S) with rsi = the
 * boot parameters.  A vmlinux has no setup header, so the boot parameters
 * get one made up here: boot protocol 2.15, a 2048-byte command line
 * (COMMAND_LINE_SIZE, arch/x86/include/asm/setup.h), no EFI handover (the
 * image cannot say that it takes one), everything below 4 GiB.
 * kexec_file_load has no ELF loader on x86 (only bzImage64,
 * arch/x86/kernel/machine_kexec_64.c): see kx_elf_x86_64_file_refusal().
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/bzimage.h"
#include "base/ctx.h"
#include "kexec/abi.h"
#include "kexec/boot64.h"
#include "kexec/image.h"
#include "kexec/load.h"
#include "kexec/plan.h"

/* ELF64 header and program header fields (the System V ABI, elf(5)). */
#define EI_CLASS	4
#define EI_DATA		5
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define E_TYPE		16
#define E_MACHINE	18
#define E_ENTRY		24
#define E_PHOFF		32
#define E_PHENTSIZE	54
#define E_PHNUM		56
#define EHDR_SIZE	64
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62
#define PHDR_SIZE	56
#define P_TYPE		0
#define P_OFFSET	8
#define P_PADDR		24
#define P_FILESZ	32
#define P_MEMSZ		40
#define PT_LOAD		1
#define PT_INTERP	3
#define MAX_PHNUM	256

#define BELOW_4G		0xffffffffULL
#define ELF_CMDLINE_SIZE	2048
#define FAKE_HEADER_END		0x26c	/* a 2.15 setup header ends after kernel_info_offset */

/* At most this many kernel segments: the purgatory, zero page and initrd need three more. */
#define MAX_LOADS	(KX_MAX_SEGMENTS - 3)

struct elf_load {
	uint64_t off, paddr, filesz, memsz;
};

struct elf_img {
	const uint8_t *data;
	uint64_t entry;
	unsigned int nload;
	struct elf_load load[MAX_LOADS];
};

/* Every refusal names the file and what this reader takes. */
#define reject(ctx, name, ...) \
	kx_reject_image(ctx, name, "an ELF64 x86_64 vmlinux", __VA_ARGS__)

bool kx_elf_magic(const void *data, size_t size)
{
	return size >= 4 && memcmp(data, "\177ELF", 4) == 0;
}

static int check_ehdr(struct kx_ctx *ctx, const char *name, const uint8_t *d, size_t size)
{
	uint64_t phoff;
	uint16_t phnum;

	if (!kx_elf_magic(d, size) || size < EHDR_SIZE)
		return reject(ctx, name, "no ELF header");
	phoff = kx_get64(d, E_PHOFF);
	phnum = kx_get16(d, E_PHNUM);
	if (d[EI_CLASS] != ELFCLASS64 || d[EI_DATA] != ELFDATA2LSB)
		return reject(ctx, name, "it is not a 64-bit little-endian ELF file");
	if (kx_get16(d, E_MACHINE) != EM_X86_64)
		return reject(ctx, name, "its machine is %u, not x86_64 (62)",
			      kx_get16(d, E_MACHINE));
	if (kx_get16(d, E_TYPE) != ET_EXEC)
		return reject(ctx, name, "ELF type %u is not an executable (a vmlinux is "
			      "ET_EXEC)%s",
			      kx_get16(d, E_TYPE),
			      kx_get16(d, E_TYPE) == ET_DYN ? "; position-independent ELF is not "
			      "supported" : "");
	if (kx_get16(d, E_PHENTSIZE) != PHDR_SIZE || phnum == 0 || phnum > MAX_PHNUM)
		return reject(ctx, name, "%u program headers of %u bytes; expected 1 to %d of %d",
			      phnum, kx_get16(d, E_PHENTSIZE), MAX_PHNUM, PHDR_SIZE);
	if (phoff > size || (uint64_t)phnum * PHDR_SIZE > size - phoff)
		return reject(ctx, name, "the program headers (%u at 0x%llx) run past the end of "
			      "the %zu-byte file", phnum, (unsigned long long)phoff, size);
	return 0;
}

static int add_load(struct kx_ctx *ctx, const char *name, struct elf_img *e, unsigned int i,
		    const uint8_t *ph, size_t size)
{
	struct elf_load l = {
		.off = kx_get64(ph, P_OFFSET), .paddr = kx_get64(ph, P_PADDR),
		.filesz = kx_get64(ph, P_FILESZ), .memsz = kx_get64(ph, P_MEMSZ),
	};
	unsigned int j;

	if (l.memsz == 0)
		return 0;
	if (l.filesz > l.memsz)
		return reject(ctx, name, "program header %u has more file bytes (0x%llx) than "
			      "memory (0x%llx)", i, (unsigned long long)l.filesz,
			      (unsigned long long)l.memsz);
	if (l.off > size || l.filesz > size - l.off)
		return reject(ctx, name, "program header %u: 0x%llx bytes at 0x%llx run past the "
			      "end of the %zu-byte file", i, (unsigned long long)l.filesz,
			      (unsigned long long)l.off, size);
	if (l.paddr & (KX_PAGE_SIZE - 1) || l.paddr + l.memsz < l.paddr ||
	    l.paddr + l.memsz > UINT64_MAX - KX_PAGE_SIZE)
		return reject(ctx, name, "program header %u: physical address 0x%llx "
			      "(0x%llx bytes) is not page aligned or overflows", i, (unsigned long long)l.paddr,
			      (unsigned long long)l.memsz);
	for (j = 0; j < e->nload; j++)
		if (l.paddr < e->load[j].paddr + e->load[j].memsz &&
		    e->load[j].paddr < l.paddr + l.memsz)
			return reject(ctx, name, "two loadable segments overlap at physical 0x%llx",
				      (unsigned long long)l.paddr);
	if (e->nload == MAX_LOADS)
		return reject(ctx, name, "more than %d loadable segments (kexec_load takes %d "
			      "segments in all)", MAX_LOADS, KX_MAX_SEGMENTS);
	e->load[e->nload++] = l;
	return 0;
}

static int elf_parse(struct kx_ctx *ctx, const char *name, const void *data, size_t size,
		     struct elf_img *e)
{
	const uint8_t *d = data;
	unsigned int i;
	bool entry_ok = false;
	int rc;

	memset(e, 0, sizeof(*e));
	rc = check_ehdr(ctx, name, d, size);
	if (rc < 0)
		return rc;
	e->data = d;
	e->entry = kx_get64(d, E_ENTRY);
	for (i = 0; i < kx_get16(d, E_PHNUM); i++) {
		const uint8_t *ph = d + kx_get64(d, E_PHOFF) + (uint64_t)i * PHDR_SIZE;

		if (kx_get32(ph, P_TYPE) == PT_INTERP)
			return reject(ctx, name, "it has an interpreter (PT_INTERP): a user-space "
				      "program, not a kernel");
		if (kx_get32(ph, P_TYPE) != PT_LOAD)
			continue;
		rc = add_load(ctx, name, e, i, ph, size);
		if (rc < 0)
			return rc;
	}
	if (!e->nload)
		return reject(ctx, name, "it has no loadable segment (PT_LOAD)");
	for (i = 0; i < e->nload; i++)
		entry_ok |= e->entry >= e->load[i].paddr &&
			    e->entry < e->load[i].paddr + e->load[i].memsz;
	if (!entry_ok)
		return reject(ctx, name, "the entry point 0x%llx is in none of its loadable "
			      "segments", (unsigned long long)e->entry);
	return 0;
}

int kx_elf_x86_64_probe(struct kx_ctx *ctx, const char *name, const void *data, size_t size)
{
	struct elf_img e;

	return elf_parse(ctx, name, data, size, &e);
}

struct elf_state {
	struct elf_img img;
	uint8_t hdr[KX_BZ_HEADER_MAX];	/* the made-up setup header */
	struct kx_bzimage bz;
	struct kx_boot64 boot;
};

/* A setup header for the boot parameters: what a 2.15 bzImage would say about itself. */
static void fake_header(struct elf_state *s)
{
	uint8_t *h = s->hdr;

	kx_put16(h, KX_BZ_BOOT_FLAG, 0xAA55);
	h[KX_BZ_JUMP + 1] = FAKE_HEADER_END - KX_BZ_HEADER;
	memcpy(h + KX_BZ_HEADER, "HdrS", 4);
	kx_put16(h, KX_BZ_VERSION, 0x020f);
	h[KX_BZ_LOADFLAGS] = KX_LOADED_HIGH;
	kx_put32(h, KX_BZ_INITRD_ADDR_MAX, (uint32_t)BELOW_4G);
	kx_put16(h, KX_BZ_XLOADFLAGS, KX_XLF_KERNEL_64 | KX_XLF_CAN_BE_LOADED_ABOVE_4G);
	kx_put32(h, KX_BZ_CMDLINE_SIZE, ELF_CMDLINE_SIZE);
	s->bz.data = h;
	s->bz.size = sizeof(s->hdr);
	s->bz.header_end = FAKE_HEADER_END;
	s->bz.protocol = 0x020f;
	s->bz.loadflags = KX_LOADED_HIGH;
	s->bz.xloadflags = KX_XLF_KERNEL_64 | KX_XLF_CAN_BE_LOADED_ABOVE_4G;
	s->bz.cmdline_size = ELF_CMDLINE_SIZE;
}

/* Each PT_LOAD exactly at its physical address. */
static int place_loads(struct kx_classic *st, struct elf_state *s)
{
	unsigned int i;
	uint64_t addr;
	int rc;

	for (i = 0; i < s->img.nload; i++) {
		const struct elf_load *l = &s->img.load[i];
		struct kx_place pl = {
			.what = "kernel",
			.buf = s->img.data + l->off,
			.bufsz = l->filesz,
			.memsz = l->memsz,
			.min = l->paddr,
			.max = l->paddr + KX_ALIGN_UP(l->memsz, KX_PAGE_SIZE) - 1,
		};

		rc = kx_plan_place(st->ctx, &st->plan, st->map, st->mem_min, st->mem_max, &pl,
				   &addr);
		if (rc < 0) {
			kx_fail_prefix(st->ctx, "the vmlinux must go exactly where its program "
				       "headers say: ");
			return rc;
		}
	}
	return 0;
}

int kx_elf_x86_64_load(struct kx_classic *st)
{
	struct elf_state *s = calloc(1, sizeof(*s));
	int rc;

	st->loader_data = s;
	if (!s)
		return -ENOMEM;
	rc = elf_parse(st->ctx, st->req->kernel, st->kernel.data, st->kernel.size, &s->img);
	if (rc < 0)
		return rc;
	fake_header(s);
	rc = place_loads(st, s);
	if (!rc)
		rc = kx_boot64_purgatory(st, &s->boot);
	if (!rc)
		rc = kx_boot64_params(st, &s->boot, &s->bz, BELOW_4G);
	if (!rc)
		rc = kx_boot64_initrd(st, &s->boot, st->initrd.data, st->initrd.size, BELOW_4G);
	if (!rc)
		rc = kx_boot64_finish(st, &s->boot, &s->bz, s->img.entry);
	return rc;
}

void kx_elf_x86_64_cleanup(struct kx_classic *st)
{
	struct elf_state *s = st->loader_data;

	if (!s)
		return;
	kx_boot64_free(&s->boot);
	free(s);
	st->loader_data = NULL;
}

int kx_elf_x86_64_describe(struct kx_ctx *ctx, const char *name, const void *data, size_t size,
			   char *out, size_t len)
{
	struct elf_img e;
	uint64_t lo = UINT64_MAX, hi = 0;
	unsigned int i;
	int rc;

	rc = elf_parse(ctx, name, data, size, &e);
	if (rc < 0)
		return rc;
	for (i = 0; i < e.nload; i++) {
		uint64_t end = e.load[i].paddr + e.load[i].memsz;

		lo = e.load[i].paddr < lo ? e.load[i].paddr : lo;
		hi = end > hi ? end : hi;
	}
	snprintf(out, len, "%u PT_LOAD segments at their physical addresses 0x%llx-0x%llx, "
		 "entry 0x%llx (e_entry)", e.nload, (unsigned long long)lo,
		 (unsigned long long)hi - 1, (unsigned long long)e.entry);
	return 0;
}
