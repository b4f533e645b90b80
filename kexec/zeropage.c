// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The zero page for kexec_load.  What goes in follows the boot protocol
 * (Documentation/arch/x86/boot.rst) and what the kernel's own kexec_file_load
 * loader hands on (arch/x86/kernel/kexec-bzimage64.c setup_boot_parameters):
 * the image's setup header, this boot's hardware subarch, ACPI RSDP, EDD and
 * EFI state, the firmware memory map, screen info and an RNG seed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <unistd.h>

#include "base/iface.h"
#include "kexec/bootparam.h"
#include "base/buf.h"
#include "base/bytes.h"
#include "base/bzimage.h"
#include "base/ctx.h"
#include "base/read.h"
#include "kexec/memmap.h"
#include "kexec/load.h"
#include "base/parse.h"
#include "base/sysroot.h"
#include "kexec/zeropage.h"

#define ALIGN16(x) (((x) + 15) & ~(size_t)15)
#define RNG_SEED_LEN 32

static void read_boot_params(struct kx_ctx *ctx, struct kx_zeropage *zp)
{
	char *buf;
	size_t len;
	int rc;

	rc = kx_sysroot_read(ctx->root, kx_if(KX_IF_BOOT_PARAMS), 8192, &buf, &len);
	if (rc < 0 || len < sizeof(zp->cur)) {
		kx_dbg(ctx, "this boot's boot_params are not readable (%s); using defaults",
		       rc < 0 ? strerror(-rc) : "short file");
		if (rc == 0)
			free(buf);
		return;
	}
	memcpy(zp->cur, buf, sizeof(zp->cur));
	zp->have_cur = true;
	free(buf);
}

/* /sys/firmware/efi/systab: "KEY=0x..." lines (drivers/firmware/efi/efi.c systab_show). */
static void read_systab(struct kx_ctx *ctx, struct kx_zeropage *zp)
{
	char *buf, *line, *save = NULL;
	uint64_t acpi = 0, acpi20 = 0;

	if (kx_sysroot_read(ctx->root, kx_if(KX_IF_EFI_SYSTAB), 65536, &buf, NULL) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		if (!eq)
			continue;
		*eq = '\0';
		if (strcmp(line, "ACPI20") == 0)
			kx_parse_u64(eq + 1, 16, &acpi20);
		else if (strcmp(line, "ACPI") == 0)
			kx_parse_u64(eq + 1, 16, &acpi);
		else if (strcmp(line, "SMBIOS") == 0)
			kx_parse_u64(eq + 1, 16, &zp->efi_smbios);
	}
	zp->efi_acpi = acpi20 ? acpi20 : acpi;
	free(buf);
}

static int read_runtime_desc(struct kx_ctx *ctx, unsigned idx, uint8_t *d)
{
	static const char *const fields[] = { "phys_addr", "virt_addr", "num_pages", "attribute" };
	char path[128];
	uint64_t v;
	size_t i;
	int rc;

	kx_if_fmt(path, sizeof(path), KX_IF_EFI_RUNTIME_MAP, idx, "type");
	rc = kx_read_u64(ctx, path, 16, &v);
	if (rc < 0)
		return rc;
	memset(d, 0, KX_EFI_MEMDESC_BYTES);
	kx_put32(d, 0, (uint32_t)v);
	for (i = 0; i < 4; i++) {
		kx_if_fmt(path, sizeof(path), KX_IF_EFI_RUNTIME_MAP, idx, fields[i]);
		rc = kx_read_u64(ctx, path, 16, &v);
		if (rc < 0)
			return rc;
		kx_put64(d, 8 + 8 * i, v);
	}
	return 0;
}

/* The runtime map, in index order (drivers/firmware/efi/runtime-map.c). */
static int read_runtime_map(struct kx_ctx *ctx, struct kx_zeropage *zp)
{
	struct kx_buf map = KX_BUF_INIT(4096 * KX_EFI_MEMDESC_BYTES);
	unsigned idx;
	int rc = 0;

	for (idx = 0; idx < 4096; idx++) {
		rc = kx_buf_reserve(&map, KX_EFI_MEMDESC_BYTES);
		if (rc < 0)
			break;
		rc = read_runtime_desc(ctx, idx, map.p + map.len);
		if (rc < 0)
			break;
		map.len += KX_EFI_MEMDESC_BYTES;
	}
	zp->efi_map = map.p;
	zp->efi_map_len = map.len;
	return rc == -ENOENT ? 0 : rc;
}

