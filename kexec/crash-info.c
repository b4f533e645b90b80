// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The facts a kdump header is built from, read the way kexec-tools reads
 * them (kexec/arch/i386/crashdump-x86.c get_crash_memory_ranges,
 * get_backup_area, get_kernel_paddr, get_kernel_vaddr_and_size;
 * kexec/crashdump.c get_crash_notes_per_cpu, get_vmcoreinfo).
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/ctx.h"
#include "base/iface.h"
#include "base/io.h"
#include "base/parse.h"
#include "base/read.h"
#include "base/sysroot.h"
#include "kexec/abi.h"
#include "kexec/crash.h"

#define BACKUP_SRC_END		0xa0000UL	/* the backup source ends at or below 640 KiB */
#define KCORE_HEADERS		(64 * 1024)	/* kexec-tools' KCORE_ELF_HEADERS_SIZE */
#define PUD_MASK		(~((1ULL << 30) - 1))
#define KERN_VADDR_ALIGN	0x100000ULL	/* kexec-tools aligns the text start to 1 MiB */
#define START_KERNEL_MAP	0xffffffff80000000ULL	/* __START_KERNEL_map */
#define KERNEL_TEXT_SIZE	(512ULL << 20)	/* kexec-tools' X86_64_KERNEL_TEXT_SIZE */
#define KALLSYMS_LINE		(64 * 1024)

/* ------------------------------------------------------------ /proc/iomem */

struct iomem_scan {
	struct kx_ctx *ctx;
	struct kx_crash_info *ci;
	size_t cap;
	bool full, gart, kernel_code, any_addr;
	uint64_t gart_start, gart_end;
};

/* The types kexec-tools keeps, by name: "System RAM" anywhere in it, the rest exactly. */
static int crash_type(const char *name, enum kx_mem_type *t)
{
	static const struct { const char *name; enum kx_mem_type type; } exact[] = {
		{ "ACPI Tables", KX_MEM_ACPI },
		{ "ACPI Non-volatile Storage", KX_MEM_NVS },
		{ "Persistent Memory (legacy)", KX_MEM_PRAM },
		{ "Persistent Memory", KX_MEM_PMEM },
		{ "reserved", KX_MEM_RESERVED },
		{ "Reserved", KX_MEM_RESERVED },
	};
	size_t i;

	/* also "System RAM (kmem)" under Persistent Memory and "System RAM (virtio_mem)" */
	if (strstr(name, "System RAM")) {
		*t = KX_MEM_RAM;
		return 0;
	}
	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
		if (strcmp(name, exact[i].name) == 0) {
			*t = exact[i].type;
			return 0;
		}
	}
	return -ENOENT;
}

static int add_mem(struct iomem_scan *s, uint64_t start, uint64_t end, enum kx_mem_type t)
{
	struct kx_crash_info *ci = s->ci;

	if (ci->nr_mem == KX_CRASH_MAX_RANGES) {
		s->full = true;		/* kexec-tools stops reading here, silently */
		return 0;
	}
	if (ci->nr_mem == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct kx_range *m = realloc(ci->mem, cap * sizeof(*m));

		if (!m)
			return kx_fail(s->ctx, -ENOMEM, "out of memory");
		ci->mem = m;
		s->cap = cap;
	}
	ci->mem[ci->nr_mem++] = (struct kx_range){ start, end, t };
	return 0;
}

static int add_reserved(struct iomem_scan *s, uint64_t start, uint64_t end)
{
	struct kx_crash_info *ci = s->ci;

	if (end <= start)
		return 0;
	if (ci->nr_reserved == KX_CRASH_MAX_RESERVED)
		return kx_fail(s->ctx, -E2BIG, "%s: more than %d \"Crash kernel\" ranges",
			       kx_if(KX_IF_IOMEM), KX_CRASH_MAX_RESERVED);
	ci->reserved[ci->nr_reserved++] = (struct kx_range){ start, end, KX_MEM_RAM };
	return 0;
}

