#!/usr/bin/env bats
# The distribution pieces: the gate script's decisions with a stand-in kexec,
# and the systemd units' ordering.

load helper

setup() {
	kx_require_guard
	GATE="$TOP_BUILDDIR/dist/kexec-tdx-gate"
	FAKE="$BATS_TEST_TMPDIR/kexec"
	LOG="$BATS_TEST_TMPDIR/calls"
	export KX_SYSROOT="$BATS_TEST_TMPDIR/root"
	mkdir -p "$KX_SYSROOT/sys/kernel"
	echo 1 > "$KX_SYSROOT/sys/kernel/kexec_loaded"
	# a stand-in kexec: logs its arguments, answers --tdx-status with $STATUS
	cat > "$FAKE" <<-EOF
	#!/bin/sh
	echo "\$*" >> "$LOG"
	case "\$*" in *--tdx-status*) exit \${STATUS:-0} ;; esac
	exit 0
	EOF
	chmod +x "$FAKE"
	export KEXEC="$FAKE"
}

@test "gate: go leaves the staged kernel alone" {
	STATUS=0 run -0 "$GATE"
	run cat "$LOG"
	assert_output "--tdx-disable --tdx-status --tdx-wait=30"
}

@test "gate: warn goes ahead" {
	STATUS=5 run -0 "$GATE"
	run cat "$LOG"
	assert_output "--tdx-disable --tdx-status --tdx-wait=30"
}

@test "gate: no-go unloads the staged kernel and says why" {
	STATUS=4 KEXEC_TDX_WAIT=5 run -0 "$GATE"
	assert_output --partial "no-go: unloading the staged kernel"
	run cat "$LOG"
	assert_line --index 0 "--tdx-disable --tdx-status --tdx-wait=5"
	assert_line --index 1 "-u"
}

@test "gate: a check that cannot run leaves the kernel and says so" {
	STATUS=1 run -0 "$GATE"
	assert_output --partial "the TDX check failed to run (exit 1)"
	run cat "$LOG"
	refute_line "-u"
}

@test "gate: nothing loaded or KEXEC_TDX_GATE=0: no check at all" {
	echo 0 > "$KX_SYSROOT/sys/kernel/kexec_loaded"
	run -0 "$GATE"
	[ ! -e "$LOG" ]
	echo 1 > "$KX_SYSROOT/sys/kernel/kexec_loaded"
	KEXEC_TDX_GATE=0 run -0 "$GATE"
	[ ! -e "$LOG" ]
}

@test "units: the preflight runs in kexec.target, after the VMs stop, before the reboot" {
	u="$TOP_BUILDDIR/dist/systemd/kexec-tdx-preflight.service"
	run -0 grep -x "WantedBy=kexec.target" "$u"
	run -0 grep -x "Before=systemd-kexec.service kexec.target umount.target final.target" "$u"
	run -0 grep "^After=.*libvirt-guests.service" "$u"
	run -0 grep -x "DefaultDependencies=no" "$u"
	run -0 grep -E "^ExecStart=/.*/kexec-tdx-gate$" "$u"
	v="$TOP_BUILDDIR/dist/systemd/kexec-tdx-verify.service"
	run -0 grep -E "^ExecStart=/.*/kexec --tdx-verify$" "$v"
	if command -v systemd-analyze >/dev/null && [ -d /run/systemd/system ]; then
		run systemd-analyze verify "$u" "$v"
		refute_output --partial "Unknown"
	fi
}
