// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One reader at a time over a host tree built in a temporary directory:
 * good content, absent files, malformed content, unreadable files (a
 * directory where a file is expected gives EISDIR, a symlink loop ELOOP,
 * and a recorded "<file>.errno" gives the errno a real host gave).
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
#include "tdx/tdx.h"
#include "tests/unit/test-tdx-util.h"

struct fx {
	char *root;
	struct kx_ctx kx;
	struct tdx_ctx *t;
	struct tdx_facts f;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	x->root = tt_tree();
	x->t = tt_ctx(x->root, &x->kx);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	tt_ctx_free(x->t, &x->kx);
	tt_rmtree(x->root);
	free(x);
	return 0;
}

#define assert_state(fact, st, e) do {					\
	assert_int_equal((fact).state, (st));				\
	assert_int_equal((fact).err, (e));				\
} while (0)

static const char cpu_block[] =
	"processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\n"
	"model name\t: Intel(R) Xeon(R) Platinum 8480+\n"
	"flags\t\t: fpu vme tsc msr vmx tdx_host_platform movdir64b\n"
	"bugs\t\t: spectre_v1 spectre_v2 tdx_pw_mce\npower management:\n\n";

/* --- /proc/cpuinfo ------------------------------------------------------ */

static void cpuinfo_good(void **state)
{
	struct fx *x = *state;
	char buf[2048];

	/* the second processor says otherwise: only the first block counts */
	snprintf(buf, sizeof(buf), "%sprocessor\t: 1\nvendor_id\t: AuthenticAMD\n\n", cpu_block);
	tt_write(x->root, "/proc/cpuinfo", buf);
	tdx_read_cpuinfo(x->t, &x->f);
	assert_state(x->f.vendor.f, TDX_KNOWN, 0);
	assert_string_equal(x->f.vendor.v, "GenuineIntel");
	assert_int_equal(x->f.family.v, 6);
	assert_int_equal(x->f.model.v, 143);
	assert_true(x->f.tdx_host_platform.v);
	assert_true(x->f.tdx_pw_mce.v);
	assert_state(x->f.seamret_invd_vmcs.f, TDX_KNOWN, 0);
	assert_false(x->f.seamret_invd_vmcs.v);
}

static void cpuinfo_no_bugs_line(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\n"
		 "cpu family\t: 6\nmodel\t\t: 85\nflags\t\t: fpu vmx\n\n");
	tdx_read_cpuinfo(x->t, &x->f);
	assert_state(x->f.tdx_host_platform.f, TDX_KNOWN, 0);
	assert_false(x->f.tdx_host_platform.v);
	assert_state(x->f.tdx_pw_mce.f, TDX_ABSENT, ENOENT);
}

static void cpuinfo_absent(void **state)
{
	struct fx *x = *state;

	tdx_read_cpuinfo(x->t, &x->f);
	assert_state(x->f.vendor.f, TDX_ABSENT, ENOENT);
	assert_state(x->f.tdx_pw_mce.f, TDX_ABSENT, ENOENT);
}

static void cpuinfo_malformed(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/proc/cpuinfo", "processor\t: 0\nthis line has no separator\n\n");
	tdx_read_cpuinfo(x->t, &x->f);
	assert_state(x->f.vendor.f, TDX_UNREADABLE, EBADMSG);
	assert_non_null(strstr(x->f.vendor.f.detail, "/proc/cpuinfo: expected 'name : value'"));
	assert_state(x->f.tdx_host_platform.f, TDX_UNREADABLE, EBADMSG);
}

static void cpuinfo_not_x86(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/proc/cpuinfo", "processor\t: 0\nBogoMIPS\t: 50.00\n\n");
	tdx_read_cpuinfo(x->t, &x->f);
	assert_state(x->f.vendor.f, TDX_UNREADABLE, EBADMSG);
	assert_non_null(strstr(x->f.vendor.f.detail, "no vendor_id"));
}

static void cpuinfo_bad_number(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\n"
		 "cpu family\t: six\nmodel\t\t: 143\nflags\t\t: vmx\nbugs\t\t:\n\n");
	tdx_read_cpuinfo(x->t, &x->f);
	assert_state(x->f.vendor.f, TDX_KNOWN, 0);
	assert_state(x->f.family.f, TDX_UNREADABLE, EBADMSG);
	assert_non_null(strstr(x->f.family.f.detail, "cpu family"));
	assert_state(x->f.tdx_pw_mce.f, TDX_KNOWN, 0);
	assert_false(x->f.tdx_pw_mce.v);
}