static int iomem_line(void *data, uint64_t start, uint64_t end, const char *name, int depth)
{
	struct iomem_scan *s = data;
	enum kx_mem_type t;

	s->any_addr |= start || end;
	if (strcmp(name, "Crash kernel") == 0)
		return add_reserved(s, start, end);
	if (strcmp(name, "GART") == 0) {
		s->gart = true;		/* the last one, as kexec-tools keeps it */
		s->gart_start = start;
		s->gart_end = end;
		return 0;
	}
	if (strcmp(name, "Kernel code") == 0 && !s->kernel_code) {
		s->kernel_code = true;
		s->ci->kern_paddr = start;
		return 0;
	}
	if (s->full || crash_type(name, &t) < 0)
		return 0;
	return add_mem(s, start, end, t);
}

/*
 * Take [start, end] out of every range: trimmed, split (the upper piece
 * inserted after the lower) or dropped.
 */
static int exclude(struct iomem_scan *s, uint64_t start, uint64_t end)
{
	struct kx_crash_info *ci = s->ci;
	size_t i;

	for (i = 0; i < ci->nr_mem; i++) {
		struct kx_range *r = &ci->mem[i];
		struct kx_range upper = *r;

		if (start > r->end || end < r->start)
			continue;
		if (start <= r->start && end >= r->end) {
			memmove(r, r + 1, (ci->nr_mem - i - 1) * sizeof(*r));
			ci->nr_mem--;
			i--;
		} else if (start > r->start && end < r->end) {
			int rc;

			r->end = start - 1;
			upper.start = end + 1;
			rc = add_mem(s, 0, 0, KX_MEM_RAM);	/* room for one more */
			if (rc < 0)
				return rc;
			if (s->full)
				return kx_fail(s->ctx, -E2BIG, "%s: more than %d memory ranges "
					       "once the crash kernel reservation is taken out",
					       kx_if(KX_IF_IOMEM), KX_CRASH_MAX_RANGES);
			r = &ci->mem[i];
			memmove(r + 2, r + 1, (ci->nr_mem - i - 2) * sizeof(*r));
			r[1] = upper;
			i++;
		} else if (start > r->start) {
			r->end = start - 1;
		} else {
			r->start = end + 1;
		}
	}
	return 0;
}

/* The first RAM range that ends at or below 640 KiB (kexec-tools' get_backup_area). */
static void backup_source(struct kx_crash_info *ci)
{
	size_t i;

	for (i = 0; i < ci->nr_mem; i++) {
		if (ci->mem[i].type != KX_MEM_RAM || ci->mem[i].end > BACKUP_SRC_END)
			continue;
		ci->backup_src = ci->mem[i].start;
		ci->backup_size = ci->mem[i].end - ci->mem[i].start + 1;
		return;
	}
	ci->backup_src = 0;
	ci->backup_size = BACKUP_SRC_END;
}

static int read_iomem(struct kx_ctx *ctx, struct kx_crash_info *ci)
{
	struct iomem_scan s = { .ctx = ctx, .ci = ci };
	const char *path = kx_if(KX_IF_IOMEM);
	size_t i;
	int rc;

	rc = kx_iomem_walk(ctx, iomem_line, &s);
	if (rc < 0)
		return rc;
	if (!s.any_addr)
		return kx_fail(ctx, -EACCES, "%s shows no addresses (it reads as zeros unless you "
			       "are root)", path);
	if (!ci->nr_reserved)
		return kx_fail(ctx, -ENOENT, "%s has no \"Crash kernel\" range: boot with "
			       "crashkernel=", path);
	if (!s.kernel_code)
		return kx_fail(ctx, -ENOENT, "Cannot determine kernel physical load addr: %s "
			       "has no \"Kernel code\" line", path);
	if (s.full)
		kx_dbg(ctx, "%s: only the first %d memory ranges are used", path,
		       KX_CRASH_MAX_RANGES);
	for (i = 0; i < ci->nr_reserved; i++) {
		rc = exclude(&s, ci->reserved[i].start, ci->reserved[i].end);
		if (rc < 0)
			return rc;
	}
	if (s.gart && (rc = exclude(&s, s.gart_start, s.gart_end)) < 0)
		return rc;
	backup_source(ci);
	return 0;
}

