// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Command-line parsing: every invocation pattern seen in the wild
 * (ref/kexec-x86_64.md section 5.6) parses to the action kexec-tools would
 * take, with GNU getopt_long behaviour and last-writer-wins actions.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/ctx.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "freestanding/purgatory-abi.h"
#include "kexec/load.h"

/* The action state a case expects: a compact string of the flags that are set. */
struct pcase {
	const char *argv;	/* space separated; no quoting needed here */
	const char *actions;	/* letters: L load, E exec, S shutdown, U unload, T status, Y sync, I ifdown, P crash */
	enum kx_syscall syscall;
	const char *kernel;
	const char *initrd;
	const char *append;
	bool reuse;
};

static const struct pcase cases[] = {
	/* systemd, kdump-tools, kdumpctl, NixOS, zfsbootmenu and friends */
	{ "-l K --initrd=I --append=root=/dev/sda", "LY", KX_SYSCALL_AUTO, "K", "I", "root=/dev/sda", false },
	{ "-l K --initrd=I --reuse-cmdline", "LY", KX_SYSCALL_AUTO, "K", "I", NULL, true },
	{ "--load K --append X --initrd I", "LY", KX_SYSCALL_AUTO, "K", "I", "X", false },
	{ "--load --kexec-syscall-auto --initrd=I --append=X -- K", "LY", KX_SYSCALL_AUTO, "K", "I", "X", false },
	{ "-al K", "LY", KX_SYSCALL_AUTO, "K", NULL, NULL, false },
	{ "-a -l K", "LY", KX_SYSCALL_AUTO, "K", NULL, NULL, false },
	{ "-s -l K", "LY", KX_SYSCALL_FILE, "K", NULL, NULL, false },
	{ "-c -l K", "LY", KX_SYSCALL_CLASSIC, "K", NULL, NULL, false },
	{ "-p --command-line=A --initrd=I K", "LP", KX_SYSCALL_AUTO, "K", "I", "A", false },
	{ "-p -s --args-linux --command-line=A --initrd=I K", "LP", KX_SYSCALL_FILE, "K", "I", "A", false },
	{ "-p -u", "UP", KX_SYSCALL_AUTO, NULL, NULL, NULL, false },
	{ "-s -p -u", "UP", KX_SYSCALL_FILE, NULL, NULL, NULL, false },
	{ "-a -p -u", "UP", KX_SYSCALL_AUTO, NULL, NULL, NULL, false },
	{ "-e", "EYI", KX_SYSCALL_AUTO, NULL, NULL, NULL, false },
	{ "--exec", "EYI", KX_SYSCALL_AUTO, NULL, NULL, NULL, false },
	{ "-S", "LSTY", KX_SYSCALL_AUTO, NULL, NULL, NULL, false },
	{ "-p -S", "LTP", KX_SYSCALL_AUTO, NULL, NULL, NULL, false },
	{ "-d -l K", "LY", KX_SYSCALL_AUTO, "K", NULL, NULL, false },
	{ "--no-checks -c -l K", "LY", KX_SYSCALL_CLASSIC, "K", NULL, NULL, false },
	/* options after the kernel, --opt value, unique prefixes, combined flags */
	{ "-l /boot/vmlinuz --initrd /boot/initrd.img --reuse-cmdline", "LY", KX_SYSCALL_AUTO,
	  "/boot/vmlinuz", "/boot/initrd.img", NULL, true },
	{ "--load K --ini=I --app=X", "LY", KX_SYSCALL_AUTO, "K", "I", "X", false },
	{ "-sl K", "LY", KX_SYSCALL_FILE, "K", NULL, NULL, false },
	{ "-l K --ramdisk=R", "LY", KX_SYSCALL_AUTO, "K", "R", NULL, false },
	/* --command-line and --append are one option: the last wins */
	{ "-l K --append=A --command-line=B", "LY", KX_SYSCALL_AUTO, "K", NULL, "B", false },
	{ "-l K --command-line=B --append=A", "LY", KX_SYSCALL_AUTO, "K", NULL, "A", false },
	/* last writer wins */
	{ "-u -p K", "LUP", KX_SYSCALL_AUTO, "K", NULL, NULL, false },
	{ "-l -u", "U", KX_SYSCALL_AUTO, NULL, NULL, NULL, false },
	{ "-u -l K", "LU", KX_SYSCALL_AUTO, "K", NULL, NULL, false },
	{ "-l -e", "EYI", KX_SYSCALL_AUTO, NULL, NULL, NULL, false },
	{ "-e -l K", "LYI", KX_SYSCALL_AUTO, "K", NULL, NULL, false },
	{ "-f K", "LEYI", KX_SYSCALL_AUTO, "K", NULL, NULL, false },
	{ "-f -x -y K", "LE", KX_SYSCALL_AUTO, "K", NULL, NULL, false },
	{ "-e -x", "EY", KX_SYSCALL_AUTO, NULL, NULL, NULL, false },
	{ "-y -e", "EI", KX_SYSCALL_AUTO, NULL, NULL, NULL, false },
	{ "-s -c -l K", "LY", KX_SYSCALL_CLASSIC, "K", NULL, NULL, false },
	{ "-c -a -l K", "LY", KX_SYSCALL_AUTO, "K", NULL, NULL, false },
	/* no action: load, then shutdown -r now */
	{ "K", "LSY", KX_SYSCALL_AUTO, "K", NULL, NULL, false },
	{ "--append=X K", "LSY", KX_SYSCALL_AUTO, "K", NULL, "X", false },
	{ "-p -l K", "LP", KX_SYSCALL_AUTO, "K", NULL, NULL, false },
};

