#!/usr/bin/env bats
# Bad inputs are refused before any call, for -s, -c and the default (-a),
# with a message naming the file or value and what was expected: truncated
# kernels, header values that cannot work, command lines the kernel would
# refuse, decompression bombs, files that are not regular files, malformed
# memory maps.  The corpus is written by tests/helpers/mkbzimage.

load helper

setup() {
	kx_require_guard
	MK="$TOP_BUILDDIR/tests/helpers/mkbzimage"
	D="$BATS_TEST_TMPDIR"
	K="$D/vmlinuz"
	"$MK" "$K"
	ROOT="$D/root"
	kx_plain_root "$ROOT"
	ALL=(-s -c "")
}

# refused EXIT MESSAGE MODE... -- ARGS: every mode refuses with EXIT, MESSAGE
# and no call recorded.
refused() {
	local want=$1 msg=$2 m
	shift 2
	local modes=()
	while [ "$1" != -- ]; do modes+=("$1"); shift; done
	shift
	for m in "${modes[@]}"; do
		# shellcheck disable=SC2086
		run "$KEXEC" --dry-run --sysroot "$ROOT" $m "$@"
		[ "$status" -eq "$want" ] || fail "kexec $m $*: exit $status, expected $want: $output"
		assert_output --partial "$msg"
		assert_output --partial "dry run: 0 calls recorded"
	done
}


@test "a kernel shorter than its header says is refused, in every mode" {
	"$MK" "$D/cut" --truncate=600000
	refused 255 "cut is truncated: it has 600000 bytes, but its setup header says (setup_sects 27 + 1) * 512 + syssize 0x10000 * 16 = 1062912" "${ALL[@]}" -- -l "$D/cut"
	"$MK" "$D/cut1" --truncate=1062911
	refused 255 "cut1 is truncated: it has 1062911 bytes" "${ALL[@]}" -- -l "$D/cut1"
	"$MK" "$D/sys" --syssize=0x20000
	refused 255 "syssize 0x20000 * 16 = 2111488" "${ALL[@]}" -- -l "$D/sys"
	"$MK" "$D/sys0" --syssize=0
	refused 255 "its setup header says syssize 0; expected the size of the protected-mode code" "${ALL[@]}" -- -l "$D/sys0"
	# a truncated file, compressed: what comes out is checked the same way
	gzip -c "$D/cut" > "$D/cut.gz"
	refused 255 "cut.gz (gzip-compressed) is truncated: it has 600000 bytes" "${ALL[@]}" -- -l "$D/cut.gz"
}

@test "setup sectors past the end, and a payload past the end, are refused" {
	"$MK" "$D/setup" --truncate=8000
	refused 255 "setup is truncated: its setup code (setup_sects 27: 14336 bytes) reaches past the end of the file (8000 bytes)" "${ALL[@]}" -- -l "$D/setup"
	"$MK" "$D/setup2" --setup-sects=63 --payload=0 --truncate=32768
	refused 255 "setup2 is truncated: its setup code (setup_sects 63: 32768 bytes) fills the whole file" "${ALL[@]}" -- -l "$D/setup2"
	"$MK" "$D/pay" --payload-length=0x200000
	refused 255 "pay is truncated or corrupt: its compressed kernel (payload_offset 0x100, payload_length 0x200000) ends at byte 2111744" "${ALL[@]}" -- -l "$D/pay"
	"$MK" "$D/pay2" --payload-offset=0xfffff0 --payload-length=0x20
	refused 255 "its compressed kernel (payload_offset 0xfffff0, payload_length 0x20)" "${ALL[@]}" -- -l "$D/pay2"
	# a real layout cut in the middle of its xz payload
	"$MK" "$D/vm" --vmlinux=xz
	head -c $(( $(stat -c %s "$D/vm") / 2 )) "$D/vm" > "$D/vm.cut"
	refused 255 "vm.cut is truncated" "${ALL[@]}" -- -l "$D/vm.cut"
}

