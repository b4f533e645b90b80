// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target over the parsers that read untrusted bytes: the command
 * line, the bzImage header, the kernel's .config text, the purgatory object
 * loader, the gate record check, and the handover token as /proc/cmdline
 * holds it (a token that parses must format back to the same value).  The
 * first byte picks the parser.
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
#include "cli/options.h"
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
	switch (data[0] % 6) {
	case 0: fuzz_opts(data + 1, size - 1); break;
	case 1: fuzz_bzimage(data + 1, size - 1); break;
	case 2: fuzz_config(data + 1, size - 1); break;
	case 3: fuzz_purgatory(data + 1, size - 1); break;
	case 4: fuzz_purgatory_mutant(data + 1, size - 1); break;
	case 5: fuzz_token(data + 1, size - 1); break;
	}
	return 0;
}
