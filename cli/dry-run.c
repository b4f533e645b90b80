// SPDX-License-Identifier: GPL-2.0-or-later
/* --dry-run: print the calls the recorder kept instead of making them. */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"
#include "base/ctx.h"
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
		r->kernel_src ? r->kernel_src :
		r->kernel_decompressed ? "decompressed into a memfd" : "the file itself",
		(unsigned long long)c->kernel_size);
	if (r->initrd_fd >= 0 && r->initrd_src)
		fprintf(out, "initrd_fd=%s (%s in a memfd, %llu bytes), ", r->initrd_path,
			r->initrd_src, (unsigned long long)c->initrd_size);
	else if (r->initrd_fd >= 0)
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