static bool want_efi(const struct kx_zeropage *zp, const struct kx_load_req *req,
		     const struct kx_bzimage *bz)
{
	const uint8_t *ei = zp->cur + KX_BP_EFI_INFO;

	/* kexec-tools hands EFI over only to kernels that ask (XLF_EFI_KEXEC)
	 * and only for version 1 memory descriptors. */
	return (bz->xloadflags & KX_XLF_EFI_KEXEC) && !req->noefi && zp->have_cur &&
	       kx_get32(ei, KX_EFI_MEMMAP_SIZE) != 0 && kx_get32(ei, KX_EFI_MEMDESC_VERSION) == 1;
}

static int read_efi(struct kx_ctx *ctx, struct kx_zeropage *zp)
{
	int rc;

	rc = kx_read_u64(ctx, kx_if(KX_IF_EFI_FW_VENDOR), 16, &zp->efi_vendor);
	if (!rc)
		rc = kx_read_u64(ctx, kx_if(KX_IF_EFI_RUNTIME), 16, &zp->efi_runtime);
	if (!rc)
		rc = kx_read_u64(ctx, kx_if(KX_IF_EFI_CONFIG_TABLE), 16, &zp->efi_tables);
	if (!rc)
		rc = read_runtime_map(ctx, zp);
	if (rc < 0 || zp->efi_map_len == 0) {
		kx_dbg(ctx, "EFI runtime state not readable (%s); not passing EFI",
		       rc < 0 ? strerror(-rc) : "empty runtime map");
		kx_clear_err(ctx);
		free(zp->efi_map);
		zp->efi_map = NULL;
		zp->efi_map_len = 0;
		return 0;
	}
	zp->efi = true;
	return 0;
}

static void fb_fill(struct kx_zeropage *zp, const struct fb_fix_screeninfo *fix,
		    const struct fb_var_screeninfo *var)
{
	uint8_t *si = zp->fb_si;
	uint8_t *pos = si + KX_SI_RED_SIZE;

	kx_put16(si, KX_SI_LFB_WIDTH, (uint16_t)var->xres);
	kx_put16(si, KX_SI_LFB_HEIGHT, (uint16_t)var->yres);
	kx_put16(si, KX_SI_LFB_DEPTH, (uint16_t)var->bits_per_pixel);
	kx_put32(si, KX_SI_LFB_BASE, (uint32_t)fix->smem_start);
	if ((uint64_t)fix->smem_start >> 32) {
		kx_put32(si, KX_SI_EXT_LFB_BASE, (uint32_t)((uint64_t)fix->smem_start >> 32));
		kx_put32(si, KX_SI_CAPABILITIES, KX_VIDEO_CAPABILITY_64BIT_BASE);
	}
	kx_put16(si, KX_SI_LFB_LINELENGTH, (uint16_t)fix->line_length);
	/* lfb_size counts 64 KiB units, pages 4 KiB ones */
	kx_put32(si, KX_SI_LFB_SIZE, (fix->smem_len + 65535) / 65536);
	kx_put16(si, KX_SI_PAGES, (uint16_t)((fix->smem_len + 4095) / 4096));
	if (var->bits_per_pixel > 8) {
		pos[0] = (uint8_t)var->red.length;	pos[1] = (uint8_t)var->red.offset;
		pos[2] = (uint8_t)var->green.length;	pos[3] = (uint8_t)var->green.offset;
		pos[4] = (uint8_t)var->blue.length;	pos[5] = (uint8_t)var->blue.offset;
		pos[6] = (uint8_t)var->transp.length;	pos[7] = (uint8_t)var->transp.offset;
	}
}

/* Screen info from /dev/fb0 when its driver is one the boot protocol knows. */
static void read_fb(struct kx_ctx *ctx, struct kx_zeropage *zp, const struct kx_load_req *req)
{
	struct fb_fix_screeninfo fix;
	struct fb_var_screeninfo var;
	int fd = kx_sysroot_open(ctx->root, kx_if(KX_IF_FB0), O_RDONLY);

	if (fd < 0)
		return;
	if (ioctl(fd, FBIOGET_FSCREENINFO, &fix) == 0 && ioctl(fd, FBIOGET_VSCREENINFO, &var) == 0) {
		zp->have_fb = true;
		if (strcmp(fix.id, "VESA VGA") == 0)
			zp->fb_si[KX_SI_ORIG_VIDEO_ISVGA] = KX_VIDEO_TYPE_VLFB;
		else if (strcmp(fix.id, "EFI VGA") == 0)
			zp->fb_si[KX_SI_ORIG_VIDEO_ISVGA] = KX_VIDEO_TYPE_EFI;
		else if (req->reuse_video_type && zp->have_cur)
			zp->fb_si[KX_SI_ORIG_VIDEO_ISVGA] = zp->cur[KX_SI_ORIG_VIDEO_ISVGA];
		else
			zp->have_fb = false;	/* an unknown driver: no screen info */
		if (zp->have_fb)
			fb_fill(zp, &fix, &var);
	}
	close(fd);
}

