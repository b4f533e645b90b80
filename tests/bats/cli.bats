#!/usr/bin/env bats
# The command line, end to end through the recording ops (--dry-run) and
# recorded host trees (--sysroot).  Nothing here reaches the kernel.

load helper

setup() {
	kx_require_guard
	MK="$TOP_BUILDDIR/tests/helpers/mkbzimage"
	K="$BATS_TEST_TMPDIR/vmlinuz"
	"$MK" "$K"
	# a host without TDX (an AMD CPU, as QEMU's TCG guests report): kexec-tools' behaviour
	ROOT="$BATS_TEST_TMPDIR/root"
	kx_plain_root "$ROOT"
}

@test "--help prints every option and exits 0" {
	run -0 "$KEXEC" --help
	assert_line --partial "Usage: kexec [OPTION]... [kernel]"
	for o in --load --load-panic --unload --exec --force --status --print-ckr-size \
		--kexec-file-syscall --kexec-syscall --kexec-syscall-auto --type --initrd --ramdisk \
		--append --command-line --reuse-cmdline --no-checks --mem-min --mem-max --no-cma \
		--force-dtb --reuseinitrd --hotplug --load-preserve-context --load-jump-back-helper \
		--entry --load-live-update --exec-live-update --no-ifdown --no-sync --tdx-disable \
		--tdx-wait --tdx-force --tdx-status --json --tdx-sysroot --tdx-verify --debug \
		--dry-run --sysroot --help --version --console-serial --serial --serial-baud \
		--console-vga --reset-vga --noefi --reuse-video-type --elf64-core-headers \
		--elf32-core-headers --pass-memmap-cmdline --args-linux --args-elf --args-none \
		--module --real-mode --entry-32bit --dtb --on-mismatch --uki-profile; do
		assert_output --partial -- "$o"
	done
}

@test "every option in --help is in the man page" {
	man="$TOP_SRCDIR/man/kexec.8"
	for o in $("$KEXEC" --help | grep -o -- '--[a-z0-9-]*' | sort -u); do
		grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$man" || fail "$o is not in man/kexec.8"
	done
}

@test "-v prints the version" {
	run -0 "$KEXEC" -v
	assert_output --regexp '^kexec-tdx [0-9]+\.[0-9]+\.[0-9]+ '
}

@test "an unknown option is a usage error (exit 1)" {
	run -1 "$KEXEC" --frobnicate
	assert_output --partial "unrecognized option '--frobnicate'"
	assert_output --partial "Try 'kexec --help'"
}

@test "-S reads kexec_crash_loaded by default and kexec_loaded with -l" {
	run -0 "$KEXEC" --sysroot "$ROOT" -S
	echo 1 > "$ROOT/sys/kernel/kexec_crash_loaded"
	run -1 "$KEXEC" --sysroot "$ROOT" -S
	run -0 "$KEXEC" --sysroot "$ROOT" -l -S
	echo 1 > "$ROOT/sys/kernel/kexec_loaded"
	run -1 "$KEXEC" --sysroot "$ROOT" -l -S
	run -1 "$KEXEC" --sysroot "$ROOT" -p -l -S
}

@test "-S exits 255 when the state cannot be read, and says why" {
	rm "$ROOT/sys/kernel/kexec_crash_loaded"
	run -255 "$KEXEC" --sysroot "$ROOT" -S
	assert_output --partial "cannot read /sys/kernel/kexec_crash_loaded"
	echo banana > "$ROOT/sys/kernel/kexec_crash_loaded"
	run -255 "$KEXEC" --sysroot "$ROOT" -S
	assert_output --partial "kexec_crash_loaded: expected a decimal number, found 'banana'"
}

@test "-s -l: kexec_file_load with the file itself, the NUL and NO_INITRAMFS" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$K" --append="console=ttyS0"
	assert_line --partial "kexec_file_load(kernel_fd=$K (the file itself"
	assert_output --partial 'cmdline_len=14, cmdline="console=ttyS0", flags=0x4 [NO_INITRAMFS]'
	refute_output --partial "reboot"
}

@test "a gzip-compressed kernel goes to kexec_file_load as a decompressed memfd" {
	gzip -c "$K" > "$K.gz"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$K.gz" --initrd "$K"
	assert_output --partial "(decompressed into a memfd, $(stat -c %s "$K") bytes)"
	assert_output --partial "initrd_fd=$K ($(stat -c %s "$K") bytes)"
	assert_output --partial "flags=0x0 []"
}

@test "xz and zstd kernels are decompressed too" {
	xz -c "$K" > "$K.xz"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$K.xz"
	assert_output --partial "decompressed into a memfd"
	if command -v zstd >/dev/null; then
		zstd -q -c "$K" > "$K.zst"
		run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$K.zst"
		assert_output --partial "decompressed into a memfd"
	fi
}

