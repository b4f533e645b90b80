// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A crash kernel through kexec_load (kexec/crash.h), against the inputs
 * recorded in QEMU guests (tests/fixtures/kdump): the facts read from
 * /proc/iomem, sysfs, /proc/kcore and /proc/kallsyms; the ELF64 core header
 * built from them (its /proc/vmcore size is the one the guest's crash kernel
 * showed); the crash kernel's memory map and command line; and what goes
 * wrong when an input is missing or odd.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/helpers/testimage.h"
#include "tests/unit/unit.h"
#include "base/bytes.h"
#include "kexec/abi.h"
#include "kexec/crash.h"
#include "kexec/load.h"
#include "kexec/ops.h"

#define QEMU		"kdump/qemu-pc-512m-160m"
#define SMP		"kdump/qemu-pc-1g-smp2of4"
#define HIGHLOW		"kdump/qemu-pc-4608m-high-low"
#define BACKUP		0x1df61000ULL	/* where the loader put the backup in that guest */
#define HDR		0x1df5d000ULL	/* and the elfcorehdr */
/* /proc/vmcore in that guest's crash kernel, less the notes' page (tests/e2e) */
#define QEMU_VMCORE	410714112ULL

static struct kx_crash_info ci;

static void read_info(struct unit_ctx *u, const char *tree)
{
	unit_ctx_init(u, tree);
	if (kx_crash_info_read(&u->ctx, &ci))
		fail_msg("%s: %s", tree, u->ctx.err);
}

static void done(struct unit_ctx *u)
{
	kx_crash_info_free(&ci);
	unit_ctx_fini(u);
}

static void assert_range(const struct kx_range *r, uint64_t start, uint64_t end,
			 enum kx_mem_type t)
{
	assert_int_equal(r->start, start);
	assert_int_equal(r->end, end);
	assert_int_equal(r->type, t);
}

static void test_info_qemu(void **state)
{
	struct unit_ctx u;

	read_info(&u, QEMU);
	assert_int_equal(ci.nr_reserved, 1);
	assert_range(&ci.reserved[0], 0x14000000, 0x1dffffff, KX_MEM_RAM);
	/* System RAM 0x100000-0x1ffdffff less the reservation: two pieces */
	assert_int_equal(ci.nr_mem, 9);
	assert_range(&ci.mem[0], 0, 0xfff, KX_MEM_RESERVED);
	assert_range(&ci.mem[1], 0x1000, 0x9fbff, KX_MEM_RAM);
	assert_range(&ci.mem[4], 0x100000, 0x13ffffff, KX_MEM_RAM);
	assert_range(&ci.mem[5], 0x1e000000, 0x1ffdffff, KX_MEM_RAM);
	assert_range(&ci.mem[8], 0xfd00000000ULL, 0xffffffffffULL, KX_MEM_RESERVED);
	assert_int_equal(ci.nr_notes, 1);
	assert_int_equal(ci.notes[0].addr, 0x1e239400);
	assert_int_equal(ci.notes[0].size, 368);
	assert_true(ci.have_vmcoreinfo);
	assert_int_equal(ci.vmcoreinfo_addr, 0x1e310000);
	assert_int_equal(ci.vmcoreinfo_size, 0x1024);
	/* KASLR: /proc/kcore's lowest PT_LOAD 0xffff8f0280001000, 1 GiB aligned */
	assert_int_equal(ci.page_offset, 0xffff8f0280000000ULL);
	assert_int_equal(ci.kern_paddr, 0xd600000);		/* "Kernel code" */
	assert_int_equal(ci.kern_vaddr, 0xffffffffba400000ULL);	/* _stext's PT_LOAD */
	assert_int_equal(ci.kern_size, 0x2830000);
	assert_int_equal(ci.backup_src, 0x1000);
	assert_int_equal(ci.backup_size, 0x9ec00);
	done(&u);
}

/* Four possible CPUs, two present: the absent ones have no notes and are skipped. */
static void test_info_smp(void **state)
{
	struct unit_ctx u;

	read_info(&u, SMP);
	assert_int_equal(ci.nr_notes, 2);
	assert_int_equal(ci.notes[0].cpu, 0);
	assert_int_equal(ci.notes[1].cpu, 1);
	assert_int_equal(ci.notes[1].addr, 0x3e2b9400);
	done(&u);
}