/* ------------------------------------------------------------ CPU notes */

/* The highest possible CPU + 1, from "0-3,8" (or the cpuN directories without it). */
static int possible_cpus(struct kx_ctx *ctx, unsigned int *n)
{
	char *buf, *tok, *save = NULL;
	int rc;

	rc = kx_sysroot_read(ctx->root, kx_if(KX_IF_CPU_POSSIBLE), 4096, &buf, NULL);
	if (rc < 0)
		return rc;
	*n = 0;
	kx_chomp(buf);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		uint64_t last;

		if (dash)
			tok = dash + 1;
		if (kx_parse_u64(tok, 10, &last) < 0 || last > 65535) {
			free(buf);
			return kx_fail(ctx, -EINVAL, "%s: expected CPU ranges such as 0-3, "
				       "found '%s'", kx_if(KX_IF_CPU_POSSIBLE), tok);
		}
		if (last + 1 > *n)
			*n = (unsigned int)last + 1;
	}
	free(buf);
	return 0;
}

static int cpu_dirs(struct kx_ctx *ctx, unsigned int *n)
{
	struct dirent *de;
	DIR *dir;
	int rc;

	rc = kx_sysroot_opendir(ctx->root, kx_if(KX_IF_CPU_DIR), &dir);
	if (rc < 0)
		return kx_fail(ctx, rc, "cannot read %s: %s", kx_if(KX_IF_CPU_DIR), strerror(-rc));
	*n = 0;
	while ((de = readdir(dir)) != NULL) {
		uint64_t cpu;

		if (strncmp(de->d_name, "cpu", 3) == 0 && isdigit((unsigned char)de->d_name[3]) &&
		    kx_parse_u64(de->d_name + 3, 10, &cpu) == 0 && cpu < 65536 && cpu + 1 > *n)
			*n = (unsigned int)cpu + 1;
	}
	closedir(dir);
	return 0;
}

static int read_note(struct kx_ctx *ctx, unsigned int cpu, struct kx_crash_note *note)
{
	char path[128];
	int rc;

	kx_if_fmt(path, sizeof(path), KX_IF_CPU_CRASH_NOTES, cpu);
	rc = kx_read_u64(ctx, path, 16, &note->addr);
	if (rc < 0)
		return rc;
	note->cpu = cpu;
	kx_if_fmt(path, sizeof(path), KX_IF_CPU_CRASH_NOTES_SIZE, cpu);
	rc = kx_read_u64(ctx, path, 10, &note->size);
	if (rc == -ENOENT) {	/* kernels before crash_notes_size: kexec-tools' default */
		kx_clear_err(ctx);
		note->size = KX_CRASH_NOTE_DEFAULT;
		rc = 0;
	}
	return rc;
}

/* Every possible CPU that has a crash_notes file; a missing one is skipped. */
static int read_notes(struct kx_ctx *ctx, struct kx_crash_info *ci)
{
	struct stat st;
	unsigned int n = 0, cpu;
	int rc;

	if (kx_sysroot_stat(ctx->root, kx_if(KX_IF_SYSFS_DEVICES), &st) < 0)
		return kx_fail(ctx, -ENOENT, "%s does not exist: sysfs does not seem to be mounted",
			       kx_if(KX_IF_SYSFS_DEVICES));
	rc = possible_cpus(ctx, &n);
	if (rc == -ENOENT) {
		kx_clear_err(ctx);
		rc = cpu_dirs(ctx, &n);
	}
	if (rc < 0)
		return rc;
	ci->notes = calloc(n ? n : 1, sizeof(*ci->notes));
	if (!ci->notes)
		return kx_fail(ctx, -ENOMEM, "out of memory");
	for (cpu = 0; cpu < n; cpu++) {
		rc = read_note(ctx, cpu, &ci->notes[ci->nr_notes]);
		if (rc == -ENOENT) {	/* not present */
			kx_clear_err(ctx);
			continue;
		}
		if (rc < 0)
			return rc;
		ci->nr_notes++;
	}
	return 0;
}

