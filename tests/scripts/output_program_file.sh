#!/bin/bash
# The mission's pipeline end to end, and file rotation:
#   - program_output with keep_alive writes into a named pipe; a forwarder
#     (nats_tool pub) reads it and publishes to a real nats-server over
#     mutual TLS; a subscriber gets every alert;
#   - file_output keep_alive false while the file is renamed away again and
#     again during a burst: every alert is in one of the files;
#   - file_output keep_alive true: after a rename, SIGUSR1 makes sgc reopen
#     the file; the alerts before are in the old file, those after in the
#     new one.
# Needs root, BPF, nats-server, openssl.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_BUILD:?}"
tmp=$(mktemp -d /tmp/sgc-i12-prog.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/services.sh"
trap 'live_cleanup; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
export SGC_NO_DEFAULT_CONFIG=1
live_require_bpf
svc_require nats-server openssl
tool="$SGC_BUILD/tests/nats_tool"
[ -x "$tool" ] || fail "$tool not built"
trig="$tmp/trig"
svc_alert_rules "$tmp/rules.yaml" "$trig"

# 1. program -> named pipe -> forwarder -> NATS (mTLS) -> subscriber
svc_certs "$tmp/certs"
port=$(svc_free_port)
svc_nats "$tmp" "$port" mtls
url="tls://127.0.0.1:$port"
tls=(--ca "$tmp/certs/ca.pem" --cert "$tmp/certs/client.pem" --key "$tmp/certs/client.key")
mkfifo "$tmp/alerts.pipe"
"$tool" pub "$url" sgc.forwarded "${tls[@]}" < "$tmp/alerts.pipe" 2> "$tmp/fwd.err" &
fwd=$!
live_pids+=("$fwd")
timeout 60 "$tool" sub "$url" sgc.forwarded "${tls[@]}" --count 3 --timeout 60 \
    --ready "$tmp/sub.ready" > "$tmp/sub.out" 2> "$tmp/sub.err" &
sub=$!
for _ in $(seq 100); do [ -e "$tmp/sub.ready" ] && break; sleep 0.1; done
cat > "$tmp/prog.yaml" << YAML
rules_files: [$tmp/rules.yaml]
json_output: true
stdout_output: {enabled: false}
syslog_output: {enabled: false}
program_output:
  enabled: true
  keep_alive: true
  program: "cat > $tmp/alerts.pipe"
YAML
live_start prog run -c "$tmp/prog.yaml"
pid=$live_pid
for i in 1 2 3; do cat "$trig-p$i" 2> /dev/null || true; done
wait "$sub" || { cat "$tmp/sub.err" "$tmp/fwd.err" "$tmp/prog.err"; fail "the subscriber did not get 3 forwarded alerts"; }
live_stop "$pid"
for i in 1 2 3; do
    grep -q "\"fd.name\":\"$trig-p$i\"" "$tmp/sub.out" || fail "forwarded alert $i missing"
done
wait "$fwd" || true
grep -q 'forwarded 3' "$tmp/fwd.err" || fail "forwarder: $(cat "$tmp/fwd.err")"
grep -q 'program sent 3 failed 0' "$tmp/prog.err" || fail "stats: $(grep outputs: "$tmp/prog.err")"
echo "ok: program -> named pipe -> forwarder -> NATS"

# 1b. program_output keep_alive false: one process per alert
cat > "$tmp/each.yaml" << YAML
rules_files: [$tmp/rules.yaml]
stdout_output: {enabled: false}
syslog_output: {enabled: false}
program_output: {enabled: true, keep_alive: false, program: "cat >> $tmp/each.out; echo \$\$ >> $tmp/each.pids"}
YAML
live_start each run -c "$tmp/each.yaml"
pid=$live_pid
for i in 1 2 3; do cat "$trig-e$i" 2> /dev/null || true; done
for _ in $(seq 50); do [ "$(grep -c trigger "$tmp/each.out" 2> /dev/null || true)" = 3 ] && break; sleep 0.1; done
live_stop "$pid"
[ "$(grep -c trigger "$tmp/each.out")" = 3 ] || fail "keep_alive false: $(cat "$tmp/each.out")"
[ "$(sort -u "$tmp/each.pids" | wc -l)" = 3 ] || fail "keep_alive false did not start one program per alert"
echo "ok: program_output keep_alive false, one process per alert"

# 2. keep_alive false, renamed during a burst: nothing lost
cat > "$tmp/rot.yaml" << YAML
rules_files: [$tmp/rules.yaml]
stdout_output: {enabled: false}
syslog_output: {enabled: false}
file_output: {enabled: true, keep_alive: false, filename: $tmp/rot.log}
YAML
live_start rot run -c "$tmp/rot.yaml"
pid=$live_pid
( for i in $(seq 1 300); do cat "$trig-r$i" 2> /dev/null || true; done ) &
burst=$!
n=0
while kill -0 "$burst" 2> /dev/null; do
    n=$((n + 1))
    mv "$tmp/rot.log" "$tmp/rot.log.$n" 2> /dev/null || true
    sleep 0.01
done
sleep 1
live_stop "$pid"
total=$(cat "$tmp"/rot.log* | grep -c 'Warning trigger')
uniq=$(cat "$tmp"/rot.log* | grep -o "file=$trig-r[0-9]*" | sort -u | wc -l)
echo "rotation: $n renames, $total alert lines, $uniq distinct"
[ "$total" = 300 ] && [ "$uniq" = 300 ] || fail "alerts lost or repeated across rotation"
[ "$(ls "$tmp"/rot.log.* | wc -l)" -gt 1 ] || fail "the file was never rotated"

# 3. keep_alive true: rename, SIGUSR1, reopened
cat > "$tmp/usr1.yaml" << YAML
rules_files: [$tmp/rules.yaml]
stdout_output: {enabled: false}
syslog_output: {enabled: false}
file_output: {enabled: true, keep_alive: true, filename: $tmp/usr1.log}
YAML
live_start usr1 run -c "$tmp/usr1.yaml"
pid=$live_pid
for i in 1 2; do cat "$trig-u$i" 2> /dev/null || true; done
for _ in $(seq 50); do [ "$(grep -c trigger "$tmp/usr1.log" || true)" = 2 ] && break; sleep 0.1; done
mv "$tmp/usr1.log" "$tmp/usr1.log.old"
kill -USR1 "$pid"
sleep 0.5
for i in 3 4 5; do cat "$trig-u$i" 2> /dev/null || true; done
for _ in $(seq 50); do [ "$(grep -c trigger "$tmp/usr1.log" 2> /dev/null || true)" = 3 ] && break; sleep 0.1; done
live_stop "$pid"
[ "$(grep -c trigger "$tmp/usr1.log.old")" = 2 ] || fail "old file: $(cat "$tmp/usr1.log.old")"
[ "$(grep -c trigger "$tmp/usr1.log")" = 3 ] || fail "the file was not reopened after SIGUSR1"
echo "ok: SIGUSR1 reopens a kept-open file"
