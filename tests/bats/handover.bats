#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The handover token (kexec_tdx.expect=) on the new kernel's command line:
# when a load adds it, that no load carries an old one on, the command-line
# limit it counts toward, the nonce the records keep, and --tdx-verify in the
# new kernel reading it back.  The real kexec with its test hooks
# (tests/helpers/kexec-testhooks: KX_TEST_CALLS hands every kernel call to the
# recorder, KX_TEST_STATE moves the records, KX_TEST_LOAD_ERRNO makes the
# recorder refuse loads) over recorded host profiles; images are synthetic.

load helper

setup_file() {
	kx_tdx_image
}

setup() {
	kx_hooks_setup
}

field() { sed -n "s/^$1=//p" "$2"; }

# The command line of the first load in the calls file.
cmdline_of_load() { grep -m1 -o 'cmdline="[^"]*"' "$CALLS" | sed 's/^cmdline="//; s/"$//'; }

TOKEN_RE='kexec_tdx\.expect=v1,n=[0-9a-f]{16},pre=(go|warn|forced|unchecked),tdx=(yes|no|unsure),mod=([0-9]+\.[0-9]+\.[0-9]+|-),mce=(yes|no|unknown),src=(host|tree),f=[a-z0-9+.-]+'

@test "a load on a TDX host adds one token, for -s and -c, at the end or before '--'" {
	local c
	for s in -s -c; do
		rm -f "$CALLS"
		kt "$s" -l "$IMG" --append="root=/dev/vda ro nohibernate"
		assert_success
		# what the kernel was given (the recorder lists -c's command line in the zero page)
		c=$(field cmdline "$RUN/staged")
		[ "$s" = -c ] || [ "$(cmdline_of_load)" = "$c" ]
		[[ $c =~ ^"root=/dev/vda ro nohibernate "$TOKEN_RE$ ]] || fail "$s: $c"
		[[ $c == *",pre=go,tdx=yes,mod=1.5.16,mce=yes,src=tree,f=-" ]] || fail "$s: $c"
		[ "$(field handover_nonce "$RUN/staged")" = "$(sed 's/.*,n=\([0-9a-f]*\),.*/\1/' <<<"$c")" ]
	done
	rm -f "$CALLS"
	kt -s -l "$IMG" --append="root=/dev/vda nohibernate -- single"
	[[ $(cmdline_of_load) =~ ^"root=/dev/vda nohibernate "$TOKEN_RE" -- single"$ ]] ||
		fail "$(cmdline_of_load)"
}

@test "every load gets a new nonce" {
	local a b
	kt -s -l "$IMG" --append=nohibernate
	a=$(field handover_nonce "$RUN/staged")
	kt -s -l "$IMG" --append=nohibernate
	b=$(field handover_nonce "$RUN/staged")
	[[ $a =~ ^[0-9a-f]{16}$ ]] && [[ $b =~ ^[0-9a-f]{16}$ ]] && [ "$a" != "$b" ]
}

@test "no token on a host without TDX, unless --tdx-disable; none for -p" {
	host amd-epyc-no-tdx
	kt -s -l "$IMG" --append="root=/dev/vda"
	assert_success
	[ "$(cmdline_of_load)" = "root=/dev/vda" ]
	[ -z "$(field handover_nonce "$RUN/staged")" ]
	rm -f "$CALLS"
	kt -s -l "$IMG" --append="root=/dev/vda" --tdx-disable
	[[ $(cmdline_of_load) =~ ^"root=/dev/vda "$TOKEN_RE$ ]] || fail "$(cmdline_of_load)"
	[[ $(cmdline_of_load) == *",pre=go,tdx=no,mod=-,mce=no,src=tree,f=-" ]]
	# a kdump kernel never brings TDX up: no token, and none carried on from this kernel
	host spr-pw-mce-7.2-disable
	printf 'BOOT_IMAGE=/vmlinuz root=/dev/vda kexec_tdx.expect=v1,old crashkernel=256M\n' \
		> "$H/proc/cmdline"
	printf '00100000-0fffffff : System RAM\n  08000000-0bffffff : Crash kernel\n' \
		> "$H/proc/iomem"
	rm -f "$CALLS"
	kt -s -p "$IMG" --reuse-cmdline --append=nohibernate
	assert_success
	[ "$(cmdline_of_load)" = "root=/dev/vda nohibernate" ] || fail "$(cmdline_of_load)"
}

