#!/bin/bash
# The web server over HTTPS (Falco's webserver.ssl_enabled and
# ssl_certificate: one PEM file holding the private key and the
# certificate), with a pool of threads (threadiness): curl trusting only the
# test CA (made with openssl here) gets /healthz and /metrics; plain HTTP on
# that port gets no answer; a PEM without a key is refused before anything
# is attached. /metrics has the ring-buffer gauges. Needs root, BPF, curl,
# openssl, promtool.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i12-webtls.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/services.sh"
trap 'live_cleanup; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
export SGC_NO_DEFAULT_CONFIG=1
live_require_bpf
svc_require curl openssl promtool
svc_certs "$tmp/certs"
cat "$tmp/certs/server.key" "$tmp/certs/server.pem" > "$tmp/certs/sgc.pem"
trig="$tmp/trig"
svc_alert_rules "$tmp/rules.yaml" "$trig"
port=$(svc_free_port)
cat > "$tmp/sgc.yaml" << YAML
rules_files: [$tmp/rules.yaml]
stdout_output: {enabled: false}
syslog_output: {enabled: false}
webserver:
  enabled: true
  listen_address: 127.0.0.1
  listen_port: $port
  threadiness: 2
  ssl_enabled: true
  ssl_certificate: $tmp/certs/sgc.pem
YAML
live_start web run -c "$tmp/sgc.yaml"
pid=$live_pid
ca=(--cacert "$tmp/certs/ca.pem")
[ "$(curl -fsS "${ca[@]}" "https://127.0.0.1:$port/healthz")" = '{"status": "ok"}' ] ||
    fail "/healthz over HTTPS"
[ "$(curl -fsS "${ca[@]}" "https://localhost:$port/healthz")" = '{"status": "ok"}' ] ||
    fail "/healthz over HTTPS by name"
# the certificate is checked: without the CA curl refuses it
! curl -fsS "https://127.0.0.1:$port/healthz" 2> /dev/null || fail "an untrusted certificate passed"
# plain HTTP gets no HTTP answer
! curl -fsS -m 5 "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 || fail "plain HTTP answered"
for _ in $(seq 50); do
    curl -fsS "${ca[@]}" "https://127.0.0.1:$port/metrics" > "$tmp/metrics.txt"
    grep -Eq '^sgc_ringbuf_size_bytes [1-9]' "$tmp/metrics.txt" && break
    sleep 0.2
done
promtool check metrics < "$tmp/metrics.txt" || fail "promtool rejects the scrape"
grep -Eq '^sgc_ringbuf_size_bytes [1-9][0-9]*$' "$tmp/metrics.txt" || fail "ring buffer size"
grep -Eq '^sgc_ringbuf_used_bytes [0-9]+$' "$tmp/metrics.txt" || fail "ring buffer fill"
# several requests at once, on the pool
for i in 1 2 3 4 5 6; do
    curl -fsS "${ca[@]}" "https://127.0.0.1:$port/metrics" -o "$tmp/m$i" &
done
wait $(jobs -p | grep -v "^$pid$") 2> /dev/null || true
for i in 1 2 3 4 5 6; do grep -q '^sgc_build_info' "$tmp/m$i" || fail "parallel request $i"; done
live_stop "$pid"

# a PEM file without the private key: refused before attaching
port2=$(svc_free_port)
sed -e "s|sgc.pem|server.pem|" -e "s|listen_port: $port|listen_port: $port2|" "$tmp/sgc.yaml" \
    > "$tmp/bad.yaml"
rc=0
"$SGC" run -c "$tmp/bad.yaml" --duration 1 2> "$tmp/bad.err" || rc=$?
[ "$rc" = 1 ] || fail "a PEM without a key: status $rc"
grep -q "expected one PEM file holding the private key and the certificate" "$tmp/bad.err" ||
    fail "$(cat "$tmp/bad.err")"
! grep -q 'attached [0-9]* programs' "$tmp/bad.err" || fail "attached despite the bad PEM"
echo "ok: /healthz and /metrics over HTTPS (one PEM file), threadiness 2"
