// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec/purgatory-elf.c on small objects assembled from tests/fixtures/purgatory-reloc/:
 * layout, every supported relocation type at two bases, overflow checks,
 * unsupported types and undefined symbols refused by name, and symbol
 * set/get/symaddr with their size and section checks.  Then the real
 * embedded purgatory, relocated low and above 4 GiB.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/bytes.h"
#include "base/ctx.h"
#include "kexec/purgatory.h"

struct fixture {
	struct kx_ctx ctx;
	unsigned char *elf;
	size_t len;
	struct kx_purgatory *p;
};

static unsigned char *slurp(const char *name, size_t *len)
{
	char path[4096];
	unsigned char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", RELOC_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int load(struct fixture *fx, const char *name)
{
	memset(fx, 0, sizeof(*fx));
	fx->elf = slurp(name, &fx->len);
	return kx_purgatory_new(&fx->ctx, fx->elf, fx->len, &fx->p);
}

static void unload(struct fixture *fx)
{
	kx_purgatory_free(fx->p);
	free(fx->elf);
}

static uint64_t addr(struct fixture *fx, const char *sym)
{
	uint64_t a = 0;

	if (kx_purgatory_symaddr(&fx->ctx, fx->p, sym, &a))
		fail_msg("symaddr %s: %s", sym, fx->ctx.err);
	return a;
}

/* The relocated image bytes at the address of @sym, plus @off. */
static const uint8_t *at(struct fixture *fx, const char *sym, uint64_t off)
{
	const uint8_t *img = kx_purgatory_buf(fx->p);

	assert_non_null(img);
	return img + (addr(fx, sym) - kx_purgatory_base(fx->p)) + off;
}

static void check_relocated(struct fixture *fx, uint64_t base)
{
	uint64_t target, start;

	assert_int_equal(kx_purgatory_relocate(&fx->ctx, fx->p, base), 0);
	assert_int_equal(kx_purgatory_base(fx->p), base);
	target = addr(fx, "target");
	start = addr(fx, "purgatory_start");
	assert_int_equal(kx_purgatory_entry(fx->p), start);
	/* layout: alignment kept, contents copied to the right offsets */
	assert_int_equal(target % 64, 0);
	assert_int_equal(addr(fx, "far_data") % 4096, 0);
	assert_int_equal(*at(fx, "target", 0), 0xc3);		/* ret */
	assert_int_equal(kx_get64(at(fx, "far_data", 0), 0), 0x0123456789abcdefull);
	/* data relocations */
	assert_int_equal(kx_get64(at(fx, "d64", 0), 0), target + 8);
	assert_int_equal(kx_get32(at(fx, "d32", 0), 0), (uint32_t)(target + 4));
	assert_int_equal((int32_t)kx_get32(at(fx, "d32s", 0), 0), (int64_t)target - 4);
	assert_int_equal((int32_t)kx_get32(at(fx, "dpc32", 0), 0),
			 (int64_t)(target - 4 - addr(fx, "dpc32")));
	assert_int_equal((int32_t)kx_get32(at(fx, "dplt32", 0), 0),
			 (int64_t)(addr(fx, "far_data") - addr(fx, "dplt32")));
	assert_int_equal(kx_get32(at(fx, "dnone", 0), 0), 0x11223344);
	/* text: call rel32 at +1, leaq disp32 at +8, movabs imm64 at +14 */
	assert_int_equal((int32_t)kx_get32(at(fx, "purgatory_start", 1), 0),
			 (int64_t)(target - (start + 5)));
	assert_int_equal((int32_t)kx_get32(at(fx, "purgatory_start", 8), 0),
			 (int64_t)(addr(fx, "d64") - (start + 12)));
	assert_int_equal(kx_get64(at(fx, "purgatory_start", 14), 0), target);
}

static void test_two_bases(void **state)
{
	struct fixture fx;
	uint64_t bufsz, memsz, align, bss;

	assert_int_equal(load(&fx, "purg-reloc-good.ro"), 0);
	kx_purgatory_size(fx.p, &bufsz, &memsz, &align);
	assert_int_equal(align, 4096);
	check_relocated(&fx, 0x100000);
	bss = addr(&fx, "bss8") - 0x100000;
	assert_true(bss >= bufsz && bss + 8 <= memsz);	/* NOBITS after the contents */
	check_relocated(&fx, 0x7fff0000);
	unload(&fx);
}

static void test_overflow(void **state)
{
	struct fixture fx;

	assert_int_equal(load(&fx, "purg-reloc-good.ro"), 0);
	assert_int_equal(kx_purgatory_relocate(&fx.ctx, fx.p, 0x46eff7000ull), -ERANGE);
	assert_non_null(strstr(fx.ctx.err, "R_X86_64_32 against target"));
	assert_null(kx_purgatory_buf(fx.p));
	assert_int_equal(kx_purgatory_relocate(&fx.ctx, fx.p, 0x80000000ull), -ERANGE);
	assert_non_null(strstr(fx.ctx.err, "R_X86_64_32S against target"));
	assert_int_equal(kx_purgatory_relocate(&fx.ctx, fx.p, 0x100800), -EINVAL);
	assert_non_null(strstr(fx.ctx.err, "not aligned"));
	unload(&fx);

	assert_int_equal(load(&fx, "purg-reloc-far.ro"), 0);
	assert_int_equal(kx_purgatory_relocate(&fx.ctx, fx.p, 0x100000), -ERANGE);
	assert_non_null(strstr(fx.ctx.err, "R_X86_64_PC32 against *ABS* does not fit"));
	unload(&fx);
}

static void test_refused(void **state)
{
	struct fixture fx;

	assert_int_equal(load(&fx, "purg-reloc-undef.ro"), -EINVAL);
	assert_null(fx.p);
	assert_non_null(strstr(fx.ctx.err, "undefined symbol kx_not_defined_anywhere"));
	unload(&fx);

	assert_int_equal(load(&fx, "purg-reloc-common.ro"), -EINVAL);
	assert_non_null(strstr(fx.ctx.err, "common symbol shared_thing"));
	unload(&fx);

	assert_int_equal(load(&fx, "purg-reloc-unsupported.ro"), 0);
	assert_int_equal(kx_purgatory_relocate(&fx.ctx, fx.p, 0x100000), -ENOEXEC);
	assert_non_null(strstr(fx.ctx.err,
			       "unsupported relocation R_X86_64_PC64 (24) against target"));
	unload(&fx);
}

static void test_not_elf(void **state)
{
	struct kx_ctx ctx = { 0 };
	struct kx_purgatory *p = (void *)1;
	static const char junk[] = "this is not an ELF object, not even close to one....";
	size_t len;
	unsigned char *elf;

	assert_int_equal(kx_purgatory_new(&ctx, junk, sizeof(junk), &p), -ENOEXEC);
	assert_null(p);
	/* a real object cut short */
	elf = slurp("purg-reloc-good.ro", &len);
	assert_true(kx_purgatory_new(&ctx, elf, 200, &p) < 0);
	assert_null(p);
	free(elf);
}

static void test_symbols(void **state)
{
	uint8_t v16[16], back[16];
	struct fixture fx;
	uint64_t a;

	assert_int_equal(load(&fx, "purg-reloc-good.ro"), 0);
	memset(v16, 0x5a, sizeof(v16));
	assert_int_equal(kx_purgatory_set(&fx.ctx, fx.p, "param16", v16, 16), -EINVAL);
	assert_non_null(strstr(fx.ctx.err, "not relocated"));
	assert_int_equal(kx_purgatory_relocate(&fx.ctx, fx.p, 0x200000), 0);

	assert_int_equal(kx_purgatory_get(&fx.ctx, fx.p, "param16", back, 16), 0);
	assert_int_equal(back[0], 0xab);
	assert_int_equal(kx_purgatory_set(&fx.ctx, fx.p, "param16", v16, 16), 0);
	assert_int_equal(kx_purgatory_get(&fx.ctx, fx.p, "param16", back, 16), 0);
	assert_memory_equal(back, v16, 16);
	assert_memory_equal(at(&fx, "param16", 0), v16, 16);

	assert_int_equal(kx_purgatory_set(&fx.ctx, fx.p, "param16", v16, 8), -EINVAL);
	assert_non_null(strstr(fx.ctx.err, "param16 is 16 bytes, not 8"));
	assert_int_equal(kx_purgatory_set(&fx.ctx, fx.p, "no_such_symbol", v16, 8), -ENOENT);
	assert_non_null(strstr(fx.ctx.err, "no_such_symbol"));
	assert_int_equal(kx_purgatory_set(&fx.ctx, fx.p, "local16", v16, 16), -ENOENT);
	assert_int_equal(kx_purgatory_set(&fx.ctx, fx.p, "bss8", v16, 8), -EINVAL);
	assert_non_null(strstr(fx.ctx.err, ".bss"));
	assert_int_equal(kx_purgatory_get(&fx.ctx, fx.p, "bss8", back, 8), -EINVAL);
	assert_int_equal(kx_purgatory_symaddr(&fx.ctx, fx.p, "bss8", &a), 0);

	/* relocating again rebuilds the image from the object */
	assert_int_equal(kx_purgatory_relocate(&fx.ctx, fx.p, 0x300000), 0);
	assert_int_equal(kx_purgatory_get(&fx.ctx, fx.p, "param16", back, 16), 0);
	assert_int_equal(back[15], 0xab);
	unload(&fx);
}

/* The real purgatory relocates low and high; purgatory_start moves with the base. */
static void test_real_blob(void **state)
{
	static const uint64_t bases[] = { 0x3000, 0x9f000, 0x46eff7000ull, 0x7ffffff00000ull };
	struct kx_ctx ctx = { 0 };
	struct kx_purgatory *p;
	uint64_t bufsz, memsz, align, off = 0;
	size_t i;

	assert_int_equal(kx_purgatory_new(&ctx, kx_purgatory_blob, kx_purgatory_blob_size, &p), 0);
	kx_purgatory_size(p, &bufsz, &memsz, &align);
	assert_true(bufsz > 0 && memsz >= bufsz + 16384 && align <= 4096);
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		if (kx_purgatory_relocate(&ctx, p, bases[i]))
			fail_msg("relocate at %#llx: %s", (unsigned long long)bases[i], ctx.err);
		if (i == 0)
			off = kx_purgatory_entry(p) - bases[i];
		assert_int_equal(kx_purgatory_entry(p), bases[i] + off);
	}
	kx_purgatory_free(p);
}