static int build_e820(struct kx_zeropage *zp, const struct kx_memmap *map)
{
	size_t i;

	zp->e820 = calloc(map->nr ? map->nr : 1, KX_E820_ENTRY_SIZE);
	if (!zp->e820)
		return -ENOMEM;
	for (i = 0; i < map->nr; i++) {
		uint8_t *e = zp->e820 + i * KX_E820_ENTRY_SIZE;

		kx_put64(e, 0, map->r[i].start);
		kx_put64(e, 8, map->r[i].end - map->r[i].start + 1);
		kx_put32(e, 16, (uint32_t)map->r[i].type);
	}
	zp->e820_nr = map->nr;
	return 0;
}

static size_t node_size(size_t len)
{
	return ALIGN16(KX_SETUP_DATA_HDR + len);
}

static size_t layout_size(const struct kx_zeropage *zp)
{
	size_t size = KX_BP_SIZE + ALIGN16(zp->cmdline_len), i;

	if (zp->e820_nr > KX_E820_MAX_ZEROPAGE)
		size += node_size((zp->e820_nr - KX_E820_MAX_ZEROPAGE) * KX_E820_ENTRY_SIZE);
	if (zp->efi)
		size += node_size(KX_EFI_SETUP_DATA_SIZE) + ALIGN16(zp->efi_map_len);
	size += node_size(RNG_SEED_LEN);
	for (i = 0; i < zp->nr_extra; i++)
		size += node_size(zp->extra[i].len);
	return size;
}

int kx_zp_prepare(struct kx_ctx *ctx, struct kx_zeropage *zp, const struct kx_load_req *req,
		  const struct kx_bzimage *bz, const struct kx_memmap *map,
		  const struct kx_setup_extra *extra, size_t nr_extra)
{
	const char *cmdline = req->cmdline;
	int rc;

	memset(zp, 0, sizeof(*zp));
	if (nr_extra > KX_ZP_MAX_EXTRA)
		return kx_fail(ctx, -E2BIG, "too many setup_data records");
	zp->cmdline_len = strlen(cmdline) + 1;
	/* boot.rst calls cmdline_size the length without the NUL, but both
	 * kexec-tools and the kernel's kexec_file_load count the NUL in it. */
	if (zp->cmdline_len > bz->cmdline_size)
		return kx_fail(ctx, -EINVAL, "the command line is %zu bytes with its NUL; this kernel "
			       "takes at most %u (its cmdline_size)", zp->cmdline_len, bz->cmdline_size);
	read_boot_params(ctx, zp);
	if (want_efi(zp, req, bz) && (rc = read_efi(ctx, zp)) < 0)
		return rc;
	read_systab(ctx, zp);	/* SMBIOS for EFI, and the ACPI RSDP fallback */
	read_fb(ctx, zp, req);
	rc = build_e820(zp, map);
	if (rc < 0)
		return rc;
	zp->cmdline = strdup(cmdline);
	if (!zp->cmdline)
		return -ENOMEM;
	zp->nr_extra = nr_extra;
	if (nr_extra)
		memcpy(zp->extra, extra, nr_extra * sizeof(*extra));
	zp->cmdline_off = KX_BP_SIZE;
	zp->size = layout_size(zp);
	zp->buf = calloc(1, zp->size);
	return zp->buf ? 0 : -ENOMEM;
}

/* Building the setup_data chain inside the segment. */
struct chain {
	struct kx_zeropage *zp;
	size_t off;		/* next free byte */
	uint64_t head;		/* physical address of the first node */
};

static size_t add_node(struct chain *c, uint32_t type, const void *data, uint32_t len)
{
	uint8_t *n = c->zp->buf + c->off;
	size_t payload = c->off + KX_SETUP_DATA_HDR;

	kx_put64(n, 0, c->head);
	kx_put32(n, 8, type);
	kx_put32(n, 12, len);
	if (data)
		memcpy(n + KX_SETUP_DATA_HDR, data, len);
	c->head = c->zp->base + c->off;
	c->off += node_size(len);
	return payload;
}