static void cpuinfo_unreadable(void **state)
{
	struct fx *x = *state;

	tt_mkdir(x->root, "/proc/cpuinfo");
	tdx_read_cpuinfo(x->t, &x->f);
	assert_state(x->f.vendor.f, TDX_UNREADABLE, EISDIR);
	assert_non_null(strstr(x->f.vendor.f.detail, "cannot read /proc/cpuinfo"));
}

static void cpuinfo_recorded_errno(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/proc/cpuinfo.errno", "EACCES\n");
	tdx_read_cpuinfo(x->t, &x->f);
	assert_state(x->f.tdx_host_platform.f, TDX_UNREADABLE, EACCES);
}

/* --- release and MSR ---------------------------------------------------- */

static void release_cases(void **state)
{
	struct fx *x = *state;

	tdx_read_release(x->t, &x->f);
	assert_state(x->f.release.f, TDX_ABSENT, ENOENT);
	tt_write(x->root, "/proc/sys/kernel/osrelease", "7.2.0-1-amd64\n");
	tdx_read_release(x->t, &x->f);
	assert_state(x->f.release.f, TDX_KNOWN, 0);
	assert_string_equal(x->f.release.v, "7.2.0-1-amd64");
	tt_write(x->root, "/proc/sys/kernel/osrelease", "7.2.0 extra\n");
	tdx_read_release(x->t, &x->f);
	assert_state(x->f.release.f, TDX_UNREADABLE, EBADMSG);
	tt_write(x->root, "/proc/sys/kernel/osrelease", "7.2.0\nsecond line\n");
	tdx_read_release(x->t, &x->f);
	assert_state(x->f.release.f, TDX_UNREADABLE, EBADMSG);
	assert_non_null(strstr(x->f.release.f.detail, "expected one line"));
}

static void msr_cases(void **state)
{
	struct fx *x = *state;
	uint8_t v[8];

	tdx_read_msr(x->t, &x->f);
	assert_state(x->f.msr_keyids.f, TDX_ABSENT, ENOENT);
	tt_write(x->root, "/dev/cpu/0/msr.errno", "EIO\n");
	tdx_read_msr(x->t, &x->f);
	assert_state(x->f.msr_keyids.f, TDX_UNREADABLE, EIO);
	kx_put64(v, 0, 0x000000400000003full);
	tt_write_bin(x->root, "/dev/cpu/0/msr", v, 8, 0x87);
	tdx_read_msr(x->t, &x->f);
	assert_state(x->f.msr_keyids.f, TDX_KNOWN, 0);
	assert_int_equal(x->f.msr_keyids.v >> 32, 64);
	assert_int_equal(x->f.msr_keyids.v & 0xffffffff, 63);
}

static void msr_short(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/dev/cpu/0/msr", "short");
	tdx_read_msr(x->t, &x->f);
	assert_int_equal(x->f.msr_keyids.f.state, TDX_UNREADABLE);
}

/* --- tdx_host sysfs ----------------------------------------------------- */

static void tdx_host_flat(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/sys/devices/faux/tdx_host/version", "1.5.08\n");
	tt_write(x->root, "/sys/devices/faux/tdx_host/seamldr_version", "1.5.01\n");
	tt_write(x->root, "/sys/devices/faux/tdx_host/num_remaining_updates", "31\n");
	tdx_read_tdx_host(x->t, &x->f);
	assert_state(x->f.module_version.f, TDX_KNOWN, 0);
	assert_int_equal(x->f.module_version.major, 1);
	assert_int_equal(x->f.module_version.minor, 5);
	assert_int_equal(x->f.module_version.update, 8);
	assert_int_equal(x->f.seamldr_version.update, 1);
	assert_int_equal(x->f.remaining_updates.v, 31);
}

