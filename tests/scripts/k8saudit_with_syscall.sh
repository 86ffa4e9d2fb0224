#!/usr/bin/env bash
# Both sources in one `sgc run`: syscall detection (BPF) keeps running while
# the k8s_audit webhook takes events; alerts of both land in the same output,
# each with its source. Needs root and BPF (fails on CI without them).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_CORPUS:?}"
tmp=$(mktemp -d /tmp/sgc-i13-both.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/k8saudit.sh"
marker="/tmp/sgc-i13-marker-$$"
trap 'live_cleanup; rm -rf "$tmp" "$marker"' EXIT
live_require_bpf
command -v curl > /dev/null || fail "curl missing"
cat > "$tmp/syscall.yaml" <<YAML
- rule: i13 marker written
  desc: a file below /tmp named like the marker is opened for writing
  condition: evt.type in (open, openat, openat2) and evt.is_open_write = true and fd.name startswith /tmp/sgc-i13-marker
  output: "marker written (file=%fd.name proc=%proc.name)"
  priority: WARNING
YAML
port=$(ka_free_port)
ka_start run run --json -o "$tmp/alerts.json" --k8s-audit \
    --k8s-audit-listen-address 127.0.0.1 --k8s-audit-listen-port "$port" \
    "$tmp/syscall.yaml" "$SGC_CORPUS/../k8saudit/k8s_audit_rules.yaml"
grep -q 'attached [0-9]* programs' "$tmp/run.err" || fail "syscall capture not attached"

echo x > "$marker"
wait_alert "$tmp/alerts.json" "i13 marker written" "fd.name=$marker"
ka_event both1 ResponseComplete get secrets both-sources > "$tmp/ev.json"
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data-binary @"$tmp/ev.json" "http://127.0.0.1:$port/k8s-audit")
[ "$code" = 200 ] || fail "webhook answered $code"
wait_alert "$tmp/alerts.json" "K8s Secret Get Successfully" ka.target.name=both-sources
echo y > "$marker.2"
wait_alert "$tmp/alerts.json" "i13 marker written" "fd.name=$marker.2"
rm -f "$marker.2"
python3 - "$tmp/alerts.json" <<'PY' || fail "sources of the alerts"
import json, sys
src = {}
for l in open(sys.argv[1]):
    a = json.loads(l)
    src.setdefault(a["rule"], set()).add(a["source"])
assert src.get("i13 marker written") == {"syscall"}, src
assert src.get("K8s Secret Get Successfully") == {"k8s_audit"}, src
PY
live_stop "$ka_pid"
grep -qE 'rules: [0-9]+ events evaluated, [1-9][0-9]* alerts' "$tmp/run.err" || fail "no syscall summary"
grep -q 'k8s_audit: 1 events evaluated, 1 alerts' "$tmp/run.err" || { cat "$tmp/run.err" >&2; fail "no k8s_audit summary"; }
echo ok