@test "preflight = explicit: no gate and no token without --tdx-disable" {
	echo "preflight = explicit" >> "$H/etc/kexec-tdx.conf"
	kt -s -l "$IMG" --append="root=/dev/vda"
	assert_success
	[ "$(cmdline_of_load)" = "root=/dev/vda" ]
	rm -f "$CALLS"
	kt -s -l "$IMG" --append="root=/dev/vda nohibernate" --tdx-disable
	[[ $(cmdline_of_load) =~ $TOKEN_RE ]] || fail "$(cmdline_of_load)"
}

@test "--reuse-cmdline drops this kernel's token, --append's is dropped: one new token" {
	local c
	printf 'BOOT_IMAGE=/vmlinuz root=/dev/vda kexec_tdx.expect=v1,n=00000000000000aa,pre=go quiet\n' \
		> "$H/proc/cmdline"
	kt -d -s -l "$IMG" --reuse-cmdline --append="nohibernate kexec_tdx.expect=forged stage=2"
	assert_success
	assert_output --partial "holds a kexec-tdx handover token (kexec_tdx.expect=); dropped"
	c=$(cmdline_of_load)
	[[ $c =~ ^"root=/dev/vda quiet nohibernate stage=2 "$TOKEN_RE$ ]] || fail "$c"
	[ "$(grep -o 'kexec_tdx.expect=' <<<"$c" | wc -l)" = 1 ]
	[[ $c != *00000000000000aa* ]] && [[ $c != *forged* ]]
}

@test "the token counts toward the limit: refused before any call, sizes named" {
	local long
	# 1950 characters: with the token more than the 2017 kexec_file_load allows
	long="root=/dev/vda nohibernate $(printf 'x%.0s' $(seq 1924))"
	kt -s -l "$IMG" --append="$long"
	assert_failure 253
	assert_output --regexp "the command line is 20[0-9]{2} bytes with its NUL \([0-9]+ of them the kexec-tdx handover token kexec_tdx.expect=\); with kexec_file_load this kernel takes at most 2017 \(its cmdline_size 2047 minus 30 the kernel keeps for elfcorehdr=\): [0-9]+ too many"
	assert_output --partial "Cannot load $IMG"
	[ ! -s "$CALLS" ] || fail "a call was made: $(cat "$CALLS")"
	[ ! -e "$RUN/staged" ]
	# without the token (no TDX here) the same line fits
	host amd-epyc-no-tdx
	kt -s -l "$IMG" --append="$long"
	assert_success
	# -c does not keep the 30 bytes; -a falls back to it, outside lockdown
	host spr-pw-mce-7.2-disable
	kt -c -l "$IMG" --append="$long"
	assert_success
	rm -f "$CALLS"
	kt -d -l "$IMG" --append="$long"
	assert_success
	assert_output --partial "takes at most 2017"
	assert_output --partial "; using kexec_load"
	run grep -c "^kexec_load(" "$CALLS"
	assert_output 1
	run grep -c "^kexec_file_load(" "$CALLS"
	assert_output 0
	# ... but not under lockdown, where kexec_load is refused
	echo "none [integrity] confidentiality" > "$H/sys/kernel/security/lockdown"
	rm -f "$CALLS"
	kt -d -l "$IMG" --append="$long"
	assert_failure 253
	refute_output --partial "using kexec_load"
	[ ! -s "$CALLS" ]
	# and longer than cmdline_size itself: -c refuses too
	kt -c -l "$IMG" --append="$long$(printf 'y%.0s' $(seq 100))"
	assert_failure 255
	assert_output --regexp "this kernel takes at most 2047 \(its cmdline_size\): [0-9]+ too many"
}

