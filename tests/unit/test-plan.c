// SPDX-License-Identifier: GPL-2.0-or-later
/* Segment placement against recorded maps, and the kernel's plan rules. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "kexec/memmap.h"
#include "kexec/plan.h"

static struct kx_memmap map;

static void load_map(struct unit_ctx *u, const char *rel)
{
	unit_ctx_init(u, rel);
	assert_int_equal(kx_memmap_read(&u->ctx, &map), 0);
}

static int put(struct unit_ctx *u, struct kx_plan *plan, const char *what, uint64_t memsz,
	       uint64_t align, uint64_t min, bool top_down, uint64_t *addr)
{
	struct kx_place pl = { .what = what, .bufsz = memsz / 2, .memsz = memsz, .align = align,
			       .min = min, .max = UINT64_MAX, .top_down = top_down };

	return kx_plan_place(&u->ctx, plan, &map, 0, UINT64_MAX, &pl, addr);
}

/* The bzImage64 order in the 256 MiB guest: everything high, below 0xffe0000. */
static void test_qemu_layout(void **state)
{
	struct kx_plan plan = { 0 };
	struct unit_ctx u;
	uint64_t a;

	load_map(&u, "memmaps/qemu-pc-256m");
	assert_int_equal(put(&u, &plan, "purgatory", 0x9000, 16, 0x3000, true, &a), 0);
	assert_int_equal(a, 0xffd7000);
	assert_int_equal(put(&u, &plan, "zero page", 0x4100, 16, 0x3000, true, &a), 0);
	assert_int_equal(a, 0xffd2000);	/* memsz rounded up to 0x5000 */
	assert_int_equal(plan.seg[1].memsz, 0x5000);
	assert_int_equal(put(&u, &plan, "kernel", 0x3000000, 0x200000, 0x1000000, true, &a), 0);
	assert_int_equal(a, 0xce00000);
	assert_int_equal(put(&u, &plan, "initrd", 0x400001, 0, 0x1000000, true, &a), 0);
	assert_int_equal(a, 0xc9ff000);
	assert_int_equal(plan.nr, 4);
	assert_int_equal(kx_plan_check(&u.ctx, &plan, 223632ULL << 10), 0);
	unit_ctx_fini(&u);
}

static void test_bottom_up(void **state)
{
	struct kx_plan plan = { 0 };
	struct unit_ctx u;
	uint64_t a;

	load_map(&u, "memmaps/qemu-pc-256m");
	assert_int_equal(put(&u, &plan, "setup_data", 0x1000, 0, 0x100000, false, &a), 0);
	assert_int_equal(a, 0x100000);
	assert_int_equal(put(&u, &plan, "setup_data", 0x1000, 0, 0x100000, false, &a), 0);
	assert_int_equal(a, 0x101000);
	/* below 1 MiB the first RAM range serves, page aligned above 0x3000 */
	assert_int_equal(put(&u, &plan, "low", 0x2000, 0, 0x3000, false, &a), 0);
	assert_int_equal(a, 0x3000);
	unit_ctx_fini(&u);
}

/* A big server: the kernel goes to the top of the 192 GiB, the initrd under it. */
static void test_server(void **state)
{
	struct kx_plan plan = { 0 };
	struct unit_ctx u;
	uint64_t a;

	load_map(&u, "memmaps/server-2s-192g");
	assert_int_equal(put(&u, &plan, "kernel", 0x3780000, 0x1000000, 0x1000000, true, &a), 0);
	assert_int_equal(a, 0x303c000000ULL);
	assert_int_equal(put(&u, &plan, "initrd", 64 << 20, 0, 0x1000000, true, &a), 0);
	assert_int_equal(a, 0x3038000000ULL);
	unit_ctx_fini(&u);
}