static int split(char *line, char **argv, int max)
{
	int argc = 0;
	char *tok, *save = NULL;

	static char prog[] = "kexec";

	argv[argc++] = prog;
	for (tok = strtok_r(line, " ", &save); tok && argc < max - 1; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return argc;
}

/* Where a usage error's sentence goes. */
static struct kx_ctx ctx;

static int parse_line(const char *line, struct kx_opts *o)
{
	static char buf[512];
	char *argv[32];
	int argc;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = split(buf, argv, 32);
	kx_clear_err(&ctx);
	return kx_opts_parse(&ctx, o, argc, argv);
}

static void actions_of(const struct kx_opts *o, char *out)
{
	char *p = out;

	if (o->load) *p++ = 'L';
	if (o->exec) *p++ = 'E';
	if (o->shutdown) *p++ = 'S';
	if (o->unload) *p++ = 'U';
	if (o->status) *p++ = 'T';
	if (o->sync) *p++ = 'Y';
	if (o->ifdown) *p++ = 'I';
	if (o->crash) *p++ = 'P';
	*p = '\0';
}

static void assert_str(const char *want, const char *got, const char *line)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(want, got) != 0)
		fail_msg("'%s': expected '%s', got '%s'", line, want ? want : "(none)",
			 got ? got : "(none)");
}

static void test_patterns(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pcase *c = &cases[i];
		struct kx_opts o;
		char act[16];

		if (parse_line(c->argv, &o) != 0)
			fail_msg("'%s' failed to parse: %s", c->argv, ctx.err);
		actions_of(&o, act);
		assert_str(c->actions, act, c->argv);
		if (o.syscall != c->syscall)
			fail_msg("'%s': syscall mode %d, expected %d", c->argv, o.syscall, c->syscall);
		assert_str(c->kernel, o.kernel, c->argv);
		assert_str(c->initrd, o.initrd, c->argv);
		assert_str(c->append, o.append, c->argv);
		if (o.reuse_cmdline != c->reuse)
			fail_msg("'%s': reuse_cmdline %d", c->argv, o.reuse_cmdline);
	}
}

