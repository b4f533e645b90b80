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
 *                        xz, zstd, lz4) as the payload, as the kernel build lays it out
 *   --ikconfig=FILE      with --vmlinux: the vmlinux carries FILE as IKCONFIG
 *   --syssize=N          write N as syssize (default: the length after the setup code / 16)
 *   --payload-offset=N, --payload-length=N   write these into the header as they are
 *   --truncate=BYTES     cut the file to BYTES
 *   --bomb=COMP:MIB      compress (gzip, xz, zstd, lz4) the image followed by MIB MiB of
 *                        zeros, as one valid stream (a decompression bomb)
 *   --bomb-bare          with --bomb: the zeros alone, no image before them
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/bzimage.h"
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

/* What to change after the image is built. */
struct edits {
	unsigned int set;	/* 1 syssize, 2 payload_offset, 4 payload_length, 8 init_size,
				 * 16 cmdline_size (these two also for --vmlinux) */
	uint32_t syssize, poff, plen, init, cmdsz;
	size_t trunc;
	const char *bomb;		/* "COMP:MIB" */
	bool bare;
};

static int bomb(const struct edits *ed, uint8_t **img, size_t *len)
{
	char comp[16];
	unsigned long mib;
	uint8_t *out;
	size_t olen;

	if (sscanf(ed->bomb, "%15[a-z0-9]:%lu", comp, &mib) != 2) {
		fprintf(stderr, "mkbzimage: --bomb wants COMP:MIB, not '%s'\n", ed->bomb);
		exit(2);
	}
	if (ti_bomb(comp, ed->bare ? NULL : *img, ed->bare ? 0 : *len, (uint64_t)mib << 20, &out,
		    &olen) < 0)
		return -1;
	free(*img);
	*img = out;
	*len = olen;
	return 0;
}

static int edit(const struct edits *ed, uint8_t **img, size_t *len)
{
	if (ed->set & 1)
		kx_put32(*img, KX_BZ_SYSSIZE, ed->syssize);
	if (ed->set & 2)
		kx_put32(*img, KX_BZ_PAYLOAD_OFFSET, ed->poff);
	if (ed->set & 4)
		kx_put32(*img, KX_BZ_PAYLOAD_LENGTH, ed->plen);
	if (ed->set & 8)
		kx_put32(*img, KX_BZ_INIT_SIZE, ed->init);
	if (ed->set & 16)
		kx_put32(*img, KX_BZ_CMDLINE_SIZE, ed->cmdsz);
	if (ed->trunc < *len)
		*len = ed->trunc;
	return ed->bomb ? bomb(ed, img, len) : 0;
}

static void usage(FILE *out)
{
	fputs("usage: mkbzimage OUT [--version=STR] [--protocol=N] [--xloadflags=N]\n"
	      "       [--loadflags=N] [--setup-sects=N] [--payload=BYTES] [--init-size=BYTES]\n"
	      "       [--align=BYTES] [--pref=ADDR] [--cmdline-size=N] [--payload-file=FILE]\n"
	      "       [--vmlinux=none|gzip|xz|zstd|lz4 [--ikconfig=FILE]] [--syssize=N]\n"
	      "       [--payload-offset=N] [--payload-length=N] [--truncate=BYTES]\n"
	      "       [--bomb=gzip|xz|zstd|lz4:MIB [--bomb-bare]]\n", out);
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
		{ "syssize", 1, NULL, 'S' }, { "payload-offset", 1, NULL, 'o' },
		{ "payload-length", 1, NULL, 'L' }, { "truncate", 1, NULL, 't' },
		{ "bomb", 1, NULL, 'b' }, { "bomb-bare", 0, NULL, 'B' },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct edits ed = { .trunc = SIZE_MAX };
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
		case 'i': ed.init = p.init_size = (uint32_t)num(optarg); ed.set |= 8; break;
		case 'a': p.kernel_alignment = (uint32_t)num(optarg); break;
		case 'r': p.pref_address = num(optarg); break;
		case 'c': ed.cmdsz = p.cmdline_size = (uint32_t)num(optarg); ed.set |= 16; break;
		case 'F': payload = slurp(optarg, &p.payload_len, 0); p.payload = payload; break;
		case 'v': vmlinux = optarg; break;
		case 'k': ikconfig = optarg; break;
		case 'S': ed.syssize = (uint32_t)num(optarg); ed.set |= 1; break;
		case 'o': ed.poff = (uint32_t)num(optarg); ed.set |= 2; break;
		case 'L': ed.plen = (uint32_t)num(optarg); ed.set |= 4; break;
		case 't': ed.trunc = num(optarg); break;
		case 'b': ed.bomb = optarg; break;
		case 'B': ed.bare = true; break;
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
	if (rc == 0)
		rc = edit(&ed, &img, &len);
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
