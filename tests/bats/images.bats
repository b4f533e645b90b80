#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Unified kernel images and ELF vmlinux files through the real kexec, with
# the recording ops (--dry-run): where each part comes from, both system
# calls, --uki-profile, and the refusals of bad images.  The images are
# synthetic (tests/helpers/mkuki, mkvmlinux) and never booted.

load helper

setup() {
	kx_require_guard
	H="$TOP_BUILDDIR/tests/helpers"
	U="$BATS_TEST_TMPDIR/uki.efi"
	V="$BATS_TEST_TMPDIR/vmlinux"
	"$H/mkuki" "$U" --text=.osrel='PRETTY_NAME="Test OS 1"' --text=.uname=6.1.0-test \
		--text=.cmdline='console=ttyS0 from=uki' --text=.ucode=UCODE --bzimage=.linux \
		--text=.initrd=INITRD-BASE --text=.profile=$'ID=base\nTITLE=Base' \
		--text=.profile=$'ID=alt\nTITLE=Alternative' --text=.cmdline='from=profile1'
	"$H/mkvmlinux" "$V" --load=0x1000000:0x3000 --load=0x1400000:0x1000:0x5000 --entry=0x1000200
	# a host without TDX: the command lines here get no handover token (handover.bats)
	ROOT="$BATS_TEST_TMPDIR/root"
	kx_plain_root "$ROOT" intel-icx-no-tdx
}

@test "-s -l UKI: .linux and .ucode + .initrd in memfds, the .cmdline, where each came from" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$U"
	assert_line "image $U: uki"
	assert_line --regexp '^  profile +0 of 0-1 \(ID=base, TITLE=Base\)$'
	assert_line --regexp '^  kernel +\.linux of the base, [0-9]+ bytes: 6\.1\.0-test'
	assert_line --regexp '^  initrd +\.ucode of the base \(5 bytes\) \+ \.initrd of the base \(11 bytes\)$'
	assert_line --regexp '^  os-release +Test OS 1$'
	assert_line --regexp '^  uname +6\.1\.0-test$'
	assert_line --regexp "^  cmdline +the UKI's \.cmdline of the base"
	assert_output --partial "kexec_file_load(kernel_fd=$U (.linux of the base, in a memfd,"
	assert_output --partial "(.ucode of the base (5 bytes) + .initrd of the base (11 bytes) in a memfd, 20 bytes)"
	assert_output --partial 'cmdline="console=ttyS0 from=uki", flags=0x0 []'
}

@test "--uki-profile=1: the profile's .cmdline; --initrd replaces .initrd, .ucode stays first" {
	printf 'MINE' > "$BATS_TEST_TMPDIR/my.img"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$U" --uki-profile=1 \
		--initrd="$BATS_TEST_TMPDIR/my.img"
	assert_line --regexp '^  profile +1 of 0-1 \(ID=alt, TITLE=Alternative\)$'
	assert_output --partial ".ucode of the base (5 bytes) + --initrd $BATS_TEST_TMPDIR/my.img (instead of the UKI's .initrd) (4 bytes)"
	assert_line --regexp "^  cmdline +the UKI's \.cmdline of profile 1"
	assert_output --partial 'cmdline="from=profile1"'
}

@test "--append, --command-line and --reuse-cmdline replace the UKI's .cmdline" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$U" --append=mine
	assert_line --regexp "^  cmdline +--append/--command-line \(instead of the UKI's \.cmdline of the base\)$"
	assert_output --partial 'cmdline="mine"'
	echo 'BOOT_IMAGE=/x root=/dev/vda' > "$ROOT/proc/cmdline"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$U" --reuse-cmdline
	assert_output --partial 'cmdline="root=/dev/vda"'
}

@test "-c -l UKI: the .linux loaded as a bzImage through our purgatory, the initrd concatenated" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$U"
	assert_line "image $U: uki"
	assert_output --partial "kexec_load(entry="
	assert_line --regexp '^  [0-9] +kernel '
	assert_line --regexp '^  [0-9] +initrd +0x[0-9a-f]+ 0x14 '
}

