#!/usr/bin/env bash
# sgc respond's HTTP input and host actionners, against real processes and
# files: process:kill (SIGKILL, identity checks, pid 1 refused),
# file:quarantine (sha256 name, alert beside, source removed), exec:script
# (fields in env, alert on stdin, timeout), dry run changes nothing, HTTP
# answers 400 / 413 / 405 for bad requests.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/respond/lib.sh"
rp_require python3 curl openssl
tmp=$(mktemp -d /tmp/sgc-i14-http.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

rp_certs "$tmp"
hport=$(rp_free_port)
python3 "$SGC_SRC/tests/respond/https_sink.py" "$hport" "$tmp/server.pem" "$tmp/server.key" "$tmp/hook.log" \
    > "$tmp/sink.out" 2>&1 & pids+=($!)
rp_wait 10 grep -q ready "$tmp/sink.out"
cat > "$tmp/playbook.yaml" <<EOP
- action: Kill
  actionner: process:kill
- action: Quarantine
  actionner: file:quarantine
  parameters: {dir: $tmp/quarantine}
- action: Script
  actionner: exec:script
  parameters:
    command: 'printf "%s|%s|%s\n" "\$FALCO_RULE" "\$PROC_NAME" "\$(cat)" > $tmp/script.out'
- action: Slow
  actionner: exec:script
  parameters: {command: 'sleep 30', timeout: 1}

- action: Hook
  actionner: notify:webhook
  parameters: {url: "https://localhost:$hport/hook", ca: $tmp/ca.pem, headers: {X-Test: i14}}

- rule: hook
  match: {rules: [I14 hook]}
  actions: [{action: Noop, actionner: exec:script, parameters: {command: 'true'}}, {action: Hook}]
  notifiers: [webhook]
- rule: kill
  match: {rules: [I14 kill]}
  actions: [{action: Kill}]
- rule: quarantine
  match: {rules: [I14 quarantine], output_fields: ["container.id=host"]}
  actions: [{action: Quarantine}]
- rule: script
  match: {rules: [I14 script], tags: ["test"]}
  actions: [{action: Script}, {action: Slow}]
EOP
port=$(rp_free_port)
mk_cfg() {
    cat > "$tmp/$1.yaml" <<EOC
rules_files: [playbook.yaml]
audit_log: $tmp/$1.jsonl
dedup_window: 0
dry_run: $2
http: {listen_address: 127.0.0.1, listen_port: $3}
notifiers:
  webhook: {url: "https://localhost:$hport/notifier", ca: ca.pem}
EOC
}
mk_cfg live false "$port"
"$SGC" respond -c "$tmp/live.yaml" 2>"$tmp/live.err" & pids+=($!)
rp_wait 20 curl -fs "http://127.0.0.1:$port/healthz" >/dev/null
post() { curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @- "http://127.0.0.1:$port/"; }

# bad requests
test "$(echo 'not json' | post)" = 400
test "$(echo '{"priority":"Warning"}' | post)" = 400
test "$(head -c 1100000 /dev/zero | tr '\0' a | post)" = 413
test "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "http://127.0.0.1:$port/")" = 405
echo "ok: malformed, missing rule, huge body, wrong method refused"

# process:kill: the right process dies by SIGKILL
sleep 300 & victim=$!; pids+=($victim)
exe=$(readlink /proc/$victim/exe)
test "$(rp_alert "I14 kill" k1 "\"proc.pid\":$victim,\"proc.exepath\":\"/usr/bin/not-sleep\"" | post)" = 200
sleep 0.3; kill -0 $victim   # identity mismatch: refused, alive
grep -q '"alert_id":"k1".*"result":"refused"' "$tmp/live.jsonl"
test "$(rp_alert "I14 kill" k2 "\"proc.pid\":1,\"proc.exepath\":\"/sbin/init\"" | post)" = 200
grep -q '"alert_id":"k2".*"result":"refused".*pid 1' "$tmp/live.jsonl"
test "$(rp_alert "I14 kill" k3 "\"proc.pid\":$victim,\"proc.exepath\":\"$exe\"" | post)" = 200
set +e; wait $victim; st=$?; set -e
test "$st" -eq 137 || { echo "FAIL: victim exit $st, want 137 (SIGKILL)"; exit 1; }
grep -q '"alert_id":"k3".*"result":"ok".*sent SIGKILL' "$tmp/live.jsonl"
echo "ok: process:kill refuses a changed identity and pid 1, SIGKILLs the right process"