static void test_window(void **state)
{
	struct kx_place pl = { .what = "kernel", .memsz = 0x100000, .align = 0x200000,
			       .min = 0x100000, .max = UINT64_MAX, .top_down = true };
	struct kx_plan plan = { 0 };
	struct unit_ctx u;
	uint64_t a;

	load_map(&u, "memmaps/qemu-pc-256m");
	assert_int_equal(kx_plan_place(&u.ctx, &plan, &map, 0, 0x2000000 - 1, &pl, &a), 0);
	assert_int_equal(a, 0x1e00000);
	pl.top_down = false;
	assert_int_equal(kx_plan_place(&u.ctx, &plan, &map, 0x5000000, UINT64_MAX, &pl, &a), 0);
	assert_int_equal(a, 0x5000000);
	unit_ctx_fini(&u);
}

static void test_no_room(void **state)
{
	struct kx_plan plan = { 0 };
	struct unit_ctx u;
	uint64_t a;

	load_map(&u, "memmaps/qemu-pc-256m");
	assert_int_equal(put(&u, &plan, "initrd", 300 << 20, 0, 0x1000000, true, &a), -ENOSPC);
	assert_non_null(strstr(u.ctx.err, "no free memory for the initrd: it needs 0x12c00000 bytes"));
	assert_non_null(strstr(u.ctx.err, "largest free piece of RAM there is 245632 KiB"));
	/* a placement error names the map it came from, and says when nothing could hold it */
	assert_non_null(strstr(u.ctx.err, "(memory map: /sys/firmware/memmap); that is more "
			       "than all its RAM (255 MiB)"));
	assert_int_equal(plan.nr, 0);
	unit_ctx_fini(&u);
}

static void test_segment_limit(void **state)
{
	struct kx_plan plan = { 0 };
	struct unit_ctx u;
	uint64_t a;
	int i;

	load_map(&u, "memmaps/qemu-pc-256m");
	for (i = 0; i < KX_MAX_SEGMENTS; i++)
		assert_int_equal(put(&u, &plan, "piece", 0x1000, 0, 0x100000, false, &a), 0);
	assert_int_equal(put(&u, &plan, "piece", 0x1000, 0, 0x100000, false, &a), -E2BIG);
	assert_non_null(strstr(u.ctx.err, "the kernel takes at most 16"));
	unit_ctx_fini(&u);
}

static void test_check(void **state)
{
	struct kx_plan plan = { .nr = 2 };
	struct unit_ctx u;

	unit_ctx_init(&u, NULL);
	plan.seg[0] = (struct kx_plan_seg){ "kernel", NULL, 0x1000, 0x100000, 0x200000 };
	plan.seg[1] = (struct kx_plan_seg){ "initrd", NULL, 0x1000, 0x300000, 0x1000 };
	assert_int_equal(kx_plan_check(&u.ctx, &plan, 64 << 20), 0);
	plan.seg[1].mem = 0x2ff000;
	assert_int_equal(kx_plan_check(&u.ctx, &plan, 64 << 20), -EINVAL);
	assert_non_null(strstr(u.ctx.err, "segments initrd and kernel overlap"));
	plan.seg[1].mem = 0x300800;
	assert_int_equal(kx_plan_check(&u.ctx, &plan, 64 << 20), -EADDRNOTAVAIL);
	plan.seg[1].mem = 0x400000;
	plan.seg[1].memsz = 33 << 20;	/* more than half of 64 MiB */
	assert_int_equal(kx_plan_check(&u.ctx, &plan, 64 << 20), -EINVAL);
	assert_non_null(strstr(u.ctx.err, "the initrd needs 33 MiB, more than half of RAM"));
	plan.seg[1].memsz = 31 << 20;	/* each fits, together they do not */
	assert_int_equal(kx_plan_check(&u.ctx, &plan, 64 << 20), -EINVAL);
	assert_non_null(strstr(u.ctx.err, "the segments need 33 MiB together"));
	plan.seg[1].bufsz = plan.seg[1].memsz + 1;
	assert_int_equal(kx_plan_check(&u.ctx, &plan, 1ULL << 40), -EINVAL);
	unit_ctx_fini(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_layout),
		cmocka_unit_test(test_bottom_up),
		cmocka_unit_test(test_server),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_no_room),
		cmocka_unit_test(test_segment_limit),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
