// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A crash load through kexec_load, around the image type's plan: segments go
 * into the highest "Crash kernel" reservation only (the kernel refuses
 * anything else with EADDRNOTAVAIL), top-down so that the kernel's control
 * pages find room at its bottom; the backup copy first and the elfcorehdr
 * second, as kexec-tools places them (kexec/arch/i386/crashdump-x86.c
 * load_crashdump_segments).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ctx.h"
#include "kexec/abi.h"
#include "kexec/crash.h"
#include "kexec/image.h"
#include "kexec/load.h"
#include "kexec/plan.h"

#define EHDR_SIZE	64

static int place_top(struct kx_classic *st, const char *what, const void *buf, uint64_t bufsz,
		     uint64_t memsz, uint64_t *addr)
{
	struct kx_place pl = { .what = what, .buf = buf, .bufsz = bufsz, .memsz = memsz,
			       .max = UINT64_MAX, .top_down = true };

	return kx_plan_place(st->ctx, &st->plan, st->map, st->mem_min, st->mem_max, &pl, addr);
}

/* The window: the highest reservation, narrowed further by --mem-min/--mem-max. */
static int set_window(struct kx_classic *st, struct kx_crash *c)
{
	const struct kx_crash_info *ci = &c->info;

	c->res = ci->reserved[ci->nr_reserved - 1];
	st->mem_min = st->req->mem_min > c->res.start ? st->req->mem_min : c->res.start;
	st->mem_max = st->req->mem_max < c->res.end ? st->req->mem_max : c->res.end;
	if (st->mem_min > st->mem_max)
		return kx_fail(st->ctx, -EINVAL, "--mem-min/--mem-max leave nothing of the crash "
			       "kernel reservation 0x%llx-0x%llx",
			       (unsigned long long)c->res.start, (unsigned long long)c->res.end);
	return 0;
}

/* The elfcorehdr's room: 16 KiB at least, or what the kernel needs to rewrite it. */
static uint64_t hdr_memsz(const struct kx_crash *c)
{
	uint64_t memsz = c->elf.len > KX_CRASH_HDR_MIN ? c->elf.len : KX_CRASH_HDR_MIN;
	/* crash_elfcorehdr_size counts program headers only: add the ELF header */
	uint64_t hp = c->hotplug_size ? c->hotplug_size + EHDR_SIZE : 0;

	return KX_ALIGN_UP(hp > memsz ? hp : memsz, KX_PAGE_SIZE);
}

static int place_segments(struct kx_classic *st, struct kx_crash *c)
{
	struct kx_crash_segs *s = &c->segs;
	int rc;

	/* zeros now; the purgatory copies the backup source in after its checks */
	s->backup_memsz = KX_ALIGN_UP(c->info.backup_size, KX_PAGE_SIZE);
	rc = place_top(st, "backup", NULL, 0, s->backup_memsz, &s->backup);
	if (rc < 0)
		return rc;
	rc = kx_crash_elf64(st->ctx, &c->info, s->backup, &c->elf);
	if (rc < 0)
		return rc;
	s->hdr_memsz = hdr_memsz(c);
	return place_top(st, "elfcorehdr", c->elf.buf, c->elf.len, s->hdr_memsz, &s->hdr);
}

int kx_crash_begin(struct kx_classic *st)
{
	struct kx_crash *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return kx_fail(st->ctx, -ENOMEM, "out of memory");
	st->crash = c;
	c->map = calloc(1, sizeof(*c->map));
	if (!c->map)
		return kx_fail(st->ctx, -ENOMEM, "out of memory");
	rc = kx_crash_info_read(st->ctx, &c->info);
	if (!rc && st->req->hotplug)
		rc = kx_crash_hotplug_size(st->ctx, &c->hotplug_size);
	if (!rc)
		rc = set_window(st, c);
	if (!rc)
		rc = place_segments(st, c);
	if (!rc)
		rc = kx_crash_memmap(st->ctx, &c->info, &c->segs, c->map);
	if (rc)
		return rc;
	if (c->hotplug_size)
		st->plan.flags |= KX_KEXEC_UPDATE_ELFCOREHDR;
	return 0;
}

int kx_crash_cmdline_for(struct kx_classic *st, const char *user, uint32_t cmdline_size,
			 bool efi_kexec, char **out)
{
	const struct kx_crash *c = st->crash;
	uint64_t rsdp;

	if (strlen(user) + 1 > cmdline_size)
		return kx_fail(st->ctx, -EINVAL, "the command line is %zu bytes with its NUL; this "
			       "kernel takes at most %u (its cmdline_size)", strlen(user) + 1,
			       cmdline_size);
	rsdp = kx_crash_acpi_rsdp(st->ctx, efi_kexec, st->req->noefi);
	return kx_crash_cmdline(st->ctx, user, rsdp, c->segs.hdr,
				st->req->pass_memmap_cmdline ? c->map : NULL, out);
}

const struct kx_memmap *kx_crash_zeropage_map(const struct kx_classic *st)
{
	/* kexec-tools: with --pass-memmap-cmdline the zero page keeps the full map */
	return st->req->pass_memmap_cmdline ? st->map : st->crash->map;
}

/*
 * The kernel finds the header to rewrite on hotplug by its ELF magic at the
 * start of a segment, the last such segment winning
 * (kernel/crash_core.c crash_handle_hotplug_event): no other may start so.
 */
static int check_magic(struct kx_classic *st, const struct kx_crash *c)
{
	size_t i;

	for (i = 0; i < st->plan.nr; i++) {
		const struct kx_plan_seg *s = &st->plan.seg[i];

		if (s->mem != c->segs.hdr && s->bufsz >= 4 && memcmp(s->buf, "\177ELF", 4) == 0)
			return kx_fail(st->ctx, -EINVAL, "--hotplug: the %s segment starts with "
				       "an ELF header; the kernel could rewrite it instead of the "
				       "elfcorehdr", s->what);
	}
	return 0;
}

int kx_crash_finish(struct kx_classic *st)
{
	const struct kx_crash *c = st->crash;
	int rc;

	rc = kx_crash_check_plan(st->ctx, &st->plan, &c->res);
	if (!rc && c->hotplug_size)
		rc = check_magic(st, c);
	if (rc)
		return rc;
	kx_dbg(st->ctx, "kdump: elfcorehdr at 0x%llx (%zu bytes, %llu KiB reserved%s): "
	       "%zu PT_NOTE, %zu PT_LOAD; /proc/vmcore will be %llu bytes plus the notes "
	       "rounded up to a page",
	       (unsigned long long)c->segs.hdr, c->elf.len,
	       (unsigned long long)(c->segs.hdr_memsz >> 10),
	       c->hotplug_size ? " for hotplug" : "", c->elf.nr_notes, c->elf.nr_loads,
	       (unsigned long long)c->elf.vmcore_size);
	return 0;
}

void kx_crash_end(struct kx_classic *st)
{
	struct kx_crash *c = st->crash;

	if (!c)
		return;
	kx_crash_info_free(&c->info);
	kx_crash_elf_free(&c->elf);
	free(c->map);
	free(c);
	st->crash = NULL;
}
