#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# What was staged and the kexec reboot check, with the real kexec built with
# its test hooks (tests/helpers/kexec-testhooks): KX_TEST_CALLS runs without
# --dry-run but hands every kernel call to the recorder (listed in a file), so
# a run writes its records as a real one would while the kernel is never
# called (and the guard would refuse it anyway); KX_TEST_STATE moves
# /run/kexec-tdx and /var/lib/kexec-tdx into the test's directory;
# KX_TEST_JOURNAL receives the audit trail; KX_TEST_BOOTCTL stands in for
# bootctl.  Host facts come from recorded profiles (--sysroot); images are
# synthetic.

load helper

setup_file() {
	kx_tdx_image
	export INITRD="$BATS_FILE_TMPDIR/initrd.img"
	head -c 300000 /dev/urandom > "$INITRD"
}

setup() {
	kx_hooks_setup
}

loaded() { echo "$1" > "$H/sys/kernel/kexec_loaded"; }

stage() {
	kt -s -l "$IMG" --initrd="$INITRD" --append="root=/dev/vda ro nohibernate" "$@"
	[ "$status" -eq 0 ] || fail "staging failed: $output"
	loaded 1
	rm -f "$CALLS"
}

field() { sed -n "s/^$1=//p" "$2"; }

# journal: start a sink; journal_wait: stop it and read what it got.
journal() {
	command -v python3 >/dev/null || skip "python3 is needed to receive the journal entries"
	export KX_TEST_JOURNAL="$BATS_TEST_TMPDIR/journal.sock"
	JOURNAL="$BATS_TEST_TMPDIR/journal.log"
	"$TOP_SRCDIR/tests/helpers/journal-sink.py" "$KX_TEST_JOURNAL" "$JOURNAL" 2 &
	SINK=$!
	for _ in $(seq 50); do [ -e "$JOURNAL.ready" ] && return 0; sleep 0.1; done
	fail "the journal sink did not start"
}
journal_wait() { wait "$SINK" || true; }

@test "a load records what it staged; -u forgets it; a dry run records nothing" {
	kt -s -l "$IMG" --initrd="$INITRD" --append="root=/dev/vda ro nohibernate"
	assert_success
	run cat "$RUN/staged"
	assert_line "kind=normal"
	assert_line "syscall=kexec_file_load"
	assert_line "image=$IMG"
	assert_line "initrd=$INITRD"
	# on a TDX host the load adds its handover token, whose nonce the record keeps
	assert_line --regexp "^cmdline=root=/dev/vda ro nohibernate kexec_tdx.expect=v1,n=[0-9a-f]{16},[^ ]*$"
	[ "$(field handover_nonce "$RUN/staged")" = \
		"$(field cmdline "$RUN/staged" | sed 's/.*,n=\([0-9a-f]*\),.*/\1/')" ]
	assert_line "image_sha256=$(sha256sum "$IMG" | cut -d' ' -f1)"
	assert_line "initrd_sha256=$(sha256sum "$INITRD" | cut -d' ' -f1)"
	assert_line "release=7.2.1-tdx"
	assert_line "boot_id=6b1c5a4e-0d6a-4f0e-9d3c-7a9e2f1b8c01"
	assert_line "uid=$(id -u)"
	assert_line --regexp "^tdx=(go|warn)$"
	kt -s -u
	assert_success
	[ ! -e "$RUN/staged" ] || fail "the record survived -u"
	run "$KT" --dry-run --sysroot "$H" -s -l "$IMG"
	assert_success
	[ ! -e "$RUN/staged" ] || fail "a dry run wrote a record"
}

@test "a crash kernel has its own record; a refused load leaves none" {
	kt -s -p "$IMG" --append="root=/dev/vda nohibernate" 2>/dev/null
	# the profile has no crash reservation: refused before any record
	[ ! -e "$RUN/staged-crash" ]
	host spr-pw-mce-6.18
	kt -s -l "$IMG" --append="nohibernate"
	assert_failure 4
	[ ! -e "$RUN/staged" ] || fail "a refused load left a record"
}

@test "--show-staged names what kexec-tdx staged, in text and JSON" {
	stage
	kt --show-staged
	assert_success
	assert_line "a kernel is loaded; kexec-tdx staged it:"
	assert_line --partial "image:         $IMG (7.2.1-tdx)"
	assert_line --partial "command line:  root=/dev/vda ro nohibernate"
	assert_line --partial "syscall:       kexec_file_load"
	assert_line --regexp "staged: +[0-9-]+ [0-9:]+ UTC by uid $(id -u) via "
	kt --show-staged --json
	assert_success
	echo "$output" | "$JQ" -e '.kind == "staged" and .loaded and .staged_by_kexec_tdx and
		.record.image == env.IMG and .record.changed_since == false' >/dev/null
}

