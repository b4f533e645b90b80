// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/file.h"
#include "base/uki.h"
#include "kexec/image.h"
#include "kexec/load.h"
#include "kexec/uki-image.h"

const struct kx_image_type kx_image_types[] = {
	{
		.name = "bzImage64",
		.probe = kx_bzimage64_probe,
		.load = kx_bzimage64_load,
		.cleanup = kx_bzimage64_cleanup,
		.usage = "x86_64 bzImage, boot protocol 2.12 or later, entered at its 64-bit entry point",
	},
	{
		.name = "elf-x86_64",
		.probe = kx_elf_x86_64_probe,
		.load = kx_elf_x86_64_load,
		.cleanup = kx_elf_x86_64_cleanup,
		.claims = kx_elf_magic,
		.usage = "ELF64 x86_64 vmlinux: each PT_LOAD at its physical address, entered at "
			 "e_entry with Linux boot parameters (kexec_load only)",
	},
	{
		.name = "uki",
		.probe = kx_uki_probe,
		.load = kx_uki_load,
		.cleanup = kx_uki_cleanup,
		.claims = kx_uki_claims,
		.usage = "unified kernel image (systemd-stub PE with .linux, .initrd, .ucode, "
			 ".cmdline, profiles)",
	},
	{ .name = NULL },
};

const struct kx_image_type *kx_image_type_find(const char *name)
{
	const struct kx_image_type *t;

	for (t = kx_image_types; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

static char *desc_line(struct kx_image_desc *d, const char *name)
{
	if (d->nlines == KX_DESC_LINES)
		return NULL;
	d->line[d->nlines].name = name;
	return d->line[d->nlines++].text;
}

#define DESC(d, name, ...) do { \
	char *t_ = desc_line(d, name); \
	if (t_) \
		snprintf(t_, sizeof((d)->line[0].text), __VA_ARGS__); \
} while (0)

static void describe_profile(const struct kx_uki_parts *p, struct kx_image_desc *d)
{
	const struct kx_uki *u = &p->uki;
	char meta[256] = "";

	if (!u->nprofiles) {
		DESC(d, "profile", "0 (the UKI has no .profile sections)");
		return;
	}
	if (u->profile_id[0] && u->profile_title[0])
		snprintf(meta, sizeof(meta), " (ID=%s, TITLE=%s)", u->profile_id, u->profile_title);
	else if (u->profile_id[0] || u->profile_title[0])
		snprintf(meta, sizeof(meta), " (%s=%s)", u->profile_id[0] ? "ID" : "TITLE",
			 u->profile_id[0] ? u->profile_id : u->profile_title);
	DESC(d, "profile", "%u of 0-%u%s", u->profile, u->nprofiles - 1, meta);
}

static void describe_uki(const struct kx_uki_parts *p, struct kx_image_desc *d)
{
	size_t i, used = 0;
	char *t;

	describe_profile(p, d);
	DESC(d, "kernel", "%s, %zu bytes: %s", p->kernel_from, p->uki.part[KX_UKI_LINUX].size,
	     p->bz.version[0] ? p->bz.version : "no version string");
	t = desc_line(d, "initrd");
	if (t && !p->ninitrd)
		snprintf(t, sizeof(d->line[0].text), "none (no .ucode, no .initrd, no --initrd)");
	for (i = 0; t && i < p->ninitrd && used < sizeof(d->line[0].text); i++)
		used += (size_t)snprintf(t + used, sizeof(d->line[0].text) - used,
					 "%s%s (%zu bytes)", i ? " + " : "", p->initrd[i].from,
					 p->initrd[i].size);
	if (p->uki.part[KX_UKI_CMDLINE].data)
		kx_uki_part_origin(p, KX_UKI_CMDLINE, d->cmdline_from, sizeof(d->cmdline_from));
	if (p->uki.os[0])
		DESC(d, "os-release", "%s", p->uki.os);
	if (p->uki.uname[0])
		DESC(d, "uname", "%s", p->uki.uname);
}

int kx_image_describe(struct kx_ctx *ctx, const struct kx_load_req *req, struct kx_image_desc *d)
{
	struct kx_file k = KX_FILE_INIT, i = KX_FILE_INIT;
	struct kx_uki_parts p;
	int rc;

	memset(d, 0, sizeof(*d));
	d->type = "bzImage64";
	rc = kx_file_open(ctx, "kernel", req->kernel, true, &k);
	if (rc < 0)
		return rc;
	if (kx_elf_magic(k.data, k.size)) {
		d->type = "elf-x86_64";
		rc = kx_elf_x86_64_describe(ctx, kx_file_desc(&k), k.data, k.size,
					    desc_line(d, "kernel"), sizeof(d->line[0].text));
		DESC(d, "boot params", "made up here (a vmlinux has no setup header): protocol "
		     "2.15, no EFI handover, below 4 GiB");
	} else if (kx_uki_looks_like(k.data, k.size)) {
		d->type = "uki";
		if (req->initrd)
			rc = kx_file_open(ctx, "initrd", req->initrd, false, &i);
		if (rc == 0)
			rc = kx_uki_parts_get(ctx, req->kernel, k.data, k.size, req->uki_profile,
					      req->initrd, i.data, i.size, &p);
		if (rc == 0) {
			describe_uki(&p, d);
			kx_uki_parts_free(&p);
		}
	}
	kx_file_close(&i);
	kx_file_close(&k);
	return rc;
}