/* crashkernel=,high and ,low: both are taken out of the dump; the high one is loaded into. */
static void test_info_high_low(void **state)
{
	struct kx_range r;
	struct unit_ctx u;
	size_t i;

	read_info(&u, HIGHLOW);
	assert_int_equal(ci.nr_reserved, 2);
	assert_range(&ci.reserved[0], 0xb9000000, 0xbd7fffff, KX_MEM_RAM);
	assert_range(&ci.reserved[1], 0x157000000ULL, 0x15effffffULL, KX_MEM_RAM);
	for (i = 0; i < ci.nr_mem; i++) {
		assert_false(ci.mem[i].start <= 0xbd7fffff && ci.mem[i].end >= 0xb9000000);
		assert_false(ci.mem[i].start <= 0x15effffffULL && ci.mem[i].end >= 0x157000000ULL);
	}
	assert_int_equal(ci.kern_paddr, 0x110000000ULL);
	assert_int_equal(kx_crash_range(&u.ctx, &r), 0);
	assert_range(&r, 0x157000000ULL, 0x15effffffULL, KX_MEM_RAM);
	done(&u);
}

static const uint8_t *phdr(const struct kx_crash_elf *e, size_t i)
{
	return e->buf + 64 + i * 56;
}

static void assert_phdr(const struct kx_crash_elf *e, size_t i, uint32_t type, uint64_t off,
			uint64_t paddr, uint64_t vaddr, uint64_t size)
{
	const uint8_t *p = phdr(e, i);

	assert_int_equal(kx_get32(p, 0), type);
	assert_int_equal(kx_get64(p, 8), off);
	assert_int_equal(kx_get64(p, 16), vaddr);
	assert_int_equal(kx_get64(p, 24), paddr);
	assert_int_equal(kx_get64(p, 32), size);
	assert_int_equal(kx_get64(p, 40), size);
	assert_int_equal(kx_get32(p, 4), type == 1 ? 7 : 0);	/* PF_R|PF_W|PF_X for loads */
}

static void test_elf_qemu(void **state)
{
	static const uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	const uint64_t po = 0xffff8f0280000000ULL;
	struct kx_crash_elf e;
	struct unit_ctx u;

	read_info(&u, QEMU);
	assert_int_equal(kx_crash_elf64(&u.ctx, &ci, BACKUP, &e), 0);
	assert_int_equal(e.len, 1024);
	assert_memory_equal(e.buf, ident, 16);
	assert_int_equal(kx_get16(e.buf, 16), 4);	/* ET_CORE */
	assert_int_equal(kx_get16(e.buf, 18), 62);	/* EM_X86_64 */
	assert_int_equal(kx_get32(e.buf, 20), 1);
	assert_int_equal(kx_get64(e.buf, 32), 64);
	assert_int_equal(kx_get16(e.buf, 52), 64);
	assert_int_equal(kx_get16(e.buf, 54), 56);
	assert_int_equal(kx_get16(e.buf, 56), 6);
	assert_int_equal(e.nr_notes, 2);
	assert_int_equal(e.nr_loads, 4);
	assert_phdr(&e, 0, 4, 0x1e239400, 0x1e239400, 0, 368);
	assert_phdr(&e, 1, 4, 0x1e310000, 0x1e310000, 0, 0x1024);
	assert_phdr(&e, 2, 1, 0xd600000, 0xd600000, 0xffffffffba400000ULL, 0x2830000);
	/* the backup source is read from its copy */
	assert_phdr(&e, 3, 1, BACKUP, 0x1000, po + 0x1000, 0x9ec00);
	assert_phdr(&e, 4, 1, 0x100000, 0x100000, po + 0x100000, 0x13f00000);
	assert_phdr(&e, 5, 1, 0x1e000000, 0x1e000000, po + 0x1e000000, 0x1fe0000);
	assert_int_equal(e.vmcore_size, QEMU_VMCORE);
	assert_int_equal(kx_crash_vmcore_size(e.buf, e.len), QEMU_VMCORE);
	kx_crash_elf_free(&e);
	/* without a backup the range is read in place */
	assert_int_equal(kx_crash_elf64(&u.ctx, &ci, 0, &e), 0);
	assert_phdr(&e, 3, 1, 0x1000, 0x1000, po + 0x1000, 0x9ec00);
	kx_crash_elf_free(&e);
	done(&u);
}

