#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The TDX preflight over recorded host profiles: on a TDX host every load
# gets it (with or without --tdx-disable, unless the policy says explicit);
# a no-go refuses before anything reaches the ops table (the --dry-run
# recorder shows 0 calls), a go or warn loads (the recorder shows
# kexec_file_load), --tdx-force loads anyway; live TDs and a module update
# only warn when a kernel is staged and stop -e, -f and the default action;
# --tdx-wait waits for live TDs where they stop the kexec; -e re-checks
# before it syncs or takes anything down; a load the kernel refuses with
# EOPNOTSUPP (injected through the ops table) is explained with the report.
# The kernel images are synthetic.

load helper

setup_file() {
	local mk="$TOP_BUILDDIR/tests/helpers/mkbzimage"
	export IMG="$BATS_FILE_TMPDIR/vmlinuz-7.2.1-tdx"
	export NOTDX="$BATS_FILE_TMPDIR/vmlinuz-6.1.0-plain"
	"$mk" "$IMG" --version="7.2.1-tdx (builder@host) #1 SMP PREEMPT_DYNAMIC" --vmlinux=gzip
	printf 'CONFIG_INTEL_TDX_HOST=y\nCONFIG_HIBERNATION=y\n' > "$BATS_FILE_TMPDIR/config-7.2.1-tdx"
	"$mk" "$NOTDX" --version="6.1.0-plain (builder@host) #1 SMP" --vmlinux=none
	printf '# CONFIG_INTEL_TDX_HOST is not set\n' > "$BATS_FILE_TMPDIR/config-6.1.0-plain"
}

setup() {
	kx_require_guard
	kx_require_jq
	HOSTS="$FIXTURES/hosts"
}

# kexec --dry-run -l --tdx-disable over profile $1, with more arguments after it.
load_on() {
	local p=$1
	shift
	run "$KEXEC" --dry-run -l --tdx-disable --tdx-sysroot "$HOSTS/$p" --append="root=/dev/vda nohibernate" "$@"
}

refused() {
	[ "$status" -eq 4 ] || fail "exit $status, expected 4"$'\n'"$output"
	assert_output --partial "TDX handover check says no-go: nothing was loaded"
	assert_line "dry run: 0 calls recorded, none made"
	refute_output --partial "kexec_file_load("
}

loaded() {
	[ "$status" -eq 0 ] || fail "exit $status, expected 0"$'\n'"$output"
	assert_line --regexp "^dry run: [1-9][0-9]* calls? recorded, none made$"
	assert_line --regexp "^kexec_file_load\(kernel_fd=$1 "
}

@test "no-go: tdx_pw_mce without the disable path never reaches the ops table" {
	load_on spr-pw-mce-6.18 "$IMG"
	refused
	assert_output --partial "pw-mce-refused"
}

@test "no-go: a module below the policy minimum never reaches the ops table" {
	load_on spr-7.2-old-module "$IMG"
	refused
	assert_output --partial "module-below-minimum"
}

@test "live TDs do not stop a kernel being staged: a warning, and it loads" {
	load_on emr-live-tds "$IMG"
	loaded "$IMG"
	assert_output --partial "kexec: TDX handover (load): warn"
	assert_output --partial "live-tds: 3 TDs are running"
	assert_output --partial "the kernel is staged, and the kexec reboot (kexec -e, or kexec-tdx-preflight.service) refuses while this lasts"
}

@test "live TDs stop -f and the default action, whose reboot follows at once" {
	run "$KEXEC" --dry-run -f --tdx-disable --tdx-sysroot "$HOSTS/emr-live-tds" "$IMG"
	refused
	assert_output --partial "live-tds: 3 TDs are running"
	run "$KEXEC" --dry-run --tdx-disable --tdx-sysroot "$HOSTS/emr-live-tds" "$IMG"
	refused
}

@test "a runtime module update in progress: staging warns, -f is refused" {
	load_on gnr-update-in-progress "$IMG"
	loaded "$IMG"
	assert_output --partial "module-update-in-progress"
	run "$KEXEC" --dry-run -f --tdx-disable --tdx-sysroot "$HOSTS/gnr-update-in-progress" "$IMG"
	refused
}

