# SPDX-License-Identifier: GPL-2.0-or-later
# The JSON report of kexec --tdx-status --json, schema_version 1, as kexec(8)
# documents it under TDX HANDOVER.  `jq -e -f tdx-schema.jq` exits 0 only
# when the report conforms; otherwise it prints what is wrong.

def fact_types: {
  "cpu.vendor": "string", "cpu.family": "number", "cpu.model": "number",
  "cpu.flags.tdx_host_platform": "boolean", "cpu.bugs.tdx_pw_mce": "boolean",
  "cpu.bugs.seamret_invd_vmcs": "boolean", "msr.keyid_partitioning": "string",
  "kernel.release": "string", "kernel.tdx_sys_disable": "boolean",
  "kernel.kexec_cache_flush": "boolean", "kernel.log": "array",
  "tdx_host.version": "string", "tdx_host.seamldr_version": "string",
  "tdx_host.num_remaining_updates": "number", "fw_upload.status": "string",
  "fw_upload.error": "string", "kvm_intel.tdx": "boolean", "cgroup.tdx_capacity": "number",
  "cgroup.tdx_current": "number", "policy.file": "boolean",
  "policy.min_module_version": "string", "image.version": "string", "image.config": "string",
  "image.config.intel_tdx_host": "boolean", "image.config.hibernation": "boolean",
  "image.cmdline": "string"
};

def check(cond; msg): if cond then empty else msg end;

def fact_errors($key):
  . as $f
  | check(($f | type) == "object"; "\($key): not an object"),
    check(($f.state | IN("known", "absent", "unreadable", "not-read")); "\($key): bad state"),
    check(($f.source | type) == "string" and ($f.source | length) > 0; "\($key): no source"),
    (if $f.state == "known" then
       check(($f.value | type) == fact_types[$key]; "\($key): value is not a \(fact_types[$key])")
     else check(($f | has("value")) | not; "\($key): value without state known") end),
    (if $f.state == "unreadable" then
       check(($f.errno | type) == "string" and ($f.errno | test("^E[A-Z0-9]+$")); "\($key): bad errno"),
       check(($f.error | type) == "string" and ($f.error | length) > 0; "\($key): no error text")
     else check(($f | has("errno") or has("error")) | not; "\($key): errno without unreadable") end),
    (if $key == "msr.keyid_partitioning" and $f.state == "known" then
       check($f.value | test("^0x[0-9a-f]{16}$"); "\($key): expected 0x + 16 hex digits") else empty end),
    (if ($key | IN("tdx_host.version", "tdx_host.seamldr_version", "policy.min_module_version"))
        and $f.state == "known" then
       check($f.value | test("^[0-9]+\\.[0-9]+\\.[0-9]{2,}$"); "\($key): not a version") else empty end),
    (if $key == "kernel.log" and $f.state == "known" then
       check(($f.complete | type) == "boolean" and ($f.records | type) == "number"; "\($key): complete/records"),
       check(all($f.value[]; IN("module-initialized", "module-init-failed", "module-not-loaded",
              "init-failed-hibernation", "init-failed-keyids", "kexec-refused-pw-mce",
              "update-failed", "bios-enabled")); "\($key): unknown line name") else empty end),
    (if ($key | IN("kernel.tdx_sys_disable", "kernel.kexec_cache_flush")) and $f.state == "known" then
       check($f.via | IN("btf", "kallsyms"); "\($key): via") else empty end);

def finding_errors:
  check((keys) == ["code", "message", "remedy", "severity"]; "finding keys: \(keys)"),
  check(.code | test("^[a-z][a-z0-9-]*$"); "finding code \(.code)"),
  check(.severity | IN("info", "warn", "no-go"); "finding severity \(.severity)"),
  check((.message | type) == "string" and (.message | length) > 0; "finding \(.code): message"),
  check((.remedy | type) == "string" and (.remedy | length) > 0; "finding \(.code): remedy");

def worst:
  if any(.findings[]; .severity == "no-go") then "no-go"
  elif any(.findings[]; .severity == "warn") then "warn" else "go" end;

def errors:
  check(type == "object"; "not an object"),
  check(.schema == "kexec-tdx-report"; "schema"),
  check(.schema_version == 1; "schema_version"),
  check(.verdict | IN("go", "warn", "no-go"); "verdict"),
  check(.action | IN("status", "crash-status", "load", "crash-load", "exec", "verify"); "action"),
  check((.facts_from | type) == "string" and (.recorded | type) == "boolean"; "facts_from/recorded"),
  check((.findings | type) == "array"; "findings"),
  (.findings[] | finding_errors),
  check(.verdict == worst; "verdict \(.verdict) is not the worst severity \(worst)"),
  check((.facts | type) == "object"; "facts"),
  check((.facts | keys) == (fact_types | keys); "fact keys differ: \(.facts | keys)"),
  (.facts | to_entries[] | .key as $k | .value | fact_errors($k));

[errors] as $e | if ($e | length) == 0 then true else ($e | join("\n") | halt_error(1)) end
