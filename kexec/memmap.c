// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/iface.h"
#include "base/ctx.h"
#include "base/read.h"
#include "kexec/memmap.h"
#include "base/parse.h"
#include "base/sysroot.h"


struct type_name {
	const char *name;
	enum kx_mem_type type;
};

/* Names from the kernel's e820_type_to_string() (arch/x86/kernel/e820.c). */
static const struct type_name type_names[] = {
	{ "System RAM", KX_MEM_RAM },
	{ "ACPI Tables", KX_MEM_ACPI },
	{ "ACPI Non-volatile Storage", KX_MEM_NVS },
	{ "Unusable memory", KX_MEM_UNUSABLE },
	{ "Persistent Memory (legacy)", KX_MEM_PRAM },
	{ "Persistent Memory", KX_MEM_PMEM },
	{ "Soft Reserved", KX_MEM_SOFT_RESERVED },
	{ "Reserved", KX_MEM_RESERVED },
	{ "reserved", KX_MEM_RESERVED },
	{ "Unknown E820 type", KX_MEM_RESERVED },	/* the kernel's name for the rest */
};

static int type_from_name(const char *name, enum kx_mem_type *type)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
		if (strcmp(name, type_names[i].name) == 0) {
			*type = type_names[i].type;
			return 0;
		}
	}
	return -ENOENT;
}

const char *kx_mem_type_name(enum kx_mem_type t)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].type == t)
			return type_names[i].name;
	return "Unknown E820 type";
}

static int add_range(struct kx_ctx *ctx, struct kx_memmap *map, uint64_t start, uint64_t end,
		     enum kx_mem_type type)
{
	if (end < start)
		return kx_fail(ctx, -EINVAL, "%s: range 0x%llx-0x%llx ends before it starts",
			       map->source, (unsigned long long)start, (unsigned long long)end);
	if (map->nr == KX_MAX_RANGES)
		return kx_fail(ctx, -E2BIG, "%s: more than %d memory ranges", map->source,
			       KX_MAX_RANGES);
	map->r[map->nr].start = start;
	map->r[map->nr].end = end;
	map->r[map->nr].type = type;
	map->nr++;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct kx_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

void kx_memmap_normalize(struct kx_memmap *map)
{
	size_t i, out = 0;

	qsort(map->r, map->nr, sizeof(map->r[0]), cmp_range);
	for (i = 0; i < map->nr; i++) {
		struct kx_range *last = out ? &map->r[out - 1] : NULL;

		if (last && last->type == map->r[i].type && map->r[i].start <= last->end + 1) {
			if (map->r[i].end > last->end)
				last->end = map->r[i].end;
			continue;
		}
		map->r[out++] = map->r[i];
	}
	map->nr = out;
}

uint64_t kx_memmap_ram_bytes(const struct kx_memmap *map)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < map->nr; i++)
		if (map->r[i].type == KX_MEM_RAM)
			sum += map->r[i].end - map->r[i].start + 1;
	return sum;
}

/* One /sys/firmware/memmap/N/<field> file, without its newline. */
static int read_type(struct kx_ctx *ctx, const char *entry, char **out)
{
	char path[300];
	int rc;

	kx_if_fmt(path, sizeof(path), KX_IF_FW_MEMMAP_ENTRY, entry, "type");
	rc = kx_sysroot_read(ctx->root, path, 4096, out, NULL);
	if (rc < 0)
		return kx_fail(ctx, rc, "cannot read %s: %s", path, strerror(-rc));
	kx_chomp(*out);
	return 0;
}

static int read_addr(struct kx_ctx *ctx, const char *entry, const char *field, uint64_t *v)
{
	char path[300];

	kx_if_fmt(path, sizeof(path), KX_IF_FW_MEMMAP_ENTRY, entry, field);
	return kx_read_u64(ctx, path, 16, v);
}

/*
 * A type name the kernel does not write (e820_type_to_string) is taken as
 * reserved, never as RAM, as kexec-tools does, and said; an empty one is an
 * error.
 */
static int entry_type(struct kx_ctx *ctx, const char *dir, const char *type,
		      enum kx_mem_type *t)
{
	if (!type[0])
		return kx_fail(ctx, -EINVAL, "%s/type is empty; expected a type name such as "
			       "'System RAM'", dir);
	if (type_from_name(type, t) == 0)
		return 0;
	*t = KX_MEM_RESERVED;
	kx_warn(ctx, "%s/type: unknown type '%.40s'; the range is taken as reserved", dir, type);
	return 0;
}

static int read_firmware_entry(struct kx_ctx *ctx, struct kx_memmap *map, const char *entry)
{
	enum kx_mem_type t = KX_MEM_RESERVED;
	char *type = NULL, dir[300];
	uint64_t s, e;
	int rc;

	snprintf(dir, sizeof(dir), "%s/%s", map->source, entry);
	rc = read_addr(ctx, entry, "start", &s);
	if (!rc)
		rc = read_addr(ctx, entry, "end", &e);
	if (!rc && e < s)
		rc = kx_fail(ctx, -EINVAL, "%s: start 0x%llx is above end 0x%llx; expected a "
			     "range", dir, (unsigned long long)s, (unsigned long long)e);
	if (!rc)
		rc = read_type(ctx, entry, &type);
	if (!rc)
		rc = entry_type(ctx, dir, type, &t);
	if (!rc)
		rc = add_range(ctx, map, s, e, t);
	free(type);
	return rc;
}

