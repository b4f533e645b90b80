// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the crash kernel is told about memory: its e820 map (what it may use
 * and what it must leave alone), its command line additions, and the check
 * that every segment lies inside the reservation.  The rules are
 * kexec-tools' (kexec/arch/i386/crashdump-x86.c load_crashdump_segments,
 * add_memmap, delete_memmap, cmdline_add_memmap, cmdline_add_elfcorehdr,
 * cmdline_add_efi).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/ctx.h"
#include "base/iface.h"
#include "base/sysroot.h"
#include "kexec/abi.h"
#include "kexec/crash.h"
#include "kexec/ops.h"
#include "kexec/zeropage.h"

#define KIB		1024ULL
#define MEMMAP_MIN_RAM_K	100	/* smaller RAM ranges are not worth a memmap= word */

/* ------------------------------------------------------------ the map */

/*
 * Insert [start, start + size) sorted.  RAM is shrunk inward to 1 KiB (the
 * granularity of memmap=); an entry that overlaps one already there, or one
 * past the table's end, is refused with -EEXIST / -E2BIG.
 */
static int map_add(struct kx_memmap *m, uint64_t start, uint64_t size, enum kx_mem_type t)
{
	uint64_t end = start + size;
	size_t i, at = 0;

	if (t == KX_MEM_RAM) {
		start = KX_ALIGN_UP(start, KIB);
		end = KX_ALIGN_DOWN(end, KIB);
	}
	if (end <= start)
		return -EINVAL;
	if (m->nr == KX_CRASH_MAX_MEMMAP)
		return -E2BIG;
	for (i = 0; i < m->nr; i++) {
		if (m->r[i].start < end && m->r[i].end >= start)
			return -EEXIST;
		if (m->r[i].end < start)
			at = i + 1;
	}
	memmove(&m->r[at + 1], &m->r[at], (m->nr - at) * sizeof(m->r[0]));
	m->r[at] = (struct kx_range){ start, end - 1, t };
	m->nr++;
	return 0;
}

/* Take [start, start + size) out of the entry that holds it all. */
static int map_delete(struct kx_memmap *m, uint64_t start, uint64_t size)
{
	uint64_t end = start + size - 1;
	size_t i;

	for (i = 0; i < m->nr; i++) {
		struct kx_range *r = &m->r[i];

		if (r->start > start || r->end < end)
			continue;
		if (r->start == start && r->end == end) {
			memmove(r, r + 1, (m->nr - i - 1) * sizeof(*r));
			m->nr--;
		} else if (r->start == start) {
			r->start = end + 1;
		} else if (r->end == end) {
			r->end = start - 1;
		} else {
			if (m->nr == KX_CRASH_MAX_MEMMAP)
				return -E2BIG;
			memmove(r + 2, r + 1, (m->nr - i - 1) * sizeof(*r));
			r[1] = (struct kx_range){ end + 1, r->end, r->type };
			r->end = start - 1;
			m->nr++;
		}
		return 0;
	}
	return -ENOENT;
}

static bool seen_by_crash_kernel(enum kx_mem_type t)
{
	return t == KX_MEM_ACPI || t == KX_MEM_NVS || t == KX_MEM_RESERVED || t == KX_MEM_PMEM ||
	       t == KX_MEM_PRAM;
}

int kx_crash_memmap(struct kx_ctx *ctx, const struct kx_crash_info *ci,
		    const struct kx_crash_segs *segs, struct kx_memmap *out)
{
	size_t i;
	int rc;

	out->nr = 0;
	out->source = "the crash kernel's memory map";
	map_add(out, ci->backup_src, ci->backup_size, KX_MEM_RAM);
	for (i = 0; i < ci->nr_reserved; i++) {
		const struct kx_range *r = &ci->reserved[i];

		rc = map_add(out, r->start, r->end - r->start + 1, KX_MEM_RAM);
		if (rc < 0)
			return kx_fail(ctx, rc, "the crash kernel reservation 0x%llx-0x%llx "
				       "overlaps the backup source 0x%llx+0x%llx",
				       (unsigned long long)r->start, (unsigned long long)r->end,
				       (unsigned long long)ci->backup_src,
				       (unsigned long long)ci->backup_size);
	}
	if (segs->backup_memsz && (rc = map_delete(out, segs->backup, segs->backup_memsz)) < 0)
		return kx_fail(ctx, rc, "the backup segment at 0x%llx is not in the crash "
			       "kernel's RAM", (unsigned long long)segs->backup);
	if ((rc = map_delete(out, segs->hdr, segs->hdr_memsz)) < 0)
		return kx_fail(ctx, rc, "the elfcorehdr segment at 0x%llx is not in the crash "
			       "kernel's RAM", (unsigned long long)segs->hdr);
	/* what it must see and leave alone; overlaps and a full table drop
	 * entries silently, as in kexec-tools */
	for (i = 0; i < ci->nr_mem; i++) {
		const struct kx_range *r = &ci->mem[i];

		if (seen_by_crash_kernel(r->type))
			map_add(out, r->start, r->end - r->start + 1, r->type);
	}
	return 0;
}