static void tdx_host_v4_layout(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/sys/devices/faux/tdx_host/version", "1.5.20\n");
	tt_write(x->root, "/sys/devices/faux/tdx_host/seamldr/version", "1.5.02\n");
	tt_write(x->root, "/sys/devices/faux/tdx_host/seamldr/num_remaining_updates", "7\n");
	tdx_read_tdx_host(x->t, &x->f);
	assert_state(x->f.seamldr_version.f, TDX_KNOWN, 0);
	assert_string_equal(x->f.seamldr_version.f.source,
			    "/sys/devices/faux/tdx_host/seamldr/version");
	assert_int_equal(x->f.remaining_updates.v, 7);
}

static void tdx_host_absent(void **state)
{
	struct fx *x = *state;

	tdx_read_tdx_host(x->t, &x->f);
	assert_state(x->f.module_version.f, TDX_ABSENT, ENOENT);
	assert_state(x->f.seamldr_version.f, TDX_ABSENT, ENOENT);
	assert_string_equal(x->f.seamldr_version.f.source,
			    "/sys/devices/faux/tdx_host/seamldr_version");
	assert_state(x->f.remaining_updates.f, TDX_ABSENT, ENOENT);
}

static void tdx_host_malformed(void **state)
{
	struct fx *x = *state;
	static const char *const bad[] = { "1.5\n", "1.5.x\n", "1.5.8.1\n", "v1.5.08\n", "1..5\n",
					   "1.5.99999999\n", "" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tt_write(x->root, "/sys/devices/faux/tdx_host/version", bad[i]);
		tdx_read_tdx_host(x->t, &x->f);
		assert_state(x->f.module_version.f, TDX_UNREADABLE, EBADMSG);
		assert_non_null(strstr(x->f.module_version.f.detail,
				       "/sys/devices/faux/tdx_host/version: expected a version"));
	}
	tt_write(x->root, "/sys/devices/faux/tdx_host/num_remaining_updates", "-1\n");
	tdx_read_tdx_host(x->t, &x->f);
	assert_state(x->f.remaining_updates.f, TDX_UNREADABLE, EBADMSG);
}

static void tdx_host_enxio(void **state)
{
	struct fx *x = *state;

	/* after a failed update the version attribute returns -ENXIO */
	tt_write(x->root, "/sys/devices/faux/tdx_host/version.errno", "ENXIO\n");
	tt_write(x->root, "/sys/devices/faux/tdx_host/seamldr_version.errno", "EACCES\n");
	tdx_read_tdx_host(x->t, &x->f);
	assert_state(x->f.module_version.f, TDX_UNREADABLE, ENXIO);
	assert_state(x->f.seamldr_version.f, TDX_UNREADABLE, EACCES);
}

/* --- fw_upload ---------------------------------------------------------- */

static void fw_upload_cases(void **state)
{
	struct fx *x = *state;

	tdx_read_fw_upload(x->t, &x->f);
	assert_state(x->f.update_status.f, TDX_ABSENT, ENOENT);
	tt_write(x->root, "/sys/class/firmware/tdx_module/status", "idle\n");
	tt_write(x->root, "/sys/class/firmware/tdx_module/error", "");
	tdx_read_fw_upload(x->t, &x->f);
	assert_string_equal(x->f.update_status.v, "idle");
	assert_state(x->f.update_error.f, TDX_KNOWN, 0);
	assert_string_equal(x->f.update_error.v, "");
	tt_write(x->root, "/sys/class/firmware/tdx_module/error",
		 "transferring:firmware-invalid\n");
	tdx_read_fw_upload(x->t, &x->f);
	assert_string_equal(x->f.update_error.v, "transferring:firmware-invalid");
	tt_write(x->root, "/sys/class/firmware/tdx_module/status", "busy\n");
	tt_write(x->root, "/sys/class/firmware/tdx_module/error", "oops\n");
	tdx_read_fw_upload(x->t, &x->f);
	assert_state(x->f.update_status.f, TDX_UNREADABLE, EBADMSG);
	assert_state(x->f.update_error.f, TDX_UNREADABLE, EBADMSG);
	assert_non_null(strstr(x->f.update_error.f.detail, "<progress>:<error>"));
}

/* --- kvm_intel ---------------------------------------------------------- */

