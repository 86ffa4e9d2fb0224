#!/bin/bash
# syscall_event_drops governs what sgc run does about lost events (Falco's
# keys): with actions [alert] and a token bucket of one token that does not
# refill (rate 0.0001/s), two bursts of losses in two report intervals give
# exactly one internal alert and no log line; with actions [log, exit] and
# threshold 0, a burst makes sgc log the loss and stop by itself with
# status 1. Losses come from a 4 KiB ring buffer and a stopped consumer
# (SIGSTOP), as in run_drops.sh.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-e2e.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
trap 'live_cleanup; rm -rf "$tmp"' EXIT
export SGC_NO_DEFAULT_CONFIG=1
live_require_bpf

cat > "$tmp/rules.yaml" << 'YAML'
- rule: Open of a drop-test file
  desc: test rule
  condition: evt.type in (open, openat) and fd.name startswith /tmp/sgc-e2e-none/
  output: opened %fd.name
  priority: INFO
YAML

burst() {
    kill -STOP "$1"
    python3 -c '
import os
for i in range(3000):
    try:
        os.close(os.open("/etc/hostname", os.O_RDONLY))
    except OSError:
        pass
'
    kill -CONT "$1"
}

# 1. alert only, one token
cat > "$tmp/alert.yaml" << YAML
rules_files: [$tmp/rules.yaml]
json_output: true
stdout_output: {enabled: false}
file_output: {enabled: true, keep_alive: true, filename: $tmp/alerts.json}
syscall_event_drops:
  threshold: 0
  actions: [alert]
  rate: 0.0001
  max_burst: 1
sgc: {pushdown: false, ringbuf_bytes: 4096, stats_interval: 1}
YAML
live_start alert run -c "$tmp/alert.yaml"
pid=$live_pid
burst "$pid"
wait_alert "$tmp/alerts.json" "sgc internal: event drop" n_drops!=0
sleep 2.5 # the next report interval
burst "$pid"
sleep 2.5
live_stop "$pid"
n=$(grep -c '"sgc internal: event drop"' "$tmp/alerts.json" || true)
[ "$n" = 1 ] || fail "$n drop alerts with one token (want 1)"
! grep -E 'events lost in the last' "$tmp/alert.err" || fail "logged without the log action"
grep -E 'kernel: .* [1-9][0-9]* lost \(ring buffer full\)' "$tmp/alert.err" ||
    fail "the summary does not count the lost events"
grep -E ' 1 drop alerts' "$tmp/alert.err" || fail "the summary does not count 1 drop alert"

# 2. log and exit
cat > "$tmp/exit.yaml" << YAML
rules_files: [$tmp/rules.yaml]
stdout_output: {enabled: false}
syscall_event_drops:
  threshold: 0
  actions: [log, exit]
sgc: {pushdown: false, ringbuf_bytes: 4096, stats_interval: 1}
YAML
live_start exit run -c "$tmp/exit.yaml"
pid=$live_pid
burst "$pid"
for _ in $(seq 100); do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
done
! kill -0 "$pid" 2> /dev/null || fail "sgc still runs after a loss with the exit action"
rc=0
wait "$pid" || rc=$?
cat "$tmp/exit.err" >&2
[ "$rc" = 1 ] || fail "exit action: status $rc (want 1)"
grep -E 'warning: [0-9]+ events lost in the last' "$tmp/exit.err" || fail "no log line"
grep -E 'events lost: exiting' "$tmp/exit.err" || fail "no exit message"
echo "ok: syscall_event_drops actions, threshold and token bucket"