@test "a file that is not a kernel is refused with what it is and what is accepted" {
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l /etc/hostname
	assert_output --partial "/etc/hostname is too small to be a kernel; expected an x86_64 bzImage"
	assert_output --partial "Cannot load /etc/hostname"
	assert_output --partial "dry run: 0 calls recorded"
	head -c 4096 /dev/zero | gzip > "$BATS_TEST_TMPDIR/zeros.gz"
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$BATS_TEST_TMPDIR/zeros.gz"
	assert_output --partial "zeros.gz (gzip-compressed) is not a Linux kernel image"
	printf '070701' > "$BATS_TEST_TMPDIR/initrd" ; head -c 2000 /dev/zero >> "$BATS_TEST_TMPDIR/initrd"
	run -255 "$KEXEC" --dry-run -s -l "$BATS_TEST_TMPDIR/initrd"
	assert_output --partial "is a cpio archive (an initramfs?)"
	run -255 "$KEXEC" --dry-run -s -l "$BATS_TEST_TMPDIR/missing"
	assert_output --partial "cannot open kernel $BATS_TEST_TMPDIR/missing: No such file or directory"
}

@test "a 32-bit-only or old-protocol bzImage is refused with the reason" {
	"$MK" "$K.old" --protocol=0x020a
	run -255 "$KEXEC" --dry-run -s -l "$K.old"
	assert_output --partial "boot protocol 2.10 is too old"
	"$MK" "$K.32" --xloadflags=0
	run -255 "$KEXEC" --dry-run -s -l "$K.32"
	assert_output --partial "no 64-bit entry point that can run above 4 GiB"
}

@test "--reuse-cmdline drops BOOT_IMAGE= and, for -p, crashkernel=" {
	echo 'BOOT_IMAGE=/vmlinuz-6.1 root=/dev/vda1 ro crashkernel=512M foo="a b" quiet' > "$ROOT/proc/cmdline"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$K" --reuse-cmdline --append=extra
	assert_output --partial 'cmdline="root=/dev/vda1 ro crashkernel=512M foo="a b" quiet extra"'
	cat >> "$ROOT/proc/iomem" <<-EOF
	EOF
	sed -i 's/^00100000-0ffdffff : System RAM$/&\n  08000000-0bffffff : Crash kernel/' "$ROOT/proc/iomem"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -p "$K" --reuse-cmdline
	assert_output --partial 'cmdline="root=/dev/vda1 ro foo="a b" quiet", flags=0x6 [ON_CRASH|NO_INITRAMFS]'
}

@test "-p without a crash kernel reservation says so and exits 1" {
	run -1 "$KEXEC" --dry-run --sysroot "$ROOT" -s -p "$K"
	assert_output --partial "Memory for crashkernel is not reserved"
	assert_output --partial 'passing "crashkernel=Y@X" parameter'
	assert_output --partial "dry run: 0 calls recorded"
}

@test "--print-ckr-size prints the highest Crash kernel range" {
	run -0 "$KEXEC" --sysroot "$FIXTURES/memmaps/server-2s-192g" --print-ckr-size
	assert_output "1073741824"
	run -0 "$KEXEC" --sysroot "$ROOT" --print-ckr-size
	assert_output "0"
}

@test "-p -u unloads the crash kernel; -u alone the normal one" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -p -u
	assert_output --partial "kexec_file_load(kernel_fd=-1, initrd_fd=-1, cmdline_len=0, cmdline=NULL, flags=0x3 [UNLOAD|ON_CRASH])"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -u
	assert_output --partial "flags=0x1 [UNLOAD])"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -c -u
	assert_output --partial "kexec_load(entry=0x0, nr_segments=0, flags=0x3e0000 [ARCH_X86_64])"
}

@test "-e with nothing loaded: 'Nothing has been loaded!' and exit 1, no reboot" {
	run -1 "$KEXEC" --dry-run --sysroot "$ROOT" -e
	assert_output --partial "Nothing has been loaded!"
	refute_output --partial "reboot("
}

@test "-e with a kernel loaded: sync, ifdown, reboot; -x and -y leave them out" {
	echo 1 > "$ROOT/sys/kernel/kexec_loaded"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -e
	assert_line "sync()"
	assert_line "ifdown(all interfaces but loopback)"
	assert_line "reboot(LINUX_REBOOT_CMD_KEXEC)"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -e -x -y
	refute_line "sync()"
	refute_line "ifdown(all interfaces but loopback)"
	assert_line "reboot(LINUX_REBOOT_CMD_KEXEC)"
}

@test "no action: load, then shutdown -r now; -f: load and reboot at once" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s "$K"
	assert_line --index 1 --partial "kexec_file_load("
	assert_line --index 2 "exec(shutdown -r now)"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -f "$K"
	assert_line --index 2 "sync()"
	assert_line --index 4 "reboot(LINUX_REBOOT_CMD_KEXEC)"
	refute_output --partial "shutdown -r now"
}

