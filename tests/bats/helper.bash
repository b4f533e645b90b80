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
