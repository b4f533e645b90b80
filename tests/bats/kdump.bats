#!/usr/bin/env bats
# kdump through kexec_load (-p -c), end to end through the recording ops
# (--dry-run) over a tree recorded in a QEMU guest booted with
# crashkernel=160M (tests/fixtures/kdump).  Nothing here reaches the kernel.

load helper

setup() {
	kx_require_guard
	K="$BATS_TEST_TMPDIR/vmlinuz"
	"$TOP_BUILDDIR/tests/helpers/mkbzimage" "$K"
	head -c 100000 /dev/zero > "$BATS_TEST_TMPDIR/initrd"
	ROOT="$BATS_TEST_TMPDIR/root"
	cp -R "$FIXTURES/kdump/qemu-pc-512m-160m" "$ROOT"
	chmod -R u+w "$ROOT"
}

@test "-p -c: the crash plan inside the reservation, with its header, backup, command line and map" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -p -c "$K" --initrd "$BATS_TEST_TMPDIR/initrd" \
		--append "console=ttyS0 irqpoll"
	assert_line --regexp '^kexec_load\(entry=0x1[0-9a-d][0-9a-f]{6}, nr_segments=6, flags=0x3e0001 \[ON_CRASH\|ARCH_X86_64\]\)$'
	# the backup copy and the header at the very top of 0x14000000-0x1dffffff
	assert_line --regexp '^  0 +backup +0x000000001df61000 0x0 +0x9f000 '
	assert_line --regexp '^  1 +elfcorehdr +0x000000001df5d000 0x400 +0x4000 '
	assert_line --regexp '^  5 +initrd +0x000000001[4-9a-d]'
	assert_output --partial 'crash kernel command line: "console=ttyS0 irqpoll acpi_rsdp=0xf59d0 elfcorehdr=490868K"'
	assert_line "    0x0000000000001000-0x000000000009fbff System RAM"
	assert_line "    0x0000000014000000-0x000000001df5cfff System RAM"
	assert_line "    0x000000001ffe0000-0x000000001fffffff Reserved"
	assert_output --partial "elfcorehdr at 0x1df5d000: ELF64 core, 6 program headers"
	# the backup source read from its copy; RAM in the (KASLR) direct map
	assert_line "    LOAD  0x000000001df61000 0x0000000000001000 0xffff8f0280001000 0x9ec00"
	assert_line "    LOAD  0x000000000d600000 0x000000000d600000 0xffffffffba400000 0x2830000"
	# the size the guest's crash kernel showed (tests/e2e), less the notes' page
	assert_output --partial "/proc/vmcore in the crash kernel: 410714112 bytes plus the notes"
}

@test "--pass-memmap-cmdline: memmap=exactmap words, the full map in the zero page" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -p -c "$K" --append x --pass-memmap-cmdline
	assert_output --partial '"x acpi_rsdp=0xf59d0 elfcorehdr=490868K memmap=exactmap memmap=635K@4K memmap=163188K@327680K"'
	assert_line "    0x0000000000100000-0x000000001ffdffff System RAM"
}

@test "a command line too long for the crash kernel is refused before any call" {
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -p -c "$K" --append "$(printf 'a%.0s' {1..2030})"
	assert_output --partial "Command line overflow"
	assert_output --partial "dry run: 0 calls recorded"
}

@test "--hotplug: room for the kernel's rewrite, UPDATE_ELFCOREHDR; without the kernel's support exit 1" {
	run -1 "$KEXEC" --dry-run --sysroot "$ROOT" -p -c "$K" --hotplug
	assert_output --partial "/sys/kernel/crash_elfcorehdr_size does not exist, the kernel needs CONFIG_CRASH_HOTPLUG"
	assert_output --partial "reload the crash kernel after CPU or memory hotplug"
	assert_output --partial "dry run: 0 calls recorded"
	echo 462448 > "$ROOT/sys/kernel/crash_elfcorehdr_size"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -p -c "$K" --hotplug
	assert_output --partial "flags=0x3e0005 [ON_CRASH|UPDATE_ELFCOREHDR|ARCH_X86_64]"
	assert_line --regexp '^  1 +elfcorehdr +0x000000001[0-9a-f]{7} 0x400 +0x71000 '
}

@test "--elf32-core-headers is accepted as kexec-tools accepts it on x86_64: the header is ELF64" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -d -p -c "$K" --elf32-core-headers
	assert_output --partial "ELF32 cannot hold x86_64 kernel addresses"
	assert_output --partial "ELF64 core, 6 program headers"
}

@test "-p -c without /proc/kcore, or as non-root, fails before any call and says why" {
	rm "$ROOT/proc/kcore"
	echo EACCES > "$ROOT/proc/kcore.errno"
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -p -c "$K"
	assert_output --partial "Cannot read /proc/kcore: Permission denied"
	assert_output --partial "Cannot load $K"
	sed -i 's/^[0-9a-f]*-[0-9a-f]* /00000000-00000000 /; s/^\( *\)[0-9a-f]*-[0-9a-f]* /\100000000-00000000 /' \
		"$ROOT/proc/iomem"
	run -1 "$KEXEC" --dry-run --sysroot "$ROOT" -p -c "$K"
	assert_output --partial "Memory for crashkernel is not reserved"
}

@test "--tdx-disable: a kdump kernel's purgatory gate records and never resets" {
	kx_copy_host spr-pw-mce-7.2-disable "$BATS_TEST_TMPDIR/host"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -d -p -c "$K" --tdx-disable \
		--tdx-sysroot "$BATS_TEST_TMPDIR/host"
	assert_output --partial "purgatory: TDX gate record"
	refute_output --partial "purgatory: TDX gate enforce"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -d -l -c "$K" --tdx-disable \
		--tdx-sysroot "$BATS_TEST_TMPDIR/host"
	assert_output --partial "purgatory: TDX gate enforce"
}

@test "-p -u and --print-ckr-size are what they were" {
	run -0 "$KEXEC" --sysroot "$ROOT" --print-ckr-size
	assert_output "167772160"
	run -0 "$KEXEC" --sysroot "$FIXTURES/kdump/qemu-pc-4608m-high-low" --print-ckr-size
	assert_output "134217728"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -p -c -u
	assert_output --partial "kexec_load(entry=0x0, nr_segments=0, flags=0x3e0001 [ON_CRASH|ARCH_X86_64])"
}

@test "crashkernel=,high and ,low: loaded into the high range, the low one is crash kernel RAM" {
	run -0 "$KEXEC" --dry-run --sysroot "$FIXTURES/kdump/qemu-pc-4608m-high-low" -p -c "$K"
	assert_line --regexp '^  0 +backup +0x000000015ef61000 '
	assert_line "    0x00000000b9000000-0x00000000bd7fffff System RAM"
	assert_output --partial "elfcorehdr at 0x15ef5d000"
}
