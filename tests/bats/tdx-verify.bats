#!/usr/bin/env bats
# --tdx-verify in the kernel a kexec started: recorded trees of the new
# kernel, with the gate record our purgatory leaves in setup_data.

load helper

setup() {
	kx_require_guard
	kx_require_jq
	MKREC="$TOP_BUILDDIR/tests/helpers/mkgaterecord"
	ROOT="$BATS_TEST_TMPDIR/new"
	# the new kernel: a Sapphire Rapids host on 7.2 whose module came up
	kx_copy_host spr-pw-mce-7.2-disable "$ROOT"
	SD="$ROOT/sys/kernel/boot_params/setup_data"
	mkdir -p "$SD/0" "$SD/1"
	echo 0x9 > "$SD/0/type"
	head -c 32 /dev/zero > "$SD/0/data"
}

gate() {
	echo 0x4b585447 > "$SD/1/type"
	"$MKREC" "$@" > "$SD/1/data"
}

@test "verify: gate passed and TDX is back: go, exit 0" {
	gate pass
	run -0 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_line --index 0 "TDX handover (verify): go"
	assert_output --partial "gate-pass: Between the kernels the purgatory found VMX off"
	assert_output --partial "64 TDX KeyIDs"
	assert_output --partial "digests-verified: The purgatory verified the SHA-256 digests of 96 MiB"
	assert_output --partial "tdx-up: TDX came back up in this kernel"
}

@test "verify: the module did not come back: no-go, exit 4, with the remedy" {
	gate pass
	rm -rf "$ROOT/sys/devices/faux/tdx_host"
	echo N > "$ROOT/sys/module/kvm_intel/parameters/tdx"
	rm -f "$ROOT/sys/fs/cgroup/misc.capacity"
	printf '6,1,0,-;virt/tdx: BIOS enabled: private KeyID range [64, 128)\n3,2,1,-;virt/tdx: TDX-Module initialization failed (-5)\n' > "$ROOT/dev/kmsg"
	run -4 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "tdx-not-up: TDX did not come back up in this kernel"
	assert_output --partial "only a cold boot brings TDX"
}

@test "verify: no gate record (kexec_file_load) but TDX is back: go" {
	rm -rf "$SD/1"
	run -0 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "gate-absent"
	assert_output --partial "tdx-up"
}

@test "verify: a failing gate names its reasons" {
	gate fail 1 0x21	# VMX still on, no TDX KeyIDs
	run -4 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "gate-fail: Between the kernels the purgatory found the platform not ready for TDX: CR4.VMXE is set: VMX is still on; no TDX private KeyIDs are partitioned."
}

@test "verify: --json follows the report schema, action verify" {
	gate warn 1 0x100
	run -5 "$KEXEC" --tdx-verify --json --tdx-sysroot "$ROOT"
	echo "$output" | "$JQ" -e -f "$TOP_SRCDIR/tests/bats/tdx-schema.jq" >/dev/null
	assert_equal "$(echo "$output" | "$JQ" -r '.action + " " + .verdict')" "verify warn"
	assert_equal "$(echo "$output" | "$JQ" -r '[.findings[].code] | join(",")')" "gate-warn,digests-verified,tdx-up"
}

@test "verify: a malformed record is an error naming the file" {
	echo 0x4b585447 > "$SD/1/type"
	head -c 100 /dev/zero > "$SD/1/data"
	run -255 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "setup_data/1/data: 100 bytes; a gate record has 128"
}

@test "verify: a machine without TDX has nothing to bring back" {
	run -0 "$KEXEC" --tdx-verify --tdx-sysroot "$FIXTURES/hosts/amd-epyc-no-tdx"
	assert_output --partial "gate-absent"
	assert_output --partial "not-tdx-host"
}
