# Shared setup for the CLI tests.  Every test runs under tests/guard/kx-guard;
# refuse to run at all if the guard is not in force.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

: "${KEXEC:?KEXEC must point at the kexec binary under test}"
: "${TOP_BUILDDIR:?}"
: "${FIXTURES:?}"

kx_require_guard() {
	"$TOP_BUILDDIR/tests/guard/guard-probe" --check >/dev/null 2>&1 ||
		{ echo "# the kx-guard filter is not in force: refusing to run kexec" >&3; return 1; }
}

# jq validates the JSON reports: a required test tool, never a reason to skip.
kx_require_jq() {
	[ -n "${JQ:-}" ] || JQ=$(command -v jq) ||
		{ echo "# jq is required for the JSON tests (apt-get install jq)" >&3; return 1; }
}

# A writable copy of recorded host profile $1 at $2 (the source tree may be
# read-only, as under make distcheck).
kx_copy_host() {
	cp -R "$FIXTURES/hosts/$1" "$2"
	chmod -R u+w "$2"
}

# kx_plain_root DIR [PROFILE]: DIR becomes a writable recorded tree of a QEMU
# pc guest with 256 MiB, nothing loaded, and the cpuinfo of host PROFILE
# (default amd-epyc-no-tdx: a host without TDX, where we answer as
# kexec-tools does).
kx_plain_root() {
	cp -r "$FIXTURES/memmaps/qemu-pc-256m" "$1"
	chmod -R u+w "$1"
	mkdir -p "$1/proc" "$1/sys/kernel"
	echo 0 > "$1/sys/kernel/kexec_loaded"
	echo 0 > "$1/sys/kernel/kexec_crash_loaded"
	cp "$FIXTURES/hosts/${2:-amd-epyc-no-tdx}/proc/cpuinfo" "$1/proc/cpuinfo"
}

# The test-hooks build (tests/helpers/kexec-testhooks) with its records and
# calls kept in the test's directory: KX_TEST_CALLS hands every kernel call
# to the recorder (listed in $CALLS), KX_TEST_STATE moves /run/kexec-tdx and
# /var/lib/kexec-tdx to $RUN and $LIB.  Host facts come from $H (kx_state_host).
kx_testhooks() {
	KT="$TOP_BUILDDIR/tests/helpers/kexec-testhooks"
	export KX_TEST_STATE="$BATS_TEST_TMPDIR/state" KX_TEST_CALLS="$BATS_TEST_TMPDIR/calls"
	CALLS=$KX_TEST_CALLS RUN=$KX_TEST_STATE/run LIB=$KX_TEST_STATE/lib
	H="$BATS_TEST_TMPDIR/host"
}

# kx_state_host PROFILE: $H becomes a writable tree of recorded host PROFILE
# with a memory map, a boot id, this kernel's command line, no lockdown and
# nothing loaded.
kx_state_host() {
	rm -rf "$H"
	kx_copy_host "$1" "$H"
	cp -R "$FIXTURES/memmaps/qemu-pc-256m/." "$H/"
	mkdir -p "$H/sys/kernel/security" "$H/proc/sys/kernel/random"
	echo 0 > "$H/sys/kernel/kexec_loaded"
	echo 0 > "$H/sys/kernel/kexec_crash_loaded"
	echo 6b1c5a4e-0d6a-4f0e-9d3c-7a9e2f1b8c01 > "$H/proc/sys/kernel/random/boot_id"
	echo "BOOT_IMAGE=/vmlinuz root=/dev/vda ro" > "$H/proc/cmdline"
	echo "[none] integrity confidentiality" > "$H/sys/kernel/security/lockdown"
}

# kx_hooks_setup: the test-hooks build on the erratum host with the disable
# path (spr-pw-mce-7.2-disable); host PROFILE switches $H, kt runs it.
kx_hooks_setup() {
	kx_require_guard
	kx_require_jq
	kx_testhooks
	kx_state_host spr-pw-mce-7.2-disable
}
host() { kx_state_host "$1"; }
kt() { run "$KT" --sysroot "$H" "$@"; }

# kx_tdx_image: $IMG, a synthetic 7.2.1-tdx bzImage with a gzip payload, and
# its config beside it (TDX host support, no hibernation): a kernel the
# preflight finds ready for TDX.
kx_tdx_image() {
	export IMG="$BATS_FILE_TMPDIR/vmlinuz-7.2.1-tdx"
	"$TOP_BUILDDIR/tests/helpers/mkbzimage" "$IMG" \
		--version="7.2.1-tdx (builder@host) #1 SMP PREEMPT_DYNAMIC" --vmlinux=gzip
	printf 'CONFIG_INTEL_TDX_HOST=y\n# CONFIG_HIBERNATION is not set\n' \
		> "$BATS_FILE_TMPDIR/config-7.2.1-tdx"
}