static const struct kx_crash_segs qemu_segs = {
	.backup = BACKUP, .backup_memsz = 0x9f000, .hdr = HDR, .hdr_memsz = 0x4000,
};

/* RAM: the backup source and the reservation less the two segments; then what it must see. */
static void test_memmap(void **state)
{
	struct kx_memmap *m = calloc(1, sizeof(*m));
	struct unit_ctx u;

	assert_non_null(m);
	read_info(&u, QEMU);
	assert_int_equal(kx_crash_memmap(&u.ctx, &ci, &qemu_segs, m), 0);
	assert_int_equal(m->nr, 8);
	assert_range(&m->r[0], 0, 0xfff, KX_MEM_RESERVED);
	assert_range(&m->r[1], 0x1000, 0x9fbff, KX_MEM_RAM);
	assert_range(&m->r[2], 0x9fc00, 0x9ffff, KX_MEM_RESERVED);
	assert_range(&m->r[3], 0xf0000, 0xfffff, KX_MEM_RESERVED);
	assert_range(&m->r[4], 0x14000000, HDR - 1, KX_MEM_RAM);
	assert_range(&m->r[5], 0x1ffe0000, 0x1fffffff, KX_MEM_RESERVED);
	assert_range(&m->r[7], 0xfd00000000ULL, 0xffffffffffULL, KX_MEM_RESERVED);
	/* a segment outside the reservation cannot be taken out of it */
	{
		struct kx_crash_segs bad = qemu_segs;

		bad.hdr = 0x20000000;
		assert_int_equal(kx_crash_memmap(&u.ctx, &ci, &bad, m), -ENOENT);
		assert_non_null(strstr(u.ctx.err, "elfcorehdr segment at 0x20000000"));
	}
	free(m);
	done(&u);
}

/* The low reservation is RAM for the crash kernel too; the segments sit in the high one. */
static void test_memmap_high_low(void **state)
{
	struct kx_crash_segs s = { .backup = 0x15ef61000ULL, .backup_memsz = 0x9f000,
				   .hdr = 0x15ef5d000ULL, .hdr_memsz = 0x4000 };
	struct kx_memmap *m = calloc(1, sizeof(*m));
	struct unit_ctx u;
	size_t i, ram = 0;

	assert_non_null(m);
	read_info(&u, HIGHLOW);
	assert_int_equal(kx_crash_memmap(&u.ctx, &ci, &s, m), 0);
	for (i = 0; i < m->nr; i++) {
		if (m->r[i].type != KX_MEM_RAM)
			continue;
		ram++;
		if (i && m->r[i - 1].end >= m->r[i].start)
			fail_msg("entries %zu and %zu overlap", i - 1, i);
	}
	/* low 640K, ,low, and ,high below the header (the backup ends at its top) */
	assert_int_equal(ram, 3);
	free(m);
	done(&u);
}

static void test_cmdline(void **state)
{
	struct kx_memmap *m = calloc(1, sizeof(*m));
	char *line = NULL, *big;
	struct unit_ctx u;

	assert_non_null(m);
	read_info(&u, QEMU);
	assert_int_equal(kx_crash_cmdline(&u.ctx, "console=ttyS0", 0xf59d0, HDR, NULL, &line), 0);
	assert_string_equal(line, "console=ttyS0 acpi_rsdp=0xf59d0 elfcorehdr=490868K");
	free(line);
	assert_int_equal(kx_crash_memmap(&u.ctx, &ci, &qemu_segs, m), 0);
	assert_int_equal(kx_crash_cmdline(&u.ctx, "x", 0, HDR, m, &line), 0);
	/* RAM as size@start in KiB, the reserved ranges never; under 100 KiB of RAM dropped */
	assert_string_equal(line, "x elfcorehdr=490868K memmap=exactmap memmap=635K@4K "
			    "memmap=163188K@327680K");
	free(line);
	assert_int_equal(kx_crash_cmdline(&u.ctx, "x", 0, HDR + 512, NULL, &line), -EINVAL);
	big = malloc(2048);
	assert_non_null(big);
	memset(big, 'a', 2030);
	big[2030] = '\0';
	assert_int_equal(kx_crash_cmdline(&u.ctx, big, 0, HDR, NULL, &line), -E2BIG);
	assert_non_null(strstr(u.ctx.err, "Command line overflow"));
	free(big);
	free(m);
	done(&u);
}

