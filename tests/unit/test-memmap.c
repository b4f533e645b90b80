// SPDX-License-Identifier: GPL-2.0-or-later
/* The memory map readers against recorded maps, and their errors. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "kexec/crash.h"
#include "kexec/memmap.h"

static struct kx_memmap map;

static void test_qemu_firmware(void **state)
{
	struct unit_ctx u;

	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	assert_int_equal(kx_memmap_read(&u.ctx, &map), 0);
	assert_string_equal(map.source, "/sys/firmware/memmap");
	assert_int_equal(map.nr, 7);
	assert_int_equal(map.r[0].start, 0);
	assert_int_equal(map.r[0].end, 0x9fbff);
	assert_int_equal(map.r[0].type, KX_MEM_RAM);
	assert_int_equal(map.r[3].start, 0x100000);
	assert_int_equal(map.r[3].end, 0xffdffff);
	assert_int_equal(map.r[6].start, 0xfd00000000ULL);
	assert_int_equal(map.r[6].type, KX_MEM_RESERVED);
	assert_int_equal(kx_memmap_ram_bytes(&map), 0xa0000 - 0x400 + 0xfee0000);
	unit_ctx_fini(&u);
}

/* /proc/iomem: only the top level describes the map; nested lines are resources. */
static void test_qemu_iomem(void **state)
{
	struct unit_ctx u;

	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	assert_int_equal(kx_memmap_read_iomem(&u.ctx, &map), 0);
	assert_string_equal(map.source, "/proc/iomem");
	/* Reserved 0-fff, RAM 1000-9fbff, Reserved 9fc00-9ffff, Reserved f0000-fffff,
	 * RAM 100000-ffdffff, Reserved ffe0000-fffffff, fffc0000-ffffffff, fd00000000-... */
	assert_int_equal(map.nr, 8);
	assert_int_equal(map.r[1].start, 0x1000);
	assert_int_equal(map.r[1].type, KX_MEM_RAM);
	assert_int_equal(map.r[4].end, 0xffdffff);
	unit_ctx_fini(&u);
}

static void test_server(void **state)
{
	struct unit_ctx u;
	size_t i, nvs = 0, acpi = 0;

	unit_ctx_init(&u, "memmaps/server-2s-192g");
	assert_int_equal(kx_memmap_read(&u.ctx, &map), 0);
	assert_int_equal(map.nr, 14);
	for (i = 0; i < map.nr; i++) {
		nvs += map.r[i].type == KX_MEM_NVS;
		acpi += map.r[i].type == KX_MEM_ACPI;
	}
	assert_int_equal(nvs, 1);
	assert_int_equal(acpi, 1);
	assert_int_equal(map.r[13].end, 0x303fffffffULL);
	unit_ctx_fini(&u);
}

/* kexec-tools loads a crash kernel into the highest reservation. */
static void test_crash_range(void **state)
{
	struct unit_ctx u;
	struct kx_range r;

	unit_ctx_init(&u, "memmaps/server-2s-192g");
	assert_int_equal(kx_crash_range(&u.ctx, &r), 0);
	assert_int_equal(r.start, 0x2ff0000000ULL);
	assert_int_equal(r.end, 0x302fffffffULL);
	unit_ctx_fini(&u);
	unit_ctx_init(&u, "memmaps/qemu-pc-256m");
	assert_int_equal(kx_crash_range(&u.ctx, &r), -ENOENT);
	unit_ctx_fini(&u);
}

static void test_many(void **state)
{
	struct unit_ctx u;

	unit_ctx_init(&u, "memmaps/many-ranges");
	assert_int_equal(kx_memmap_read(&u.ctx, &map), 0);
	assert_int_equal(map.nr, 204);
	unit_ctx_fini(&u);
}

static void test_normalize(void **state)
{
	map.nr = 4;
	map.r[0] = (struct kx_range){ 0x2000, 0x2fff, KX_MEM_RAM };
	map.r[1] = (struct kx_range){ 0x0, 0xfff, KX_MEM_RAM };
	map.r[2] = (struct kx_range){ 0x1000, 0x1fff, KX_MEM_RAM };
	map.r[3] = (struct kx_range){ 0x3000, 0x3fff, KX_MEM_RESERVED };
	kx_memmap_normalize(&map);
	assert_int_equal(map.nr, 2);
	assert_int_equal(map.r[0].end, 0x2fff);
	assert_int_equal(map.r[1].type, KX_MEM_RESERVED);
}