@test "--show-staged says plainly when the loaded kernel is not ours" {
	loaded 1
	kt --show-staged
	assert_success
	assert_output --partial "a kernel is loaded, but not by kexec-tdx"
	kt --show-staged --json
	echo "$output" | "$JQ" -e '.loaded and (.staged_by_kexec_tdx | not) and .record == null' >/dev/null
}

@test "--show-staged: a stale, foreign-boot, damaged or changed record does not count" {
	stage
	loaded 0
	kt --show-staged
	assert_line "no kernel is loaded"
	assert_line --partial "is stale: something else unloaded it"
	loaded 1
	echo 00000000-0000-0000-0000-000000000000 > "$H/proc/sys/kernel/random/boot_id"
	kt --show-staged
	assert_line --partial "is from another boot"
	assert_line --partial "not by kexec-tdx"
	host spr-pw-mce-7.2-disable
	stage
	cp "$INITRD" "$BATS_TEST_TMPDIR/saved"
	echo more >> "$INITRD"
	kt --show-staged
	cp "$BATS_TEST_TMPDIR/saved" "$INITRD"
	assert_line --partial "CHANGED:       $INITRD changed since it was staged"
	printf 'version=1\nkind=normal\nimage\n' > "$RUN/staged"
	kt --show-staged
	assert_line --partial "is damaged and does not count: $RUN/staged: line 3: expected key=value"
}

@test "reboot check: nothing staged, or not a TDX host: nothing is touched" {
	kt --tdx-restage
	assert_success
	assert_output --partial "nothing is staged"
	host amd-epyc-no-tdx
	loaded 1
	kt --tdx-restage
	assert_success
	assert_output --partial "not a TDX host"
	[ ! -e "$CALLS" ] || fail "calls were made: $(cat "$CALLS")"
	[ ! -e "$LIB/last-kexec" ]
}

@test "reboot check: our record passes: the same files are loaded again" {
	stage
	kt --tdx-restage --tdx-wait=0
	assert_success
	assert_output --partial "reboot check: $IMG loaded from kexec-tdx's record"
	run grep -c "^kexec_file_load(kernel_fd=$IMG" "$CALLS"
	assert_output 1
	run grep -c "initrd_fd=$INITRD" "$CALLS"
	assert_output 1
	# the record's old token is replaced: one token, with a new nonce
	run grep -c 'cmdline="root=/dev/vda ro nohibernate kexec_tdx.expect=v1,n=[0-9a-f]*,[^ ]*"' "$CALLS"
	assert_output 1
	run grep -o 'kexec_tdx.expect=' "$CALLS"
	assert_output "kexec_tdx.expect="
	[ "$(field outcome "$LIB/last-kexec")" = allowed ]
	[ "$(field release "$LIB/last-kexec")" = 7.2.1-tdx ]
	[ -e "$RUN/staged" ] || fail "the new load is not recorded"
}

@test "reboot check: a staged file that changed is not loaded; it is unloaded (exit 4)" {
	stage
	cp "$INITRD" "$BATS_TEST_TMPDIR/saved"
	echo more >> "$INITRD"
	kt --tdx-restage
	cp "$BATS_TEST_TMPDIR/saved" "$INITRD"
	assert_failure 4
	assert_output --partial "$INITRD changed since it was staged"
	assert_output --partial "this reboot goes through firmware"
	run cat "$CALLS"
	assert_output --partial "flags=0x1 [UNLOAD]"
	refute_output --partial "kernel_fd=$IMG"
	[ "$(field outcome "$LIB/last-kexec")" = refused ]
	[ ! -e "$RUN/staged" ]
}

@test "reboot check: a no-go at reboot time unloads (exit 4), and -e would refuse too" {
	stage
	# the platform changed since the load: the running kernel lost its disable path
	sed -i '/tdx_sys_disable/d' "$H/proc/kallsyms"
	rm -f "$H/sys/kernel/btf/vmlinux"
	kt --tdx-restage
	assert_failure 4
	assert_output --partial "no-go"
	assert_output --partial "TDX handover no-go"
	run cat "$CALLS"
	assert_output --partial "[UNLOAD]"
	run field reason "$LIB/last-kexec"
	assert_output --partial "TDX handover no-go: "
}

@test "reboot check: live TDs, only a warning at load, stop the kexec reboot" {
	host emr-live-tds
	kt -s -l "$IMG" --append="nohibernate"
	assert_success
	assert_output --partial "live-tds"
	loaded 1
	rm -f "$CALLS"
	kt --tdx-restage --tdx-wait=0
	assert_failure 4
	assert_output --partial "live-tds"
	run cat "$CALLS"
	assert_output --partial "[UNLOAD]"
}