/* "<addr> <size>", both hex (kernel/ksysfs.c vmcoreinfo_show); absent is no note. */
static int read_vmcoreinfo(struct kx_ctx *ctx, struct kx_crash_info *ci)
{
	const char *path = kx_if(KX_IF_VMCOREINFO);
	char *buf, *sp;
	int rc;

	rc = kx_sysroot_read(ctx->root, path, 4096, &buf, NULL);
	if (rc < 0) {
		kx_dbg(ctx, "cannot read %s (%s): no vmcoreinfo note in the header", path,
		       strerror(-rc));
		return 0;
	}
	kx_chomp(buf);
	sp = strchr(buf, ' ');
	if (sp)
		*sp++ = '\0';
	if (!sp || kx_parse_u64(buf, 16, &ci->vmcoreinfo_addr) < 0 ||
	    kx_parse_u64(sp, 16, &ci->vmcoreinfo_size) < 0 || !ci->vmcoreinfo_size) {
		rc = kx_fail(ctx, -EINVAL, "%s: expected '<address> <size>' in hex, found '%s%s%s'",
			     path, buf, sp ? " " : "", sp ? sp : "");
		free(buf);
		return rc;
	}
	free(buf);
	ci->have_vmcoreinfo = true;
	return 0;
}

/* ------------------------------------------------------------ kernel text */

struct sym_scan {
	const char *name;
	uint64_t addr;
};

/* "<address> <type> <name>[\t[module]]": module symbols end the scan. */
static int sym_line(void *arg, char *line, size_t len, bool last)
{
	struct sym_scan *s = arg;
	char *sp = strchr(line, ' ');

	if (!sp || strlen(sp) < 4 || sp[2] != ' ' || strchr(sp + 3, '\t'))
		return 1;
	if (strcmp(sp + 3, s->name) != 0)
		return 0;
	*sp = '\0';
	return kx_parse_u64(line, 16, &s->addr) == 0 ? 1 : 0;
}

/* The address of @name in /proc/kallsyms; 0 when unknown (hidden addresses read 0). */
static uint64_t kallsyms_addr(struct kx_ctx *ctx, const char *name)
{
	const struct kx_lines how = { .max_line = KALLSYMS_LINE };
	struct sym_scan s = { .name = name, .addr = 0 };
	int fd = kx_sysroot_open(ctx->root, kx_if(KX_IF_KALLSYMS), O_RDONLY);

	if (fd < 0)
		return 0;
	kx_read_lines(fd, &how, sym_line, &s);
	close(fd);
	return s.addr;
}

/* The first 64 KiB of /proc/kcore: its ELF header and program headers. */
static int read_kcore(struct kx_ctx *ctx, uint8_t *buf, size_t *len)
{
	const char *path = kx_if(KX_IF_KCORE);
	int fd = kx_sysroot_open(ctx->root, path, O_RDONLY);
	ssize_t n = 0;

	if (fd < 0)
		return kx_fail(ctx, fd, "Cannot read %s: %s (a kdump header through kexec_load "
			       "needs its program headers: root with CAP_SYS_RAWIO, "
			       "CONFIG_PROC_KCORE, no lockdown)", path, strerror(-fd));
	*len = 0;
	while (*len < KCORE_HEADERS && (n = kx_read(fd, buf + *len, KCORE_HEADERS - *len)) > 0)
		*len += (size_t)n;
	close(fd);
	if (n < 0)
		return kx_fail(ctx, (int)n, "Cannot read %s: %s", path, strerror((int)-n));
	return 0;
}

