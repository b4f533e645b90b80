#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The distribution pieces: the units' ordering, their commands and how they
# fail (the commands' behaviour is tested in staged.bats), and the catalog.

load helper

@test "units: the reboot check is an ExecStop: after the VMs stop, before the unmounts" {
	u="$TOP_BUILDDIR/dist/systemd/kexec-tdx-preflight.service"
	run -0 grep -x "WantedBy=multi-user.target" "$u"
	# stops run in reverse: Before= the VM managers means after they stopped
	run -0 grep "^Before=.*libvirt-guests.service" "$u"
	run -0 grep -x "After=local-fs.target" "$u"
	run -0 grep -E "^RequiresMountsFor=.*/efi" "$u"
	run -0 grep -x "RemainAfterExit=yes" "$u"
	run -0 grep -E "^ExecStop=/.*/kexec-tdx-reboot-check --tdx-wait=[0-9]+$" "$u"
	# a refusal that unloaded is done (exit 4); anything else fails closed
	run -0 grep -x "SuccessExitStatus=4" "$u"
	run -0 grep -x "FailureAction=reboot-force" "$u"
	run -0 grep -E "^TimeoutStopSec=" "$u"
}

# reboot_check JOBS: run kexec-tdx-reboot-check with a systemctl that lists
# JOBS ("fail": cannot reach systemd) and a kexec that logs its arguments.
reboot_check() {
	local bin="$BATS_TEST_TMPDIR/bin"
	mkdir -p "$bin"
	if [ "$1" = fail ]; then
		printf '#!/bin/sh
echo "Failed to connect to bus" >&2
exit 1
' > "$bin/systemctl"
	else
		printf '#!/bin/sh
[ "$*" = "list-jobs --no-legend --no-pager kexec.target" ] || exit 9
printf "%%s" "%s"
' "$1" > "$bin/systemctl"
	fi
	printf '#!/bin/sh
echo "$*" > "%s"
exit 4
' "$BATS_TEST_TMPDIR/kexec-args" > "$bin/kexec"
	chmod +x "$bin/systemctl" "$bin/kexec"
	PATH="$bin:$PATH" KEXEC="$bin/kexec" run "$TOP_BUILDDIR/dist/kexec-tdx-reboot-check" --tdx-wait=30
}

@test "reboot check script: a kexec reboot runs kexec --tdx-restage and keeps its status" {
	reboot_check "1 kexec.target start waiting"
	assert_failure 4
	run cat "$BATS_TEST_TMPDIR/kexec-args"
	assert_output "--tdx-restage --tdx-wait=30"
}

@test "reboot check script: any other shutdown does nothing" {
	reboot_check ""
	assert_success
	[ ! -e "$BATS_TEST_TMPDIR/kexec-args" ]
}

@test "reboot check script: when systemd cannot be asked, it checks anyway" {
	reboot_check fail
	assert_failure 4
	[ -e "$BATS_TEST_TMPDIR/kexec-args" ]
	run "$TOP_BUILDDIR/dist/kexec-tdx-reboot-check" --help
	assert_success
	assert_output --partial "kexec.target"
}

@test "units: the verification waits, bounded, for TDX to come up, and never fails the boot" {
	v="$TOP_BUILDDIR/dist/systemd/kexec-tdx-verify.service"
	run -0 grep -E "^ExecStart=/.*/kexec --tdx-verify --tdx-wait=[0-9]+$" "$v"
	run -0 grep -E "^After=.*systemd-modules-load.service" "$v"
	run -0 grep -x "SuccessExitStatus=4 5" "$v"
	run -0 grep -x "WantedBy=multi-user.target" "$v"
}

@test "units: systemd-analyze finds nothing wrong (where systemd runs)" {
	command -v systemd-analyze >/dev/null && [ -d /run/systemd/system ] ||
		skip "systemd is not running here"
	run systemd-analyze verify "$TOP_BUILDDIR/dist/systemd/kexec-tdx-preflight.service" \
		"$TOP_BUILDDIR/dist/systemd/kexec-tdx-verify.service"
	refute_output --partial "Unknown"
	refute_output --partial "Failed to"
}

@test "catalog: one entry per message ID, each with a subject" {
	c="$TOP_SRCDIR/dist/kexec-tdx.catalog"
	n=$(grep -c '^-- [0-9a-f]\{32\}$' "$c")
	[ "$n" -eq 9 ] || fail "$n entries"
	[ "$(grep -c '^Subject: ' "$c")" -eq "$n" ]
	[ "$(grep '^-- ' "$c" | sort -u | wc -l)" -eq "$n" ] || fail "a message ID is repeated"
}