@test "--uki-profile that does not exist, or on a bzImage, is an error and nothing is loaded" {
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$U" --uki-profile=2
	assert_output --partial "$U: profile 2 does not exist: this UKI has profiles 0 to 1"
	assert_output --partial "dry run: 0 calls recorded"
	"$TOP_BUILDDIR/tests/helpers/mkbzimage" "$BATS_TEST_TMPDIR/bz"
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$BATS_TEST_TMPDIR/bz" --uki-profile=1
	assert_output --partial "is not a unified kernel image"
	run -1 "$KEXEC" --dry-run --sysroot "$ROOT" -l "$U" --uki-profile=256
	assert_output --partial "bad value '256' for --uki-profile"
}

@test "a bad PE is refused like a bad bzImage: the file, what is wrong, exit 255" {
	local k
	for k in past-end overlap-file overlap-mem count overflow machine truncated; do
		"$H/mkuki" "$BATS_TEST_TMPDIR/$k.efi" --text=.osrel=ID=x --bzimage=.linux \
			--text=.initrd=I --corrupt="$k"
		for s in -s -c; do
			run -255 "$KEXEC" --dry-run --sysroot "$ROOT" "$s" -l "$BATS_TEST_TMPDIR/$k.efi"
			assert_output --partial "$BATS_TEST_TMPDIR/$k.efi"
			assert_output --partial "expected an x86_64 PE/EFI image such as a unified kernel image"
			assert_output --partial "Cannot load $BATS_TEST_TMPDIR/$k.efi"
			assert_output --partial "dry run: 0 calls recorded"
		done
	done
	"$H/mkuki" "$BATS_TEST_TMPDIR/nolinux.efi" --text=.osrel=ID=x --text=.initrd=I
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$BATS_TEST_TMPDIR/nolinux.efi"
	assert_output --partial "it has no .linux section; expected a unified kernel image"
}

@test "-c -l vmlinux: each PT_LOAD at its physical address, made-up boot parameters" {
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$V" --args-linux --append=console=ttyS0
	assert_line "image $V: elf-x86_64"
	assert_line --regexp '^  kernel +2 PT_LOAD segments at their physical addresses 0x1000000-0x1404fff, entry 0x1000200 \(e_entry\)$'
	assert_line --regexp '^  0 +kernel +0x0000000001000000 0x3000 +0x3000 '
	assert_line --regexp '^  1 +kernel +0x0000000001400000 0x1000 +0x5000 '
	assert_line --regexp '^  2 +purgatory '
	assert_line --regexp '^  3 +zero page '
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l -t elf-x86_64 "$V"
}

@test "a vmlinux: -s refuses it (exit 253), the default goes to kexec_load by itself" {
	run -253 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$V"
	assert_output --partial "is an ELF file (a vmlinux?): kexec_file_load cannot load it"
	assert_output --partial "dry run: 0 calls recorded"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -l "$V"
	assert_output --partial "dry run: 2 calls recorded"
	assert_output --partial "kexec_load(entry="
	refute_output --partial "kexec_file_load("
}

@test "a bad vmlinux is refused with the reason, and --args-elf / --args-none say why not" {
	local k
	for k in past-end machine interp dyn phnum; do
		"$H/mkvmlinux" "$BATS_TEST_TMPDIR/$k" --corrupt="$k"
		run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$BATS_TEST_TMPDIR/$k"
		assert_output --partial "$BATS_TEST_TMPDIR/$k: "
		assert_output --partial "expected an ELF64 x86_64 vmlinux"
		assert_output --partial "dry run: 0 calls recorded"
	done
	"$H/mkvmlinux" "$BATS_TEST_TMPDIR/high" --load=0x40000000:0x1000
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$BATS_TEST_TMPDIR/high"
	assert_output --partial "the vmlinux must go exactly where its program headers say"
	run -3 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$V" --args-elf
	assert_output --partial "--args-elf is not supported: ELF boot notes are not supported"
}

@test "-t lists the three image types" {
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l -t nope "$V"
	assert_output --partial "unknown image type 'nope'; the types are: bzImage64 elf-x86_64 uki"
}

@test "the TDX preflight reads a UKI's .linux and .cmdline" {
	run "$KEXEC" --tdx-status --tdx-sysroot="$FIXTURES/hosts/spr-pw-mce-7.2-disable" -l "$U"
	assert_output --regexp 'image\.version +"6\.1\.0-test'
	assert_output --regexp 'image\.cmdline +"console=ttyS0 from=uki"'
}
