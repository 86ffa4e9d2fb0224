#!/bin/bash
# append_output (Falco 0.44) end to end: for the rules an entry matches
# (source, every tag, rule name), extra_output is appended to the output
# (its fields join output_fields) and extra_fields are added to
# output_fields (name: format as a string, a bare field name with its typed
# value); entries that do not match change nothing. A template naming an
# unknown field stops sgc run before anything is attached. Needs root, BPF.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i12-append.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
trap 'live_cleanup; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
export SGC_NO_DEFAULT_CONFIG=1
live_require_bpf
cat > "$tmp/rules.yaml" << YAML
- rule: I12 append trigger
  desc: test rule
  condition: evt.type in (open, openat, openat2) and fd.name startswith $tmp/trig
  output: trigger (file=%fd.name)
  priority: WARNING
  tags: [filesystem, mitre_discovery]
YAML
cat > "$tmp/sgc.yaml" << YAML
rules_files: [$tmp/rules.yaml]
json_output: true
stdout_output: {enabled: false}
file_output: {enabled: true, keep_alive: true, filename: $tmp/alerts.json}
append_output:
  - match: {source: syscall, tags: [filesystem]}
    extra_output: "exe=%proc.exe"
  - match: {rule: I12 append trigger}
    extra_fields:
      - proc.pid
      - who: "user %user.name"
  - match: {tags: [filesystem, no_such_tag]}
    extra_output: "NOT-APPENDED-TAGS"
  - match: {source: k8s_audit}
    extra_output: "NOT-APPENDED-SOURCE"
  - match: {rule: another rule}
    extra_fields: [{never: x}]
YAML
live_start run run -c "$tmp/sgc.yaml"
pid=$live_pid
cat "$tmp/trig-1" 2> /dev/null || true
wait_alert "$tmp/alerts.json" "I12 append trigger" "fd.name=$tmp/trig-1"
live_stop "$pid"
python3 - "$tmp/alerts.json" "$tmp/trig-1" << 'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1]) if '"I12 append trigger"' in l][0]
out, f = a["output"], a["output_fields"]
assert out.endswith("Warning trigger (file=%s) exe=/usr/bin/cat" % sys.argv[2]) or \
    out.endswith("Warning trigger (file=%s) exe=cat" % sys.argv[2]), out
assert "NOT-APPENDED" not in out, out
assert f["proc.exe"] in ("cat", "/usr/bin/cat"), f
assert isinstance(f["proc.pid"], int) and f["proc.pid"] > 0, f
assert f["who"] == "user root", f
assert "never" not in f, f
PY

# a template that does not compile: nothing starts
cat > "$tmp/bad.yaml" << YAML
rules_files: [$tmp/rules.yaml]
append_output:
  - extra_output: "x=%no.such_field"
YAML
rc=0
"$SGC" run -c "$tmp/bad.yaml" --duration 1 2> "$tmp/bad.err" || rc=$?
[ "$rc" = 1 ] || fail "a bad append_output template: status $rc"
grep -q 'append_output\[0\].extra_output: ' "$tmp/bad.err" || fail "$(cat "$tmp/bad.err")"
! grep -q 'attached [0-9]* programs' "$tmp/bad.err" || fail "attached despite the bad template"
echo "ok: append_output extra_output and extra_fields by source, tags and rule"