# file:quarantine
printf 'evil payload %s\n' "$RANDOM" > "$tmp/evil.bin"
sum=$(sha256sum "$tmp/evil.bin" | cut -d' ' -f1)
test "$(rp_alert "I14 quarantine" q1 "\"fd.name\":\"$tmp/evil.bin\",\"container.id\":\"host\"" | post)" = 200
test ! -e "$tmp/evil.bin"
test -f "$tmp/quarantine/$sum" && test -f "$tmp/quarantine/$sum.json"
test "$(stat -c %a "$tmp/quarantine")" = 700
test "$(sha256sum "$tmp/quarantine/$sum" | cut -d' ' -f1)" = "$sum"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["alert"]["rule"]=="I14 quarantine" and r["sha256"]==sys.argv[2]' \
    "$tmp/quarantine/$sum.json" "$sum"
echo "ok: file:quarantine moved the file under its sha256 with the alert beside it"

# exec:script: env + stdin, then the slow one times out
test "$(rp_alert "I14 script" s1 '"proc.name":"bash"' | post)" = 200
grep -q '^I14 script|bash|{.*"rule": *"I14 script"' "$tmp/script.out"
grep -q '"alert_id":"s1".*"action":"Slow".*"result":"error".*timed out' "$tmp/live.jsonl"
echo "ok: exec:script gets the alert on stdin and its fields in env; timeout kills"

# notify:webhook (HTTPS, verified against the test CA) and the rule's webhook notifier
test "$(rp_alert "I14 hook" h1 | post)" = 200
rp_wait 10 grep -q '^/hook' "$tmp/hook.log"
python3 - "$tmp/hook.log" <<'PY'
import json, sys
rows = [l.rstrip("\n").split("\t", 2) for l in open(sys.argv[1])]
hook = [json.loads(b) for p, h, b in rows if p == "/hook"]
note = [json.loads(b) for p, h, b in rows if p == "/notifier"]
assert len(hook) == 1 and hook[0]["alert_id"] == "h1", hook
assert [h for p, h, b in rows if p == "/hook"][0] == "i14"
assert hook[0]["outcomes"][0]["actionner"] == "exec:script" and hook[0]["outcomes"][0]["result"] == "ok"
assert any(n["alert_id"] == "h1" and n["action"] == "Noop" for n in note), note
print("ok: notify:webhook and the webhook notifier posted the outcome over HTTPS")
PY
grep -q '"alert_id":"h1".*"action":"Hook".*"result":"ok"' "$tmp/live.jsonl"

# dry run: nothing changes, the audit log says what would have been done
dport=$(rp_free_port)
mk_cfg dry true "$dport"
"$SGC" respond -c "$tmp/dry.yaml" 2>"$tmp/dry.err" & pids+=($!)
rp_wait 20 curl -fs "http://127.0.0.1:$dport/healthz" >/dev/null
sleep 300 & victim=$!; pids+=($victim)
echo keep > "$tmp/keep.bin"
rp_alert "I14 kill" d1 "\"proc.pid\":$victim,\"proc.exepath\":\"$(readlink /proc/$victim/exe)\"" |
    curl -fs -o /dev/null --data-binary @- "http://127.0.0.1:$dport/"
rp_alert "I14 quarantine" d2 "\"fd.name\":\"$tmp/keep.bin\",\"container.id\":\"host\"" |
    curl -fs -o /dev/null --data-binary @- "http://127.0.0.1:$dport/"
sleep 0.3
kill -0 $victim && test -f "$tmp/keep.bin"
grep -q '"alert_id":"d1".*"result":"dry_run".*would send SIGKILL' "$tmp/dry.jsonl"
grep -q '"alert_id":"d2".*"result":"dry_run".*would move' "$tmp/dry.jsonl"
grep -q '"dry_run":true' "$tmp/dry.jsonl"
echo "ok: dry run changed nothing and logged what it would have done"