/* ------------------------------------------------------------ the command line */

static int append(struct kx_ctx *ctx, struct kx_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int append(struct kx_ctx *ctx, struct kx_buf *b, const char *fmt, ...)
{
	size_t was = b->len;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kx_buf_vprintf(b, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return kx_fail(ctx, rc, "out of memory");
	if (b->len > KX_CRASH_CMDLINE_MAX)
		return kx_fail(ctx, -E2BIG, "Command line overflow: the crash kernel's command "
			       "line would be %zu characters with '%s'; the kernel takes %d",
			       b->len, (const char *)b->p + was, KX_CRASH_CMDLINE_MAX);
	return 0;
}

/* memmap=<size>K<@|#|!><start>K for RAM, ACPI and NVS, PRAM (reserved and PMEM never). */
static int add_memmap_words(struct kx_ctx *ctx, struct kx_buf *b, const struct kx_memmap *m)
{
	size_t i;
	int rc;

	rc = append(ctx, b, " memmap=exactmap");
	for (i = 0; !rc && i < m->nr; i++) {
		const struct kx_range *r = &m->r[i];
		uint64_t startk = r->start / KIB, endk = (r->end + 1) / KIB;
		char sep;

		switch (r->type) {
		case KX_MEM_RAM:
			sep = '@';
			break;
		case KX_MEM_ACPI:
		case KX_MEM_NVS:
			sep = '#';
			endk = KX_ALIGN_UP(r->end + 1, KIB) / KIB;
			break;
		case KX_MEM_PRAM:
			sep = '!';
			break;
		default:
			continue;
		}
		if (r->type == KX_MEM_RAM && endk - startk < MEMMAP_MIN_RAM_K)
			continue;
		rc = append(ctx, b, " memmap=%lluK%c%lluK", (unsigned long long)(endk - startk),
			    sep, (unsigned long long)startk);
	}
	return rc;
}

int kx_crash_cmdline(struct kx_ctx *ctx, const char *base, uint64_t rsdp, uint64_t hdr,
		     const struct kx_memmap *memmap, char **out)
{
	struct kx_buf b = KX_BUF_INIT(64 * 1024);
	int rc;

	if (hdr % KIB)
		return kx_fail(ctx, -EINVAL, "the elfcorehdr at 0x%llx is not 1 KiB aligned",
			       (unsigned long long)hdr);
	rc = append(ctx, &b, "%s", base);
	if (!rc && rsdp)
		rc = append(ctx, &b, " acpi_rsdp=0x%llx", (unsigned long long)rsdp);
	if (!rc)
		rc = append(ctx, &b, " elfcorehdr=%lluK", (unsigned long long)(hdr / KIB));
	if (!rc && memmap)
		rc = add_memmap_words(ctx, &b, memmap);
	if (rc) {
		kx_buf_free(&b);
		return rc;
	}
	*out = kx_buf_steal(&b);
	return *out ? 0 : kx_fail(ctx, -ENOMEM, "out of memory");
}

uint64_t kx_crash_acpi_rsdp(struct kx_ctx *ctx, bool efi_kexec, bool noefi)
{
	struct stat st;

	/* an EFI crash kernel finds the RSDP through the EFI tables handed over */
	if (efi_kexec && !noefi &&
	    kx_sysroot_stat(ctx->root, kx_if(KX_IF_EFI_RUNTIME_MAP_DIR), &st) == 0)
		return 0;
	return kx_zp_acpi_rsdp(ctx);
}

/* ------------------------------------------------------------ the check */

int kx_crash_check_plan(struct kx_ctx *ctx, const struct kx_plan *plan,
			const struct kx_range *res)
{
	size_t i;

	for (i = 0; i < plan->nr; i++) {
		const struct kx_plan_seg *s = &plan->seg[i];

		if (s->mem < res->start || s->mem + s->memsz - 1 > res->end)
			return kx_fail(ctx, -EADDRNOTAVAIL, "the %s segment 0x%llx-0x%llx is not "
				       "inside the crash kernel reservation 0x%llx-0x%llx",
				       s->what, (unsigned long long)s->mem,
				       (unsigned long long)(s->mem + s->memsz - 1),
				       (unsigned long long)res->start,
				       (unsigned long long)res->end);
	}
	if (plan->entry < res->start || plan->entry > res->end)
		return kx_fail(ctx, -EADDRNOTAVAIL, "the entry point 0x%llx is not inside the "
			       "crash kernel reservation 0x%llx-0x%llx",
			       (unsigned long long)plan->entry, (unsigned long long)res->start,
			       (unsigned long long)res->end);
	return 0;
}