/*
 * Section sizes and alignments that add up to more than any purgatory (found
 * by the fuzzer: a calloc of 2^56 bytes): refused with a reason, nothing
 * allocated.
 */
static void test_huge_sections(void **state)
{
	static const uint64_t sizes[] = { 0x3fffffff, 0xffffff, 0x100000000000000ULL };
	struct kx_ctx ctx = { 0 };
	struct kx_purgatory *p;
	unsigned char *elf = malloc(kx_purgatory_blob_size);
	uint64_t shoff = kx_get64(kx_purgatory_blob, 0x28);
	unsigned int shnum = kx_get16(kx_purgatory_blob, 0x3c), i, k;

	assert_non_null(elf);
	for (k = 0; k < 3; k++) {
		memcpy(elf, kx_purgatory_blob, kx_purgatory_blob_size);
		for (i = 1; i < shnum; i++) {
			size_t sh = shoff + (size_t)i * 64;

			if (kx_get64(elf, sh + 8) & 2)	/* SHF_ALLOC: sh_size at 32 */
				kx_put64(elf, sh + 32, sizes[k]);
		}
		assert_int_equal(kx_purgatory_new(&ctx, elf, kx_purgatory_blob_size, &p), -EINVAL);
		assert_null(p);
		assert_non_null(strstr(ctx.err, k == 1 ? "need more than 16 MiB" : "has alignment"));
	}
	memcpy(elf, kx_purgatory_blob, kx_purgatory_blob_size);
	kx_put64(elf, shoff + 64 + 48, 1ULL << 40);	/* an alignment of 1 TiB */
	assert_int_equal(kx_purgatory_new(&ctx, elf, kx_purgatory_blob_size, &p), -EINVAL);
	free(elf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_bases),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_not_elf),
		cmocka_unit_test(test_symbols),
		cmocka_unit_test(test_real_blob),
		cmocka_unit_test(test_huge_sections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