@test "a loader option without a load is a usage error" {
	run -1 "$KEXEC" --dry-run --sysroot "$ROOT" -e --append=foo
	assert_output --partial "--append only makes sense when loading a kernel"
}

@test "options this build does not do exit 3 and say why, before anything is loaded" {
	run -3 "$KEXEC" --dry-run --sysroot "$ROOT" -l "$K" --load-preserve-context
	assert_output --partial "--load-preserve-context is not supported: kexec jump is not supported"
	refute_output --partial "kexec_file_load("
	run -3 "$KEXEC" --dry-run -l "$K" --real-mode
	assert_output --partial "the 16-bit and 32-bit entry points are not supported"
	run -3 "$KEXEC" --dry-run -l "$K" --exec-live-update
	assert_output --partial "Xen"
	run -3 "$KEXEC" --dry-run --sysroot "$ROOT" -p -c "$K" --reuseinitrd
	assert_output --partial "--reuseinitrd is not supported"
}

@test "--elf64-core-headers and --args-linux are accepted (kdump-tools passes them)" {
	sed -i 's/^00100000-0ffdffff : System RAM$/&\n  08000000-0bffffff : Crash kernel/' "$ROOT/proc/iomem"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -p -s --args-linux --elf64-core-headers \
		--command-line="root=/dev/sda irqpoll" "$K"
	assert_output --partial "flags=0x6 [ON_CRASH|NO_INITRAMFS]"
}

@test "-d asks kexec_file_load for its debug output" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -d -s -l "$K"
	assert_output --partial "[NO_INITRAMFS|DEBUG]"
	assert_output --partial "kexec: kexec_file_load: kernel $K"
}

@test "--on-mismatch: the purgatory resets by default, halts on request; a bad value is a usage error" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -d -c -l "$K"
	assert_output --partial "kexec: purgatory: on a digest mismatch: cold reset through firmware"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -d -c -l "$K" --on-mismatch=halt
	assert_output --partial "kexec: purgatory: on a digest mismatch: halt"
	run -1 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$K" --on-mismatch=reboot
	assert_output --partial "bad value 'reboot' for --on-mismatch: expected reset or halt"
}

@test "a --sysroot that does not exist is a usage error" {
	run -1 "$KEXEC" --sysroot /nonexistent -S
	assert_output --partial "cannot use --sysroot /nonexistent: No such file or directory"
}

@test "the guard holds for the kexec binary itself" {
	# The C probe proves the filter; this shows kexec runs under it too.
	run -0 grep -c '^Seccomp:[[:space:]]*2' /proc/self/status
	run -0 "$TOP_BUILDDIR/tests/guard/guard-probe" --check
}

@test "--sysroot with a load, unload or exec needs --dry-run: a usage error before any call" {
	local a
	for a in "-l $K" "-s -l $K" "-c -l $K" "-p $K" "-u" "-p -u" "-e" "-f $K" "$K"; do
		# shellcheck disable=SC2086
		run "$KEXEC" --sysroot "$ROOT" $a
		[ "$status" -eq 1 ] || fail "kexec --sysroot $a: exit $status, expected 1"
		assert_output --partial "is a recorded host tree: a load, unload or exec built from it needs --dry-run"
		refute_output --partial "kexec_load failed"
		refute_output --partial "kexec_file_load failed"
	done
	# reading is fine: status, the crash reservation size
	run "$KEXEC" --sysroot "$ROOT" -S
	[ "$status" -eq 0 ]
}

@test "a recorded tree is never read unconfined: without openat2 it is refused" {
	run "$TOP_BUILDDIR/tests/helpers/no-openat2" "$KEXEC" --dry-run --sysroot "$ROOT" -l "$K"
	[ "$status" -eq 1 ]
	assert_output --partial "cannot use --sysroot $ROOT: Function not implemented (openat2, Linux 5.6"
}

@test "a host whose CPU cannot be read counts as a TDX host: the preflight runs" {
	rm "$ROOT/proc/cpuinfo"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$K"
	assert_output --partial "TDX handover (load): warn"
	assert_output --partial "tdx-host-unknown"
	assert_line --regexp "^kexec_file_load\(kernel_fd="
}

@test "--list-interfaces names every file kexec reads, once, with what it is" {
	run -0 "$KEXEC" --list-interfaces
	assert_line --regexp "^/proc/cpuinfo +CPU vendor"
	assert_line --regexp "^/sys/kernel/kexec_loaded +1 when a normal kernel is loaded"
	[ "$(echo "$output" | awk '{print $1}' | sort | uniq -d)" = "" ] || fail "a path is listed twice"
}

