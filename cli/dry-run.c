// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --dry-run: print the calls the recorder kept instead of making them.  For
 * a crash kernel through kexec_load, also what its segments tell it: its
 * command line and memory map (from the zero page) and the ELF core header's
 * program headers, decoded from the buffers the recorder kept.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/bytes.h"
#include "base/bzimage.h"
#include "base/ctx.h"
#include "cli/cli.h"
#include "kexec/bootparam.h"
#include "kexec/crash.h"
#include "kexec/memmap.h"
#include "kexec/ops.h"

struct flag_name {
	unsigned long bit;
	const char *name;
};

static const struct flag_name load_flags[] = {
	{ KX_KEXEC_ON_CRASH, "ON_CRASH" },
	{ KX_KEXEC_PRESERVE_CONTEXT, "PRESERVE_CONTEXT" },
	{ KX_KEXEC_UPDATE_ELFCOREHDR, "UPDATE_ELFCOREHDR" },
	{ KX_KEXEC_ARCH_X86_64, "ARCH_X86_64" },
	{ 0, NULL },
};

static const struct flag_name file_flags[] = {
	{ KX_KEXEC_FILE_UNLOAD, "UNLOAD" },
	{ KX_KEXEC_FILE_ON_CRASH, "ON_CRASH" },
	{ KX_KEXEC_FILE_NO_INITRAMFS, "NO_INITRAMFS" },
	{ KX_KEXEC_FILE_DEBUG, "DEBUG" },
	{ KX_KEXEC_FILE_NO_CMA, "NO_CMA" },
	{ KX_KEXEC_FILE_FORCE_DTB, "FORCE_DTB" },
	{ 0, NULL },
};

static void print_flags(FILE *out, unsigned long flags, const struct flag_name *names)
{
	const char *sep = "";

	fprintf(out, "0x%lx [", flags);
	for (; names->name; names++) {
		if ((flags & names->bit) == names->bit) {
			fprintf(out, "%s%s", sep, names->name);
			sep = "|";
		}
	}
	fputc(']', out);
}

static void print_load(FILE *out, const struct kx_call *c)
{
	size_t i, j;

	fprintf(out, "kexec_load(entry=0x%llx, nr_segments=%zu, flags=",
		(unsigned long long)c->plan.entry, c->plan.nr);
	print_flags(out, c->plan.flags, load_flags);
	fputs(")\n", out);
	if (!c->plan.nr)
		return;
	fprintf(out, "  %-3s %-12s %-18s %-12s %-12s %s\n", "#", "segment", "mem", "bufsz", "memsz",
		"sha256(memsz)");
	for (i = 0; i < c->plan.nr; i++) {
		const struct kx_plan_seg *s = &c->plan.seg[i];

		fprintf(out, "  %-3zu %-12s 0x%016llx 0x%-10llx 0x%-10llx ", i, s->what ? s->what : "?",
			(unsigned long long)s->mem, (unsigned long long)s->bufsz,
			(unsigned long long)s->memsz);
		for (j = 0; j < 32; j++)
			fprintf(out, "%02x", c->seg_sha256[i][j]);
		fputc('\n', out);
	}
}

/* The kept copy of the segment named @what, or NULL. */
static const uint8_t *seg_data(const struct kx_call *c, const char *what,
			       const struct kx_plan_seg **seg)
{
	size_t i;

	for (i = 0; i < c->plan.nr; i++) {
		const char *name = c->plan.seg[i].what;

		if (name && strcmp(name, what) == 0 && c->seg_data[i]) {
			*seg = &c->plan.seg[i];
			return c->seg_data[i];
		}
	}
	return NULL;
}

/* The zero page's pointer @ptr as an offset in its segment; -1 outside it. */
static long zp_offset(const struct kx_plan_seg *s, uint64_t ptr, size_t len)
{
	if (ptr < s->mem || ptr - s->mem > s->bufsz || s->bufsz - (ptr - s->mem) < len)
		return -1;
	return (long)(ptr - s->mem);
}

static void print_e820(FILE *out, const uint8_t *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, e += KX_E820_ENTRY_SIZE) {
		uint64_t start = kx_get64(e, 0), size = kx_get64(e, 8);

		fprintf(out, "    0x%016llx-0x%016llx %s\n", (unsigned long long)start,
			(unsigned long long)(start + size - 1),
			kx_mem_type_name((enum kx_mem_type)kx_get32(e, 16)));
	}
}

