#!/usr/bin/env bash
# sgc respond over a real nats-server with mutual TLS and JetStream:
#  - alerts published on the subject are handled, the outcome is published
#    on the notifier subject (over TLS too), the audit log has a line each;
#  - 100 identical alerts (distinct ids) act once (dedup window);
#  - the responder is SIGKILLed while alerts keep coming and restarted:
#    every alert is handled exactly once (durable consumer + audit log).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/respond/lib.sh"
rp_require nats-server openssl python3
tmp=$(mktemp -d /tmp/sgc-i14-nats.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; kill "${rp_nats_pid:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
rp_certs "$tmp"
port=$(rp_free_port)
rp_nats_start "$tmp" "$port"
url="tls://127.0.0.1:$port"
nc() { python3 "$SGC_SRC/tests/respond/nats_client.py" "$@" --ca "$tmp/ca.pem" --cert "$tmp/client.pem" --key "$tmp/client.key"; }

cat > "$tmp/playbook.yaml" <<EOP
- action: Record
  actionner: exec:script
  parameters:
    command: 'touch "$tmp/acted/\$SGC_ALERT_ID"; echo "\$SGC_ALERT_ID" >> "$tmp/acted.log"'
    timeout: 5

- rule: Respond to the test rule
  match:
    rules: [I14 test rule]
    priority: ">=Warning"
  actions:
    - action: Record
  notifiers: [nats]
EOP
mkdir -p "$tmp/acted"
cat > "$tmp/respond.yaml" <<EOC
rules_files: [playbook.yaml]
audit_log: $tmp/audit.jsonl
dedup_window: 30
rate_limit: {actions_per_second: 10000, burst: 10000}
inputs:
  nats:
    servers: ["$url"]
    subjects: [sgc.i14.alerts]
    durable: sgc_i14_respond
    stream: SGC_I14
    tls: {ca: ca.pem, cert: client.pem, key: client.key, server_name: localhost}
notifiers:
  nats:
    servers: ["$url"]
    subject: sgc.i14.outcomes
    tls: {ca: ca.pem, cert: client.pem, key: client.key}
EOC
"$SGC" respond --check -c "$tmp/respond.yaml" -r /dev/null 2>/dev/null || true

start() { "$SGC" respond -c "$tmp/respond.yaml" 2>>"$tmp/respond.err" & rpid=$!; pids+=("$rpid");
          rp_wait 20 grep -q "subscribed to NATS" "$tmp/respond.err"; }
start

# 1. one alert: acted, audited, outcome published over TLS
nc sub "$url" sgc.i14.outcomes --count 1 --timeout 20 > "$tmp/outcomes.txt" 2>"$tmp/sub.err" & sub=$!
rp_wait 10 grep -q subscribed "$tmp/sub.err"
rp_alert "I14 test rule" first | nc pub "$url" sgc.i14.alerts 2>/dev/null
wait $sub || { echo "FAIL: no outcome published"; cat "$tmp/respond.err"; exit 1; }
python3 - "$tmp/outcomes.txt" <<'PY'
import json, sys
o = json.loads(open(sys.argv[1]).readline())
assert o["alert_id"] == "first" and o["result"] == "ok" and o["actionner"] == "exec:script", o
PY
test -e "$tmp/acted/first"
test "$(grep -c '"alert_id":"first"' "$tmp/audit.jsonl")" -eq 1
echo "ok: alert over NATS+mTLS acted on, audited, outcome published"

# 2. 100 identical alerts (same content, own ids) in a second: one action
for i in $(seq 100); do rp_alert "I14 test rule" "same-$i" '"proc.name":"twin"'; done |
    nc pub "$url" sgc.i14.alerts 2>/dev/null
rp_wait 20 grep -q "same-100" "$tmp/audit.jsonl.state"
n=$(ls "$tmp/acted" | grep -c '^same-' || true)
test "$n" -eq 1 || { echo "FAIL: 100 identical alerts acted $n times"; exit 1; }
echo "ok: 100 identical alerts acted once"

# 3. SIGKILL mid-stream, restart: each alert handled exactly once
( for i in $(seq 300); do rp_alert "I14 test rule" "seq-$i" "\"evt.num\":$i,\"proc.pid\":$i"; done |
    nc pub "$url" sgc.i14.alerts --rate 150 2>/dev/null ) & pub=$!
sleep 0.7
kill -9 "$rpid"; wait "$rpid" 2>/dev/null || true
sleep 0.5
start
wait $pub
# messages fetched but not acknowledged by the killed responder come back
# after the consumer's ack wait (10 s)
all_seq() { test "$(grep -o '"alert_id":"seq-[0-9]*"' "$tmp/audit.jsonl" | sort -u | wc -l)" -ge 300; }
rp_wait 60 all_seq || true
sleep 1
python3 - "$tmp/audit.jsonl" "$tmp/acted" <<'PY'
import collections, json, os, sys
c = collections.Counter(json.loads(l)["alert_id"] for l in open(sys.argv[1]))
seq = {k: v for k, v in c.items() if k.startswith("seq-")}
missing = [i for i in range(1, 301) if "seq-%d" % i not in seq]
dups = {k: v for k, v in seq.items() if v != 1}
acted = {f for f in os.listdir(sys.argv[2]) if f.startswith("seq-")}
assert not missing, "never handled: %s" % missing[:10]
assert not dups, "handled more than once: %s" % dups
assert len(acted) == 300, len(acted)
print("ok: 300 alerts across a SIGKILL and restart, each audited exactly once")
PY
grep -q "connect\|subscribed" "$tmp/respond.err"
