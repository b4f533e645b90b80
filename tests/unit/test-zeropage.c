// SPDX-License-Identifier: GPL-2.0-or-later
/* The zero page built against recorded hosts: every field the boot protocol needs. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "tests/helpers/testimage.h"
#include "tests/unit/unit.h"
#include "kexec/bootparam.h"
#include "base/bytes.h"
#include "base/bzimage.h"
#include "kexec/memmap.h"
#include "kexec/load.h"
#include "kexec/zeropage.h"

static uint8_t image[8192];
static struct kx_memmap map;

/* A minimal bzImage header; the zero page only copies the setup header. */
static void make_bz(struct kx_bzimage *bz, uint16_t xlf)
{
	struct kx_ctx ctx = { 0 };
	struct ti_bzimage p;

	memset(image, 0, sizeof(image));
	ti_bzimage_defaults(&p);
	p.setup_sects = 1;
	p.version = NULL;
	p.xloadflags = xlf;
	p.cmdline_size = 64;
	ti_bzimage_header(image, sizeof(image), &p);
	assert_int_equal(kx_bzimage_parse(&ctx, "test", image, sizeof(image), bz), 0);
}

static void opts_default(struct kx_load_req *o)
{
	memset(o, 0, sizeof(*o));
	o->mem_max = UINT64_MAX;
}

/* The request with @cmdline as the new kernel's command line. */
static const struct kx_load_req *req(struct kx_load_req *o, const char *cmdline)
{
	o->cmdline = cmdline;
	return o;
}

/* Walk the setup_data list; returns the number of nodes, types in @types. */
static int walk(const struct kx_zeropage *zp, uint32_t *types, uint32_t *lens)
{
	uint64_t pa = kx_get64(zp->buf, KX_BZ_SETUP_DATA);
	int n = 0;

	while (pa) {
		size_t off;

		assert_true(pa >= zp->base && pa < zp->base + zp->size);
		off = (size_t)(pa - zp->base);
		types[n] = kx_get32(zp->buf, off + 8);
		lens[n] = kx_get32(zp->buf, off + 12);
		assert_true(off + KX_SETUP_DATA_HDR + lens[n] <= zp->size);
		n++;
		pa = kx_get64(zp->buf, off);
	}
	return n;
}

static void test_qemu(void **state)
{
	static const char tag[] = "TDXG record";
	struct kx_setup_extra extra = { 0x54445847, tag, sizeof(tag) };
	struct kx_zeropage zp;
	struct kx_bzimage bz;
	struct kx_load_req o;
	struct unit_ctx u;
	uint32_t types[8], lens[8];
	const uint8_t *bp;
	uint64_t base = 0xffd2000, initrd = 0x123456000ULL, mem_k;
	int n;

	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	make_bz(&bz, 0x7f);
	opts_default(&o);
	assert_int_equal(kx_memmap_read(&u.ctx, &map), 0);
	assert_int_equal(kx_zp_prepare(&u.ctx, &zp, req(&o, "console=ttyS0 root=/dev/ram0"), &bz, &map,
				       &extra, 1), 0);
	assert_true(zp.have_cur);
	assert_false(zp.efi);	/* SeaBIOS: no EFI memory map in boot_params */
	assert_int_equal(kx_zp_finish(&u.ctx, &zp, &bz, base, initrd, 0x2345), 0);
	bp = zp.buf;
	/* header copied from the image, loader fields ours */
	assert_memory_equal(bp + KX_BZ_HEADER, "HdrS", 4);
	assert_int_equal(kx_get16(bp, KX_BZ_VERSION), 0x020f);
	assert_int_equal(bp[KX_BZ_TYPE_OF_LOADER], 0xD0);
	assert_int_equal(bp[KX_BZ_LOADFLAGS], 0);
	/* command line right after the zero page */
	assert_int_equal(kx_get32(bp, KX_BZ_CMD_LINE_PTR), (uint32_t)(base + 4096));
	assert_int_equal(kx_get32(bp, KX_BP_EXT_CMD_LINE_PTR), 0);
	assert_string_equal((const char *)bp + 4096, "console=ttyS0 root=/dev/ram0");
	assert_int_equal(kx_get16(bp, KX_SI_CL_MAGIC), KX_CL_MAGIC_VALUE);
	assert_int_equal(kx_get16(bp, KX_SI_CL_OFFSET), 4096);
	/* an initrd above 4 GiB uses the ext_ fields */
	assert_int_equal(kx_get32(bp, KX_BZ_RAMDISK_IMAGE), 0x23456000);
	assert_int_equal(kx_get32(bp, KX_BP_EXT_RAMDISK_IMAGE), 1);
	assert_int_equal(kx_get32(bp, KX_BZ_RAMDISK_SIZE), 0x2345);
	assert_int_equal(kx_get32(bp, KX_BP_EXT_RAMDISK_SIZE), 0);
	/* e820: the firmware map as is */
	assert_int_equal(bp[KX_BP_E820_ENTRIES], 7);
	assert_int_equal(kx_get64(bp, KX_BP_E820_TABLE + 3 * 20), 0x100000);
	assert_int_equal(kx_get64(bp, KX_BP_E820_TABLE + 3 * 20 + 8), 0xfee0000);
	assert_int_equal(kx_get32(bp, KX_BP_E820_TABLE + 3 * 20 + 16), 1);
	mem_k = (0xffdffffULL >> 10) - 1024;
	assert_int_equal(kx_get32(bp, KX_BP_ALT_MEM_K), mem_k);
	assert_int_equal(kx_get16(bp, KX_SI_EXT_MEM_K), 0xfc00);
	/* from this boot: the subarch and screen info (80x25 VGA text in the guest) */
	assert_int_equal(kx_get32(bp, KX_BZ_HARDWARE_SUBARCH), kx_get32(zp.cur, KX_BZ_HARDWARE_SUBARCH));
	assert_int_equal(bp[KX_SI_ORIG_VIDEO_ISVGA], zp.cur[KX_SI_ORIG_VIDEO_ISVGA]);
	assert_int_equal(kx_get64(bp, KX_BP_ACPI_RSDP_ADDR), kx_get64(zp.cur, KX_BP_ACPI_RSDP_ADDR));
	/* setup_data: the caller's node last added, so first in the list; then the RNG seed */
	n = walk(&zp, types, lens);
	assert_int_equal(n, 2);
	assert_int_equal(types[0], 0x54445847);
	assert_int_equal(lens[0], sizeof(tag));
	assert_memory_equal(zp.buf + zp.extra_off[0], tag, sizeof(tag));
	assert_int_equal(types[1], KX_SETUP_RNG_SEED);
	assert_int_equal(lens[1], 32);
	kx_zp_free(&zp);
	unit_ctx_fini(&u);
}