@test "init_size that cannot hold the kernel, or more memory than there is, is refused" {
	"$MK" "$D/small" --init-size=0x1000
	refused 255 "small: init_size 0x1000 is smaller than its protected-mode code (syssize * 16 = 0x100000 bytes)" "${ALL[@]}" -- -l "$D/small"
	"$MK" "$D/small2" --init-size=0xffff0
	refused 255 "small2: init_size 0xffff0 is smaller" "${ALL[@]}" -- -l "$D/small2"
	for c in gzip lz4 xz zstd; do
		"$MK" "$D/v.$c" --vmlinux=$c --init-size=0x40000 || continue
		refused 255 "v.$c: init_size 0x40000 is smaller than its decompressed kernel (0x80000 bytes" "${ALL[@]}" -- -l "$D/v.$c"
	done
	# more than half of MemTotal (218 MiB here): the kernel refuses that segment
	"$MK" "$D/big" --init-size=0x7000000
	refused 253 "big: its init_size (112 MiB) is more than half of RAM (MemTotal 218 MiB), so the kernel would refuse it (EINVAL)" -s -- -l "$D/big"
	refused 255 "the kernel needs 112 MiB, more than half of RAM" -c "" -- -l "$D/big"
	# the same kernel as a UKI's .linux gets the same check before kexec_file_load
	"$TOP_BUILDDIR/tests/helpers/mkuki" "$D/big.efi" --section=.linux="$D/big"
	refused 253 "big.efi (.linux of the base): its init_size (112 MiB) is more than half of RAM" -s -- -l "$D/big.efi"
	# more than all RAM: no room in the map, which the message names
	"$MK" "$D/huge" --init-size=0x20000000
	refused 255 "no free memory for the kernel: it needs 0x20000000 bytes" -c "" -- -l "$D/huge"
	assert_output --partial "(memory map: /sys/firmware/memmap); that is more than all its RAM"
}

@test "cmdline_size too small for the command line is refused before the call" {
	"$MK" "$D/k64" --cmdline-size=64
	long=$(printf 'x%.0s' {1..70})
	refused 255 "the command line is 71 bytes with its NUL; this kernel takes at most 64 (its cmdline_size)" -c "" -- -l "$D/k64" --append="$long"
	refused 253 "the command line is 71 bytes with its NUL; with kexec_file_load this kernel takes at most 34 (its cmdline_size 64 minus 30 the kernel keeps for elfcorehdr=)" -s -- -l "$D/k64" --append="$long"
}

# A command line of N characters (N + 1 bytes with the NUL).
cmdline_of() {
	printf 'a%.0s' $(seq 1 "$1")
}

@test "a command line without room for elfcorehdr=: -s refuses (253), -c loads, -a goes to kexec_load" {
	# cmdline_size 2047: 2016 characters + NUL + 30 = 2047 fit, 2017 do not
	ok=$(cmdline_of 2016)
	long=$(cmdline_of 2017)
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$K" --append="$ok"
	assert_output --partial "cmdline_len=2017"
	for opt in --append --command-line; do
		run -253 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$K" "$opt=$long"
		assert_output --partial "the command line is 2018 bytes with its NUL; with kexec_file_load this kernel takes at most 2017 (its cmdline_size 2047 minus 30 the kernel keeps for elfcorehdr=): 1 too many"
		assert_output --partial "dry run: 0 calls recorded"
		run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$K" "$opt=$long"
		assert_line --regexp "^kexec_load\(entry="
		# the default: kexec-tools would get EINVAL and fall back; we go there at once
		run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -d -l "$K" "$opt=$long"
		refute_line --regexp "^kexec_file_load\("
		assert_line --regexp "^kexec_load\(entry="
		assert_output --partial "using kexec_load"
	done
	# a crash kernel: the kernel prepends elfcorehdr= itself; the same rule
	sed -i 's/^00100000-0ffdffff : System RAM$/&\n  08000000-0bffffff : Crash kernel/' "$ROOT/proc/iomem"
	run -253 "$KEXEC" --dry-run --sysroot "$ROOT" -s -p "$K" --append="$long"
	assert_output --partial "minus 30 the kernel keeps for elfcorehdr="
	assert_output --partial "dry run: 0 calls recorded"
}

@test "--reuse-cmdline: a long /proc/cmdline is refused for -s the same way" {
	printf 'BOOT_IMAGE=/vmlinuz %s\n' "$(cmdline_of 2017)" > "$ROOT/proc/cmdline"
	run -253 "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$K" --reuse-cmdline
	assert_output --partial "the command line is 2018 bytes with its NUL"
	assert_output --partial "dry run: 0 calls recorded"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -l "$K" --reuse-cmdline
	assert_line --regexp "^kexec_load\(entry="
	# with --append on top it no longer fits kexec_load either
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -l "$K" --reuse-cmdline --append="$(cmdline_of 40)"
	assert_output --partial "this kernel takes at most 2047 (its cmdline_size)"
	assert_output --partial "dry run: 0 calls recorded"
}