int kx_memmap_read_firmware(struct kx_ctx *ctx, struct kx_memmap *map)
{
	struct dirent *de;
	DIR *dir;
	int rc;

	map->nr = 0;
	map->source = kx_if(KX_IF_FW_MEMMAP);
	rc = kx_sysroot_opendir(ctx->root, map->source, &dir);
	if (rc < 0)
		return kx_fail(ctx, rc, "cannot read %s: %s", map->source, strerror(-rc));
	while ((de = readdir(dir)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		rc = read_firmware_entry(ctx, map, de->d_name);
		if (rc < 0)
			break;
	}
	closedir(dir);
	if (rc == 0 && map->nr == 0)
		rc = kx_fail(ctx, -ENODATA, "%s has no entries", map->source);
	if (rc == 0)
		kx_memmap_normalize(map);
	return rc;
}

/* Parse "start-end : name" with two spaces of indent per nesting level. */
static int parse_iomem_line(char *line, uint64_t *start, uint64_t *end, char **name, int *depth)
{
	char *p = line, *dash, *colon;

	while (*p == ' ')
		p++;
	*depth = (int)(p - line) / 2;
	dash = strchr(p, '-');
	colon = strstr(p, " : ");
	if (!dash || !colon || dash > colon)
		return -EINVAL;
	*dash = '\0';
	*colon = '\0';
	if (kx_parse_u64(p, 16, start) < 0 || kx_parse_u64(dash + 1, 16, end) < 0)
		return -EINVAL;
	*name = colon + 3;
	kx_chomp(*name);
	return 0;
}

int kx_iomem_walk(struct kx_ctx *ctx, kx_iomem_fn fn, void *data)
{
	const char *path = kx_if(KX_IF_IOMEM);
	char *buf, *line, *save = NULL;
	int rc, lineno = 0;

	rc = kx_sysroot_read(ctx->root, path, 16 << 20, &buf, NULL);
	if (rc < 0)
		return kx_fail(ctx, rc, "cannot read %s: %s", path, strerror(-rc));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		uint64_t start, end;
		char *name;
		int depth;

		lineno++;
		if (parse_iomem_line(line, &start, &end, &name, &depth) < 0) {
			rc = kx_fail(ctx, -EINVAL, "%s line %d: expected 'start-end : name'", path,
				     lineno);
			break;
		}
		if (end < start) {
			rc = kx_fail(ctx, -EINVAL, "%s line %d (%.40s): start 0x%llx is above end "
				     "0x%llx; expected a range", path, lineno, name,
				     (unsigned long long)start, (unsigned long long)end);
			break;
		}
		rc = fn(data, start, end, name, depth);
		if (rc)
			break;
	}
	free(buf);
	return rc;
}

struct iomem_map_state {
	struct kx_ctx *ctx;
	struct kx_memmap *map;
};

static int iomem_map_line(void *data, uint64_t start, uint64_t end, const char *name, int depth)
{
	struct iomem_map_state *st = data;
	enum kx_mem_type t;

	/* Only the top level mirrors the e820 map; nested lines are kernel resources. */
	if (depth != 0 || type_from_name(name, &t) < 0)
		return 0;
	return add_range(st->ctx, st->map, start, end, t);
}

int kx_memmap_read_iomem(struct kx_ctx *ctx, struct kx_memmap *map)
{
	struct iomem_map_state st = { ctx, map };
	int rc;

	map->nr = 0;
	map->source = kx_if(KX_IF_IOMEM);
	rc = kx_iomem_walk(ctx, iomem_map_line, &st);
	if (rc < 0)
		return rc;
	kx_memmap_normalize(map);
	if (kx_memmap_ram_bytes(map) > 1)
		return 0;
	if (map->nr && map->r[map->nr - 1].end == 0)
		return kx_fail(ctx, -EACCES, "%s shows no RAM addresses (it reads as zeros unless "
			       "you are root)", map->source);
	return kx_fail(ctx, -ENODATA, "%s has no top-level 'System RAM' range; expected the "
		       "machine's memory there", map->source);
}

/* kexec-tools uses /proc/iomem instead when the EFI map was added to e820. */
static bool cmdline_has_add_efi_memmap(struct kx_ctx *ctx)
{
	char *cmdline;
	bool has;

	if (kx_read_cmdline(ctx, &cmdline) < 0) {
		kx_clear_err(ctx);
		return false;
	}
	has = kx_has_word(cmdline, "add_efi_memmap");
	free(cmdline);
	return has;
}

int kx_memmap_read(struct kx_ctx *ctx, struct kx_memmap *map)
{
	struct stat st;
	int rc = -ENOENT;

	if (!cmdline_has_add_efi_memmap(ctx)) {
		rc = kx_memmap_read_firmware(ctx, map);
		if (rc == 0)
			return 0;
		/* kexec-tools says so too ("Parsing the /sys/firmware memory map failed") */
		if (kx_sysroot_stat(ctx->root, kx_if(KX_IF_FW_MEMMAP), &st) == -ENOENT)
			kx_dbg(ctx, "%s; using %s", ctx->err, kx_if(KX_IF_IOMEM));
		else
			kx_warn(ctx, "%s; using %s instead", ctx->err, kx_if(KX_IF_IOMEM));
	}
	kx_clear_err(ctx);
	return kx_memmap_read_iomem(ctx, map);
}
