#!/usr/bin/env bats
# bench/native, briefly: --help at once, bad values named, and one paired run
# (--runs 1) that prints the ratios and the floor and writes the results
# files.  The loaders run only under kx-guard (bench/native checks it too).
# The run needs the Debian kernel and kexec-tools .debs in the e2e cache: it
# is skipped under configure --disable-e2e and when they cannot be fetched.

load helper

setup() {
	kx_require_guard
	NATIVE="$TOP_SRCDIR/bench/native"
}

@test "bench/native and bench/bench --native answer --help at once" {
	run -0 timeout 5 "$NATIVE" --help
	assert_output --partial "--runs N"
	assert_output --partial "floor"
	run -0 timeout 5 "$TOP_SRCDIR/bench/bench" --native --help
	assert_output --partial "bench/native [options]"
}

@test "bench/native names a bad value and what it expected" {
	run -2 "$NATIVE" --runs x
	assert_output --partial "--runs 'x': expected a whole number"
	run -2 "$NATIVE" --sys "c x"
	assert_output --partial "'x' is not c or s"
	run -2 "$NATIVE" --threads
	assert_output --partial "--threads needs a value"
	run -2 "$NATIVE" --frobnicate
	assert_output --partial "unknown option '--frobnicate'"
}

@test "bench/native --runs 1: ratios ours/theirs, the floor, results files" {
	[ "${KX_E2E_ENABLED:-}" = 1 ] ||
		skip "configure --disable-e2e: no Debian kernel or kexec-tools downloads"
	run "$NATIVE" --runs 1 --out "$BATS_TEST_TMPDIR/native.txt"
	if [ "$status" = 77 ]; then
		skip "no Debian kernel or kexec-tools .deb: $(grep -m1 'error:' <<<"$output" ||
			grep -m1 'cannot fetch' <<<"$output")"
	fi
	assert_success
	refute_output --partial FAILED
	assert_output --regexp "wall time +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+"
	assert_output --regexp "peak RSS +[0-9.]+ MiB +[0-9.]+ MiB +[0-9.]+"
	assert_output --regexp "ours / floor, wall time: +[0-9.]+ x"
	assert_output --partial "stopped at the refused call"
	[ -s "$BATS_TEST_TMPDIR/native.txt" ]
	run -0 grep -c '^k[xt]	[cs]	1	159	' "$BATS_TEST_TMPDIR/native.tsv"
	assert_output 4
}