static void kvm_cases(void **state)
{
	struct fx *x = *state;

	tdx_read_kvm(x->t, &x->f);
	assert_state(x->f.kvm_tdx.f, TDX_ABSENT, ENOENT);
	tt_write(x->root, "/sys/module/kvm_intel/parameters/tdx", "Y\n");
	tdx_read_kvm(x->t, &x->f);
	assert_true(x->f.kvm_tdx.v);
	tt_write(x->root, "/sys/module/kvm_intel/parameters/tdx", "N\n");
	tdx_read_kvm(x->t, &x->f);
	assert_state(x->f.kvm_tdx.f, TDX_KNOWN, 0);
	assert_false(x->f.kvm_tdx.v);
	tt_write(x->root, "/sys/module/kvm_intel/parameters/tdx", "1\n");
	tdx_read_kvm(x->t, &x->f);
	assert_state(x->f.kvm_tdx.f, TDX_UNREADABLE, EBADMSG);
	assert_non_null(strstr(x->f.kvm_tdx.f.detail, "expected Y or N"));
}

static void kvm_unreadable(void **state)
{
	struct fx *x = *state;

	tt_mkdir(x->root, "/sys/module/kvm_intel/parameters/tdx");
	tdx_read_kvm(x->t, &x->f);
	assert_state(x->f.kvm_tdx.f, TDX_UNREADABLE, EISDIR);
}

/* --- misc cgroup -------------------------------------------------------- */

static void misc_root(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/sys/fs/cgroup/misc.capacity", "sev 0\ntdx 63\n");
	tt_write(x->root, "/sys/fs/cgroup/misc.current", "tdx 2\n");
	tdx_read_misc(x->t, &x->f);
	assert_state(x->f.keyid_capacity.f, TDX_KNOWN, 0);
	assert_int_equal(x->f.keyid_capacity.v, 63);
	assert_int_equal(x->f.live_tds.v, 2);
	assert_int_equal(x->f.live_tds_cgroups, 0);
}

static void misc_no_tdx_line(void **state)
{
	struct fx *x = *state;

	/* capacity 0 and no usage: the kernel prints no tdx line at all */
	tt_write(x->root, "/sys/fs/cgroup/misc.capacity", "");
	tt_write(x->root, "/sys/fs/cgroup/misc.current", "sev 0\n");
	tdx_read_misc(x->t, &x->f);
	assert_state(x->f.keyid_capacity.f, TDX_KNOWN, 0);
	assert_int_equal(x->f.keyid_capacity.v, 0);
	assert_state(x->f.live_tds.f, TDX_KNOWN, 0);
	assert_int_equal(x->f.live_tds.v, 0);
}

static void misc_sum_children(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/sys/fs/cgroup/misc.capacity", "tdx 127\n");
	tt_write(x->root, "/sys/fs/cgroup/machine.slice/misc.current", "tdx 2\n");
	/* a grandchild is already counted in its parent */
	tt_write(x->root, "/sys/fs/cgroup/machine.slice/vm1.scope/misc.current", "tdx 2\n");
	tt_write(x->root, "/sys/fs/cgroup/user.slice/misc.current", "sev 1\ntdx 1\n");
	tt_mkdir(x->root, "/sys/fs/cgroup/init.scope");
	tdx_read_live_tds(x->t, &x->f);
	assert_state(x->f.live_tds.f, TDX_KNOWN, 0);
	assert_int_equal(x->f.live_tds.v, 3);
	assert_int_equal(x->f.live_tds_cgroups, 2);
}

static void misc_absent(void **state)
{
	struct fx *x = *state;

	tt_mkdir(x->root, "/sys/fs/cgroup/system.slice");
	tdx_read_misc(x->t, &x->f);
	assert_state(x->f.keyid_capacity.f, TDX_ABSENT, ENOENT);
	assert_state(x->f.live_tds.f, TDX_ABSENT, ENOENT);
}

static void misc_malformed(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/sys/fs/cgroup/misc.capacity", "tdx63\n");
	tt_write(x->root, "/sys/fs/cgroup/misc.current", "tdx three\n");
	tdx_read_misc(x->t, &x->f);
	assert_state(x->f.keyid_capacity.f, TDX_UNREADABLE, EBADMSG);
	assert_state(x->f.live_tds.f, TDX_UNREADABLE, EBADMSG);
	assert_non_null(strstr(x->f.live_tds.f.detail, "/sys/fs/cgroup/misc.current: expected"));
}