struct kcore {
	const uint8_t *ph;
	size_t phnum;
};

static int parse_kcore(struct kx_ctx *ctx, const uint8_t *buf, size_t len, struct kcore *k)
{
	uint64_t phoff;

	if (len < 64 || memcmp(buf, "\177ELF", 4) != 0 || buf[4] != 2 || buf[5] != 1 ||
	    kx_get16(buf, 54) != 56)
		return kx_fail(ctx, -ENOEXEC, "ELF core (kcore) parse failed: %s is not a "
			       "little-endian ELF64 core", kx_if(KX_IF_KCORE));
	phoff = kx_get64(buf, 32);
	k->phnum = kx_get16(buf, 56);
	if (phoff > len || k->phnum > (len - phoff) / 56)
		return kx_fail(ctx, -ENOEXEC, "ELF core (kcore) parse failed: the program headers "
			       "of %s do not fit in its first %zu bytes", kx_if(KX_IF_KCORE), len);
	k->ph = buf + phoff;
	return 0;
}

#define PH_TYPE(p)	kx_get32(p, 0)
#define PH_VADDR(p)	kx_get64(p, 16)
#define PH_MEMSZ(p)	kx_get64(p, 40)
#define PT_LOAD_TYPE	1

/* The text mapping: [start aligned down to 1 MiB, end rounded up to a page). */
static void set_text(struct kx_crash_info *ci, const uint8_t *p)
{
	uint64_t start = KX_ALIGN_DOWN(PH_VADDR(p), KERN_VADDR_ALIGN);

	ci->kern_vaddr = start;
	ci->kern_size = KX_ALIGN_UP(PH_VADDR(p) + PH_MEMSZ(p) - start, KX_PAGE_SIZE);
}

/*
 * The direct map base: the lowest PT_LOAD address rounded down to 1 GiB
 * (page_offset_base is PUD aligned under KASLR).  The text mapping: the
 * PT_LOAD holding _stext, else one inside the kernel text area.
 */
static int kcore_facts(struct kx_ctx *ctx, struct kx_crash_info *ci, const struct kcore *k,
		       uint64_t stext)
{
	uint64_t lowest = 0;
	size_t i;

	ci->page_offset = 0xffff888000000000ULL;	/* the 4.20+ default without KASLR */
	for (i = 0; i < k->phnum; i++) {
		const uint8_t *p = k->ph + i * 56;
		uint64_t v = PH_VADDR(p) & PUD_MASK;

		if (PH_TYPE(p) == PT_LOAD_TYPE && (!lowest || v < lowest))
			lowest = v;
	}
	if (lowest)
		ci->page_offset = lowest;
	for (i = 0; stext && i < k->phnum; i++) {
		const uint8_t *p = k->ph + i * 56;

		if (PH_TYPE(p) == PT_LOAD_TYPE && PH_VADDR(p) <= stext &&
		    PH_VADDR(p) + PH_MEMSZ(p) > stext) {
			set_text(ci, p);
			return 0;
		}
	}
	for (i = 0; i < k->phnum; i++) {
		const uint8_t *p = k->ph + i * 56;

		if (PH_TYPE(p) == PT_LOAD_TYPE && PH_VADDR(p) >= START_KERNEL_MAP &&
		    PH_VADDR(p) + PH_MEMSZ(p) <= START_KERNEL_MAP + KERNEL_TEXT_SIZE) {
			set_text(ci, p);
			return 0;
		}
	}
	return kx_fail(ctx, -ENOENT, "Can't find kernel text map area from kcore: no program "
		       "header of %s holds _stext (0x%llx)", kx_if(KX_IF_KCORE),
		       (unsigned long long)stext);
}