static void fill_screen(const struct kx_zeropage *zp, uint8_t *bp)
{
	if (zp->have_fb)
		memcpy(bp, zp->fb_si, KX_SI_SIZE);
	else if (zp->have_cur)
		memcpy(bp, zp->cur, KX_SI_SIZE);
	if (!zp->have_cur || zp->have_fb) {
		/* kexec-tools' defaults: an 80x25 VGA text screen */
		bp[KX_SI_ORIG_VIDEO_COLS] = 80;
		bp[KX_SI_ORIG_VIDEO_LINES] = 25;
		kx_put16(bp, KX_SI_ORIG_VIDEO_POINTS, 16);
		if (!zp->have_fb)
			bp[KX_SI_ORIG_VIDEO_ISVGA] = 1;
	}
}

/* ext_mem_k and alt_mem_k: KiB of RAM above 1 MiB in the range that spans it. */
static void fill_mem_k(const struct kx_zeropage *zp, uint8_t *bp)
{
	size_t i;

	for (i = 0; i < zp->e820_nr; i++) {
		const uint8_t *e = zp->e820 + i * KX_E820_ENTRY_SIZE;
		uint64_t start = kx_get64(e, 0), end = start + kx_get64(e, 8) - 1, mem_k;

		if (kx_get32(e, 16) != KX_MEM_RAM || start > 0x100000 || end <= 0x100000)
			continue;
		mem_k = (end >> 10) - (0x100000 >> 10);
		kx_put16(bp, KX_SI_EXT_MEM_K, (uint16_t)(mem_k > 0xfc00 ? 0xfc00 : mem_k));
		kx_put32(bp, KX_BP_ALT_MEM_K, (uint32_t)(mem_k > 0xffffffff ? 0xffffffff : mem_k));
	}
}

static void fill_e820(struct chain *c, uint8_t *bp)
{
	const struct kx_zeropage *zp = c->zp;
	size_t n = zp->e820_nr < KX_E820_MAX_ZEROPAGE ? zp->e820_nr : KX_E820_MAX_ZEROPAGE;

	memcpy(bp + KX_BP_E820_TABLE, zp->e820, n * KX_E820_ENTRY_SIZE);
	bp[KX_BP_E820_ENTRIES] = (uint8_t)n;
	if (zp->e820_nr > n)	/* the rest in a SETUP_E820_EXT node */
		add_node(c, KX_SETUP_E820_EXT, zp->e820 + n * KX_E820_ENTRY_SIZE,
			 (uint32_t)((zp->e820_nr - n) * KX_E820_ENTRY_SIZE));
	fill_mem_k(zp, bp);
}

static void fill_efi(struct chain *c, uint8_t *bp)
{
	struct kx_zeropage *zp = c->zp;
	uint8_t esd[KX_EFI_SETUP_DATA_SIZE] = { 0 };
	uint8_t *ei = bp + KX_BP_EFI_INFO;
	uint64_t map_addr;

	if (!zp->efi)
		return;
	memcpy(ei, zp->cur + KX_BP_EFI_INFO, KX_EFI_INFO_SIZE);
	bp[KX_BP_SECURE_BOOT] = zp->cur[KX_BP_SECURE_BOOT];
	map_addr = zp->base + c->off;
	memcpy(zp->buf + c->off, zp->efi_map, zp->efi_map_len);
	c->off += ALIGN16(zp->efi_map_len);
	kx_put32(ei, KX_EFI_MEMDESC_SIZE, KX_EFI_MEMDESC_BYTES);
	kx_put32(ei, KX_EFI_MEMMAP, (uint32_t)map_addr);
	kx_put32(ei, KX_EFI_MEMMAP_HI, (uint32_t)(map_addr >> 32));
	kx_put32(ei, KX_EFI_MEMMAP_SIZE, (uint32_t)zp->efi_map_len);
	/* struct efi_setup_data: the second field held the runtime services
	 * address for kernels before 5.x and is unused since; fill it anyway. */
	kx_put64(esd, 0, zp->efi_vendor);
	kx_put64(esd, 8, zp->efi_runtime);
	kx_put64(esd, 16, zp->efi_tables);
	kx_put64(esd, 24, zp->efi_smbios);
	add_node(c, KX_SETUP_EFI, esd, sizeof(esd));
}

