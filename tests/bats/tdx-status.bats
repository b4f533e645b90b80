#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# kexec --tdx-status over every recorded host profile in tests/fixtures/hosts:
# the verdict, the finding codes and the exit status each profile's EXPECTED
# file names, as text and as JSON validated against tdx-schema.jq.

load helper

setup() {
	kx_require_guard
	kx_require_jq
	HOSTS="$FIXTURES/hosts"
	SCHEMA="$TOP_SRCDIR/tests/bats/tdx-schema.jq"
}

# Read verdict=, exit= and codes= from a profile's EXPECTED file.
expected() {
	verdict=$(sed -n 's/^verdict=//p' "$HOSTS/$1/EXPECTED")
	exit_code=$(sed -n 's/^exit=//p' "$HOSTS/$1/EXPECTED")
	codes=$(sed -n 's/^codes=//p' "$HOSTS/$1/EXPECTED")
}

check_profile() {
	local p=$1 c
	expected "$p"
	run "$KEXEC" --tdx-status --sysroot "$HOSTS/$p"
	[ "$status" -eq "$exit_code" ] || fail "$p: exit $status, expected $exit_code"$'\n'"$output"
	assert_line --index 0 "TDX handover (status): $verdict"
	for c in $codes; do
		assert_line --regexp "^  (info|warn|no-go) +$c: "
	done
	assert_line "Facts:"
	run "$KEXEC" --tdx-status --json --sysroot "$HOSTS/$p"
	[ "$status" -eq "$exit_code" ]
	echo "$output" | "$JQ" -e -f "$SCHEMA" >/dev/null || fail "$p: JSON does not match the schema"
	[ "$(echo "$output" | "$JQ" -r .verdict)" = "$verdict" ]
	for c in $codes; do
		echo "$output" | "$JQ" -e --arg c "$c" 'any(.findings[]; .code == $c)' >/dev/null ||
			fail "$p: JSON has no finding $c"
	done
}