/* Write a one-file tree under a temporary directory and read it. */
static int read_tree(const char *file, const char *content, struct kx_memmap *m,
		     char *err, size_t errlen)
{
	char dir[] = "/tmp/kx-memmap-XXXXXX", path[512], cmd[700];
	struct unit_ctx u = { 0 };
	FILE *f;
	int rc;

	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/%s && rmdir %s/%s", dir, file, dir, file);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	assert_int_equal(kx_sysroot_new(dir, &u.ctx.root), 0);
	rc = strstr(file, "iomem") ? kx_memmap_read_iomem(&u.ctx, m) : kx_memmap_read_firmware(&u.ctx, m);
	snprintf(err, errlen, "%s", u.ctx.err);
	kx_sysroot_free(u.ctx.root);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return rc;
}

static void test_malformed(void **state)
{
	char err[1024];

	assert_int_equal(read_tree("proc/iomem", "00000000-zzzz : System RAM\n", &map, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "/proc/iomem line 1: expected 'start-end : name'"));
	assert_int_equal(read_tree("proc/iomem", "00000000-00000000 : System RAM\n", &map, err,
				   sizeof(err)), -EACCES);
	assert_non_null(strstr(err, "reads as zeros unless you are root"));
	assert_int_equal(read_tree("sys/firmware/memmap/0/start", "0x1000\n", &map, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/sys/firmware/memmap/0/end"));
	assert_int_equal(read_tree("proc/iomem", "", &map, err, sizeof(err)), -ENODATA);
}

/* --- malformed maps: an error or a warning that names the file and the entry --- */

static char warned[2048];

static void capture(void *data, const char *fmt, va_list ap)
{
	size_t n = strlen(warned);

	vsnprintf(warned + n, sizeof(warned) - n, fmt, ap);
	n = strlen(warned);
	if (n + 1 < sizeof(warned))
		strcat(warned, "\n");
}

/* A tree of "path=content" files (NULL-terminated); returns the reader's answer. */
static int read_files(const char *const *files, bool iomem_only, struct kx_memmap *m, char *err,
		      size_t errlen)
{
	char dir[] = "/tmp/kx-memmap-XXXXXX", path[512], cmd[1200];
	struct unit_ctx u = { 0 };
	const char *eq;
	FILE *f;
	int rc;

	assert_non_null(mkdtemp(dir));
	for (; *files; files++) {
		eq = strchr(*files, '=');
		snprintf(cmd, sizeof(cmd), "mkdir -p %s/%.*s && rmdir %s/%.*s", dir,
			 (int)(eq - *files), *files, dir, (int)(eq - *files), *files);
		assert_int_equal(system(cmd), 0);
		snprintf(path, sizeof(path), "%s/%.*s", dir, (int)(eq - *files), *files);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(eq + 1, f);
		fclose(f);
	}
	assert_int_equal(kx_sysroot_new(dir, &u.ctx.root), 0);
	warned[0] = '\0';
	u.ctx.warn = capture;
	rc = iomem_only ? kx_memmap_read_iomem(&u.ctx, m) : kx_memmap_read(&u.ctx, m);
	snprintf(err, errlen, "%s", u.ctx.err);
	kx_sysroot_free(u.ctx.root);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return rc;
}

#define FW(n, s, e, t) "sys/firmware/memmap/" #n "/start=" s, \
		       "sys/firmware/memmap/" #n "/end=" e, "sys/firmware/memmap/" #n "/type=" t
#define IOMEM_OK "proc/iomem=00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n" \
		 "00100000-0ffdffff : System RAM\n"

static void expect(const char *const *files, bool iomem_only, int want, const char *msg,
		   const char *warning)
{
	char err[1024];
	int rc = read_files(files, iomem_only, &map, err, sizeof(err));

	if (rc != want || (msg && !strstr(err, msg)) || (warning && !strstr(warned, warning)) ||
	    (!warning && warned[0]))
		fail_msg("%s: got %d '%s', warnings '%s'; want %d '%s', '%s'", files[0], rc, err,
			 warned, want, msg ? msg : "", warning ? warning : "");
}

static void test_firmware_entries(void **state)
{
	const char *rev[] = { FW(0, "0x0", "0x9fbff", "System RAM"),
			      FW(1, "0x200000", "0x100000", "System RAM"), NULL };
	const char *notype[] = { FW(0, "0x0", "0x9fbff", "System RAM"),
				 "sys/firmware/memmap/1/start=0x100000",
				 "sys/firmware/memmap/1/end=0xffdffff", NULL };
	const char *empty[] = { FW(0, "0x0", "0x9fbff", ""), NULL };
	const char *junk[] = { FW(0, "0x0", "0x9fbff", "System RAM"),
			       FW(1, "0x100000", "0xffdffff", "Banana\n"), NULL };
	const char *badnum[] = { FW(0, "0x0", "fish", "System RAM"), NULL };
	const char *kunknown[] = { FW(0, "0x0", "0x9fbff", "System RAM"),
				   FW(1, "0x100000", "0xffdffff", "Unknown E820 type\n"), NULL };

	expect(rev, false, -ENOENT, NULL, "/sys/firmware/memmap/1: start 0x200000 is above end "
	       "0x100000; expected a range; using /proc/iomem instead");
	expect(notype, false, -ENOENT, NULL, "cannot read /sys/firmware/memmap/1/type");
	expect(empty, false, -ENOENT, NULL, "/sys/firmware/memmap/0/type is empty");
	expect(junk, false, 0, NULL, "/sys/firmware/memmap/1/type: unknown type 'Banana'; the "
	       "range is taken as reserved");
	assert_int_equal(map.nr, 2);
	assert_int_equal(map.r[1].type, KX_MEM_RESERVED);
	expect(badnum, false, -ENOENT, NULL, "/sys/firmware/memmap/0/end: expected a "
	       "hexadecimal number, found 'fish'");
	/* the kernel's own name for a type it does not know: reserved, no warning */
	expect(kunknown, false, 0, NULL, NULL);
	assert_int_equal(map.r[1].type, KX_MEM_RESERVED);
}

/* A bad firmware map falls back to /proc/iomem as kexec-tools does, and says so. */
static void test_firmware_fallback(void **state)
{
	const char *rev[] = { FW(0, "0x0", "0x9fbff", "System RAM"),
			      FW(1, "0x200000", "0x100000", "System RAM"), IOMEM_OK, NULL };
	const char *absent[] = { IOMEM_OK, NULL };

	expect(rev, false, 0, NULL, "memmap/1: start 0x200000 is above end 0x100000; expected "
	       "a range; using /proc/iomem instead");
	assert_string_equal(map.source, "/proc/iomem");
	assert_int_equal(kx_memmap_ram_bytes(&map), 0x9ec00 + 0xfee0000);
	/* a kernel without /sys/firmware/memmap: no warning */
	expect(absent, false, 0, NULL, NULL);
}

static void test_iomem_entries(void **state)
{
	const char *noram[] = { "proc/iomem=00000000-00000fff : Reserved\n"
				"000f0000-000fffff : System ROM\n", NULL };
	const char *rev[] = { "proc/iomem=00000000-00000fff : Reserved\n"
			      "00200000-0010ffff : System RAM\n", NULL };
	const char *nested[] = { "proc/iomem=00100000-0ffdffff : System RAM\n"
				 "  01000000-00ffffff : Kernel code\n", NULL };

	expect(noram, true, -ENODATA, "/proc/iomem has no top-level 'System RAM' range", NULL);
	expect(rev, true, -EINVAL, "/proc/iomem line 2 (System RAM): start 0x200000 is above "
	       "end 0x10ffff", NULL);
	expect(nested, true, -EINVAL, "/proc/iomem line 2 (Kernel code): start 0x1000000 is "
	       "above end 0xffffff", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_firmware),
		cmocka_unit_test(test_qemu_iomem),
		cmocka_unit_test(test_server),
		cmocka_unit_test(test_crash_range),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_firmware_entries),
		cmocka_unit_test(test_firmware_fallback),
		cmocka_unit_test(test_iomem_entries),
	};

	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
