// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The image types beside bzImage64: the PE/COFF parser and unified kernel
 * images (sections, profiles, the initrd pieces, the .cmdline, both system
 * calls through the recorder), and ELF vmlinux files through kexec_load,
 * with good inputs and every kind of bad one the parsers refuse.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/helpers/testimage.h"
#include "tests/unit/unit.h"
#include "base/bytes.h"
#include "base/pe.h"
#include "base/uki.h"
#include "kexec/image.h"
#include "kexec/load.h"
#include "kexec/uki-image.h"

static char dir[64];
static char path[256];

static const char *mkfile(const char *rel, const void *data, size_t len)
{
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/kx-images-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* A bzImage for .linux. */
static uint8_t *bzimage(size_t *len)
{
	struct ti_bzimage p;
	uint8_t *img;

	ti_bzimage_defaults(&p);
	p.payload_len = 8192;
	assert_int_equal(ti_bzimage_build(&p, &img, len), 0);
	return img;
}

#define SEC(n, s) { .name = (n), .data = (s), .size = sizeof(s) - 1 }

/* base: .osrel .cmdline .ucode .linux .initrd; profile 0 (ID=a); profile 1 (ID=b, .cmdline, empty .initrd) */
static uint8_t *uki(size_t *len, bool profiles)
{
	size_t blen;
	uint8_t *bz = bzimage(&blen), *img;
	struct ti_pe_section s[] = {
		SEC(".osrel", "NAME=Test\nPRETTY_NAME=\"Test OS 1\"\n"),
		SEC(".cmdline", "\n  console=ttyS0\tquiet \n\n"),
		SEC(".uname", "6.1.0-test\n"),
		SEC(".ucode", "UCODE"),
		{ .name = ".linux", .data = bz, .size = blen },
		SEC(".initrd", "INITRD-BASE"),
		SEC(".profile", "ID=a\nTITLE='First'\n"),
		SEC(".profile", "ID=b\n"),
		SEC(".cmdline", "profile=1"),
		{ .name = ".initrd", .data = "", .size = 0 },
	};

	assert_int_equal(ti_pe_build(s, profiles ? 10 : 6, &img, len), 0);
	free(bz);
	return img;
}

static void expect_err(struct kx_ctx *ctx, int rc, int want, const char *needle)
{
	if (rc != want)
		fail_msg("expected %d ('%s'), got %d ('%s')", want, needle, rc, ctx->err);
	if (!strstr(ctx->err, needle))
		fail_msg("error '%s' lacks '%s'", ctx->err, needle);
}

static void test_pe_good(void **state)
{
	struct kx_ctx ctx = { 0 };
	struct kx_pe pe;
	size_t len;
	uint8_t *img = uki(&len, true);

	assert_true(kx_pe_magic(img, len));
	assert_int_equal(kx_pe_parse(&ctx, "u.efi", img, len, &pe), 0);
	assert_int_equal(pe.nsec, 10);
	assert_true(pe.pe32plus);
	assert_string_equal(pe.sec[4].name, ".linux");
	assert_int_equal(kx_pe_find(&pe, ".profile", 0, pe.nsec), 6);
	assert_int_equal(kx_pe_find(&pe, ".profile", 7, pe.nsec), 7);
	assert_int_equal(kx_pe_find(&pe, ".dtb", 0, pe.nsec), -1);
	/* VirtualSize is the payload; the file holds it padded */
	assert_int_equal(pe.sec[3].size, 5);
	assert_int_equal(pe.sec[3].raw_size, 0x200);
	assert_memory_equal(pe.sec[3].data, "UCODE", 5);
	kx_pe_free(&pe);
	free(img);
}

/* Corrupt one field of a good UKI at @off (a 16- or 32-bit value) and expect @needle. */
static void pe_bad(size_t off, int width, uint32_t v, size_t cut, const char *needle)
{
	struct kx_ctx ctx = { 0 };
	struct kx_pe pe;
	size_t len;
	uint8_t *img = uki(&len, true);

	if (width == 16)
		kx_put16(img, off, (uint16_t)v);
	else if (width == 32)
		kx_put32(img, off, v);
	expect_err(&ctx, kx_pe_parse(&ctx, "bad.efi", img, cut ? cut : len, &pe), -ENOEXEC,
		   needle);
	assert_non_null(strstr(ctx.err, "bad.efi"));
	free(img);
}

#define SECHDR(i) (TI_PE_SECTION_TABLE + (i) * TI_PE_SEC_SIZE)

static void test_pe_bad(void **state)
{
	pe_bad(0, 16, 0x4242, 0, "no DOS header");
	pe_bad(0x3c, 32, 0xfffffff0, 0, "no DOS header");
	pe_bad(TI_PE_LFANEW, 32, 0x4c45, 0, "no DOS header");	/* not PE\0\0 */
	pe_bad(TI_PE_LFANEW + 4, 16, 0x014c, 0, "machine type 0x014c");
	pe_bad(TI_PE_LFANEW + 6, 16, 0, 0, "0 sections");
	pe_bad(TI_PE_LFANEW + 6, 16, 0xffff, 0, "65535 sections");
	pe_bad(TI_PE_LFANEW + 24, 16, 0x1234, 0, "optional header magic");
	pe_bad(0, 0, 0, TI_PE_SECTION_TABLE + 20, "section table");
	pe_bad(0, 0, 0, TI_PE_LFANEW + 10, "ends inside the COFF header");
	/* .linux (section 4) past the end of the file */
	pe_bad(SECHDR(4) + 16, 32, 0x7fffffff, 0, "runs past the end");
	/* offset + size overflowing 32 bits */
	pe_bad(SECHDR(4) + 20, 32, 0xffffff00, 0, "runs past the end");
	pe_bad(SECHDR(2) + 12, 32, 0xfffffffa, 0, "overflows");
	/* two sections sharing file bytes, or memory */
	pe_bad(SECHDR(5) + 20, 32, 0x400, 0, "overlap");
	pe_bad(SECHDR(5) + 12, 32, 0x1000, 0, "overlap in memory");
	/* data inside the headers */
	pe_bad(SECHDR(0) + 20, 32, 0x10, 0, "overlaps the headers");
}

static void test_uki_profiles(void **state)
{
	struct kx_ctx ctx = { 0 };
	struct kx_uki u;
	size_t len;
	uint8_t *img = uki(&len, true);
	char *cmd;

	assert_int_equal(kx_uki_parse(&ctx, "u.efi", img, len, 0, &u), 0);
	assert_int_equal(u.nprofiles, 2);
	assert_string_equal(u.profile_id, "a");
	assert_string_equal(u.profile_title, "First");
	assert_string_equal(u.os, "Test OS 1");
	assert_string_equal(u.uname, "6.1.0-test");
	assert_false(u.part[KX_UKI_CMDLINE].from_profile);
	assert_int_equal(kx_uki_cmdline(&u, &cmd), 0);
	assert_string_equal(cmd, "console=ttyS0 quiet");	/* as systemd-stub mangles it */
	free(cmd);
	assert_memory_equal(u.part[KX_UKI_INITRD].data, "INITRD-BASE", 11);
	kx_uki_free(&u);

	/* profile 1: its .cmdline replaces the base one, its empty .initrd removes it */
	assert_int_equal(kx_uki_parse(&ctx, "u.efi", img, len, 1, &u), 0);
	assert_string_equal(u.profile_id, "b");
	assert_true(u.part[KX_UKI_CMDLINE].from_profile);
	assert_int_equal(kx_uki_cmdline(&u, &cmd), 0);
	assert_string_equal(cmd, "profile=1");
	free(cmd);
	assert_null(u.part[KX_UKI_INITRD].data);
	assert_non_null(u.part[KX_UKI_UCODE].data);
	assert_false(u.part[KX_UKI_LINUX].from_profile);
	kx_uki_free(&u);

	expect_err(&ctx, kx_uki_parse(&ctx, "u.efi", img, len, 2, &u), -ENOEXEC,
		   "profile 2 does not exist: this UKI has profiles 0 to 1");
	free(img);

	/* without .profile sections only profile 0 exists */
	img = uki(&len, false);
	assert_int_equal(kx_uki_parse(&ctx, "u.efi", img, len, 0, &u), 0);
	assert_int_equal(u.nprofiles, 0);
	kx_uki_free(&u);
	expect_err(&ctx, kx_uki_parse(&ctx, "u.efi", img, len, 1, &u), -ENOEXEC,
		   "this UKI has only profile 0");
	free(img);
}

static void test_uki_bad(void **state)
{
	struct ti_pe_section s[] = { SEC(".osrel", "ID=x\n"), SEC(".initrd", "I") };
	struct kx_ctx ctx = { 0 };
	struct kx_uki_parts p;
	struct kx_uki u;
	uint8_t *img;
	size_t len;

	assert_int_equal(ti_pe_build(s, 2, &img, &len), 0);
	expect_err(&ctx, kx_uki_parse(&ctx, "nolinux.efi", img, len, 0, &u), -ENOEXEC,
		   "nolinux.efi: it has no .linux section");
	free(img);
	/* a .linux that is not a bzImage */
	s[1].name = ".linux";
	assert_int_equal(ti_pe_build(s, 2, &img, &len), 0);
	expect_err(&ctx, kx_uki_parts_get(&ctx, "junk.efi", img, len, 0, NULL, NULL, 0, &p),
		   -ENOEXEC, "junk.efi (.linux of the base)");
	free(img);
	/* a bzImage is a PE image too (its EFI stub), but not a UKI */
	img = bzimage(&len);
	memcpy(img, "MZ", 2);
	kx_put32(img, 0x3c, 0x40);
	memcpy(img + 0x40, "PE\0\0", 4);
	assert_false(kx_uki_looks_like(img, len));
	free(img);
}

static void test_uki_initrd_pieces(void **state)
{
	struct kx_ctx ctx = { 0 };
	struct kx_uki_parts p;
	uint8_t *img, *cat;
	size_t len;

	img = uki(&len, true);
	assert_int_equal(kx_uki_parts_get(&ctx, "u.efi", img, len, 0, NULL, NULL, 0, &p), 0);
	assert_int_equal(p.ninitrd, 2);
	assert_string_equal(p.initrd[0].from, ".ucode of the base");
	assert_string_equal(p.initrd[1].from, ".initrd of the base");
	/* .ucode first, each piece padded to 4 bytes: 5 -> 8, 11 -> 12 */
	assert_int_equal(p.initrd_size, 20);
	assert_int_equal(kx_uki_initrd_concat(&p, &cat), 0);
	assert_memory_equal(cat, "UCODE\0\0\0INITRD-BASE\0", 20);
	free(cat);
	kx_uki_parts_free(&p);

	/* a caller's initrd replaces .initrd; .ucode stays first */
	assert_int_equal(kx_uki_parts_get(&ctx, "u.efi", img, len, 0, "my.img",
					  (const uint8_t *)"MINE", 4, &p), 0);
	assert_int_equal(p.ninitrd, 2);
	assert_string_equal(p.initrd[1].from, "--initrd my.img (instead of the UKI's .initrd)");
	assert_int_equal(p.initrd_size, 12);
	kx_uki_parts_free(&p);
	free(img);
}

static void load_req(struct kx_load_req *r, const char *kernel, const char *initrd)
{
	memset(r, 0, sizeof(*r));
	r->kernel = kernel;
	r->initrd = initrd;
	r->cmdline = "console=ttyS0";
	r->mem_max = UINT64_MAX;
	r->gate = KX_TDX_GATE_MODE_OFF;
}

static void test_uki_classic(void **state)
{
	struct unit_ctx u;
	struct kx_load_req r;
	const struct kx_call *c;
	uint8_t *img;
	size_t len, i;
	char kernel[256];

	img = uki(&len, true);
	snprintf(kernel, sizeof(kernel), "%s", mkfile("u.efi", img, len));
	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	load_req(&r, kernel, NULL);
	assert_int_equal(kx_load_classic(&u.ctx, &r), 0);
	assert_int_equal(u.rec.nr, 1);
	c = &u.rec.calls[0];
	assert_int_equal(c->plan.nr, 4);
	for (i = 0; i < c->plan.nr; i++)
		if (strcmp(c->plan.seg[i].what, "initrd") == 0)
			assert_int_equal(c->plan.seg[i].bufsz, 20);
	unit_ctx_fini(&u);

	/* --uki-profile on a bzImage is an error */
	free(img);
	img = bzimage(&len);
	snprintf(kernel, sizeof(kernel), "%s", mkfile("bz", img, len));
	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	load_req(&r, kernel, NULL);
	r.uki_profile_set = true;
	r.uki_profile = 1;
	expect_err(&u.ctx, kx_load_classic(&u.ctx, &r), -EINVAL, "is not a unified kernel image");
	assert_int_equal(u.rec.nr, 0);
	unit_ctx_fini(&u);
	free(img);
}

static void test_uki_file(void **state)
{
	struct unit_ctx u;
	struct kx_load_req r;
	const struct kx_call *c;
	uint8_t *img;
	size_t len;
	char kernel[256], initrd[256];

	img = uki(&len, true);
	snprintf(kernel, sizeof(kernel), "%s", mkfile("u.efi", img, len));
	snprintf(initrd, sizeof(initrd), "%s", mkfile("my.img", "MINE+", 5));
	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	load_req(&r, kernel, initrd);
	r.uki_profile = 1;
	r.uki_profile_set = true;
	assert_int_equal(kx_load_file(&u.ctx, &r), 0);
	c = &u.rec.calls[0];
	assert_int_equal(c->kind, KX_CALL_KEXEC_FILE_LOAD);
	assert_int_equal(c->kernel_size, 8192 + 28 * 512);	/* the .linux, byte for byte */
	assert_int_equal(c->initrd_size, 8 + 8);		/* .ucode + --initrd, padded */
	assert_false(c->file.flags & KX_KEXEC_FILE_NO_INITRAMFS);
	assert_non_null(strstr(c->file.initrd_src, ".ucode of the base (5 bytes) + --initrd"));
	unit_ctx_fini(&u);

	/* profile 1 has no .initrd and no --initrd: .ucode alone */
	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	load_req(&r, kernel, NULL);
	r.uki_profile = 1;
	assert_int_equal(kx_load_file(&u.ctx, &r), 0);
	assert_int_equal(u.rec.calls[0].initrd_size, 8);
	unit_ctx_fini(&u);
	free(img);
}

static void test_uki_cmdline(void **state)
{
	struct kx_cmdline_req c = { 0 };
	struct kx_ctx ctx = { 0 };
	uint8_t *img;
	size_t len;
	char *out, kernel[256];
	bool from;

	img = uki(&len, true);
	snprintf(kernel, sizeof(kernel), "%s", mkfile("u.efi", img, len));
	c.kernel = kernel;
	assert_int_equal(kx_cmdline_build(&ctx, &c, &out, &from), 0);
	assert_string_equal(out, "console=ttyS0 quiet");
	assert_true(from);
	free(out);
	c.uki_profile = 1;
	assert_int_equal(kx_cmdline_build(&ctx, &c, &out, &from), 0);
	assert_string_equal(out, "profile=1");
	free(out);
	/* --append replaces the .cmdline */
	c.append = "x=1";
	assert_int_equal(kx_cmdline_build(&ctx, &c, &out, &from), 0);
	assert_string_equal(out, "x=1");
	assert_false(from);
	free(out);
	free(img);
}

/* ---- ELF ---------------------------------------------------------------- */

static const char *vmlinux(const struct ti_elf_load *l, size_t n, uint64_t entry)
{
	uint8_t *img;
	size_t len;
	const char *p;

	assert_int_equal(ti_elf_build(entry, l, n, &img, &len), 0);
	p = mkfile("vmlinux", img, len);
	free(img);
	return p;
}

static const struct ti_elf_load loads[] = {
	{ .paddr = 0x1000000, .filesz = 0x3000, .memsz = 0x3000 },
	{ .paddr = 0x1400000, .filesz = 0x1000, .memsz = 0x5000 },	/* with a .bss tail */
};

static void test_elf_good(void **state)
{
	struct unit_ctx u;
	struct kx_load_req r;
	const struct kx_call *c;
	char kernel[256];

	snprintf(kernel, sizeof(kernel), "%s", vmlinux(loads, 2, 0x1000800));
	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	load_req(&r, kernel, NULL);
	assert_int_equal(kx_load_classic(&u.ctx, &r), 0);
	c = &u.rec.calls[0];
	assert_int_equal(c->plan.nr, 4);	/* 2 loads, purgatory, zero page */
	assert_int_equal(c->plan.seg[0].mem, 0x1000000);
	assert_int_equal(c->plan.seg[0].bufsz, 0x3000);
	assert_int_equal(c->plan.seg[1].mem, 0x1400000);
	assert_int_equal(c->plan.seg[1].bufsz, 0x1000);
	assert_int_equal(c->plan.seg[1].memsz, 0x5000);
	assert_string_equal(c->plan.seg[2].what, "purgatory");
	assert_string_equal(c->plan.seg[3].what, "zero page");
	/* the boot parameters stay below 4 GiB */
	assert_true(c->plan.seg[3].mem < 0x100000000ULL);
	assert_true(kx_image_type_find("elf-x86_64") != NULL);
	unit_ctx_fini(&u);
}

static void elf_bad(const char *kind, const struct ti_elf_load *l, size_t n, uint64_t entry,
		    const char *needle)
{
	struct unit_ctx u;
	struct kx_load_req r;
	uint8_t *img;
	size_t len;
	char kernel[256];

	assert_int_equal(ti_elf_build(entry, l, n, &img, &len), 0);
	if (strcmp(kind, "machine") == 0)
		kx_put16(img, 18, 3);
	else if (strcmp(kind, "dyn") == 0)
		kx_put16(img, 16, 3);
	else if (strcmp(kind, "interp") == 0)
		kx_put32(img + TI_ELF_PHOFF + n * 56, 0, 3);
	else if (strcmp(kind, "past-end") == 0)
		kx_put64(img + TI_ELF_PHOFF, 8, len - 16);
	else if (strcmp(kind, "phnum") == 0)
		kx_put16(img, 56, 0xffff);
	else if (strcmp(kind, "class") == 0)
		img[4] = 1;
	snprintf(kernel, sizeof(kernel), "%s", mkfile("bad-vmlinux", img, len));
	free(img);
	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	load_req(&r, kernel, NULL);
	r.type = "elf-x86_64";
	expect_err(&u.ctx, kx_load_classic(&u.ctx, &r), strcmp(kind, "ram") ? -ENOEXEC : -ENOSPC,
		   needle);
	assert_int_equal(u.rec.nr, 0);
	unit_ctx_fini(&u);
}

static void test_elf_bad(void **state)
{
	const struct ti_elf_load overlap[] = {
		{ .paddr = 0x1000000, .filesz = 0x2000, .memsz = 0x2000 },
		{ .paddr = 0x1001000, .filesz = 0x1000, .memsz = 0x1000 },
	};
	const struct ti_elf_load unaligned[] = { { .paddr = 0x1000800, .filesz = 16, .memsz = 16 } };
	const struct ti_elf_load big[] = { { .paddr = 0x1000000, .filesz = 16, .memsz = 8 } };
	const struct ti_elf_load noram[] = { { .paddr = 0x40000000, .filesz = 16, .memsz = 16 } };

	elf_bad("machine", loads, 2, 0x1000000, "its machine is 3, not x86_64");
	elf_bad("dyn", loads, 2, 0x1000000, "position-independent");
	elf_bad("interp", loads, 2, 0x1000000, "a user-space program");
	elf_bad("past-end", loads, 2, 0x1000000, "run past the end");
	elf_bad("phnum", loads, 2, 0x1000000, "65535 program headers");
	elf_bad("class", loads, 2, 0x1000000, "not a 64-bit little-endian");
	elf_bad("", loads, 2, 0x2000000, "entry point 0x2000000 is in none");
	elf_bad("", overlap, 2, 0x1000000, "overlap");
	elf_bad("", unaligned, 1, 0x1000800, "not page aligned");
	elf_bad("", big, 1, 0x1000000, "more file bytes");
	elf_bad("ram", noram, 1, 0x40000000, "exactly where its program headers say");
}

/* kexec_file_load cannot take a vmlinux: refused before the call, the other call suggested. */
static void test_elf_file_refused(void **state)
{
	struct unit_ctx u;
	struct kx_load_req r;
	char kernel[256];

	snprintf(kernel, sizeof(kernel), "%s", vmlinux(loads, 2, 0x1000000));
	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	load_req(&r, kernel, NULL);
	expect_err(&u.ctx, kx_load_file(&u.ctx, &r), -ENOEXEC, "kexec_file_load cannot load it");
	assert_true(u.ctx.other_call);
	assert_null(u.ctx.failed_call);
	assert_int_equal(u.rec.nr, 0);
	unit_ctx_fini(&u);
}

/* Without -t, a file no type takes gets the error of the type its magic claims. */
static void test_pick_type_errors(void **state)
{
	struct unit_ctx u;
	struct kx_load_req r;
	char kernel[256];
	uint8_t *img;
	size_t len;

	img = uki(&len, true);
	kx_put16(img, TI_PE_LFANEW + 6, 0);
	snprintf(kernel, sizeof(kernel), "%s", mkfile("u.efi", img, len));
	free(img);
	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	load_req(&r, kernel, NULL);
	expect_err(&u.ctx, kx_load_classic(&u.ctx, &r), -ENOEXEC, "expected an x86_64 PE/EFI image");
	unit_ctx_fini(&u);

	snprintf(kernel, sizeof(kernel), "%s", mkfile("short", "\177ELF\2\1", 6));
	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	load_req(&r, kernel, NULL);
	expect_err(&u.ctx, kx_load_classic(&u.ctx, &r), -ENOEXEC, "expected an ELF64 x86_64 vmlinux");
	unit_ctx_fini(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pe_good),
		cmocka_unit_test(test_pe_bad),
		cmocka_unit_test(test_uki_profiles),
		cmocka_unit_test(test_uki_bad),
		cmocka_unit_test(test_uki_initrd_pieces),
		cmocka_unit_test(test_uki_classic),
		cmocka_unit_test(test_uki_file),
		cmocka_unit_test(test_uki_cmdline),
		cmocka_unit_test(test_elf_good),
		cmocka_unit_test(test_elf_bad),
		cmocka_unit_test(test_elf_file_refused),
		cmocka_unit_test(test_pick_type_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