static int read_kernel_text(struct kx_ctx *ctx, struct kx_crash_info *ci)
{
	uint8_t *buf = malloc(KCORE_HEADERS);
	struct kcore k = { NULL, 0 };
	size_t len = 0;
	int rc;

	if (!buf)
		return kx_fail(ctx, -ENOMEM, "out of memory");
	rc = read_kcore(ctx, buf, &len);
	if (!rc)
		rc = parse_kcore(ctx, buf, len, &k);
	if (!rc)
		rc = kcore_facts(ctx, ci, &k, kallsyms_addr(ctx, "_stext"));
	free(buf);
	return rc;
}

/* ------------------------------------------------------------ all of it */

int kx_crash_info_read(struct kx_ctx *ctx, struct kx_crash_info *ci)
{
	int rc;

	memset(ci, 0, sizeof(*ci));
	rc = read_iomem(ctx, ci);
	if (!rc)
		rc = read_notes(ctx, ci);
	if (!rc)
		rc = read_vmcoreinfo(ctx, ci);
	if (!rc)
		rc = read_kernel_text(ctx, ci);
	if (rc)
		return rc;
	kx_dbg(ctx, "kdump: %zu memory ranges, %zu reservations, %zu CPU notes, vmcoreinfo %s, "
	       "direct map at 0x%llx, kernel text 0x%llx-0x%llx at 0x%llx, backup source "
	       "0x%llx+0x%llx", ci->nr_mem, ci->nr_reserved, ci->nr_notes,
	       ci->have_vmcoreinfo ? "yes" : "no", (unsigned long long)ci->page_offset,
	       (unsigned long long)ci->kern_vaddr,
	       (unsigned long long)(ci->kern_vaddr + ci->kern_size),
	       (unsigned long long)ci->kern_paddr, (unsigned long long)ci->backup_src,
	       (unsigned long long)ci->backup_size);
	return 0;
}

void kx_crash_info_free(struct kx_crash_info *ci)
{
	free(ci->mem);
	free(ci->notes);
	ci->mem = NULL;
	ci->notes = NULL;
	ci->nr_mem = ci->nr_notes = 0;
}

/* ------------------------------------------------------------ the reservation */

static int reserved_line(void *data, uint64_t start, uint64_t end, const char *name, int depth)
{
	struct kx_range *best = data;

	if (strcmp(name, "Crash kernel") != 0 || end <= start)
		return 0;
	if (best->type != KX_MEM_RAM || start > best->start)
		*best = (struct kx_range){ start, end, KX_MEM_RAM };
	return 0;
}

int kx_crash_range(struct kx_ctx *ctx, struct kx_range *out)
{
	struct kx_range best = { 0, 0, KX_MEM_RESERVED };
	int rc = kx_iomem_walk(ctx, reserved_line, &best);

	if (rc < 0)
		return rc;
	if (best.type != KX_MEM_RAM)
		return -ENOENT;
	*out = best;
	return 0;
}

/* ------------------------------------------------------------ hotplug */

int kx_crash_hotplug_size(struct kx_ctx *ctx, uint64_t *size)
{
	const char *path = kx_if(KX_IF_CRASH_ELFCOREHDR_SIZE);
	int rc = kx_read_u64(ctx, path, 0, size);

	if (rc == -ENOENT)
		return kx_fail(ctx, rc, "Path %s does not exist, the kernel needs "
			       "CONFIG_CRASH_HOTPLUG (Linux 6.6 or later)", path);
	if (rc == 0 && !*size)
		return kx_fail(ctx, -EINVAL, "%s is 0: the kernel cannot update a kdump header "
			       "loaded through kexec_load", path);
	return rc;
}

int kx_crash_hotplug_state(struct kx_ctx *ctx)
{
	static const enum kx_if files[] = { KX_IF_CPU_CRASH_HOTPLUG, KX_IF_MEMORY_CRASH_HOTPLUG };
	uint64_t v;
	size_t i;
	int rc, state = 1;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		rc = kx_read_u64(ctx, kx_if(files[i]), 10, &v);
		if (rc < 0)
			return rc;
		state &= v == 1;
	}
	return state;
}
