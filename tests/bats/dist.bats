#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The distribution pieces: the units' ordering, their commands and how they
# fail (the commands' behaviour is tested in staged.bats), and the catalog.

load helper

@test "units: the reboot check runs in kexec.target, after the VMs stop, before the reboot" {
	u="$TOP_BUILDDIR/dist/systemd/kexec-tdx-preflight.service"
	run -0 grep -x "WantedBy=kexec.target" "$u"
	run -0 grep -x "Before=systemd-kexec.service kexec.target umount.target final.target" "$u"
	run -0 grep "^After=.*libvirt-guests.service" "$u"
	run -0 grep -x "DefaultDependencies=no" "$u"
	run -0 grep -E "^ExecStart=/.*/kexec --tdx-restage --tdx-wait=[0-9]+$" "$u"
	# a refusal that unloaded is done (exit 4); anything else fails closed
	run -0 grep -x "SuccessExitStatus=4" "$u"
	run -0 grep -x "FailureAction=reboot-force" "$u"
	run -0 grep -E "^TimeoutStartSec=" "$u"
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
