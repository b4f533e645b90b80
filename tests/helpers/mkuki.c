// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkuki OUT [options]: write a synthetic unified kernel image for tests
 * (tests/helpers/testimage.c): a PE32+ x86_64 image whose sections are
 * given in order; never booted, only parsed and planned.
 *
 *   --bzimage=NAME        a section NAME holding a synthetic bzImage
 *   --version=STR         its kernel version string (before --bzimage)
 *   --section=NAME=FILE   a section NAME with FILE's bytes
 *   --text=NAME=STRING    a section NAME with STRING's bytes
 *   --vaddr=RVA           the RVA of the next section
 *   --corrupt=KIND        damage the result: past-end, overlap-file,
 *                         overlap-mem, count, overflow, machine, truncated
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "tests/helpers/testimage.h"

#define MAX_SECTIONS 64

static struct ti_pe_section sec[MAX_SECTIONS];
static size_t nsec;
static uint32_t next_vaddr;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkuki: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void add(const char *name, const void *data, size_t size)
{
	if (nsec == MAX_SECTIONS)
		die("more than 64 sections");
	sec[nsec].name = name;
	sec[nsec].data = data;
	sec[nsec].size = size;
	sec[nsec].vaddr = next_vaddr;
	next_vaddr = 0;
	nsec++;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die("cannot read %s", path);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("cannot read %s", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* NAME=VALUE: the name (at most 8 characters) and a pointer to VALUE. */
static const char *split(char *arg, char **value)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg || eq - arg > 8)
		die("expected NAME=VALUE with a name of 1 to 8 characters, got '%s'", arg);
	*eq = '\0';
	*value = eq + 1;
	return arg;
}

static uint8_t *sec_hdr(uint8_t *img, size_t i)
{
	return img + TI_PE_SECTION_TABLE + i * TI_PE_SEC_SIZE;
}

static void corrupt(const char *kind, uint8_t *img, size_t *len)
{
	if (nsec < 2 && strcmp(kind, "count") && strcmp(kind, "machine") && strcmp(kind, "truncated"))
		die("--corrupt=%s needs two sections", kind);
	if (strcmp(kind, "past-end") == 0)
		kx_put32(sec_hdr(img, nsec - 1), 16, kx_get32(sec_hdr(img, nsec - 1), 16) + 0x10000);
	else if (strcmp(kind, "overlap-file") == 0)
		kx_put32(sec_hdr(img, 1), 20, kx_get32(sec_hdr(img, 0), 20));
	else if (strcmp(kind, "overlap-mem") == 0)
		kx_put32(sec_hdr(img, 1), 12, kx_get32(sec_hdr(img, 0), 12));
	else if (strcmp(kind, "count") == 0)
		kx_put16(img, TI_PE_LFANEW + 6, 0xffff);
	else if (strcmp(kind, "overflow") == 0)
		kx_put32(sec_hdr(img, 0), 12, 0xffffffffu - (uint32_t)sec[0].size / 2);
	else if (strcmp(kind, "machine") == 0)
		kx_put16(img, TI_PE_LFANEW + 4, 0x014c);
	else if (strcmp(kind, "truncated") == 0)
		*len = TI_PE_SECTION_TABLE + 20;
	else
		die("unknown --corrupt=%s", kind);
}

static void usage(FILE *out)
{
	fputs("usage: mkuki OUT [--version=STR] [--bzimage=NAME] [--section=NAME=FILE]\n"
	      "       [--text=NAME=STRING] [--vaddr=RVA] [--corrupt=past-end|overlap-file|\n"
	      "       overlap-mem|count|overflow|machine|truncated]  (in order)\n", out);
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "bzimage", 1, NULL, 'b' }, { "version", 1, NULL, 'V' },
		{ "section", 1, NULL, 's' }, { "text", 1, NULL, 't' }, { "vaddr", 1, NULL, 'a' },
		{ "corrupt", 1, NULL, 'c' }, { "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *bad = NULL, *name;
	struct ti_bzimage p;
	uint8_t *img, *buf;
	char *value;
	size_t len;
	FILE *out;
	int o;

	ti_bzimage_defaults(&p);
	p.payload_len = 64 * 1024;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'V': p.version = optarg; break;
		case 'b':
			if (ti_bzimage_build(&p, &buf, &len) < 0)
				die("cannot build a bzImage");
			add(optarg, buf, len);
			break;
		case 's': name = split(optarg, &value); buf = slurp(value, &len); add(name, buf, len); break;
		case 't': name = split(optarg, &value); add(name, value, strlen(value)); break;
		case 'a': next_vaddr = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'c': bad = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	if (ti_pe_build(sec, nsec, &img, &len) < 0)
		die("cannot build the image");
	if (bad)
		corrupt(bad, img, &len);
	out = fopen(argv[optind], "wb");
	if (!out || fwrite(img, 1, len, out) != len || fclose(out))
		die("cannot write %s", argv[optind]);
	free(img);
	return 0;
}