static void misc_child_unreadable(void **state)
{
	struct fx *x = *state;

	tt_mkdir(x->root, "/sys/fs/cgroup/machine.slice/misc.current");
	tdx_read_live_tds(x->t, &x->f);
	assert_state(x->f.live_tds.f, TDX_UNREADABLE, EISDIR);
	assert_string_equal(x->f.live_tds.f.source, "/sys/fs/cgroup/machine.slice/misc.current");
}

static void misc_cgroup_v1(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/sys/fs/cgroup/misc/misc.capacity", "tdx 31\n");
	tt_write(x->root, "/sys/fs/cgroup/misc/misc.current", "tdx 4\n");
	tdx_read_misc(x->t, &x->f);
	assert_int_equal(x->f.keyid_capacity.v, 31);
	assert_int_equal(x->f.live_tds.v, 4);
}

/* --- the disable path: BTF, then kallsyms ------------------------------- */

/* A BTF blob with an INT, a FUNC_PROTO and FUNCs named after @funcs. */
static void write_btf(const char *root, const char *const *funcs, size_t n)
{
	uint8_t b[1024] = { 0 };
	char strs[512] = "";
	size_t t = 24, slen = 1, i;
	uint32_t int_name;

	int_name = (uint32_t)slen;
	memcpy(strs + slen, "int", 4);
	slen += 4;
	kx_put32(b, t, int_name);			/* INT "int", 4 bytes */
	kx_put32(b, t + 4, 1u << 24);
	kx_put32(b, t + 8, 4);
	kx_put32(b, t + 12, 32);
	t += 16;
	kx_put32(b, t + 4, 13u << 24);			/* FUNC_PROTO void(void) */
	t += 12;
	for (i = 0; i < n; i++) {
		kx_put32(b, t, (uint32_t)slen);		/* FUNC name -> type 2 */
		kx_put32(b, t + 4, 12u << 24);
		kx_put32(b, t + 8, 2);
		t += 12;
		memcpy(strs + slen, funcs[i], strlen(funcs[i]) + 1);
		slen += strlen(funcs[i]) + 1;
	}
	kx_put16(b, 0, 0xeb9f);
	b[2] = 1;
	kx_put32(b, 4, 24);
	kx_put32(b, 8, 0);
	kx_put32(b, 12, (uint32_t)(t - 24));
	kx_put32(b, 16, (uint32_t)(t - 24));
	kx_put32(b, 20, (uint32_t)slen);
	memcpy(b + t, strs, slen);
	tt_write_bin(root, "/sys/kernel/btf/vmlinux", b, t + slen, 0);
}

static void btf_has_disable(void **state)
{
	static const char *const funcs[] = { "tdx_enable", "tdx_sys_disable" };
	struct fx *x = *state;

	write_btf(x->root, funcs, 2);
	tdx_read_disable_path(x->t, &x->f);
	assert_state(x->f.disable_path.f, TDX_KNOWN, 0);
	assert_true(x->f.disable_path.v);
	assert_int_equal(x->f.disable_src, TDX_SYM_BTF);
}

static void btf_without_disable(void **state)
{
	static const char *const funcs[] = { "tdx_cpu_enable", "tdx_enable" };
	struct fx *x = *state;

	/* BTF lists TDX host functions but no tdx_sys_disable: kallsyms decides */
	write_btf(x->root, funcs, 2);
	tt_write(x->root, "/proc/kallsyms", "ffffffff81000000 T startup_64\n"
		 "ffffffff810a3d10 T tdx_sys_disable\n");
	tdx_read_disable_path(x->t, &x->f);
	assert_state(x->f.disable_path.f, TDX_KNOWN, 0);
	assert_true(x->f.disable_path.v);
	assert_int_equal(x->f.disable_src, TDX_SYM_KALLSYMS);
	tt_write(x->root, "/proc/kallsyms", "ffffffff81000000 T startup_64\n");
	tdx_read_disable_path(x->t, &x->f);
	assert_state(x->f.disable_path.f, TDX_KNOWN, 0);
	assert_false(x->f.disable_path.v);
	assert_int_equal(x->f.disable_src, TDX_SYM_KALLSYMS);
}

static void btf_no_and_no_kallsyms_is_unknown(void **state)
{
	static const char *const funcs[] = { "tdx_cpu_enable", "tdx_enable" };
	struct fx *x = *state;

	/* a BTF "no" alone is never the answer */
	write_btf(x->root, funcs, 2);
	tdx_read_disable_path(x->t, &x->f);
	assert_int_not_equal(x->f.disable_path.f.state, TDX_KNOWN);
}