@test "-a under lockdown: kexec_file_load refused (EPERM) is explained, no kexec_load" {
	echo "none [integrity] confidentiality" > "$H/sys/kernel/security/lockdown"
	KX_TEST_LOAD_ERRNO=EPERM kt -l "$IMG" --append="root=/dev/vda nohibernate"
	assert_failure 255
	assert_output --partial "kexec_file_load failed: Operation not permitted"
	if [ "$(id -u)" = 0 ]; then	# as another user the diagnosis is "not root"
		assert_output --partial "the kernel is locked down (integrity) and did not accept the image's signature"
		assert_output --partial "kexec_load (-c) is refused under lockdown too"
	fi
	run grep -c "^kexec_load(" "$CALLS"
	assert_output 0
	# EINVAL would send -a to kexec_load; under lockdown it stays with kexec_file_load
	rm -f "$CALLS"
	KX_TEST_LOAD_ERRNO=EINVAL kt -d -l "$IMG" --append="root=/dev/vda nohibernate"
	assert_failure 253
	assert_output --partial "locked down (integrity): no fallback to kexec_load"
	run grep -c "^kexec_load(" "$CALLS"
	assert_output 0
	echo "[none] integrity confidentiality" > "$H/sys/kernel/security/lockdown"
	rm -f "$CALLS"
	KX_TEST_LOAD_ERRNO=EINVAL kt -l "$IMG" --append="root=/dev/vda nohibernate"
	run grep -c "^kexec_load(" "$CALLS"
	assert_output 1
}

@test "-c under Secure Boot: kexec_load's EACCES (IMA before lockdown) is explained" {
	echo "none [integrity] confidentiality" > "$H/sys/kernel/security/lockdown"
	KX_TEST_LOAD_ERRNO=EACCES kt -c -l "$IMG" --append="root=/dev/vda nohibernate"
	assert_failure 255
	assert_output --partial "kexec_load failed: Permission denied"
	if [ "$(id -u)" = 0 ]; then	# as another user the diagnosis is "not root"
		assert_output --partial "locked down (integrity): kexec_load is refused (EACCES: under Secure Boot IMA refuses it first"
		assert_output --partial "use -s (kexec_file_load)"
	fi
}

@test "--show-staged names the nonce, in text and JSON" {
	kt -s -l "$IMG" --append="root=/dev/vda nohibernate"
	echo 1 > "$H/sys/kernel/kexec_loaded"
	n=$(field handover_nonce "$RUN/staged")
	kt --show-staged
	assert_line "  handover:      token kexec_tdx.expect= with nonce $n on the command line"
	kt --show-staged --json
	[ "$(echo "$output" | "$JQ" -r .record.handover_nonce)" = "$n" ]
}

# The kernel the kexec started: this host with the command line the load passed, in another boot.
next_boot() {
	cmdline_of_load > "$H/proc/cmdline"
	echo 11111111-0d6a-4f0e-9d3c-7a9e2f1b8c01 > "$H/proc/sys/kernel/random/boot_id"
	echo 0 > "$H/sys/kernel/kexec_loaded"
}

@test "the reboot check replaces the token, its decision keeps the nonce; the next boot matches it" {
	local old new
	kt -s -l "$IMG" --append="root=/dev/vda nohibernate"
	echo 1 > "$H/sys/kernel/kexec_loaded"
	old=$(field handover_nonce "$RUN/staged")
	rm -f "$CALLS"
	kt --tdx-restage --tdx-wait=0
	assert_success
	new=$(field handover_nonce "$RUN/staged")
	[ "$new" != "$old" ] || fail "the nonce did not change"
	assert_output --partial "; handover nonce $new"
	[ "$(field handover_nonce "$LIB/last-kexec")" = "$new" ]
	[ "$(grep -o 'kexec_tdx.expect=' "$CALLS" | wc -l)" = 1 ] || fail "$(cat "$CALLS")"
	[[ $(cmdline_of_load) == *",n=$new,"* ]]
	next_boot
	kt --tdx-verify
	assert_success
	assert_output --partial "info  token: The kernel that loaded this one left what it expected on this kernel's command line (kexec_tdx.expect=, load nonce $new)"
	assert_output --partial "planned-kexec-done: This boot is the kexec into $IMG"
	assert_output --partial "carries the nonce of the load the check made ($new)"
	assert_output --partial "tdx-up"
}