/* The command line and e820 map (with any SETUP_E820_EXT node) of a zero page. */
static void print_zero_page(FILE *out, const struct kx_plan_seg *s, const uint8_t *zp)
{
	uint64_t cmd = kx_get32(zp, KX_BZ_CMD_LINE_PTR) |
		       (uint64_t)kx_get32(zp, KX_BP_EXT_CMD_LINE_PTR) << 32;
	uint64_t next = kx_get64(zp, KX_BZ_SETUP_DATA);
	long off = zp_offset(s, cmd, 1);
	int hops;

	if (off >= 0)
		fprintf(out, "  crash kernel command line: \"%.*s\"\n", (int)(s->bufsz - off),
			(const char *)zp + off);
	fputs("  crash kernel memory map (e820 in its zero page):\n", out);
	print_e820(out, zp + KX_BP_E820_TABLE, zp[KX_BP_E820_ENTRIES]);
	for (hops = 0; next && hops < 16; hops++) {
		long n = zp_offset(s, next, KX_SETUP_DATA_HDR);
		uint32_t len;

		if (n < 0)
			break;
		len = kx_get32(zp + n, 12);
		if (kx_get32(zp + n, 8) == KX_SETUP_E820_EXT &&
		    zp_offset(s, next + KX_SETUP_DATA_HDR, len) >= 0)
			print_e820(out, zp + n + KX_SETUP_DATA_HDR, len / KX_E820_ENTRY_SIZE);
		next = kx_get64(zp + n, 0);
	}
}

/* The ELF core header's program headers, and the /proc/vmcore size they promise. */
static void print_core_header(FILE *out, const struct kx_plan_seg *s, const uint8_t *h)
{
	size_t i, phnum = s->bufsz >= 64 ? kx_get16(h, 56) : 0;

	if (s->bufsz < 64 || memcmp(h, "\177ELF", 4) != 0 || phnum > (s->bufsz - 64) / 56) {
		fputs("  elfcorehdr: not an ELF64 header\n", out);
		return;
	}
	fprintf(out, "  elfcorehdr at 0x%llx: ELF64 core, %zu program headers\n",
		(unsigned long long)s->mem, phnum);
	fprintf(out, "    %-5s %-18s %-18s %-18s %s\n", "type", "offset", "paddr", "vaddr", "size");
	for (i = 0; i < phnum; i++) {
		const uint8_t *p = h + 64 + i * 56;
		uint32_t type = kx_get32(p, 0);

		fprintf(out, "    %-5s 0x%016llx 0x%016llx 0x%016llx 0x%llx\n",
			type == 1 ? "LOAD" : type == 4 ? "NOTE" : "?",
			(unsigned long long)kx_get64(p, 8), (unsigned long long)kx_get64(p, 24),
			(unsigned long long)kx_get64(p, 16), (unsigned long long)kx_get64(p, 40));
	}
	fprintf(out, "  /proc/vmcore in the crash kernel: %llu bytes plus the notes rounded up "
		"to a page\n", (unsigned long long)kx_crash_vmcore_size(h, s->bufsz));
}

static void print_crash(FILE *out, const struct kx_call *c)
{
	const struct kx_plan_seg *s;
	const uint8_t *d;

	if (!(c->plan.flags & KX_KEXEC_ON_CRASH) || !c->plan.nr)
		return;
	d = seg_data(c, "zero page", &s);
	if (d && s->bufsz >= KX_BP_SIZE)
		print_zero_page(out, s, d);
	d = seg_data(c, "elfcorehdr", &s);
	if (d)
		print_core_header(out, s, d);
}

static void print_file_load(FILE *out, const struct kx_call *c)
{
	const struct kx_file_req *r = &c->file;

	if (r->flags & KX_KEXEC_FILE_UNLOAD) {
		fputs("kexec_file_load(kernel_fd=-1, initrd_fd=-1, cmdline_len=0, cmdline=NULL, flags=", out);
		print_flags(out, r->flags, file_flags);
		fputs(")\n", out);
		return;
	}
	fprintf(out, "kexec_file_load(kernel_fd=%s (%s, %llu bytes), ", r->kernel_path,
		r->kernel_decompressed ? "decompressed into a memfd" : "the file itself",
		(unsigned long long)c->kernel_size);
	if (r->initrd_fd >= 0)
		fprintf(out, "initrd_fd=%s (%llu bytes), ", r->initrd_path,
			(unsigned long long)c->initrd_size);
	else
		fputs("initrd_fd=-1, ", out);
	fprintf(out, "cmdline_len=%zu, cmdline=\"%s\", flags=", r->cmdline_len,
		r->cmdline ? r->cmdline : "");
	print_flags(out, r->flags, file_flags);
	fputs(")\n", out);
}

void kx_cli_print_record(FILE *out, const struct kx_ctx *ctx)
{
	const struct kx_recorder *rec = ctx->ops_data;
	size_t i;

	fprintf(out, "dry run: %zu call%s recorded, none made\n", rec->nr, rec->nr == 1 ? "" : "s");
	for (i = 0; i < rec->nr; i++) {
		const struct kx_call *c = &rec->calls[i];

		switch (c->kind) {
		case KX_CALL_KEXEC_LOAD:
			print_load(out, c);
			print_crash(out, c);
			break;
		case KX_CALL_KEXEC_FILE_LOAD:
			print_file_load(out, c);
			break;
		case KX_CALL_REBOOT_KEXEC:
			fputs("reboot(LINUX_REBOOT_CMD_KEXEC)\n", out);
			break;
		case KX_CALL_SYNC:
			fputs("sync()\n", out);
			break;
		case KX_CALL_IFDOWN:
			fputs("ifdown(all interfaces but loopback)\n", out);
			break;
		case KX_CALL_SHUTDOWN:
			fputs("exec(shutdown -r now)\n", out);
			break;
		}
	}
}