@test "at least ten host profiles, each with EXPECTED, DESCRIPTION and a test here" {
	local n=0 d
	for d in "$HOSTS"/*/; do
		n=$((n + 1))
		[ -f "$d/EXPECTED" ] && [ -f "$d/DESCRIPTION" ] || fail "$d lacks EXPECTED or DESCRIPTION"
		grep -q "check_profile $(basename "$d");" "$BATS_TEST_FILENAME" ||
			fail "no test for profile $(basename "$d")"
	done
	[ "$n" -ge 10 ]
}

@test "AMD host: TDX does not apply (go)" { check_profile amd-epyc-no-tdx; }
@test "Intel host without TDX (go)" { check_profile intel-icx-no-tdx; }
@test "Sapphire Rapids, tdx_pw_mce, Linux 6.18: the kernel would refuse (no-go)" { check_profile spr-pw-mce-6.18; }
@test "Sapphire Rapids, tdx_pw_mce, Linux 7.2 with the disable path: clean (go)" { check_profile spr-pw-mce-7.2-disable; }
@test "Linux 7.2 with a module below the policy minimum (no-go)" { check_profile spr-7.2-old-module; }
@test "Emerald Rapids with live TDs summed over child cgroups (no-go)" { check_profile emr-live-tds; }
@test "Granite Rapids on 6.16: no kexec cache flush before 6.18 (no-go)" { check_profile gnr-6.16-no-erratum; }
@test "module never initialized (go)" { check_profile gnr-module-never-initialized; }
@test "runtime module update in progress (no-go)" { check_profile gnr-update-in-progress; }
@test "malformed and unreadable files on an erratum host (no-go)" { check_profile malformed-files; }
@test "the view of a non-root user on an erratum host (no-go)" { check_profile non-root-user; }
@test "TDX enabled in the BIOS but not by the kernel (go)" { check_profile spr-tdx-bios-hibernation; }
@test "erratum host, disable path, no minimum configured (no-go)" { check_profile spr-pw-mce-7.2-no-minimum; }
@test "erratum host, minimum configured, module version unreadable (no-go)" { check_profile spr-pw-mce-7.2-version-unreadable; }
@test "no tdx_host_platform flag, but every other fact says TDX (no-go)" { check_profile emr-no-flag-live-tds; }
@test "vendor 6.8 kernel without the kexec cache flush (no-go)" { check_profile gnr-6.8-vendor-no-flush; }
@test "vendor 6.8 kernel with the kexec cache flush backported (warn)" { check_profile gnr-6.8-vendor-backport; }
@test "kernel-log lines written by user space or a device do not count (go)" { check_profile gnr-kmsg-spoofed; }

@test "--tdx-sysroot reads the same tree as --sysroot" {
	run "$KEXEC" --tdx-status --json --sysroot "$HOSTS/emr-live-tds"
	local a=$output
	run "$KEXEC" --tdx-status --json --tdx-sysroot "$HOSTS/emr-live-tds"
	[ "$status" -eq 4 ]
	[ "$output" = "$a" ]
}

@test "live TDs are counted as the sum over the root's children" {
	run "$KEXEC" --tdx-status --json --sysroot "$HOSTS/emr-live-tds"
	[ "$(echo "$output" | "$JQ" -c '.facts["cgroup.tdx_current"] | [.value, .summed_cgroups]')" = "[3,3]" ]
}

@test "unreadable facts carry their errno" {
	run "$KEXEC" --tdx-status --json --sysroot "$HOSTS/malformed-files"
	[ "$(echo "$output" | "$JQ" -r '.facts["kvm_intel.tdx"].errno')" = EISDIR ]
	[ "$(echo "$output" | "$JQ" -r '.facts["kernel.tdx_sys_disable"].errno')" = EISDIR ]
	[ "$(echo "$output" | "$JQ" -r '.facts["tdx_host.version"].errno')" = EBADMSG ]
	echo "$output" | "$JQ" -e '.facts["tdx_host.version"].error | test("expected a version")'
	run "$KEXEC" --tdx-status --json --sysroot "$HOSTS/non-root-user"
	[ "$(echo "$output" | "$JQ" -r '.facts["msr.keyid_partitioning"].errno')" = EACCES ]
	[ "$(echo "$output" | "$JQ" -r '.facts["tdx_host.seamldr_version"].errno')" = EACCES ]
}

@test "a real non-root user gets EACCES for root-only files" {
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch to another user"
	local top d
	top=$(mktemp -d /tmp/tdx-nonroot.XXXXXX)	# the user must reach it
	d=$top/host
	kx_copy_host spr-pw-mce-7.2-disable "$d"
	chmod -R go+rX "$top"
	chmod 0400 "$d/sys/devices/faux/tdx_host/seamldr_version" \
		"$d/sys/devices/faux/tdx_host/num_remaining_updates"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$KEXEC" --tdx-status --json --sysroot "$d"
	rm -rf "$top"
	[ "$(echo "$output" | "$JQ" -r '.facts["tdx_host.seamldr_version"].errno')" = EACCES ]
	echo "$output" | "$JQ" -e 'any(.findings[]; .code == "not-root")'
}

@test "a policy file with a bad line is a no-go that names the line" {
	local d=$BATS_TEST_TMPDIR/host
	kx_copy_host spr-pw-mce-7.2-disable "$d"
	printf 'min_module_version = 1.5.16\nmin_version = 2\n' > "$d/etc/kexec-tdx.conf"
	run "$KEXEC" --tdx-status --sysroot "$d"
	[ "$status" -eq 4 ]
	assert_output --partial "config-invalid: The TDX handover policy cannot be used: /etc/kexec-tdx.conf: line 2: unknown key 'min_version'"
}

@test "a kernel given to --tdx-status is checked too" {
	"$TOP_BUILDDIR/tests/helpers/mkbzimage" "$BATS_TEST_TMPDIR/vmlinuz-7.2.1" --version="7.2.1 (b@h) #1" \
		--vmlinux=none
	printf '# CONFIG_INTEL_TDX_HOST is not set\nCONFIG_HIBERNATION=y\n' > "$BATS_TEST_TMPDIR/config-7.2.1"
	run "$KEXEC" --tdx-status -l --sysroot "$FIXTURES/hosts/spr-pw-mce-7.2-disable" "$BATS_TEST_TMPDIR/vmlinuz-7.2.1"
	[ "$status" -eq 5 ]
	assert_output --partial "new-kernel-no-tdx: The new kernel 7.2.1 is built without CONFIG_INTEL_TDX_HOST"
}

@test "a --tdx-sysroot that does not exist is a usage error" {
	run "$KEXEC" --tdx-status --tdx-sysroot "$BATS_TEST_TMPDIR/nowhere"
	[ "$status" -eq 1 ]
	assert_output --partial "cannot use --tdx-sysroot"
}

@test "the man page documents every finding code" {
	local c codes
	codes=$(grep -ho 'add(r, "[a-z0-9-]*"' "$TOP_SRCDIR"/tdx/*.c | sed 's/.*"\(.*\)"/\1/' | sort -u)
	[ "$(echo "$codes" | wc -l)" -ge 30 ]
	for c in $codes; do
		grep -q -e "^\.B $c\$" -e "^\.BR .*$c" "$TOP_SRCDIR/man/kexec.8" ||
			fail "kexec(8) does not document $c"
	done
}

@test "record-host re-records every profile into a tree that gives the same report" {
	local d p out a b
	for d in "$HOSTS"/*/; do
		p=$(basename "$d")
		out="$BATS_TEST_TMPDIR/$p"
		"$TOP_SRCDIR/tests/fixtures/record-host" --from "$d" "$out" >/dev/null
		a=$("$KEXEC" --tdx-status --json --sysroot "$d" | "$JQ" -c '[.verdict, (.facts | del(.["kernel.log"]))]')
		b=$("$KEXEC" --tdx-status --json --sysroot "$out" | "$JQ" -c '[.verdict, (.facts | del(.["kernel.log"]))]')
		if [ "$p" = malformed-files ]; then
			# record-host keeps only the TDX lines of the log, not the bad one
			a=$(echo "$a" | "$JQ" -c '.[0]')
			b=$(echo "$b" | "$JQ" -c '.[0]')
		fi
		[ "$a" = "$b" ] || fail "$p: the re-recorded tree reads differently"$'\n'"$a"$'\n'"$b"
	done
}

@test "record-host records the running host into a tree kexec reads" {
	"$TOP_SRCDIR/tests/fixtures/record-host" "$BATS_TEST_TMPDIR/self" >/dev/null
	[ -s "$BATS_TEST_TMPDIR/self/proc/cpuinfo" ]
	[ -s "$BATS_TEST_TMPDIR/self/DESCRIPTION" ]
	run "$KEXEC" --tdx-status --json --sysroot "$BATS_TEST_TMPDIR/self"
	echo "$output" | "$JQ" -e -f "$SCHEMA" >/dev/null
	[ "$(echo "$output" | "$JQ" -r '.facts["cpu.vendor"].state')" = known ]
}