/* What the kernel copies from its own boot_params (setup_boot_parameters). */
static void fill_from_this_boot(const struct kx_zeropage *zp, uint8_t *bp)
{
	uint64_t rsdp = zp->have_cur ? kx_get64(zp->cur, KX_BP_ACPI_RSDP_ADDR) : 0;

	kx_put64(bp, KX_BP_ACPI_RSDP_ADDR, rsdp ? rsdp : zp->efi_acpi);
	if (!zp->have_cur)
		return;
	kx_put32(bp, KX_BZ_HARDWARE_SUBARCH, kx_get32(zp->cur, KX_BZ_HARDWARE_SUBARCH));
	memcpy(bp + KX_BP_EDDBUF, zp->cur + KX_BP_EDDBUF, KX_BP_EDDBUF_SIZE);
	bp[KX_BP_EDDBUF_ENTRIES] = zp->cur[KX_BP_EDDBUF_ENTRIES];
	memcpy(bp + KX_BP_EDD_MBR_SIG_BUFFER, zp->cur + KX_BP_EDD_MBR_SIG_BUFFER, 16 * 4);
	bp[KX_BP_EDD_MBR_SIG_ENTRIES] = zp->cur[KX_BP_EDD_MBR_SIG_ENTRIES];
}

static void fill_header(const struct kx_zeropage *zp, const struct kx_bzimage *bz, uint8_t *bp,
			uint64_t initrd_addr, uint64_t initrd_size)
{
	uint64_t cmdline = zp->base + zp->cmdline_off;

	/* the image's setup header, 0x1f1 up to the end the jump byte gives */
	memcpy(bp + KX_BP_HDR, bz->data + KX_BP_HDR, bz->header_end - KX_BP_HDR);
	bp[KX_BZ_TYPE_OF_LOADER] = KX_LOADER_TYPE_KEXEC;
	bp[KX_BZ_LOADFLAGS] = 0;
	kx_put32(bp, KX_BZ_RAMDISK_IMAGE, (uint32_t)initrd_addr);
	kx_put32(bp, KX_BZ_RAMDISK_SIZE, (uint32_t)initrd_size);
	kx_put32(bp, KX_BP_EXT_RAMDISK_IMAGE, (uint32_t)(initrd_addr >> 32));
	kx_put32(bp, KX_BP_EXT_RAMDISK_SIZE, (uint32_t)(initrd_size >> 32));
	kx_put32(bp, KX_BZ_CMD_LINE_PTR, (uint32_t)cmdline);
	kx_put32(bp, KX_BP_EXT_CMD_LINE_PTR, (uint32_t)(cmdline >> 32));
	kx_put16(bp, KX_SI_CL_MAGIC, KX_CL_MAGIC_VALUE);
	kx_put16(bp, KX_SI_CL_OFFSET, (uint16_t)zp->cmdline_off);
}

int kx_zp_finish(struct kx_ctx *ctx, struct kx_zeropage *zp, const struct kx_bzimage *bz,
		 uint64_t base, uint64_t initrd_addr, uint64_t initrd_size)
{
	struct chain c = { .zp = zp };
	uint8_t *bp = zp->buf, seed[RNG_SEED_LEN];
	size_t i;

	memset(zp->buf, 0, zp->size);
	zp->base = base;
	c.off = zp->cmdline_off + ALIGN16(zp->cmdline_len);
	fill_screen(zp, bp);
	fill_from_this_boot(zp, bp);
	fill_e820(&c, bp);
	fill_efi(&c, bp);
	fill_header(zp, bz, bp, initrd_addr, initrd_size);
	if (getrandom(seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed))
		add_node(&c, KX_SETUP_RNG_SEED, seed, sizeof(seed));
	else
		kx_dbg(ctx, "the random pool is not ready; no RNG seed for the new kernel");
	for (i = 0; i < zp->nr_extra; i++)
		zp->extra_off[i] = add_node(&c, zp->extra[i].type, zp->extra[i].data, zp->extra[i].len);
	kx_put64(bp, KX_BZ_SETUP_DATA, c.head);
	memcpy(bp + zp->cmdline_off, zp->cmdline, zp->cmdline_len);
	return 0;
}

uint64_t kx_zp_acpi_rsdp(struct kx_ctx *ctx)
{
	struct kx_zeropage *zp = calloc(1, sizeof(*zp));
	uint64_t rsdp = 0;

	if (!zp)
		return 0;
	read_boot_params(ctx, zp);
	if (zp->have_cur)
		rsdp = kx_get64(zp->cur, KX_BP_ACPI_RSDP_ADDR);
	if (!rsdp) {
		read_systab(ctx, zp);
		rsdp = zp->efi_acpi;
	}
	free(zp);
	return rsdp;
}

void kx_zp_free(struct kx_zeropage *zp)
{
	free(zp->buf);
	free(zp->efi_map);
	free(zp->e820);
	free(zp->cmdline);
	zp->cmdline = NULL;
	zp->buf = NULL;
	zp->efi_map = NULL;
	zp->e820 = NULL;
}