/* More ranges than the zero page holds: the rest in SETUP_E820_EXT. */
static void test_e820_ext(void **state)
{
	struct kx_zeropage zp;
	struct kx_bzimage bz;
	struct kx_load_req o;
	struct unit_ctx u;
	uint32_t types[8], lens[8];
	int n;

	unit_ctx_init(&u, "memmaps/many-ranges");
	make_bz(&bz, 0x7f);
	opts_default(&o);
	assert_int_equal(kx_memmap_read(&u.ctx, &map), 0);
	assert_int_equal(kx_zp_prepare(&u.ctx, &zp, req(&o, ""), &bz, &map, NULL, 0), 0);
	assert_false(zp.have_cur);	/* no boot_params recorded: defaults */
	assert_int_equal(kx_zp_finish(&u.ctx, &zp, &bz, 0x7000000, 0, 0), 0);
	assert_int_equal(zp.buf[KX_BP_E820_ENTRIES], 128);
	n = walk(&zp, types, lens);
	assert_int_equal(n, 2);
	assert_int_equal(types[1], KX_SETUP_E820_EXT);
	assert_int_equal(lens[1], (204 - 128) * 20);
	/* the defaults kexec-tools uses without this boot's screen info */
	assert_int_equal(zp.buf[KX_SI_ORIG_VIDEO_COLS], 80);
	assert_int_equal(zp.buf[KX_SI_ORIG_VIDEO_LINES], 25);
	assert_int_equal(zp.buf[KX_SI_ORIG_VIDEO_ISVGA], 1);
	assert_int_equal(zp.buf[4096], 0);	/* the empty command line is still NUL-terminated */
	kx_zp_free(&zp);
	unit_ctx_fini(&u);
}

static void test_cmdline_too_long(void **state)
{
	char line[80];
	struct kx_zeropage zp;
	struct kx_bzimage bz;
	struct kx_load_req o;
	struct unit_ctx u;

	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	make_bz(&bz, 0x7f);
	opts_default(&o);
	assert_int_equal(kx_memmap_read(&u.ctx, &map), 0);
	memset(line, 'x', 64);
	line[64] = '\0';	/* 65 bytes with the NUL; cmdline_size is 64 */
	assert_int_equal(kx_zp_prepare(&u.ctx, &zp, req(&o, line), &bz, &map, NULL, 0), -E2BIG);
	assert_non_null(strstr(u.ctx.err, "the command line is 65 bytes with its NUL; this kernel takes at most 64"));
	kx_zp_free(&zp);
	line[63] = '\0';
	assert_int_equal(kx_zp_prepare(&u.ctx, &zp, req(&o, line), &bz, &map, NULL, 0), 0);
	kx_zp_free(&zp);
	unit_ctx_fini(&u);
}