static void test_check_plan(void **state)
{
	struct kx_range res = { 0x14000000, 0x1dffffff, KX_MEM_RAM };
	struct kx_plan plan = { .nr = 1, .entry = 0x1df45000 };
	struct unit_ctx u;

	unit_ctx_init(&u, NULL);
	plan.seg[0] = (struct kx_plan_seg){ "kernel", NULL, 0, 0x1d000000, 0x1000000 };
	assert_int_equal(kx_crash_check_plan(&u.ctx, &plan, &res), 0);
	plan.seg[0].memsz = 0x1001000;	/* one page past the end */
	assert_int_equal(kx_crash_check_plan(&u.ctx, &plan, &res), -EADDRNOTAVAIL);
	assert_non_null(strstr(u.ctx.err, "kernel segment 0x1d000000-0x1e000fff is not inside"));
	plan.seg[0].memsz = 0x1000;
	plan.entry = 0x1000;
	assert_int_equal(kx_crash_check_plan(&u.ctx, &plan, &res), -EADDRNOTAVAIL);
	assert_non_null(strstr(u.ctx.err, "entry point"));
	unit_ctx_fini(&u);
}

/* ------------------------------------------------------------ odd inputs */

/* A writable copy of fixture @tree; returns its path (static). */
static const char *copy_tree(const char *tree)
{
	static char dir[64];
	char cmd[4300];

	snprintf(dir, sizeof(dir), "/tmp/kx-crash-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp -R '%s/.' %s && chmod -R u+w %s", fixture(tree), dir, dir);
	assert_int_equal(system(cmd), 0);
	return dir;
}

