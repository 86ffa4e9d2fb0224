#!/bin/bash
# NATS output against a real nats-server started here with TLS, mutual TLS
# (certificates made by openssl here) and JetStream:
#   - each alert arrives on falco.warning.i12_trigger (falcosidekick's slug)
#     at a libnats subscriber, body = the JSON alert;
#   - JetStream: the alerts published while no consumer ran are consumed
#     later from the stream;
#   - a client without a certificate is refused, and sgc says so and counts
#     the alert failed;
#   - nats-server killed and restarted during a burst: every alert is either
#     in the stream or counted lost by sgc, none vanishes.
# Needs root, BPF, nats-server (scripts/deps.sh).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_BUILD:?}"
tmp=$(mktemp -d /tmp/sgc-i12-nats.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/services.sh"
trap 'live_cleanup; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
export SGC_NO_DEFAULT_CONFIG=1
live_require_bpf
svc_require nats-server openssl
tool="$SGC_BUILD/tests/nats_tool"
[ -x "$tool" ] || fail "$tool not built"
svc_certs "$tmp/certs"
port=$(svc_free_port)
svc_nats "$tmp" "$port" mtls js
url="tls://127.0.0.1:$port"
tls=(--ca "$tmp/certs/ca.pem" --cert "$tmp/certs/client.pem" --key "$tmp/certs/client.key")
trig="$tmp/trig"
svc_alert_rules "$tmp/rules.yaml" "$trig"
stream=SGC_I12_$$

write_config() { # FILE [no-client-cert]
    cat > "$1" << YAML
rules_files: [$tmp/rules.yaml]
json_output: false
stdout_output: {enabled: false}
syslog_output: {enabled: false}
nats_output:
  enabled: true
  servers: [$url]
  jetstream: $stream
  tls:
    ca_cert: $tmp/certs/ca.pem
YAML
    if [ "${2:-}" != no-client-cert ]; then
        printf '    client_cert: %s\n    client_key: %s\n' "$tmp/certs/client.pem" \
            "$tmp/certs/client.key" >> "$1"
    fi
}

# 1. a live subscriber gets each alert on its subject
write_config "$tmp/sgc.yaml"
"$tool" sub "$url" 'falco.>' "${tls[@]}" --count 3 --timeout 60 --ready "$tmp/sub.ready" \
    > "$tmp/sub.out" 2> "$tmp/sub.err" &
sub_pid=$!
for _ in $(seq 100); do [ -e "$tmp/sub.ready" ] && break; sleep 0.1; done
[ -e "$tmp/sub.ready" ] || { cat "$tmp/sub.err"; fail "the subscriber did not start"; }
live_start sgc1 run -c "$tmp/sgc.yaml"
pid=$live_pid
for i in 1 2 3; do cat "$trig-a$i" 2> /dev/null || true; done
wait "$sub_pid" || { cat "$tmp/sub.err" "$tmp/sgc1.err"; fail "the subscriber did not get 3 alerts"; }
live_stop "$pid"
[ "$(cut -f1 "$tmp/sub.out" | sort -u)" = falco.warning.i12_trigger ] ||
    fail "wrong subject: $(cut -f1 "$tmp/sub.out" | sort -u)"
for i in 1 2 3; do
    grep -F "\"fd.name\":\"$trig-a$i\"" "$tmp/sub.out" | grep -q '"rule":"I12 trigger"' ||
        fail "alert $i missing or not the JSON alert"
done
grep -q 'nats sent 3 failed 0 retried 0 dropped 0' "$tmp/sgc1.err" ||
    fail "stats line: $(grep outputs: "$tmp/sgc1.err")"
echo "ok: live subscriber, 3 alerts, subject and body"

# 2. JetStream: consumed later, after sgc exited
timeout 60 "$tool" sub "$url" 'falco.>' "${tls[@]}" --js "$stream" --count 3 --timeout 20 \
    > "$tmp/js.out" 2> "$tmp/js.err" || { cat "$tmp/js.err"; fail "the stream does not hold the 3 alerts"; }
grep -c 'I12 trigger' "$tmp/js.out" | grep -qx 3 || fail "stream content"
echo "ok: JetStream keeps alerts for a later consumer"

# 3. no client certificate: refused, and sgc says so
if timeout 30 "$tool" sub "$url" 'x' --ca "$tmp/certs/ca.pem" --count 1 --timeout 2 2> "$tmp/nocert.err"; then
    fail "nats-server accepted a client without a certificate"
fi
write_config "$tmp/nocert.yaml" no-client-cert
live_start sgc2 run -c "$tmp/nocert.yaml" -o output_timeout=500
pid=$live_pid
cat "$trig-b1" 2> /dev/null || true
for _ in $(seq 150); do grep -q 'output nats: alert not delivered' "$tmp/sgc2.err" && break; sleep 0.2; done
rc=0
kill -INT "$pid"; wait "$pid" || rc=$?
grep -q 'output nats: alert not delivered: .*' "$tmp/sgc2.err" || { cat "$tmp/sgc2.err"; fail "sgc did not say why NATS refused"; }
grep -E 'nats sent 0 failed 1 retried [0-9]+ dropped 0' "$tmp/sgc2.err" > /dev/null ||
    fail "the refused alert is not counted: $(grep outputs: "$tmp/sgc2.err")"
[ "$rc" = 1 ] || fail "sgc exited $rc although an alert was lost"
echo "ok: no client certificate: refused, reported, counted"

# 4. nats-server killed and restarted during a burst: nothing vanishes
live_start sgc3 run -c "$tmp/sgc.yaml" -o output_timeout=15000
pid=$live_pid
(
    for i in $(seq 1 300); do
        cat "$trig-c$i" 2> /dev/null || true
        if [ "$i" = 100 ]; then sleep 0.3; fi
    done
) &
burst=$!
sleep 0.2
kill -KILL "$nats_pid"
sleep 1
svc_nats "$tmp" "$port" mtls js
wait "$burst" || true
for i in $(seq 301 400); do cat "$trig-c$i" 2> /dev/null || true; done
sleep 3
kill -INT "$pid"; wait "$pid" || true
n=$(sed -n 's/.* \([0-9]*\) alerts (.*/\1/p' "$tmp/sgc3.err")
stats=$(grep 'outputs:' "$tmp/sgc3.err")
sent=$(sed -n 's/.*nats sent \([0-9]*\).*/\1/p' <<< "$stats")
failed=$(sed -n 's/.*nats sent [0-9]* failed \([0-9]*\).*/\1/p' <<< "$stats")
dropped=$(sed -n 's/.*nats sent [0-9]* failed [0-9]* retried [0-9]* dropped \([0-9]*\).*/\1/p' <<< "$stats")
timeout 60 "$tool" sub "$url" 'falco.>' "${tls[@]}" --js "$stream" --count 100000 --timeout 5 \
    > "$tmp/js2.out" 2> /dev/null || true
got=$(grep -o '"fd.name":"[^"]*-c[0-9]*"' "$tmp/js2.out" | sort -u | wc -l)
echo "burst: $n alerts, nats sent $sent failed $failed dropped $dropped, in the stream $got"
[ "$n" -ge 400 ] || fail "only $n alerts raised"
# the output counters cover the rule alerts plus the internal "output loss"
# alerts a failure raises (sent through NATS too): one per second at most
extra=$((sent + failed + dropped - n))
internal=$(grep -c '"rule":"sgc internal: output loss"' "$tmp/js2.out" || true)
[ "$extra" -ge 0 ] || fail "sent+failed+dropped < alerts"
[ "$extra" -le $((internal + failed)) ] || fail "sent+failed+dropped counts $extra alerts too many"
[ $((got + failed + dropped)) -ge "$n" ] || fail "$((n - got - failed - dropped)) alerts vanished"
echo "ok: restart during a burst, none vanished"