@test "without --tdx-disable, a TDX host's load gets the preflight all the same" {
	run "$KEXEC" --dry-run -s -l --sysroot "$HOSTS/spr-pw-mce-6.18" "$IMG"
	refused
	assert_output --partial "pw-mce-refused"
	run "$KEXEC" --dry-run -p --sysroot "$HOSTS/spr-pw-mce-6.18" "$IMG"
	[ "$status" -ne 0 ]
	run "$KEXEC" --dry-run --load "$IMG" --append="root=/dev/vda" --sysroot "$HOSTS/spr-7.2-old-module"
	refused
	assert_output --partial "module-below-minimum"
}

@test "without --tdx-disable, a host without TDX sees no TDX check at all" {
	run "$KEXEC" --dry-run -s -l --sysroot "$HOSTS/amd-epyc-no-tdx" "$IMG"
	loaded "$IMG"
	refute_output --partial "TDX handover"
	run "$KEXEC" --dry-run -s -l --sysroot "$HOSTS/intel-icx-no-tdx" "$IMG"
	loaded "$IMG"
	refute_output --partial "TDX handover"
}

@test "preflight = explicit in the policy: only --tdx-disable checks" {
	local d=$BATS_TEST_TMPDIR/host
	kx_copy_host spr-pw-mce-6.18 "$d"
	mkdir -p "$d/etc"
	echo "preflight = explicit" > "$d/etc/kexec-tdx.conf"
	run "$KEXEC" --dry-run -s -l --sysroot "$d" "$IMG"
	loaded "$IMG"
	refute_output --partial "TDX handover"
	run "$KEXEC" --dry-run -s -l --tdx-disable --sysroot "$d" "$IMG"
	refused
	echo "preflight = sometimes" > "$d/etc/kexec-tdx.conf"
	run "$KEXEC" --dry-run -s -l --sysroot "$d" "$IMG"
	refused
	assert_output --partial "preflight = 'sometimes'; expected auto or explicit"
}

@test "on a TDX host the purgatory's gate is armed for every kexec_load" {
	local d=$BATS_TEST_TMPDIR/host a=$BATS_TEST_TMPDIR/amd
	kx_copy_host spr-pw-mce-7.2-disable "$d"
	kx_copy_host amd-epyc-no-tdx "$a"
	cp -R "$FIXTURES/memmaps/qemu-pc-256m/." "$d/"
	cp -R "$FIXTURES/memmaps/qemu-pc-256m/." "$a/"
	run "$KEXEC" --dry-run -c -l -d --sysroot "$d" --append=nohibernate "$IMG"
	[ "$status" -eq 0 ] || fail "$output"
	assert_output --partial "purgatory: TDX gate enforce (a TDX host: a reading certain to stop TDX resets instead of the jump)"
	run "$KEXEC" --dry-run -c -l -d --sysroot "$a" "$IMG"
	[ "$status" -eq 0 ] || fail "$output"
	assert_output --partial "purgatory: TDX gate off"
}

@test "go: a clean handover loads, quietly" {
	load_on spr-pw-mce-7.2-disable "$IMG"
	loaded "$IMG"
	refute_output --partial "TDX handover"
}

@test "warn: the findings are printed and the load goes ahead" {
	load_on gnr-6.8-vendor-backport "$IMG"
	loaded "$IMG"
	assert_output --partial "kexec: TDX handover (load): warn"
	assert_output --partial "tdx-lost-no-disable"
}

@test "go host, but the new kernel has no TDX host support: warn and load" {
	load_on spr-pw-mce-7.2-disable "$NOTDX"
	loaded "$NOTDX"
	assert_output --partial "new-kernel-no-tdx: The new kernel 6.1.0-plain is built without CONFIG_INTEL_TDX_HOST"
}

@test "a command line without nohibernate is a warning for a kernel with hibernation" {
	run "$KEXEC" --dry-run -l --tdx-disable --tdx-sysroot "$HOSTS/spr-pw-mce-7.2-disable" --append="root=/dev/vda" "$IMG"
	loaded "$IMG"
	assert_output --partial "new-kernel-hibernation"
}