@test "reboot check: a kernel someone else loaded is replaced by the default boot entry" {
	loaded 1
	B="$BATS_TEST_TMPDIR/bootctl"
	cat > "$B" <<-EOF
	#!/bin/sh
	[ "\$*" = "list --json=short --no-pager" ] || exit 2
	echo '[{"type":"type1","id":"old.conf","root":"/","linux":"/nope","isDefault":false},'
	echo ' {"type":"type1","id":"debian.conf","root":"$(dirname "$IMG")","linux":"/$(basename "$IMG")",'
	echo '  "initrd":["/$(basename "$INITRD")"],"options":"root=/dev/vda nohibernate","isDefault":true}]'
	EOF
	chmod +x "$B"
	KX_TEST_BOOTCTL=$B kt --tdx-restage
	assert_success
	assert_output --partial "not loaded by kexec-tdx; loading the default boot entry"
	assert_output --partial "loaded from the default boot entry debian.conf (bootctl)"
	# kexec_load first, for the purgatory's TDX gate
	run grep -c "^kexec_load(" "$CALLS"
	assert_output 1
	run cat "$RUN/staged"
	assert_line "image=$IMG"
	assert_line "gate=enforce"
	[ "$(field outcome "$LIB/last-kexec")" = allowed ]
}

@test "reboot check: systemd 252's bootctl (no isDefault in JSON): the text output names the default" {
	loaded 1
	B="$BATS_TEST_TMPDIR/bootctl"
	cat > "$B" <<-EOF
	#!/bin/sh
	if [ "\$*" = "list --json=short --no-pager" ]; then
		echo '{"id":"old.conf","root":"/","linux":"/nope"}'
		echo '{"id":"debian.conf","root":"$(dirname "$IMG")","linux":"/$(basename "$IMG")","options":"root=/dev/vda nohibernate"}'
	elif [ "\$*" = "list --no-pager" ]; then
		printf '         type: Boot Loader Specification Type #1 (.conf)\n        title: Old\n           id: old.conf\n\n'
		printf '         type: Boot Loader Specification Type #1 (.conf)\n        title: Debian (default)\n           id: debian.conf\n'
	else
		exit 2
	fi
	EOF
	chmod +x "$B"
	KX_TEST_BOOTCTL=$B kt --tdx-restage
	assert_success
	assert_output --partial "loaded from the default boot entry debian.conf (bootctl)"
	run grep -c "^kexec_load(" "$CALLS"
	assert_output 1
}

@test "reboot check: no record and no default entry (systemd 252, no bootctl): unloaded" {
	loaded 1
	B="$BATS_TEST_TMPDIR/bootctl"
	printf '#!/bin/sh\necho %s\necho %s\n' \
		"'{\"id\":\"a.conf\",\"root\":\"/\",\"linux\":\"/a\"}'" \
		"'{\"id\":\"b.conf\",\"root\":\"/\",\"linux\":\"/b\"}'" > "$B"
	chmod +x "$B"
	KX_TEST_BOOTCTL=$B kt --tdx-restage
	assert_failure 4
	assert_output --partial "bootctl names no default boot entry"
	KX_TEST_BOOTCTL=/nonexistent/bootctl kt --tdx-restage
	assert_failure 4
	assert_output --partial "cannot be run"
	printf '#!/bin/sh\necho "[{\\"isDefault\\":true,\\"linux\\":\\"/a\\",\\"initrd\\":[\\"/1\\",\\"/2\\"]}]"\n' > "$B"
	KX_TEST_BOOTCTL=$B kt --tdx-restage
	assert_failure 4
	assert_output --partial "more than one initrd"
	printf '#!/bin/sh\necho "[{\\"isDefault\\":true,"\n' > "$B"
	KX_TEST_BOOTCTL=$B kt --tdx-restage
	assert_failure 4
	assert_output --partial "bootctl list --json=short: byte"
}

@test "reboot check: a staged kernel that cannot be unloaded fails the unit (exit 255)" {
	stage
	sed -i '/tdx_sys_disable/d' "$H/proc/kallsyms"
	rm -f "$H/sys/kernel/btf/vmlinux"
	KX_TEST_UNLOAD_ERRNO=EPERM kt --tdx-restage
	assert_failure 255
	assert_output --partial "NO KEXEC"
	assert_output --partial "could not be unloaded"
	run field reason "$LIB/last-kexec"
	assert_output --partial "FailureAction reboots through firmware"
}

@test "reboot check: preflight = explicit leaves the staged kernel, and says so in the journal" {
	stage
	echo "preflight = explicit" >> "$H/etc/kexec-tdx.conf"
	journal
	kt --tdx-restage
	journal_wait
	assert_success
	assert_output --partial "preflight = explicit: the staged kernel is left as it is"
	[ ! -e "$CALLS" ]
	run cat "$JOURNAL"
	assert_line "MESSAGE_ID=69460cc33c68419bb7fea818a6f5ab7b"
}

