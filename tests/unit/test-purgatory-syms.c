// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The BUILT purgatory/purgatory.ro, read with libelf on its own (not
 * through the loader): every symbol the loader fills exists, is GLOBAL, is
 * in a section with contents (not NOBITS) and has the size the loader
 * writes; the addresses the loader reads exist; nothing is undefined; the
 * only relocations are ones that work at any address; and the copy
 * embedded in the program is this file.
 */
#include "config.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kexec/purgatory.h"

struct obj {
	int fd;
	Elf *elf;
	Elf_Data *syms;
	size_t nsyms, strndx;
};

static int setup(void **state)
{
	struct obj *o = calloc(1, sizeof(*o));
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	assert_non_null(o);
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	o->fd = open(PURGATORY_RO, O_RDONLY);
	assert_true(o->fd >= 0);
	o->elf = elf_begin(o->fd, ELF_C_READ, NULL);
	assert_non_null(o->elf);
	while ((scn = elf_nextscn(o->elf, scn))) {
		assert_non_null(gelf_getshdr(scn, &sh));
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		o->syms = elf_getdata(scn, NULL);
		o->nsyms = sh.sh_size / sh.sh_entsize;
		o->strndx = sh.sh_link;
	}
	assert_non_null(o->syms);
	*state = o;
	return 0;
}

static int teardown(void **state)
{
	struct obj *o = *state;

	elf_end(o->elf);
	close(o->fd);
	free(o);
	return 0;
}

static const char *name_of(struct obj *o, const GElf_Sym *s)
{
	return elf_strptr(o->elf, o->strndx, s->st_name);
}

/* The GLOBAL symbol @name and its section header; fails the test if absent. */
static void find(struct obj *o, const char *name, GElf_Sym *sym, GElf_Shdr *sh)
{
	size_t i;

	for (i = 1; i < o->nsyms; i++) {
		assert_non_null(gelf_getsym(o->syms, (int)i, sym));
		if (strcmp(name_of(o, sym), name) || GELF_ST_BIND(sym->st_info) != STB_GLOBAL)
			continue;
		assert_true(sym->st_shndx != SHN_UNDEF && sym->st_shndx < SHN_LORESERVE);
		assert_non_null(gelf_getshdr(elf_getscn(o->elf, sym->st_shndx), sh));
		return;
	}
	fail_msg("purgatory.ro has no GLOBAL symbol %s", name);
}

static void test_params(void **state)
{
	const struct kx_purgatory_param *prm;
	unsigned int n = 0;
	GElf_Sym sym;
	GElf_Shdr sh;

	for (prm = kx_purgatory_params; prm->name; prm++, n++) {
		find(*state, prm->name, &sym, &sh);
		if (sh.sh_type == SHT_NOBITS || !(sh.sh_flags & SHF_ALLOC))
			fail_msg("%s is not in a loaded section with contents", prm->name);
		if (sym.st_size != prm->size)
			fail_msg("%s is %llu bytes, the loader writes %zu", prm->name,
				 (unsigned long long)sym.st_size, prm->size);
		assert_int_equal(GELF_ST_TYPE(sym.st_info), STT_OBJECT);
		assert_true(sym.st_value + sym.st_size <= sh.sh_size);
	}
	/* entry registers, consoles (5), checks, mismatch policy, gate (3), digest table,
	 * kdump backup (3) */
	assert_int_equal(n, 15);
}

static void test_addresses(void **state)
{
	GElf_Sym sym;
	GElf_Shdr sh;

	find(*state, "purgatory_start", &sym, &sh);
	assert_int_equal(GELF_ST_TYPE(sym.st_info), STT_FUNC);
	assert_true(sh.sh_flags & SHF_EXECINSTR);
	find(*state, "stack_end", &sym, &sh);
	assert_true(sh.sh_flags & SHF_ALLOC);
	assert_int_equal(sym.st_value % 16, 0);
}

static void test_no_undefined(void **state)
{
	struct obj *o = *state;
	GElf_Sym sym;
	size_t i;

	for (i = 1; i < o->nsyms; i++) {
		assert_non_null(gelf_getsym(o->syms, (int)i, &sym));
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_COMMON)
			fail_msg("undefined or common symbol %s", name_of(o, &sym));
	}
}

/* Only absolute 64-bit and PC-relative 32-bit relocations: the image can sit anywhere. */
static void test_relocation_types(void **state)
{
	struct obj *o = *state;
	Elf_Scn *scn = NULL;
	unsigned int seen = 0;
	GElf_Shdr sh, target;

	while ((scn = elf_nextscn(o->elf, scn))) {
		Elf_Data *d;
		size_t k;

		assert_non_null(gelf_getshdr(scn, &sh));
		assert_int_not_equal(sh.sh_type, SHT_REL);
		if (sh.sh_type != SHT_RELA)
			continue;
		assert_non_null(gelf_getshdr(elf_getscn(o->elf, sh.sh_info), &target));
		if (!(target.sh_flags & SHF_ALLOC))
			continue;
		d = elf_getdata(scn, NULL);
		for (k = 0; k < sh.sh_size / sh.sh_entsize; k++, seen++) {
			GElf_Rela r;
			unsigned int t;

			assert_non_null(gelf_getrela(d, (int)k, &r));
			t = (unsigned int)GELF_R_TYPE(r.r_info);
			if (t != R_X86_64_64 && t != R_X86_64_PC32 && t != R_X86_64_PLT32)
				fail_msg("relocation type %u limits where the purgatory can go", t);
		}
	}
	assert_true(seen > 0);
}

static void test_embedded_copy(void **state)
{
	FILE *f = fopen(PURGATORY_RO, "rb");
	unsigned char *buf;
	long len;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	assert_true(len > 0);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	assert_int_equal(kx_purgatory_blob_size, (size_t)len);
	assert_memory_equal(kx_purgatory_blob, buf, (size_t)len);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_no_undefined),
		cmocka_unit_test(test_relocation_types),
		cmocka_unit_test(test_embedded_copy),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