static void btf_no_tdx_code_falls_back(void **state)
{
	static const char *const funcs[] = { "schedule" };
	struct fx *x = *state;

	write_btf(x->root, funcs, 1);
	tt_write(x->root, "/proc/kallsyms", "ffffffff81000000 T startup_64\n"
		 "ffffffff810a3d10 T tdx_sys_disable\n");
	tdx_read_disable_path(x->t, &x->f);
	assert_true(x->f.disable_path.v);
	assert_int_equal(x->f.disable_src, TDX_SYM_KALLSYMS);
}

static void btf_malformed(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/sys/kernel/btf/vmlinux", "this is not BTF at all, not at all");
	tdx_read_disable_path(x->t, &x->f);
	assert_state(x->f.disable_path.f, TDX_UNREADABLE, EBADMSG);
}

static void kexec_flush_symbol(void **state)
{
	struct fx *x = *state;

	/* the per-CPU cache_state_incoherent of the 6.18 kexec cache flush, any type */
	tt_write(x->root, "/proc/kallsyms", "0000000000021e40 D cache_state_incoherent\n"
		 "ffffffff81000000 T startup_64\n");
	tdx_read_kexec_flush(x->t, &x->f);
	assert_state(x->f.kexec_flush.f, TDX_KNOWN, 0);
	assert_true(x->f.kexec_flush.v);
	tt_write(x->root, "/proc/kallsyms", "ffffffff81000000 T startup_64\n");
	tdx_read_kexec_flush(x->t, &x->f);
	assert_state(x->f.kexec_flush.f, TDX_KNOWN, 0);
	assert_false(x->f.kexec_flush.v);
}

static void kallsyms_found(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/proc/kallsyms", "0000000000000000 T startup_64\n"
		 "0000000000000000 T tdx_sys_disable\n0000000000000000 t vmx_run\t[kvm_intel]\n");
	tdx_read_disable_path(x->t, &x->f);
	assert_state(x->f.disable_path.f, TDX_KNOWN, 0);
	assert_true(x->f.disable_path.v);
}

static void kallsyms_not_found(void **state)
{
	struct fx *x = *state;

	/* a module's symbol of the same name after the kernel's does not count */
	tt_write(x->root, "/proc/kallsyms", "ffffffff81000000 T startup_64\n"
		 "ffffffff810a3d10 d tdx_sys_disable_data\n"
		 "ffffffffc0a01000 t tdx_sys_disable\t[fake]\n");
	tdx_read_disable_path(x->t, &x->f);
	assert_state(x->f.disable_path.f, TDX_KNOWN, 0);
	assert_false(x->f.disable_path.v);
}

static void kallsyms_malformed(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/proc/kallsyms", "ffffffff81000000 T startup_64\nnot a symbol line\n");
	tdx_read_disable_path(x->t, &x->f);
	assert_state(x->f.disable_path.f, TDX_UNREADABLE, EBADMSG);
	assert_non_null(strstr(x->f.disable_path.f.detail, "/proc/kallsyms: expected"));
}

static void kallsyms_unreadable(void **state)
{
	struct fx *x = *state;

	tdx_read_disable_path(x->t, &x->f);
	assert_state(x->f.disable_path.f, TDX_ABSENT, ENOENT);
	tt_symlink(x->root, "/proc/kallsyms", "kallsyms.loop");
	tt_symlink(x->root, "/proc/kallsyms.loop", "kallsyms");
	tdx_read_disable_path(x->t, &x->f);
	assert_state(x->f.disable_path.f, TDX_UNREADABLE, ELOOP);
}

/* --- the kernel log ----------------------------------------------------- */