static void test_errors(void **state)
{
	static const struct { const char *argv, *msg; } bad[] = {
		{ "--bogus", "unrecognized option '--bogus'" },
		{ "-Z", "invalid option -- 'Z'" },
		{ "-l K extra", "unexpected argument 'extra'" },
		{ "--mem-min=zz -l K", "bad value 'zz' for --mem-min" },
		{ "--mem-min=0x2000 --mem-max=0x1000 -l K", "--mem-min (0x2000) is above --mem-max" },
		{ "--serial=ttyS9", "bad serial port base 'ttyS9'" },
		{ "--serial=0x10000", "bad serial port base" },
		{ "--serial-baud=1234", "bad serial baud rate '1234'" },
		{ "--serial-baud=230400", "bad serial baud rate" },
		{ "--tdx-wait=-1", "bad value '-1' for --tdx-wait" },
		{ "--tdx-wait=5s", "bad value '5s' for --tdx-wait" },
		{ "-l K --initrd", "option '--initrd' requires an argument" },
		{ "-l K -t", "invalid option -- 't'" },
		{ "--tdx", "option '--tdx' is ambiguous; possibilities: --tdx-disable" },
		{ "--lo K", "option '--lo' is ambiguous" },
		{ "--on-mismatch=explode -c -l K",
		  "bad value 'explode' for --on-mismatch: expected reset or halt" },
		{ "-c -l K --on-mismatch", "option '--on-mismatch' requires an argument" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kx_opts o;

		if (parse_line(bad[i].argv, &o) != -EINVAL)
			fail_msg("'%s' parsed but should not have", bad[i].argv);
		if (!strstr(ctx.err, bad[i].msg))
			fail_msg("'%s': error '%s' lacks '%s'", bad[i].argv, ctx.err, bad[i].msg);
	}
}

static void test_values(void **state)
{
	struct kx_opts o;

	assert_int_equal(parse_line("--serial=ttyS1 --serial-baud=9600 --console-serial -c -l K", &o), 0);
	assert_int_equal(o.serial_base, 0x2f8);
	assert_int_equal(o.serial_baud, 9600);
	assert_true(o.console_serial);
	assert_int_equal(parse_line("--serial=0x3e8 -l K", &o), 0);
	assert_int_equal(o.serial_base, 0x3e8);
	assert_int_equal(parse_line("--mem-min=0x1000000 --mem-max=4294967295 -l K", &o), 0);
	assert_int_equal(o.mem_min, 0x1000000);
	assert_int_equal(o.mem_max, 0xffffffffULL);
	assert_int_equal(parse_line("-t bzImage64 -c -l K", &o), 0);
	assert_string_equal(o.type, "bzImage64");
	assert_int_equal(parse_line("--tdx-disable --tdx-wait=30 --tdx-force -l K", &o), 0);
	assert_true(o.tdx_disable && o.tdx_force);
	assert_int_equal(o.tdx_wait, 30);
	assert_int_equal(parse_line("--tdx-status --json --sysroot=/x --tdx-sysroot /y", &o), 0);
	assert_true(o.tdx_status && o.json);
	assert_string_equal(o.sysroot, "/x");
	assert_string_equal(o.tdx_sysroot, "/y");
	assert_int_equal(parse_line("-l K", &o), 0);
	assert_int_equal(o.tdx_wait, -1);
	assert_int_equal(o.serial_base, 0x3f8);
	assert_int_equal(o.mem_max, UINT64_MAX);
	assert_int_equal(parse_line("--no-cma --force-dtb -s -l K", &o), 0);
	assert_true(o.no_cma && o.force_dtb);
}

/* --on-mismatch: reset by default, halt on request; the request carries the choice. */
static void test_on_mismatch(void **state)
{
	struct kx_load_req req;
	struct kx_opts o;

	assert_int_equal(parse_line("-c -l K", &o), 0);
	assert_false(o.halt_on_mismatch);
	kx_cli_load_req(&o, "", false, false, &req);
	assert_int_equal(req.on_mismatch, KX_MISMATCH_RESET);
	assert_int_equal(parse_line("--on-mismatch=halt -c -l K", &o), 0);
	assert_true(o.halt_on_mismatch);
	kx_cli_load_req(&o, "", false, false, &req);
	assert_int_equal(req.on_mismatch, KX_MISMATCH_HALT);
	assert_int_equal(parse_line("--on-mismatch=halt --on-mismatch reset -c -l K", &o), 0);
	assert_false(o.halt_on_mismatch);	/* the last one wins */
	kx_cli_load_req(&o, "", false, false, &req);
	assert_int_equal(req.on_mismatch, KX_MISMATCH_RESET);
}

static void test_help_version(void **state)
{
	struct kx_opts o;

	assert_int_equal(parse_line("-h", &o), 0);
	assert_true(o.help);
	assert_int_equal(parse_line("--help", &o), 0);
	assert_true(o.help);
	assert_int_equal(parse_line("-?", &o), 0);
	assert_true(o.help);
	assert_int_equal(parse_line("-v", &o), 0);
	assert_true(o.version);
	assert_int_equal(parse_line("--print-ckr-size", &o), 0);
	assert_true(o.print_ckr_size);
}

/* Accepted for compatibility, but not built: recorded, never silently ignored. */
static void test_unsupported(void **state)
{
	static const char *const opts[] = {
		"--load-preserve-context", "--load-jump-back-helper", "--entry=0x1000",
		"--exec-live-update", "--load-live-update", "--reuseinitrd", "--args-elf",
		"--args-none",
		"--module=M", "--real-mode", "--entry-32bit", "--dtb=D",
	};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		char line[128];
		struct kx_opts o;

		snprintf(line, sizeof(line), "-l K %s", opts[i]);
		assert_int_equal(parse_line(line, &o), 0);
		if (!o.unsupported || strncmp(o.unsupported, opts[i], strlen(o.unsupported)) != 0)
			fail_msg("%s was not marked unsupported", opts[i]);
		assert_non_null(o.unsupported_why);
	}
}