@test "a /proc/cmdline with an embedded NUL is refused, not cut, in every mode" {
	printf 'root=/dev/vda1\0init=/bin/evil quiet\n' > "$ROOT/proc/cmdline"
	refused 255 "--reuse-cmdline: /proc/cmdline holds a NUL byte at offset 14; expected one line of text" "${ALL[@]}" -- -l "$K" --reuse-cmdline
	printf '\0\n' > "$ROOT/proc/cmdline"
	refused 255 "/proc/cmdline holds a NUL byte at offset 0" "${ALL[@]}" -- -l "$K" --reuse-cmdline --append=x
}

# bomb FILE COMP MIB [mkbzimage options]
bomb() {
	local f=$1 c=$2 mib=$3
	shift 3
	"$MK" "$f" --bomb="$c:$mib" "$@"
}

@test "decompression bombs stop at the size the image's header gives, or at once" {
	local c f
	for c in gzip xz zstd lz4; do
		f="$D/bomb.$c"
		bomb "$f" "$c" 4096 || { echo "# no $c in this build" >&3; continue; }
		refused 255 "bomb.$c decompresses to more than 2111488 bytes, the most its bzImage header ((setup_sects + 1) * 512 + syssize * 16, and 1 MiB for a signature) allows; stopped there" "${ALL[@]}" -- -l "$f"
		bomb "$f.bare" "$c" 4096 --bomb-bare
		refused 255 "does not decompress to a kernel image: its first 65536 bytes hold no bzImage, ELF or PE header" "${ALL[@]}" -- -l "$f.bare"
	done
	bomb "$D/huge.gz" gzip 4096 --syssize=0x10000000
	refused 255 "huge.gz decompresses to more than 268435456 bytes, the most this program accepts for a kernel image" -s -- -l "$D/huge.gz"
}

# Peak memory (KiB) and CPU seconds of one run: "RSS CPU".
measure() {
	/usr/bin/time -f '%M %U %S' -o "$D/time" "$@" >/dev/null 2>&1 || true
	# the last line: before it time(1) may say "Command exited with non-zero status"
	awk 'END { printf "%d %.2f\n", $1, $2 + $3 }' "$D/time"
}

