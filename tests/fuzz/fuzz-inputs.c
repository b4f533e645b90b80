// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target over the parsers that read untrusted bytes: the command
 * line, the bzImage header, the kernel's .config text, the purgatory object
 * loader, PE/COFF and unified kernel images (sections, profiles, .cmdline),
 * ELF vmlinux program headers, and the handover token as /proc/cmdline holds
 * it (a token that parses must format back to the same value).  The first
 * byte picks the parser.
 * Build and run: tests/fuzz/run (clang with libFuzzer).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bzimage.h"
#include "base/ctx.h"
#include "base/htoken.h"
#include "base/uki.h"
#include "cli/options.h"
#include "kexec/image.h"
#include "kexec/purgatory.h"
#include "tdx/tdx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_opts(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[64];
	struct kx_ctx ctx = { 0 };
	struct kx_opts o;
	int argc = 0;
	size_t i = 0;

	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "kexec";
	while (i < size && argc < 63) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	kx_opts_parse(&ctx, &o, argc, argv);
	free(buf);
}

static void fuzz_bzimage(const uint8_t *data, size_t size)
{
	struct kx_ctx ctx = { 0 };
	struct kx_bzimage bz;
	char rel[64];

	if (kx_bzimage_parse(&ctx, "fuzz", data, size, &bz) == 0)
		kx_bzimage_release(&bz, rel, sizeof(rel));
}

static void fuzz_config(const uint8_t *data, size_t size)
{
	struct tdx_facts *f = calloc(1, sizeof(*f));
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	tdx_config_parse("fuzz", text, size, f);
	free(text);
	free(f);
}

static void fuzz_purgatory(const uint8_t *data, size_t size)
{
	struct kx_ctx ctx = { 0 };
	struct kx_purgatory *p = NULL;
	uint64_t bufsz, memsz, align;

	if (kx_purgatory_new(&ctx, data, size, &p) == 0) {
		kx_purgatory_size(p, &bufsz, &memsz, &align);
		if (memsz < (64u << 20))
			kx_purgatory_relocate(&ctx, p, 0x100000);
		kx_purgatory_free(p);
	}
}

/* Mutations of the real purgatory object reach deeper than random bytes. */
static void fuzz_purgatory_mutant(const uint8_t *data, size_t size)
{
	uint8_t *elf = malloc(kx_purgatory_blob_size);
	size_t i;

	memcpy(elf, kx_purgatory_blob, kx_purgatory_blob_size);
	for (i = 0; i + 4 <= size; i += 4) {
		uint32_t at = ((uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2]) %
			      kx_purgatory_blob_size;

		elf[at] = data[i + 3];
	}
	fuzz_purgatory(elf, kx_purgatory_blob_size);
	free(elf);
}

/* A PE image, as a UKI for profiles 0 to 2, with its .cmdline. */
static void fuzz_uki(const uint8_t *data, size_t size)
{
	struct kx_ctx ctx = { 0 };
	struct kx_uki u;
	unsigned int p;
	char *cmd;

	for (p = 0; p < 3; p++) {
		if (kx_uki_parse(&ctx, "fuzz", data, size, p, &u) < 0)
			continue;
		if (kx_uki_cmdline(&u, &cmd) == 0)
			free(cmd);
		kx_uki_free(&u);
	}
}

/* The same through a real PE header: random bytes rarely get that far. */
static void fuzz_uki_mutant(const uint8_t *data, size_t size)
{
	static const uint8_t hdr[0x40] = { 'M', 'Z', [0x3c] = 0x40 };
	uint8_t *img = malloc(size + 0x48);

	memcpy(img, hdr, sizeof(hdr));
	memcpy(img + 0x40, "PE\0\0\x64\x86", 6);
	memcpy(img + 0x46, data, size);
	fuzz_uki(img, size + 0x46);
	free(img);
}

static void fuzz_elf(const uint8_t *data, size_t size)
{
	struct kx_ctx ctx = { 0 };
	char line[256];

	if (kx_elf_x86_64_probe(&ctx, "fuzz", data, size) == 0)
		kx_elf_x86_64_describe(&ctx, "fuzz", data, size, line, sizeof(line));
}

static void fuzz_token(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), why[160], word[KX_HTOKEN_MAX + 1];
	struct kx_htoken t;
	const char *v;
	size_t n;

	memcpy(line, data, size);
	line[size] = '\0';
	if (kx_htoken_find(line, &v, &n) && kx_htoken_parse(v, n, &t, why, sizeof(why)) == 0) {
		/* what parses formats back to the same word */
		if (kx_htoken_format(&t, word, sizeof(word)) < 0 ||
		    strncmp(word + strlen(KX_HTOKEN_NAME) + 1, v, n) != 0 ||
		    strlen(word) != strlen(KX_HTOKEN_NAME) + 1 + n)
			abort();
	}
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 9) {
	case 0: fuzz_opts(data + 1, size - 1); break;
	case 1: fuzz_bzimage(data + 1, size - 1); break;
	case 2: fuzz_config(data + 1, size - 1); break;
	case 3: fuzz_purgatory(data + 1, size - 1); break;
	case 4: fuzz_purgatory_mutant(data + 1, size - 1); break;
	case 5: fuzz_uki(data + 1, size - 1); break;
	case 6: fuzz_uki_mutant(data + 1, size - 1); break;
	case 7: fuzz_elf(data + 1, size - 1); break;
	case 8: fuzz_token(data + 1, size - 1); break;
	}
	return 0;
}
