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
	assert_output --partial "gate-pass: Between the kernels the purgatory's TDX gate found no problem in what it checked"
	assert_output --partial "That is not proof that TDX comes up"
	assert_output --partial "gate-checks: The purgatory's TDX gate ran on the CPU with APIC ID 0 and checked CR4.VMXE, IA32_FEATURE_CONTROL, the TDX KeyID count (64)"
	assert_output --partial "not checked: the SEAMRR registers; the TDX module itself and the other CPUs"
	assert_output --partial "digests-verified: The purgatory wrote back and invalidated the caches (WBINVD), then verified the SHA-256 digests of 96 MiB"
	assert_output --partial "tdx-up: TDX came back up in this kernel"
	refute_output --partial "ready for TDX"
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
	assert_output --partial "gate-fail: Between the kernels the purgatory's TDX gate found a state no kernel can bring TDX up from: CR4.VMXE is set: VMX is still on; no TDX private KeyIDs are partitioned."
}

@test "verify: unconfirmed SEAMRR readings warn, they are not a failure" {
	gate warn 1 0xc00	# SEAMRR "not configured", "not enabled"
	run -5 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "gate-warn: Between the kernels the purgatory's TDX gate found nothing certain to stop TDX, but: IA32_SEAMRR_PHYS_BASE bit 3 (configured) is clear (meaning unconfirmed); IA32_SEAMRR_PHYS_MASK bit 11 (enabled) is clear (meaning unconfirmed)."
	refute_output --partial "gate-fail"
}

@test "verify: a version-1 record from an older purgatory still verifies" {
	gate --v1 pass
	[ "$(stat -c %s "$SD/1/data")" = 128 ]
	run -0 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "gate-pass"
	assert_output --partial "ran on one CPU (a version-1 record does not say which)"
	assert_output --partial "it wrote back the caches only after the check (an older purgatory)"
}

@test "verify: a version-2 record of 192 bytes, and a later longer version, verify" {
	gate pass
	[ "$(stat -c %s "$SD/1/data")" = 192 ]
	run -0 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "gate-pass"
	gate --version 9 --size 256 pass
	run -0 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "gate-pass"
	assert_output --partial "APIC ID 0"
}

@test "verify: a truncated record is reported, naming the file and both sizes" {
	"$MKREC" pass | head -c 150 > "$SD/1/data"
	echo 0x4b585447 > "$SD/1/type"
	run -255 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "setup_data/1/data: 150 bytes, but the gate record says 192: truncated"
}

@test "verify: a record claiming version 9 in 128 bytes is refused (records only grow)" {
	gate --version 9 --size 128 pass
	run -255 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "gate record version 9 of 128 bytes; version 9 has at least 192 (records only grow)"
}

@test "verify: --json follows the report schema, action verify" {
	gate warn 1 0x100
	run -5 "$KEXEC" --tdx-verify --json --tdx-sysroot "$ROOT"
	echo "$output" | "$JQ" -e -f "$TOP_SRCDIR/tests/bats/tdx-schema.jq" >/dev/null
	assert_equal "$(echo "$output" | "$JQ" -r '.action + " " + .verdict')" "verify warn"
	assert_equal "$(echo "$output" | "$JQ" -r '[.findings[].code] | join(",")')" "gate-warn,gate-checks,digests-verified,tdx-up"
}

@test "verify: a malformed record is an error naming the file" {
	echo 0x4b585447 > "$SD/1/type"
	head -c 100 /dev/zero > "$SD/1/data"
	run -255 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "setup_data/1/data: not a kexec-tdx gate record (magic 0x00000000)"
	"$MKREC" pass | head -c 100 > "$SD/1/data"
	run -255 "$KEXEC" --tdx-verify --tdx-sysroot "$ROOT"
	assert_output --partial "setup_data/1/data: 100 bytes; a gate record has at least 128"
}

@test "verify: a machine without TDX has nothing to bring back" {
	run -0 "$KEXEC" --tdx-verify --tdx-sysroot "$FIXTURES/hosts/amd-epyc-no-tdx"
	assert_output --partial "gate-absent"
	assert_output --partial "not-tdx-host"
}
