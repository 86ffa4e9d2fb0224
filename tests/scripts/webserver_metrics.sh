#!/bin/bash
# The web server of sgc run: /healthz answers {"status": "ok"}; /metrics is
# Prometheus text that `promtool check metrics` (Debian's prometheus)
# accepts on a live scrape, and counts what happened (alerts by rule and
# priority, output counters, kernel counters, loaded files with sha256). A
# port already in use is an error before anything is attached.
# Needs root, BPF, curl, promtool.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i12-web.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/services.sh"
trap 'live_cleanup; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
export SGC_NO_DEFAULT_CONFIG=1
live_require_bpf
svc_require curl promtool
trig="$tmp/trig"
svc_alert_rules "$tmp/rules.yaml" "$trig"
port=$(svc_free_port)
cat > "$tmp/sgc.yaml" << YAML
rules_files: [$tmp/rules.yaml]
stdout_output: {enabled: false}
syslog_output: {enabled: false}
file_output: {enabled: true, filename: $tmp/alerts.txt}
webserver:
  enabled: true
  listen_port: $port
  prometheus_metrics_enabled: true
YAML
live_start web run -c "$tmp/sgc.yaml"
pid=$live_pid
base="http://127.0.0.1:$port"
[ "$(curl -fsS "$base/healthz")" = '{"status": "ok"}' ] || fail "/healthz"
for i in 1 2 3; do cat "$trig-$i" 2> /dev/null || true; done
# the kernel counters are read once a second: wait for them too
for _ in $(seq 50); do
    curl -fsS "$base/metrics" > "$tmp/metrics.txt"
    grep -q 'sgc_alerts_total{rule="I12 trigger",priority="Warning"} 3' "$tmp/metrics.txt" &&
        grep -Eq '^sgc_kernel_events_seen_total [1-9]' "$tmp/metrics.txt" &&
        grep -Eq '^sgc_ringbuf_size_bytes [1-9]' "$tmp/metrics.txt" &&
        grep -Eq '^sgc_kernel_lifecycle_passed_total [1-9]' "$tmp/metrics.txt" && break
    sleep 0.2
done
grep -q 'sgc_alerts_total{rule="I12 trigger",priority="Warning"} 3' "$tmp/metrics.txt" ||
    { cat "$tmp/metrics.txt"; fail "alerts by rule not counted"; }
promtool check metrics < "$tmp/metrics.txt" || fail "promtool rejects the scrape"
grep -q 'sgc_output_sent_total{output="file"} 3' "$tmp/metrics.txt" || fail "output counter"
grep -q 'sgc_output_queue_depth{output="file"} 0' "$tmp/metrics.txt" || fail "queue depth"
grep -Eq '^sgc_kernel_events_seen_total [1-9]' "$tmp/metrics.txt" || fail "kernel counters"
grep -Eq '^sgc_ringbuf_size_bytes [1-9]' "$tmp/metrics.txt" || fail "ring buffer size"
grep -Eq '^sgc_ringbuf_used_bytes [0-9]' "$tmp/metrics.txt" || fail "ring buffer fill"
# lifecycle records (the cat processes' exec/fork/exit) are counted apart
grep -Eq '^sgc_kernel_lifecycle_seen_total [1-9]' "$tmp/metrics.txt" || fail "lifecycle seen"
grep -Eq '^sgc_kernel_lifecycle_passed_total [1-9]' "$tmp/metrics.txt" || fail "lifecycle passed"
grep -Eq '^sgc_events_received_total\{syscall="openat"\} [1-9]' "$tmp/metrics.txt" ||
    fail "events by syscall"
sha=$(sha256sum "$tmp/rules.yaml" | cut -d' ' -f1)
grep -q "sgc_loaded_file_info{kind=\"rules\",path=\"$tmp/rules.yaml\",sha256=\"$sha\"} 1" \
    "$tmp/metrics.txt" || fail "rules file sha256"
grep -Eq '^sgc_process_resident_memory_bytes [1-9]' "$tmp/metrics.txt" || fail "RSS"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/nope")" = 404 ] || fail "unknown path"
# the port is taken: refused before attaching
rc=0
"$SGC" run -c "$tmp/sgc.yaml" --duration 1 2> "$tmp/second.err" || rc=$?
[ "$rc" = 1 ] || fail "a second sgc on the same port exited $rc"
grep -q "cannot listen on 127.0.0.1:$port" "$tmp/second.err" || fail "$(cat "$tmp/second.err")"
! grep -q 'attached [0-9]* programs' "$tmp/second.err" || fail "attached despite the port"
live_stop "$pid"
echo "ok: /healthz, /metrics checked by promtool"