@test "tdx_lost = no-go in the policy turns a lost TDX into a refusal" {
	local d=$BATS_TEST_TMPDIR/host
	kx_copy_host gnr-6.8-vendor-backport "$d"
	mkdir -p "$d/etc"
	echo "tdx_lost = no-go" > "$d/etc/kexec-tdx.conf"
	run "$KEXEC" --dry-run -l --tdx-disable --tdx-sysroot "$d" "$IMG"
	refused
}

@test "--tdx-force loads despite a no-go, and says so" {
	load_on spr-pw-mce-6.18 --tdx-force "$IMG"
	loaded "$IMG"
	assert_output --partial "--tdx-force: going ahead although the TDX handover check says no-go"
}

@test "-f (load and exec at once) is not an override: a no-go still refuses" {
	run "$KEXEC" --dry-run -f --tdx-disable --tdx-sysroot "$HOSTS/spr-pw-mce-6.18" "$IMG"
	refused
}

@test "-p: the kdump kernel load is refused on tdx_pw_mce without the disable path" {
	local d=$BATS_TEST_TMPDIR/host
	kx_copy_host spr-pw-mce-6.18 "$d"
	printf '00001000-0009ffff : System RAM\n01000000-10ffffff : Crash kernel\n' > "$d/proc/iomem"
	run "$KEXEC" --dry-run -p --tdx-disable --sysroot "$d" "$IMG"
	refused
	assert_output --partial "TDX handover (crash-load): no-go"
}

@test "-p: a kdump load on a clean host is noted as TDX-less and goes ahead" {
	local d=$BATS_TEST_TMPDIR/host
	kx_copy_host emr-live-tds "$d"
	printf '00001000-0009ffff : System RAM\n01000000-10ffffff : Crash kernel\n' > "$d/proc/iomem"
	run "$KEXEC" --dry-run -p --tdx-disable -d --sysroot "$d" "$IMG"
	loaded "$IMG"
	assert_output --partial "crash-kernel-no-tdx"
	refute_output --partial "live-tds:"
}