static void put(const char *dir, const char *file, const char *content)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!content) {
		assert_int_equal(unlink(path), 0);
		return;
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void drop_tree(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Read the facts from a modified copy; returns the result, ctx->err in @err. */
static int read_copy(const char *dir, char *err, size_t len)
{
	struct unit_ctx u;
	int rc;

	memset(&u, 0, sizeof(u));
	assert_int_equal(kx_sysroot_new(dir, &u.ctx.root), 0);
	rc = kx_crash_info_read(&u.ctx, &ci);
	snprintf(err, len, "%s", u.ctx.err);
	kx_crash_info_free(&ci);
	kx_sysroot_free(u.ctx.root);
	return rc;
}

static void test_missing_inputs(void **state)
{
	const char *dir = copy_tree(QEMU);
	char err[1024];

	/* kernels before crash_notes_size: kexec-tools' 1024 bytes */
	put(dir, "sys/devices/system/cpu/cpu0/crash_notes_size", NULL);
	put(dir, "sys/kernel/vmcoreinfo", NULL);	/* no vmcoreinfo: no note, no error */
	assert_int_equal(read_copy(dir, err, sizeof(err)), 0);
	{
		struct unit_ctx u;

		memset(&u, 0, sizeof(u));
		assert_int_equal(kx_sysroot_new(dir, &u.ctx.root), 0);
		assert_int_equal(kx_crash_info_read(&u.ctx, &ci), 0);
		assert_int_equal(ci.notes[0].size, 1024);
		assert_false(ci.have_vmcoreinfo);
		kx_crash_info_free(&ci);
		kx_sysroot_free(u.ctx.root);
	}
	/* no possible file: the cpuN directories */
	put(dir, "sys/devices/system/cpu/possible", NULL);
	assert_int_equal(read_copy(dir, err, sizeof(err)), 0);
	/* a crash note that cannot be read (not root) stops the load */
	put(dir, "sys/devices/system/cpu/cpu0/crash_notes", NULL);
	put(dir, "sys/devices/system/cpu/cpu0/crash_notes.errno", "EACCES\n");
	assert_int_equal(read_copy(dir, err, sizeof(err)), -EACCES);
	assert_non_null(strstr(err, "cpu0/crash_notes"));
	put(dir, "sys/devices/system/cpu/cpu0/crash_notes.errno", NULL);
	/* /proc/kcore: needed for the direct map's and the text's virtual addresses */
	put(dir, "proc/kcore", NULL);
	put(dir, "proc/kcore.errno", "EPERM\n");
	assert_int_equal(read_copy(dir, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "Cannot read /proc/kcore"));
	put(dir, "proc/kcore.errno", NULL);
	put(dir, "proc/kcore", "not an ELF file\n");
	assert_int_equal(read_copy(dir, err, sizeof(err)), -ENOEXEC);
	assert_non_null(strstr(err, "ELF core (kcore) parse failed"));
	drop_tree(dir);
}

static void test_odd_iomem(void **state)
{
	const char *dir = copy_tree(QEMU);
	struct unit_ctx u;
	char err[1024];

	put(dir, "proc/iomem", "00000000-00000000 : System RAM\n"
	    "00000000-00000000 : Crash kernel\n");
	assert_int_equal(read_copy(dir, err, sizeof(err)), -EACCES);
	assert_non_null(strstr(err, "unless you are root"));
	put(dir, "proc/iomem", "00001000-0009fbff : System RAM\n00100000-1ffdffff : System RAM\n"
	    "  0d600000-0e401ef1 : Kernel code\n");
	assert_int_equal(read_copy(dir, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no \"Crash kernel\""));
	put(dir, "proc/iomem", "00001000-0009fbff : System RAM\n00100000-1ffdffff : System RAM\n"
	    "  14000000-1dffffff : Crash kernel\n");
	assert_int_equal(read_copy(dir, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "Cannot determine kernel physical load addr"));
	/* a GART aperture inside RAM splits it; "System RAM (kmem)" counts as RAM */
	put(dir, "proc/iomem", "00001000-0009fbff : System RAM\n00100000-1ffdffff : System RAM\n"
	    "  0d600000-0e401ef1 : Kernel code\n  14000000-1dffffff : Crash kernel\n"
	    "  04000000-07ffffff : GART\n"
	    "100000000-13fffffff : Persistent Memory\n  100000000-13fffffff : System RAM (kmem)\n");
	memset(&u, 0, sizeof(u));
	assert_int_equal(kx_sysroot_new(dir, &u.ctx.root), 0);
	assert_int_equal(kx_crash_info_read(&u.ctx, &ci), 0);
	assert_int_equal(ci.nr_mem, 6);
	assert_range(&ci.mem[1], 0x100000, 0x3ffffff, KX_MEM_RAM);
	assert_range(&ci.mem[2], 0x8000000, 0x13ffffff, KX_MEM_RAM);
	assert_range(&ci.mem[3], 0x1e000000, 0x1ffdffff, KX_MEM_RAM);
	assert_range(&ci.mem[4], 0x100000000ULL, 0x13fffffffULL, KX_MEM_PMEM);
	assert_range(&ci.mem[5], 0x100000000ULL, 0x13fffffffULL, KX_MEM_RAM);
	/* no RAM range ends below 640 KiB: kexec-tools' default backup source */
	kx_crash_info_free(&ci);
	kx_sysroot_free(u.ctx.root);
	put(dir, "proc/iomem", "00100000-1ffdffff : System RAM\n  0d600000-0e401ef1 : Kernel code\n"
	    "  14000000-1dffffff : Crash kernel\n");
	memset(&u, 0, sizeof(u));
	assert_int_equal(kx_sysroot_new(dir, &u.ctx.root), 0);
	assert_int_equal(kx_crash_info_read(&u.ctx, &ci), 0);
	assert_int_equal(ci.backup_src, 0);
	assert_int_equal(ci.backup_size, 0xa0000);
	kx_crash_info_free(&ci);
	kx_sysroot_free(u.ctx.root);
	drop_tree(dir);
}

/* --hotplug: the size the kernel asks for, and what it says after a load. */
static void test_hotplug(void **state)
{
	const char *dir = copy_tree(QEMU);
	struct unit_ctx u;
	uint64_t size = 0;

	memset(&u, 0, sizeof(u));
	assert_int_equal(kx_sysroot_new(dir, &u.ctx.root), 0);
	assert_int_equal(kx_crash_hotplug_size(&u.ctx, &size), -ENOENT);
	assert_non_null(strstr(u.ctx.err, "CONFIG_CRASH_HOTPLUG"));
	assert_true(kx_crash_hotplug_state(&u.ctx) < 0);
	put(dir, "sys/kernel/crash_elfcorehdr_size", "462448\n");
	assert_int_equal(kx_crash_hotplug_size(&u.ctx, &size), 0);
	assert_int_equal(size, 462448);
	put(dir, "sys/kernel/crash_elfcorehdr_size", "0\n");
	assert_int_equal(kx_crash_hotplug_size(&u.ctx, &size), -EINVAL);
	assert_int_equal(mkdir(strcat(strcpy((char[128]){ 0 }, dir), "/sys/devices/system/memory"),
			       0755), 0);
	put(dir, "sys/devices/system/cpu/crash_hotplug", "1\n");
	put(dir, "sys/devices/system/memory/crash_hotplug", "0\n");
	assert_int_equal(kx_crash_hotplug_state(&u.ctx), 0);
	put(dir, "sys/devices/system/memory/crash_hotplug", "1\n");
	assert_int_equal(kx_crash_hotplug_state(&u.ctx), 1);
	kx_sysroot_free(u.ctx.root);
	drop_tree(dir);
}

/* A whole -p -c load into the recorder, with --hotplug on a kernel that offers it. */
static void test_load(void **state)
{
	static const char *const names[] = { "backup", "elfcorehdr", "purgatory", "zero page",
					     "kernel" };
	const char *dir = copy_tree(QEMU);
	struct kx_load_req req = { .cmdline = "console=ttyS0", .crash = true,
				   .mem_max = UINT64_MAX, .hotplug = true };
	struct ti_bzimage p;
	const struct kx_plan *plan;
	char kernel[128];
	struct unit_ctx u;
	uint8_t *img;
	size_t len, i;
	FILE *f;

	ti_bzimage_defaults(&p);
	assert_int_equal(ti_bzimage_build(&p, &img, &len), 0);
	snprintf(kernel, sizeof(kernel), "%s/vmlinuz", dir);
	f = fopen(kernel, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(img, 1, len, f), len);
	fclose(f);
	free(img);
	req.kernel = kernel;
	put(dir, "sys/kernel/crash_elfcorehdr_size", "462448\n");
	memset(&u, 0, sizeof(u));
	assert_int_equal(kx_sysroot_new(dir, &u.ctx.root), 0);
	u.ctx.ops = &kx_ops_recorder;
	u.ctx.ops_data = &u.rec;
	if (kx_load_classic(&u.ctx, &req))
		fail_msg("load: %s", u.ctx.err);
	assert_int_equal(u.rec.nr, 1);
	plan = &u.rec.calls[0].plan;
	assert_int_equal(plan->flags, KX_KEXEC_ARCH_X86_64 | KX_KEXEC_ON_CRASH |
			 KX_KEXEC_UPDATE_ELFCOREHDR);
	assert_int_equal(plan->nr, 5);
	for (i = 0; i < plan->nr; i++) {
		assert_string_equal(plan->seg[i].what, names[i]);
		assert_true(plan->seg[i].mem >= 0x14000000);
		assert_true(plan->seg[i].mem + plan->seg[i].memsz <= 0x1e000000);
	}
	/* top-down from the top of the reservation; room for the rewritten header */
	assert_int_equal(plan->seg[0].mem + plan->seg[0].memsz, 0x1e000000);
	assert_int_equal(plan->seg[1].memsz, 0x71000);
	assert_int_equal(plan->seg[1].mem + plan->seg[1].memsz, plan->seg[0].mem);
	assert_memory_equal(u.rec.calls[0].seg_data[1], "\177ELF", 4);
	kx_recorder_free(&u.rec);
	/* a kernel without CONFIG_CRASH_HOTPLUG: nothing is loaded */
	put(dir, "sys/kernel/crash_elfcorehdr_size", NULL);
	assert_int_equal(kx_load_classic(&u.ctx, &req), -ENOENT);
	assert_int_equal(u.rec.nr, 0);
	/* a window that leaves nothing of the reservation */
	req.hotplug = false;
	req.mem_max = 0x10000000;
	assert_int_equal(kx_load_classic(&u.ctx, &req), -EINVAL);
	assert_non_null(strstr(u.ctx.err, "leave nothing of the crash kernel reservation"));
	kx_sysroot_free(u.ctx.root);
	drop_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info_qemu),
		cmocka_unit_test(test_info_smp),
		cmocka_unit_test(test_info_high_low),
		cmocka_unit_test(test_elf_qemu),
		cmocka_unit_test(test_memmap),
		cmocka_unit_test(test_memmap_high_low),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_check_plan),
		cmocka_unit_test(test_missing_inputs),
		cmocka_unit_test(test_odd_iomem),
		cmocka_unit_test(test_hotplug),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