static void kmsg_only_the_kernel_counts(void **state)
{
	struct fx *x = *state;

	/* user space (facility 1: prio 12, 14) and a device string cannot change a verdict */
	tt_write(x->root, "/dev/kmsg", "5,0,0,-;Linux version 7.2.0\n"
		 "12,1,100,-;virt/tdx: TDX-Module initialized\n"
		 "14,2,200,-;kexec: Not allowed on platform with tdx_pw_mce bug\n"
		 "6,3,300,-;usb 1-1: Product: virt/tdx: TDX-Module initialized\n"
		 "6,4,400,-;hid: quoting virt/tdx: TDX-Module initialization failed\n");
	tdx_read_kmsg(x->t, &x->f);
	assert_state(x->f.kmsg.f, TDX_KNOWN, 0);
	assert_int_equal(x->f.kmsg.seen, 0);
	assert_int_equal(x->f.kmsg.records, 5);
}

static void kmsg_good(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/dev/kmsg", "5,0,0,-;Linux version 7.2.0\n SUBSYSTEM=none\n"
		 "6,1,100,-;virt/tdx: BIOS enabled: private KeyID range [64, 128)\n"
		 "6,2,200,-,caller=T1;virt/tdx: TDX-Module initialized\n"
		 "6,3,300,c;kexec: Not allowed on platform with tdx_pw_mce bug\n");
	tdx_read_kmsg(x->t, &x->f);
	assert_state(x->f.kmsg.f, TDX_KNOWN, 0);
	assert_true(x->f.kmsg.complete);
	assert_int_equal(x->f.kmsg.records, 4);
	assert_int_equal(x->f.kmsg.seen, TDX_LOG_BIOS_ENABLED | TDX_LOG_MODULE_INIT |
			 TDX_LOG_KEXEC_REFUSED);
}

static void kmsg_wrapped(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/dev/kmsg", "6,5000,1,-;kvm_intel: something\n"
		 "3,5001,2,-;virt/tdx: TDX-Module initialization failed (-5)\n");
	tdx_read_kmsg(x->t, &x->f);
	assert_false(x->f.kmsg.complete);
	assert_int_equal(x->f.kmsg.seen, TDX_LOG_INIT_FAILED);
}

static void kmsg_malformed(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/dev/kmsg", "6,0,0,-;fine\ngarbage without a header\n");
	tdx_read_kmsg(x->t, &x->f);
	assert_state(x->f.kmsg.f, TDX_UNREADABLE, EBADMSG);
	assert_non_null(strstr(x->f.kmsg.f.detail, "/dev/kmsg: expected records"));
	tt_write(x->root, "/dev/kmsg", "6,x,0,-;bad sequence\n");
	tdx_read_kmsg(x->t, &x->f);
	assert_state(x->f.kmsg.f, TDX_UNREADABLE, EBADMSG);
}

static void kmsg_unreadable(void **state)
{
	struct fx *x = *state;

	tdx_read_kmsg(x->t, &x->f);
	assert_state(x->f.kmsg.f, TDX_ABSENT, ENOENT);
	tt_write(x->root, "/dev/kmsg.errno", "EPERM\n");
	tdx_read_kmsg(x->t, &x->f);
	assert_state(x->f.kmsg.f, TDX_UNREADABLE, EPERM);
}

/* --- the policy file ---------------------------------------------------- */

static void conf_good(void **state)
{
	struct fx *x = *state;

	tdx_read_conf(x->t, &x->f);
	assert_state(x->f.conf, TDX_ABSENT, ENOENT);
	assert_int_equal(x->f.min_module_version.f.state, TDX_ABSENT);
	tt_write(x->root, "/etc/kexec-tdx.conf", "# policy\n\n  min_module_version=1.5.16  \n"
		 "tdx_lost = no-go\n");
	tdx_read_conf(x->t, &x->f);
	assert_state(x->f.conf, TDX_KNOWN, 0);
	assert_int_equal(x->f.min_module_version.update, 16);
	assert_true(x->f.tdx_lost_nogo);
	tt_write(x->root, "/etc/kexec-tdx.conf", "tdx_lost = warn");
	tdx_read_conf(x->t, &x->f);
	assert_state(x->f.conf, TDX_KNOWN, 0);
	assert_state(x->f.min_module_version.f, TDX_ABSENT, ENOENT);
	assert_false(x->f.tdx_lost_nogo);
}