@test "--tdx-verify: a boot from another load, or through the firmware, is not the planned kexec" {
	kt -s -l "$IMG" --append="root=/dev/vda nohibernate"
	echo 1 > "$H/sys/kernel/kexec_loaded"
	kt --tdx-restage --tdx-wait=0
	assert_success
	cp -R "$LIB" "$BATS_TEST_TMPDIR/lib.saved"
	# someone loaded again after the check
	rm -f "$CALLS"
	kt -s -l "$IMG" --append="root=/dev/vda nohibernate"
	next_boot
	kt --tdx-verify
	assert_failure 5
	assert_output --partial "warn  planned-kexec-other"
	# through the firmware, into the same kernel: no token
	rm -rf "$LIB"
	cp -R "$BATS_TEST_TMPDIR/lib.saved" "$LIB"
	echo "BOOT_IMAGE=/vmlinuz root=/dev/vda" > "$H/proc/cmdline"
	kt --tdx-verify
	assert_failure 5
	assert_output --partial "planned-kexec-missing: The reboot check allowed a kexec into $IMG"
	assert_output --partial "has no handover token"
}

@test "--tdx-verify: TDX gone after a kexec_file_load is caught only by the token" {
	local new="$BATS_TEST_TMPDIR/new"
	kt -s -l "$IMG" --append="root=/dev/vda nohibernate"
	kx_copy_host spr-tdx-bios-hibernation "$new"
	# the same boot without the token: nothing to bring back, go
	run "$KEXEC" --tdx-verify --tdx-sysroot "$new"
	assert_success
	assert_output --partial "not-tdx-host"
	cmdline_of_load > "$new/proc/cmdline"
	run "$KEXEC" --tdx-verify --tdx-sysroot "$new"
	assert_failure 4
	assert_output --partial "no-go tdx-platform-lost: The kernel that loaded this one ran on a TDX host (its handover token says so)"
	assert_output --partial "gate-absent"
	run "$KEXEC" --tdx-verify --json --tdx-sysroot "$new"
	echo "$output" | "$JQ" -e -f "$TOP_SRCDIR/tests/bats/tdx-schema.jq" >/dev/null
	echo "$output" | "$JQ" -e '.facts["kernel.handover_token"].state == "known" and
		(.facts["kernel.handover_token"].value | startswith("v1,n="))' >/dev/null
}

@test "--tdx-verify: a malformed token is reported, never trusted to say go" {
	local new="$BATS_TEST_TMPDIR/new" t
	kx_copy_host spr-pw-mce-7.2-disable "$new"
	for t in "kexec_tdx.expect=v1,n=0123456789abcdef,pre=go" \
		"kexec_tdx.expect=v9,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=-" \
		"kexec_tdx.expect=v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=- kexec_tdx.expect=v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=-" \
		'"kexec_tdx.expect=v1,n=0123456789abcdef,pre=go,tdx=yes,mod=-,mce=no,src=host,f=-"'; do
		echo "root=/dev/vda $t" > "$new/proc/cmdline"
		run "$KEXEC" --tdx-verify --tdx-sysroot "$new"
		assert_failure 5
		assert_output --partial "warn  token-malformed: /proc/cmdline: "
		assert_output --partial "what it says is not used"
		refute_output --partial "info  token:"
		run "$KEXEC" --tdx-verify --json --tdx-sysroot "$new"
		echo "$output" | "$JQ" -e '.verdict == "warn" and
			.facts["kernel.handover_token"].errno == "EBADMSG"' >/dev/null ||
			fail "$t: $output"
	done
}

@test "--tdx-verify: a forced load and a changed module are warnings" {
	local new="$BATS_TEST_TMPDIR/new"
	kx_copy_host spr-pw-mce-7.2-disable "$new"
	echo "kexec_tdx.expect=v1,n=0123456789abcdef,pre=forced,tdx=yes,mod=1.5.06,mce=yes,src=host,f=tdx-lost-no-disable" \
		> "$new/proc/cmdline"
	run "$KEXEC" --tdx-verify --tdx-sysroot "$new"
	assert_failure 5
	assert_output --partial "warn  token-forced: The kernel that loaded this one went ahead although its TDX check said no-go (tdx-lost-no-disable)"
	assert_output --partial "warn  token-module-changed: The TDX module here is 1.5.16, but the kernel that loaded this one saw 1.5.06."
}