@test "-e keeps its decision for the next boot" {
	stage
	kt -e
	assert_success
	[ "$(field outcome "$LIB/last-kexec")" = allowed ]
	[ "$(field image "$LIB/last-kexec")" = "$IMG" ]
	run field reason "$LIB/last-kexec"
	assert_output --regexp "^(go|warn) at kexec -e"
	sed -i '/tdx_sys_disable/d' "$H/proc/kallsyms"
	rm -f "$H/sys/kernel/btf/vmlinux"
	kt -e
	assert_failure 4
	[ "$(field outcome "$LIB/last-kexec")" = refused ]
}

# a decision of the previous boot, as the reboot check leaves it
decision() {
	mkdir -p "$LIB"
	printf 'version=1\noutcome=%s\nimage=%s\nrelease=%s\nreason=%s\ntime=1796000000\nboot_id=%s\n' \
		"$1" "$IMG" "$2" "$3" "${4:-aaaaaaaa-0d6a-4f0e-9d3c-7a9e2f1b8c01}" > "$LIB/last-kexec"
}

@test "--tdx-verify: after a refused kexec the next boot says why, once" {
	decision refused 7.2.1-tdx "TDX handover no-go: pw-mce-refused"
	journal
	kt --tdx-verify
	journal_wait
	assert_failure 5
	assert_output --partial "warn  planned-kexec-refused: The kexec reboot planned at 2026-11-30"
	assert_output --partial "did not happen: TDX handover no-go: pw-mce-refused"
	[ -e "$LIB/last-kexec.reported" ] && [ ! -e "$LIB/last-kexec" ]
	run cat "$JOURNAL"
	assert_line "MESSAGE_ID=d8f04c479da54ae79f8131000588202c"
	assert_line "MESSAGE_ID=5284beaf7e8b48c288b5054a8276257b"
	assert_line "KEXEC_TDX_VERDICT=warn"
	kt --tdx-verify
	refute_output --partial "planned-kexec"
}

@test "--tdx-verify: the kexec that happened, one that did not, one still to come" {
	decision allowed 7.2.0-1-amd64 "go when the kexec reboot started"
	kt --tdx-verify --json
	echo "$output" | "$JQ" -e '[.findings[].code] | index("planned-kexec-done")' >/dev/null
	decision allowed 7.3.0 "go when the kexec reboot started"
	kt --tdx-verify
	assert_failure 5
	assert_output --partial "planned-kexec-missing"
	decision refused 7.3.0 "changed" 6b1c5a4e-0d6a-4f0e-9d3c-7a9e2f1b8c01
	kt --tdx-verify
	assert_output --partial "planned-kexec-pending"
	[ -e "$LIB/last-kexec" ] || fail "a decision of this boot was consumed"
}

@test "--tdx-verify --tdx-wait waits, bounded, for the kernel to bring TDX up" {
	host gnr-module-never-initialized
	rm -rf "$H/sys/module/kvm_intel"
	SECONDS=0
	kt --tdx-verify --tdx-wait=2
	assert_output --partial "waiting up to 2 s for the kernel to bring TDX up"
	[ "$SECONDS" -le 6 ] || fail "waited $SECONDS s"
	host spr-pw-mce-7.2-disable
	kt --tdx-verify --tdx-wait=30
	refute_output --partial "waiting"
}

@test "the audit trail: refusals, --tdx-force, --tdx-sysroot and the reboot check" {
	host spr-pw-mce-6.18
	journal
	kt -s -l "$IMG" --append=nohibernate
	kt -s -l "$IMG" --append=nohibernate --tdx-force
	loaded 1
	run "$KT" -s -l "$IMG" --append=nohibernate --tdx-sysroot "$H" --sysroot "$H"
	kt --tdx-restage
	journal_wait
	run cat "$JOURNAL"
	assert_line "MESSAGE_ID=77f7ee9a9fbc4e63b0100ba68b7d8174"
	assert_line "MESSAGE_ID=8872fcf0ed784a2f8a84d199fa3941cd"
	assert_line "MESSAGE_ID=1ee374232dd94f10b004dc9c153a07ed"
	assert_line "MESSAGE_ID=b77a112c92d64c809223c6d6e311d0c0"
	assert_line "KEXEC_TDX_IMAGE=$IMG"
	assert_line --regexp "^KEXEC_TDX_FINDINGS=.*pw-mce-refused"
	assert_line "SYSLOG_IDENTIFIER=kexec"
}

@test "every message ID the program sends is explained in the catalog" {
	ids=$(grep -o '"[0-9a-f]\{32\}"' "$TOP_SRCDIR/cli/journal.c" | tr -d '"')
	[ "$(echo "$ids" | wc -l)" -ge 9 ]
	for id in $ids; do
		grep -qx -- "-- $id" "$TOP_SRCDIR/dist/kexec-tdx.catalog" || fail "$id is not in the catalog"
	done
}
