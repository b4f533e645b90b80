#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# dist/tdx-report.schema.json, the JSON Schema the package installs, against
# the reports kexec prints (every recorded host profile, each action) and
# against broken reports tdx-schema.jq rejects too.  Needs python3-jsonschema
# (4.x, draft 2020-12); skips without it.

load helper

setup_file() {
	local mk="$TOP_BUILDDIR/tests/helpers/mkbzimage"
	export IMG="$BATS_FILE_TMPDIR/vmlinuz-7.2.1-tdx"
	"$mk" "$IMG" --version="7.2.1-tdx (builder@host) #1 SMP PREEMPT_DYNAMIC" --vmlinux=gzip
	printf 'CONFIG_INTEL_TDX_HOST=y\nCONFIG_HIBERNATION=y\n' > "$BATS_FILE_TMPDIR/config-7.2.1-tdx"
}

setup() {
	kx_require_guard
	kx_require_jq
	python3 -c 'import jsonschema; jsonschema.Draft202012Validator' 2>/dev/null ||
		skip "python3-jsonschema 4.x is not installed (apt-get install python3-jsonschema)"
	HOSTS="$FIXTURES/hosts"
	SCHEMA="$TOP_SRCDIR/dist/tdx-report.schema.json"
	JQCHECK="$TOP_SRCDIR/tests/bats/tdx-schema.jq"
}

# validate FILE...: every file conforms to the schema (and the schema is one).
validate() {
	python3 - "$SCHEMA" "$@" <<-'EOF'
	import json, sys
	from jsonschema import Draft202012Validator as V
	schema = json.load(open(sys.argv[1]))
	V.check_schema(schema)
	bad = 0
	for f in sys.argv[2:]:
	    for e in V(schema).iter_errors(json.load(open(f))):
	        print(f"{f}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
	        bad += 1
	sys.exit(1 if bad else 0)
	EOF
}

@test "schema: every profile's report, for each action, conforms" {
	local p n=0 d="$BATS_TEST_TMPDIR"
	for p in "$HOSTS"/*/; do
		p=$(basename "$p")
		"$KEXEC" --tdx-status --json --sysroot "$HOSTS/$p" > "$d/$p-status.json" || true
		"$KEXEC" --tdx-status --json -l "$IMG" --append="root=/dev/vda" \
			--sysroot "$HOSTS/$p" > "$d/$p-image.json" || true
		"$KEXEC" --tdx-status --json -p "$IMG" --sysroot "$HOSTS/$p" > "$d/$p-crash.json" || true
		"$KEXEC" --tdx-verify --json --tdx-sysroot "$HOSTS/$p" > "$d/$p-verify.json" || true
		n=$((n + 4))
	done
	[ "$n" -ge 40 ]
	run validate "$d"/*.json
	assert_success
	for p in "$d"/*.json; do
		"$JQ" -e -f "$JQCHECK" "$p" >/dev/null || fail "$p: tdx-schema.jq disagrees"
	done
}

@test "schema: broken reports are rejected, as tdx-schema.jq rejects them" {
	local good="$BATS_TEST_TMPDIR/good.json" m i=0
	"$KEXEC" --tdx-status --json --sysroot "$HOSTS/emr-live-tds" > "$good" || true
	validate "$good"
	for m in \
		'.verdict = "go"' \
		'.findings += [{"code": "x", "severity": "info", "message": "m", "remedy": "r", "more": 1}]' \
		'.findings[0].code = "Not_A_Code"' \
		'del(.facts["cpu.model"])' \
		'.facts["cpu.vendor"].state = "absent"' \
		'.facts["cpu.family"].value = "6"' \
		'.facts["cpu.vendor"] += {"errno": "EACCES", "error": "x"}' \
		'.facts["kernel.log"] = {"state": "known", "source": "/dev/kmsg", "value": ["nope"], "complete": true, "records": 1}' \
		'.facts["tdx_host.version"].value = "1.5.6"' \
		'.schema_version = 2'; do
		i=$((i + 1))
		"$JQ" "$m" "$good" > "$BATS_TEST_TMPDIR/bad$i.json"
		run validate "$BATS_TEST_TMPDIR/bad$i.json"
		[ "$status" -eq 1 ] || fail "the schema accepts: $m"
		run "$JQ" -e -f "$JQCHECK" "$BATS_TEST_TMPDIR/bad$i.json"
		[ "$status" -ne 0 ] || fail "tdx-schema.jq accepts: $m"
	done
}
