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
