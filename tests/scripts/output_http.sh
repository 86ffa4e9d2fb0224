#!/bin/bash
# HTTP(S) output against a real TLS server (Python's http.server + ssl,
# tests/support/https_collector.py) started here, with mutual TLS:
#   - JSON alerts POSTed with Content-Type application/json, one per alert;
#   - text alerts (json_output false) as text/plain, gzip with compress_uploads;
#   - an endpoint answering 500 and one that never answers: detection and
#     the file output go on at once, the failures are retried, counted and
#     reported by the internal "output loss" alert.
# Needs root, BPF, python3, openssl.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i12-http.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/services.sh"
trap 'live_cleanup; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
export SGC_NO_DEFAULT_CONFIG=1
live_require_bpf
svc_require python3 openssl
svc_certs "$tmp/certs"
port=$(svc_free_port)
python3 "$SGC_SRC/tests/support/https_collector.py" "$port" "$tmp/certs/server.pem" \
    "$tmp/certs/server.key" "$tmp/http.log" "$tmp/certs/ca.pem" 2> "$tmp/collector.err" &
live_pids+=($!)
svc_wait_port "$port"
trig="$tmp/trig"
svc_alert_rules "$tmp/rules.yaml" "$trig"

config() { # NAME PATH JSON GZIP [EXTRA...]
    local name=$1 path=$2 json=$3 gz=$4
    shift 4
    cat > "$tmp/$name.yaml" << YAML
rules_files: [$tmp/rules.yaml]
json_output: $json
stdout_output: {enabled: false}
syslog_output: {enabled: false}
file_output: {enabled: true, keep_alive: true, filename: $tmp/$name.alerts}
http_output:
  enabled: true
  url: https://127.0.0.1:$port$path
  ca_cert: $tmp/certs/ca.pem
  mtls: true
  client_cert: $tmp/certs/client.pem
  client_key: $tmp/certs/client.key
  compress_uploads: $gz
  user_agent: sgc-i12-test
YAML
    for kv in "$@"; do echo "$kv" >> "$tmp/$name.yaml"; done
}

count() { if [ -f "$1" ]; then grep -c "$2" "$1" || true; else echo 0; fi; }

wait_count() { # FILE PATTERN N SECONDS
    local i
    for i in $(seq $(($4 * 10))); do
        [ "$(count "$1" "$2")" -ge "$3" ] && return 0
        sleep 0.1
    done
    fail "$1: $(count "$1" "$2") of $3 lines matching '$2' after $4 s"
}

# 1. JSON alerts over mutual TLS
config json /alerts true false
live_start json run -c "$tmp/json.yaml"
pid=$live_pid
for i in 1 2 3; do cat "$trig-j$i" 2> /dev/null || true; done
wait_count "$tmp/http.log" '"path": "/alerts"' 3 20
live_stop "$pid"
python3 - "$tmp/http.log" "$trig-j" << 'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 3, rows
for i, r in enumerate(sorted(rows, key=lambda r: r["body"])):
    assert r["method"] == "POST", r
    assert r["content_type"] == "application/json", r
    assert r["user_agent"] == "sgc-i12-test", r
    a = json.loads(r["body"])
    assert a["rule"] == "I12 trigger" and a["priority"] == "Warning", a
    assert a["output_fields"]["fd.name"] == sys.argv[2] + str(i + 1), a
PY
grep -q 'http sent 3 failed 0' "$tmp/json.err" || fail "stats: $(grep outputs: "$tmp/json.err")"
echo "ok: JSON over mutual TLS"

# 2. text alerts, gzip
: > "$tmp/http.log"
config text /alerts false true
live_start text run -c "$tmp/text.yaml"
pid=$live_pid
cat "$trig-t1" 2> /dev/null || true
wait_count "$tmp/http.log" '"content_encoding": "gzip"' 1 20
live_stop "$pid"
python3 - "$tmp/http.log" "$trig-t1" << 'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["content_type"] == "text/plain", r
assert ": Warning trigger (file=" + sys.argv[2] + " proc=cat)" in r["body"], r
assert not r["body"].startswith("{"), r
PY
echo "ok: text/plain, gzip"

# 3. HTTP 500: retried, counted, reported; the file output is not delayed
config fail /fail true false
live_start fail run -c "$tmp/fail.yaml"
pid=$live_pid
for i in 1 2 3; do cat "$trig-f$i" 2> /dev/null || true; done
wait_count "$tmp/fail.alerts" 'I12 trigger' 3 5
wait_count "$tmp/fail.alerts" 'sgc internal: output loss' 1 30
rc=0
kill -INT "$pid"; wait "$pid" || rc=$?
[ "$rc" = 1 ] || fail "exit $rc with lost alerts"
grep -q 'output loss.*output http lost' "$tmp/fail.alerts" || fail "loss alert content"
grep -Eq 'http sent 0 failed [3-9] retried [0-9]+ dropped 0' "$tmp/fail.err" ||
    fail "stats: $(grep outputs: "$tmp/fail.err")"
grep -q 'HTTP status 500' "$tmp/fail.err" || fail "the 500 is not reported"
echo "ok: 500 counted and reported, file output on time"

# 4. a server that never answers: one timeout per alert, nothing else waits
config hang /hang true false "output_timeout: 500" 
live_start hang run -c "$tmp/hang.yaml" -o http_output.max_consecutive_timeouts=1
pid=$live_pid
start=$(date +%s%N)
for i in 1 2 3 4 5; do cat "$trig-h$i" 2> /dev/null || true; done
wait_count "$tmp/hang.alerts" 'I12 trigger' 5 3
echo "file output: 5 alerts after $((($(date +%s%N) - start) / 1000000)) ms"
sleep 2
rc=0
kill -INT "$pid"; wait "$pid" || rc=$?
grep -Eq 'http sent 0 failed [1-9][0-9]* retried [0-9]+ dropped [0-9]+' "$tmp/hang.err" ||
    fail "stats: $(grep outputs: "$tmp/hang.err")"
failed=$(sed -n 's/.*http sent 0 failed \([0-9]*\) retried [0-9]* dropped \([0-9]*\).*/\1+\2/p' "$tmp/hang.err")
[ $((failed)) -ge 5 ] || fail "only $((failed)) of 5 alerts counted lost"
grep -q 'timed out\|Timeout' "$tmp/hang.err" || fail "the timeout is not reported"
echo "ok: never-answering server counted, nothing delayed"