@test "--tdx-wait waits for live TDs to drain, then loads" {
	local d=$BATS_TEST_TMPDIR/host
	kx_copy_host emr-live-tds "$d"
	(
		sleep 0.7
		for f in "$d"/sys/fs/cgroup/*/misc.current; do echo "tdx 0" > "$f"; done
	) 3>&- &
	run "$KEXEC" --dry-run -f -x -y --tdx-disable --tdx-wait=20 --tdx-sysroot "$d" --append=nohibernate "$IMG"
	wait
	loaded "$IMG"
	assert_output --partial "kexec: waiting for 3 TDs to be destroyed"
	assert_output --partial "kexec: no TD is running any more"
}

@test "--tdx-wait gives up after SECONDS and refuses" {
	SECONDS=0
	run "$KEXEC" --dry-run -f --tdx-disable --tdx-wait=1 --tdx-sysroot "$HOSTS/emr-live-tds" "$IMG"
	refused
	assert_output --partial "3 TDs still running after 1 s"
	[ "$SECONDS" -lt 10 ]
}

@test "-e re-checks before syncing or taking interfaces down" {
	local d=$BATS_TEST_TMPDIR/host
	kx_copy_host emr-live-tds "$d"
	mkdir -p "$d/sys/kernel"
	echo 1 > "$d/sys/kernel/kexec_loaded"
	run "$KEXEC" --dry-run -e --tdx-disable --sysroot "$d"
	[ "$status" -eq 4 ]
	assert_output --partial "TDX handover (exec): no-go"
	assert_output --partial "nothing was executed"
	assert_line "dry run: 0 calls recorded, none made"
}

@test "a plain -e on a TDX host re-checks too" {
	local d=$BATS_TEST_TMPDIR/host
	kx_copy_host emr-live-tds "$d"
	mkdir -p "$d/sys/kernel"
	echo 1 > "$d/sys/kernel/kexec_loaded"
	run "$KEXEC" --dry-run -e --sysroot "$d"
	[ "$status" -eq 4 ]
	assert_output --partial "TDX handover (exec): no-go"
	assert_line "dry run: 0 calls recorded, none made"
}

@test "-e on a clean host goes on to the reboot" {
	local d=$BATS_TEST_TMPDIR/host
	kx_copy_host spr-pw-mce-7.2-disable "$d"
	mkdir -p "$d/sys/kernel"
	echo 1 > "$d/sys/kernel/kexec_loaded"
	run "$KEXEC" --dry-run -e -x -y --tdx-disable --sysroot "$d"
	[ "$status" -eq 0 ]
	assert_line "reboot(LINUX_REBOOT_CMD_KEXEC)"
}

@test "--json with --tdx-disable prints the report as JSON on stdout" {
	run --separate-stderr "$KEXEC" --dry-run -l --tdx-disable --json --tdx-sysroot "$HOSTS/spr-pw-mce-6.18" "$IMG"
	[ "$status" -eq 4 ]
	echo "$output" | sed '/^dry run:/,$d' | "$JQ" -e -f "$TOP_SRCDIR/tests/bats/tdx-schema.jq"
	echo "$output" | sed '/^dry run:/,$d' | "$JQ" -e '.action == "load" and .verdict == "no-go"'
}

# The kernel's EOPNOTSUPP, injected through the ops table (the test build's
# recorder answers every load with it), as Linux 6.18 answers on tdx_pw_mce.
refuse() {
	KX_TEST_LOAD_ERRNO=EOPNOTSUPP run "$TOP_BUILDDIR/tests/helpers/kexec-testhooks" --dry-run "$@"
}

@test "EOPNOTSUPP from the kernel is explained with the report (--tdx-force got past the preflight)" {
	refuse -s -l --tdx-force --sysroot "$HOSTS/spr-pw-mce-6.18" "$IMG"
	[ "$status" -eq 253 ]
	assert_output --partial "kexec_file_load failed: Operation not supported"
	assert_output --partial "the kernel refused the load with EOPNOTSUPP; on this TDX host:"
	assert_output --partial "pw-mce-refused"
}

@test "a non-TDX host's EOPNOTSUPP gets no TDX report" {
	refuse -s -l --sysroot "$HOSTS/amd-epyc-no-tdx" "$IMG"
	[ "$status" -eq 253 ]
	assert_output --partial "kexec_file_load failed: Operation not supported"
	refute_output --partial "TDX handover"
}

@test "with --json, the kernel's refusal is a JSON diagnosis on stdout" {
	refuse -s -l --json --sysroot "$HOSTS/amd-epyc-no-tdx" "$IMG"
	[ "$status" -eq 253 ]
	echo "$output" | grep '^{' | "$JQ" -e '.kind == "load-error" and .errno == "EOPNOTSUPP" and .call == "kexec_file_load" and .code == "not-supported"'
}

@test "--tdx-sysroot on a real load counts as --tdx-force, and every report names the tree" {
	run "$KEXEC" --dry-run -s -l --tdx-disable --tdx-sysroot "$HOSTS/spr-pw-mce-6.18" "$IMG"
	refused
	assert_output --partial "facts from $HOSTS/spr-pw-mce-6.18 (a recorded host tree), not from this machine"
	run --separate-stderr "$KEXEC" --dry-run -s -l --tdx-disable --json --tdx-sysroot "$HOSTS/spr-pw-mce-6.18" "$IMG"
	echo "$output" | sed '/^dry run:/,$d' | "$JQ" -e --arg d "$HOSTS/spr-pw-mce-6.18" '.facts_from == $d and .recorded == true'
	# without --dry-run the load really happens (here the guard answers EPERM)
	run "$KEXEC" -s -l --tdx-disable --tdx-sysroot "$HOSTS/spr-pw-mce-6.18" "$IMG"
	assert_output --partial "--tdx-sysroot: going ahead as with --tdx-force"
	assert_output --partial "kexec_file_load failed: Operation not permitted"
}
