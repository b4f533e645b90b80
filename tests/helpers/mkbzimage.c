// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkbzimage OUT [options]: write a synthetic bzImage for tests.  It has a
 * valid setup header (Documentation/arch/x86/boot.rst) and a filler payload;
 * it is never booted, only probed, planned and hashed.
 *
 *   --version=STR        kernel version string (default "6.1.0-test (test@kexec-tdx) #1")
 *   --protocol=0xVVVV    boot protocol (default 0x020f)
 *   --xloadflags=N       (default 0x7f: 64-bit, above 4G, EFI handover, EFI kexec, 5-level)
 *   --loadflags=N        (default 0x01: LOADED_HIGH)
 *   --setup-sects=N      (default 27)
 *   --payload=BYTES      protected-mode code size (default 1 MiB)
 *   --init-size=BYTES    (default 16 MiB)
 *   --align=BYTES        kernel_alignment (default 2 MiB)
 *   --pref=ADDR          pref_address (default 16 MiB)
 *   --cmdline-size=N     (default 2047)
 *   --payload-file=FILE  use FILE's bytes as the payload (e.g. a compressed vmlinux)
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/bzimage.h"

struct params {
	const char *version;
	unsigned long protocol, xloadflags, loadflags, setup_sects, payload, init_size, align;
	unsigned long pref, cmdline_size;
	const char *payload_file;
};

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end) {
		fprintf(stderr, "mkbzimage: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static uint8_t *read_payload(const char *path, unsigned long *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "mkbzimage: cannot read %s\n", path);
		exit(2);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(2);
	fclose(f);
	*len = (unsigned long)n;
	return buf;
}

static void fill_header(uint8_t *img, const struct params *p, size_t setup, unsigned long plen)
{
	size_t voff = 0x400;	/* version string offset in the file */

	img[KX_BZ_SETUP_SECTS] = (uint8_t)p->setup_sects;
	kx_put16(img, KX_BZ_BOOT_FLAG, 0xAA55);
	img[KX_BZ_JUMP] = 0xeb;
	img[KX_BZ_JUMP + 1] = 0x6a;	/* header ends at 0x26c */
	memcpy(img + KX_BZ_HEADER, "HdrS", 4);
	kx_put16(img, KX_BZ_VERSION, (uint16_t)p->protocol);
	kx_put16(img, KX_BZ_KERNEL_VERSION, (uint16_t)(voff - 0x200));
	img[KX_BZ_LOADFLAGS] = (uint8_t)p->loadflags;
	kx_put32(img, KX_BZ_INITRD_ADDR_MAX, 0x7fffffff);
	kx_put32(img, KX_BZ_KERNEL_ALIGNMENT, (uint32_t)p->align);
	img[KX_BZ_RELOCATABLE] = 1;
	kx_put16(img, KX_BZ_XLOADFLAGS, (uint16_t)p->xloadflags);
	kx_put32(img, KX_BZ_CMDLINE_SIZE, (uint32_t)p->cmdline_size);
	kx_put32(img, KX_BZ_PAYLOAD_OFFSET, 0x100);
	kx_put32(img, KX_BZ_PAYLOAD_LENGTH, (uint32_t)(plen > 0x100 ? plen - 0x100 : 0));
	kx_put64(img, KX_BZ_PREF_ADDRESS, p->pref);
	kx_put32(img, KX_BZ_INIT_SIZE, (uint32_t)p->init_size);
	snprintf((char *)img + voff, setup - voff, "%s", p->version);
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "version", 1, NULL, 'V' }, { "protocol", 1, NULL, 'p' },
		{ "xloadflags", 1, NULL, 'x' }, { "loadflags", 1, NULL, 'l' },
		{ "setup-sects", 1, NULL, 's' }, { "payload", 1, NULL, 'P' },
		{ "init-size", 1, NULL, 'i' }, { "align", 1, NULL, 'a' }, { "pref", 1, NULL, 'r' },
		{ "cmdline-size", 1, NULL, 'c' }, { "payload-file", 1, NULL, 'F' }, { NULL, 0, NULL, 0 },
	};
	struct params p = { "6.1.0-test (test@kexec-tdx) #1 SMP", 0x020f, 0x7f, 0x01, 27,
			    1 << 20, 16 << 20, 2 << 20, 16 << 20, 2047, NULL };
	uint8_t *img, *payload = NULL;
	size_t setup, i;
	FILE *out;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'V': p.version = optarg; break;
		case 'p': p.protocol = num(optarg); break;
		case 'x': p.xloadflags = num(optarg); break;
		case 'l': p.loadflags = num(optarg); break;
		case 's': p.setup_sects = num(optarg); break;
		case 'P': p.payload = num(optarg); break;
		case 'i': p.init_size = num(optarg); break;
		case 'a': p.align = num(optarg); break;
		case 'r': p.pref = num(optarg); break;
		case 'c': p.cmdline_size = num(optarg); break;
		case 'F': p.payload_file = optarg; break;
		default: return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: mkbzimage OUT [options]\n");
		return 2;
	}
	if (p.payload_file)
		payload = read_payload(p.payload_file, &p.payload);
	setup = ((p.setup_sects ? p.setup_sects : 4) + 1) * 512;
	img = calloc(1, setup + p.payload);
	if (!img)
		return 1;
	fill_header(img, &p, setup, p.payload);
	for (i = 0; i < p.payload; i++)	/* deterministic, not compressible filler */
		img[setup + i] = payload ? payload[i] : (uint8_t)((i * 2654435761u) >> 13);
	out = fopen(argv[optind], "wb");
	if (!out || fwrite(img, 1, setup + p.payload, out) != setup + p.payload || fclose(out)) {
		fprintf(stderr, "mkbzimage: cannot write %s\n", argv[optind]);
		return 1;
	}
	free(img);
	free(payload);
	return 0;
}