/* kdump through kexec_load: --hotplug, --pass-memmap-cmdline; ELF32 accepted, ELF64 built. */
static void test_kdump_options(void **state)
{
	struct kx_opts o;

	assert_int_equal(parse_line("-p -c --hotplug --pass-memmap-cmdline K", &o), 0);
	assert_true(o.crash && o.hotplug && o.pass_memmap_cmdline);
	assert_null(o.unsupported);
	assert_int_equal(parse_line("-p --elf32-core-headers --elf64-core-headers K", &o), 0);
	assert_true(o.elf32_core);
	assert_null(o.unsupported);
	assert_null(o.loader_opt);
	/* kdump-tools may put -s before the -c of KDUMP_KEXEC_ARGS: the last one wins */
	assert_int_equal(parse_line("-p -s -c K", &o), 0);
	assert_int_equal(o.syscall, KX_SYSCALL_CLASSIC);
}

static void test_loader_opt(void **state)
{
	struct kx_opts o;

	assert_int_equal(parse_line("-e --append=x", &o), 0);
	assert_string_equal(o.loader_opt, "--append");
	assert_int_equal(parse_line("-e", &o), 0);
	assert_null(o.loader_opt);
	assert_int_equal(parse_line("-u --initrd=I", &o), 0);
	assert_string_equal(o.loader_opt, "--initrd");
	assert_int_equal(parse_line("-u --command-line x", &o), 0);
	assert_string_equal(o.loader_opt, "--command-line");
	assert_int_equal(parse_line("-u --init I", &o), 0);
	assert_string_equal(o.loader_opt, "--init");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_on_mismatch),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_kdump_options),
		cmocka_unit_test(test_loader_opt),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