static void conf_malformed(void **state)
{
	static const struct {
		const char *text, *expect;
	} bad[] = {
		{ "colour = blue\n", "line 1: unknown key 'colour'" },
		{ "# ok\nmin_module_version = 1.5\n", "line 2: min_module_version = '1.5'" },
		{ "min_module_version\n", "line 1: expected 'key = value'" },
		{ "min_module_version =\n", "with both parts" },
		{ "tdx_lost = maybe\n", "expected warn or no-go" },
		{ "tdx_lost = warn\ntdx_lost = no-go\n", "line 2: tdx_lost is set twice" },
	};
	struct fx *x = *state;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tt_write(x->root, "/etc/kexec-tdx.conf", bad[i].text);
		tdx_read_conf(x->t, &x->f);
		assert_state(x->f.conf, TDX_UNREADABLE, EBADMSG);
		assert_non_null(strstr(x->f.conf.detail, "/etc/kexec-tdx.conf: "));
		assert_non_null(strstr(x->f.conf.detail, bad[i].expect));
		assert_false(x->f.tdx_lost_nogo);
	}
	{
		char path[512];

		/* a directory where the file goes */
		snprintf(path, sizeof(path), "%s/etc/kexec-tdx.conf", x->root);
		assert_int_equal(remove(path), 0);
	}
	tt_mkdir(x->root, "/etc/kexec-tdx.conf");
	tdx_read_conf(x->t, &x->f);
	assert_state(x->f.conf, TDX_UNREADABLE, EISDIR);
}

static void versions(void **state)
{
	struct tdx_ver a, b;

	assert_int_equal(tdx_parse_version("1.5.08\n", &a), 0);
	assert_int_equal(tdx_parse_version("1.5.16", &b), 0);
	assert_true(tdx_version_cmp(&a, &b) < 0);
	assert_true(tdx_version_cmp(&b, &a) > 0);
	assert_int_equal(tdx_parse_version("2.0.0", &b), 0);
	assert_true(tdx_version_cmp(&a, &b) < 0);
	assert_int_equal(tdx_parse_version("1.5.8", &b), 0);
	assert_int_equal(tdx_version_cmp(&a, &b), 0);
	assert_int_equal(tdx_parse_version("1.5.8\n\n", &b), -EINVAL);
	assert_int_equal(tdx_parse_version("1.5.+8", &b), -EINVAL);
	assert_int_equal(tdx_parse_version(" 1.5.8", &b), -EINVAL);
}

/* --- everything together ------------------------------------------------ */

static void read_host_amd_skips(void **state)
{
	struct fx *x = *state;

	tt_write(x->root, "/proc/cpuinfo", "processor\t: 0\nvendor_id\t: AuthenticAMD\n"
		 "cpu family\t: 25\nmodel\t\t: 17\nflags\t\t: svm sev\nbugs\t\t: srso\n\n");
	tt_write(x->root, "/dev/kmsg", "garbage that would be malformed\n");
	tdx_read_host(x->t, &x->f);
	assert_int_equal(x->f.kmsg.f.state, TDX_NOT_READ);
	assert_int_equal(x->f.disable_path.f.state, TDX_NOT_READ);
	assert_int_equal(x->f.conf.state, TDX_ABSENT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(cpuinfo_good), T(cpuinfo_no_bugs_line), T(cpuinfo_absent), T(cpuinfo_malformed),
		T(cpuinfo_not_x86), T(cpuinfo_bad_number), T(cpuinfo_unreadable),
		T(cpuinfo_recorded_errno), T(release_cases), T(msr_cases), T(msr_short),
		T(tdx_host_flat), T(tdx_host_v4_layout), T(tdx_host_absent), T(tdx_host_malformed),
		T(tdx_host_enxio), T(fw_upload_cases), T(kvm_cases), T(kvm_unreadable),
		T(misc_root), T(misc_no_tdx_line), T(misc_sum_children), T(misc_absent),
		T(misc_malformed), T(misc_child_unreadable), T(misc_cgroup_v1),
		T(btf_has_disable), T(btf_without_disable), T(btf_no_and_no_kallsyms_is_unknown),
		T(kexec_flush_symbol), T(btf_no_tdx_code_falls_back),
		T(btf_malformed), T(kallsyms_found), T(kallsyms_not_found), T(kallsyms_malformed),
		T(kallsyms_unreadable), T(kmsg_good), T(kmsg_only_the_kernel_counts), T(kmsg_wrapped),
		T(kmsg_malformed),
		T(kmsg_unreadable), T(conf_good), T(conf_malformed), T(versions),
		T(read_host_amd_skips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