@test "a gzip, xz, zstd or lz4 bomb of 4 GiB costs under 2 CPU seconds and 300 MiB" {
	[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed (apt-get install time)"
	if ldd "$KEXEC" 2>/dev/null | grep -q libasan; then
		skip "an ASan build: its allocator and shadow memory make the figures meaningless"
	fi
	local c rss cpu
	for c in gzip xz zstd lz4; do
		for opt in "" --syssize=0x10000000; do
			# shellcheck disable=SC2086
			bomb "$D/b.$c" "$c" 4096 $opt || continue
			read -r rss cpu < <(measure "$KEXEC" --dry-run --sysroot "$ROOT" -s -l "$D/b.$c")
			echo "# $c bomb ${opt:-with the size from its header}: ${rss} KiB, ${cpu} s CPU" >&3
			[ "$rss" -lt $((300 * 1024)) ] || fail "$c bomb $opt: peak RSS $rss KiB"
			awk -v c="$cpu" 'BEGIN { exit !(c < 2.0) }' || fail "$c bomb $opt: $cpu s of CPU"
		done
	done
}

@test "a FIFO, a character device or a directory is refused at once, never read" {
	mkfifo "$D/fifo"
	mkdir "$D/dir"
	local f what
	for f in "$D/fifo:a FIFO" "/dev/zero:a character device" "$D/dir:a directory"; do
		what=${f#*:}
		f=${f%%:*}
		for m in -s -c ""; do
			# shellcheck disable=SC2086
			run timeout 10 "$KEXEC" --dry-run --sysroot "$ROOT" $m -l "$f"
			[ "$status" -eq 255 ] || fail "kernel $f with '$m': exit $status: $output"
			assert_output --partial "kernel $f is $what; expected a regular file"
			# shellcheck disable=SC2086
			run timeout 10 "$KEXEC" --dry-run --sysroot "$ROOT" $m -l "$K" --initrd="$f"
			[ "$status" -eq 255 ] || fail "initrd $f with '$m': exit $status: $output"
			assert_output --partial "initrd $f is $what; expected a regular file"
			assert_output --partial "dry run: 0 calls recorded"
		done
	done
	: > "$D/empty"
	refused 255 "initrd $D/empty is empty" "${ALL[@]}" -- -l "$K" --initrd="$D/empty"
}

@test "without --dry-run too, under the guard: bad inputs are refused before any call" {
	mkfifo "$D/fifo"
	"$MK" "$D/cut" --truncate=600000
	bomb "$D/bomb.gz" gzip 4096
	local f m
	for f in "$D/fifo" /dev/zero "$D/cut" "$D/bomb.gz"; do
		for m in -s -c ""; do
			# shellcheck disable=SC2086
			run timeout 10 "$KEXEC" $m -l "$f"
			[ "$status" -eq 255 ] || fail "kexec $m -l $f: exit $status: $output"
			assert_output --partial "Cannot load $f"
			refute_output --partial "kexec_file_load failed"
			refute_output --partial "kexec_load failed"
		done
	done
}

@test "a malformed firmware memory map is named in a warning, and /proc/iomem used" {
	echo 0x200000 > "$ROOT/sys/firmware/memmap/3/start"
	echo 0x100000 > "$ROOT/sys/firmware/memmap/3/end"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$K"
	assert_output --partial "kexec: warning: /sys/firmware/memmap/3: start 0x200000 is above end 0x100000; expected a range; using /proc/iomem instead"
	assert_line --regexp "^kexec_load\(entry="
	cp -r "$FIXTURES/memmaps/qemu-pc-256m/sys/firmware/memmap/3/." "$ROOT/sys/firmware/memmap/3/"
	echo "Banana" > "$ROOT/sys/firmware/memmap/4/type"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$K"
	assert_output --partial "kexec: warning: /sys/firmware/memmap/4/type: unknown type 'Banana'; the range is taken as reserved"
	refute_output --partial "using /proc/iomem"
	# the main RAM range of unknown type: reserved, so nothing fits, and the error names the map
	echo "Banana" > "$ROOT/sys/firmware/memmap/3/type"
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$K"
	assert_output --partial "kexec: warning: /sys/firmware/memmap/3/type: unknown type 'Banana'"
	assert_output --partial "(memory map: /sys/firmware/memmap)"
	assert_output --partial "dry run: 0 calls recorded"
	: > "$ROOT/sys/firmware/memmap/3/type"
	run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$K"
	assert_output --partial "kexec: warning: /sys/firmware/memmap/3/type is empty; expected a type name such as 'System RAM'; using /proc/iomem instead"
	rm "$ROOT/sys/firmware/memmap/3/type"
	# and when /proc/iomem has no RAM either: refused, naming both
	sed -i 's/ : System RAM$/ : Reserved/' "$ROOT/proc/iomem"
	run -255 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$K"
	assert_output --partial "cannot read /sys/firmware/memmap/3/type"
	assert_output --partial "/proc/iomem has no top-level 'System RAM' range"
	assert_output --partial "dry run: 0 calls recorded"
}

@test "-c dry runs through every part of the plan (in the sanitizer build: under ASan and UBSan)" {
	local c m
	head -c 300000 /dev/urandom > "$D/initrd"
	for c in gzip xz zstd lz4; do
		"$MK" "$D/v.$c" --vmlinux=$c || continue
		run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$D/v.$c" --initrd="$D/initrd" \
			--append="console=ttyS0"
		assert_output --partial "nr_segments=4"
		run -0 "$KEXEC" --dry-run --sysroot "$ROOT" -c -l "$D/v.$c" --tdx-disable -d
		assert_output --partial "purgatory: TDX gate enforce"
		assert_line --regexp "^kexec_load\(entry="
	done
	for m in uefi-q35-512m many-ranges server-2s-192g; do
		rm -rf "$D/m"
		cp -r "$FIXTURES/memmaps/$m" "$D/m"
		chmod -R u+w "$D/m"
		mkdir -p "$D/m/proc"
		cp "$FIXTURES/hosts/amd-epyc-no-tdx/proc/cpuinfo" "$D/m/proc/cpuinfo"
		run -0 "$KEXEC" --dry-run --sysroot "$D/m" -c -l "$K" --initrd="$D/initrd" --tdx-disable
		assert_line --regexp "^kexec_load\(entry="
	done
}
