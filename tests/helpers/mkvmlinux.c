// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkvmlinux OUT [options]: write a synthetic ELF64 x86_64 vmlinux for tests
 * (tests/helpers/testimage.c): PT_LOADs of filler bytes at given physical
 * addresses; never booted, only parsed and planned.
 *
 *   --load=PADDR:FILESZ[:MEMSZ]  a PT_LOAD (repeatable; default one:
 *                                16 MiB, 1 MiB of data, 2 MiB of memory)
 *   --entry=ADDR                 e_entry (default: the first PT_LOAD's address)
 *   --corrupt=KIND               past-end, machine, interp, dyn, phnum
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "tests/helpers/testimage.h"

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkvmlinux: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void corrupt(const char *kind, uint8_t *img, size_t *len, size_t nload)
{
	if (strcmp(kind, "past-end") == 0)
		kx_put64(img + TI_ELF_PHOFF, 8, *len - 16);
	else if (strcmp(kind, "machine") == 0)
		kx_put16(img, 18, 3);
	else if (strcmp(kind, "interp") == 0)
		kx_put32(img + TI_ELF_PHOFF + nload * 56, 0, 3);
	else if (strcmp(kind, "dyn") == 0)
		kx_put16(img, 16, 3);
	else if (strcmp(kind, "phnum") == 0)
		kx_put16(img, 56, 0xffff);
	else
		die("unknown --corrupt=%s", kind);
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "load", 1, NULL, 'l' }, { "entry", 1, NULL, 'e' }, { "corrupt", 1, NULL, 'c' },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct ti_elf_load l[16];
	size_t n = 0, len;
	uint64_t entry = 0;
	const char *bad = NULL;
	uint8_t *img;
	char *end;
	FILE *out;
	int o;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'l':
			if (n == 16)
				die("more than 16 --load");
			l[n].paddr = strtoull(optarg, &end, 0);
			l[n].filesz = *end == ':' ? strtoull(end + 1, &end, 0) : 0;
			l[n].memsz = *end == ':' ? strtoull(end + 1, &end, 0) : l[n].filesz;
			if (*end)
				die("bad --load=%s: want PADDR:FILESZ[:MEMSZ]", optarg);
			n++;
			break;
		case 'e': entry = strtoull(optarg, NULL, 0); break;
		case 'c': bad = optarg; break;
		case 'h':
			puts("usage: mkvmlinux OUT [--load=PADDR:FILESZ[:MEMSZ]]... [--entry=ADDR]\n"
			     "       [--corrupt=past-end|machine|interp|dyn|phnum]");
			return 0;
		default: return 2;
		}
	}
	if (optind + 1 != argc)
		die("usage: mkvmlinux OUT [options] (see --help)");
	if (!n) {
		l[0] = (struct ti_elf_load){ .paddr = 16u << 20, .filesz = 1u << 20, .memsz = 2u << 20 };
		n = 1;
	}
	if (ti_elf_build(entry ? entry : l[0].paddr, l, n, &img, &len) < 0)
		die("cannot build the image");
	if (bad)
		corrupt(bad, img, &len, n);
	out = fopen(argv[optind], "wb");
	if (!out || fwrite(img, 1, len, out) != len || fclose(out))
		die("cannot write %s", argv[optind]);
	free(img);
	return 0;
}