/* A UEFI guest: the runtime map and SETUP_EFI go to a kernel that asks for them. */
static void test_uefi(void **state)
{
	struct kx_zeropage zp;
	struct kx_bzimage bz;
	struct kx_load_req o;
	struct unit_ctx u;
	uint32_t types[8], lens[8];
	const uint8_t *ei, *esd = NULL, *d;
	uint64_t base = 0x1e000000, map_pa;
	int n, i;

	unit_ctx_init(&u, "memmaps/uefi-q35-512m");
	make_bz(&bz, 0x7f);
	opts_default(&o);
	assert_int_equal(kx_memmap_read(&u.ctx, &map), 0);
	assert_int_equal(map.nr, 17);
	assert_int_equal(kx_zp_prepare(&u.ctx, &zp, req(&o, "x"), &bz, &map, NULL, 0), 0);
	assert_true(zp.efi);
	assert_int_equal(zp.efi_map_len, 5 * 40);
	assert_int_equal(kx_zp_finish(&u.ctx, &zp, &bz, base, 0, 0), 0);
	ei = zp.buf + KX_BP_EFI_INFO;
	assert_memory_equal(ei, "EL64", 4);
	assert_int_equal(kx_get32(ei, KX_EFI_MEMDESC_VERSION), 1);
	assert_int_equal(kx_get32(ei, KX_EFI_MEMDESC_SIZE), 40);
	assert_int_equal(kx_get32(ei, KX_EFI_MEMMAP_SIZE), 200);
	map_pa = kx_get32(ei, KX_EFI_MEMMAP) | (uint64_t)kx_get32(ei, KX_EFI_MEMMAP_HI) << 32;
	assert_true(map_pa > base && map_pa + 200 <= base + zp.size);
	/* descriptors in index order: 0 is EfiRuntimeServicesData at 0x1ff58000, 0x20 pages */
	d = zp.buf + (map_pa - base);
	assert_int_equal(kx_get32(d, 0), 6);
	assert_int_equal(kx_get64(d, 8), 0x1ff58000);
	assert_int_equal(kx_get64(d, 16), 0xfffffffefff58000ULL);
	assert_int_equal(kx_get64(d, 24), 0x20);
	assert_int_equal(kx_get64(d, 32), 0x800000000000000fULL);
	assert_int_equal(kx_get64(d + 4 * 40, 8), 0x1d69b000);
	n = walk(&zp, types, lens);
	for (i = 0; i < n; i++)
		if (types[i] == KX_SETUP_EFI) {
			uint64_t pa = kx_get64(zp.buf, KX_BZ_SETUP_DATA), off;

			while (kx_get32(zp.buf, (off = pa - base) + 8) != KX_SETUP_EFI)
				pa = kx_get64(zp.buf, off);
			esd = zp.buf + off + KX_SETUP_DATA_HDR;
			assert_int_equal(lens[i], 96);
		}
	assert_non_null(esd);
	if (!esd)
		return;
	assert_int_equal(kx_get64(esd, 0), 0x1f51c818);	/* fw_vendor */
	assert_int_equal(kx_get64(esd, 8), 0x1f5ecb98);	/* runtime */
	assert_int_equal(kx_get64(esd, 16), 0x1f5ecc98);	/* config tables */
	assert_int_equal(kx_get64(esd, 24), 0x1f518000);	/* SMBIOS */
	kx_zp_free(&zp);

	/* --noefi, or a kernel without XLF_EFI_KEXEC: no EFI state at all */
	o.noefi = true;
	assert_int_equal(kx_zp_prepare(&u.ctx, &zp, req(&o, "x"), &bz, &map, NULL, 0), 0);
	assert_false(zp.efi);
	assert_int_equal(kx_zp_finish(&u.ctx, &zp, &bz, base, 0, 0), 0);
	for (i = 0; i < KX_EFI_INFO_SIZE; i++)
		assert_int_equal(zp.buf[KX_BP_EFI_INFO + i], 0);
	kx_zp_free(&zp);
	o.noefi = false;
	make_bz(&bz, 0x0f);
	assert_int_equal(kx_zp_prepare(&u.ctx, &zp, req(&o, "x"), &bz, &map, NULL, 0), 0);
	assert_false(zp.efi);
	kx_zp_free(&zp);
	unit_ctx_fini(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu),
		cmocka_unit_test(test_e820_ext),
		cmocka_unit_test(test_cmdline_too_long),
		cmocka_unit_test(test_uefi),
	};

	return cmocka_run_group_tests_name("zeropage", tests, NULL, NULL);
}
