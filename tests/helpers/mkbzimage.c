// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkbzimage OUT [options]: write a synthetic bzImage for tests
 * (tests/helpers/testimage.c).  It has a valid setup header
 * (Documentation/arch/x86/boot.rst) and a filler payload; it is never booted,
 * only probed, planned and hashed.
 *
 *   --version=STR        kernel version string (default "6.1.0-test (test@kexec-tdx) #1 SMP")
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
 *   --vmlinux=COMP       instead: a fake vmlinux compressed with COMP (none, gzip,
 *                        xz, lz4) as the payload, as the kernel build lays it out
 *   --ikconfig=FILE      with --vmlinux: the vmlinux carries FILE as IKCONFIG
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helpers/testimage.h"

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

static uint8_t *slurp(const char *path, size_t *len, int text)
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
	if (text)
		buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static void usage(FILE *out)
{
	fputs("usage: mkbzimage OUT [--version=STR] [--protocol=N] [--xloadflags=N]\n"
	      "       [--loadflags=N] [--setup-sects=N] [--payload=BYTES] [--init-size=BYTES]\n"
	      "       [--align=BYTES] [--pref=ADDR] [--cmdline-size=N] [--payload-file=FILE]\n"
	      "       [--vmlinux=none|gzip|xz|lz4 [--ikconfig=FILE]]\n", out);
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "version", 1, NULL, 'V' }, { "protocol", 1, NULL, 'p' },
		{ "xloadflags", 1, NULL, 'x' }, { "loadflags", 1, NULL, 'l' },
		{ "setup-sects", 1, NULL, 's' }, { "payload", 1, NULL, 'P' },
		{ "init-size", 1, NULL, 'i' }, { "align", 1, NULL, 'a' }, { "pref", 1, NULL, 'r' },
		{ "cmdline-size", 1, NULL, 'c' }, { "payload-file", 1, NULL, 'F' },
		{ "vmlinux", 1, NULL, 'v' }, { "ikconfig", 1, NULL, 'k' },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *vmlinux = NULL, *ikconfig = NULL;
	uint8_t *img, *payload = NULL, *config = NULL;
	struct ti_bzimage p;
	size_t len, clen;
	FILE *out;
	int o, rc;

	ti_bzimage_defaults(&p);
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'V': p.version = optarg; break;
		case 'p': p.protocol = (unsigned int)num(optarg); break;
		case 'x': p.xloadflags = (unsigned int)num(optarg); break;
		case 'l': p.loadflags = (unsigned int)num(optarg); break;
		case 's': p.setup_sects = (unsigned int)num(optarg); break;
		case 'P': p.payload_len = num(optarg); break;
		case 'i': p.init_size = (uint32_t)num(optarg); break;
		case 'a': p.kernel_alignment = (uint32_t)num(optarg); break;
		case 'r': p.pref_address = num(optarg); break;
		case 'c': p.cmdline_size = (uint32_t)num(optarg); break;
		case 'F': payload = slurp(optarg, &p.payload_len, 0); p.payload = payload; break;
		case 'v': vmlinux = optarg; break;
		case 'k': ikconfig = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind + 1 != argc || (ikconfig && !vmlinux)) {
		usage(stderr);
		return 2;
	}
	if (ikconfig)
		config = slurp(ikconfig, &clen, 1);
	rc = vmlinux ? ti_mkimage(p.version, vmlinux, (const char *)config, &img, &len)
		     : ti_bzimage_build(&p, &img, &len);
	if (rc < 0) {
		fprintf(stderr, "mkbzimage: cannot build the image\n");
		return 1;
	}
	out = fopen(argv[optind], "wb");
	if (!out || fwrite(img, 1, len, out) != len || fclose(out)) {
		fprintf(stderr, "mkbzimage: cannot write %s\n", argv[optind]);
		return 1;
	}
	free(img);
	free(payload);
	free(config);
	return 0;
}
