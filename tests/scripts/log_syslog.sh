#!/bin/bash
# sgc's own log lines (not alerts) follow log_stderr, log_syslog and
# log_level (Falco's keys). With log_syslog to a real rsyslogd started here
# (in a private mount namespace, as output_syslog.sh) and log_stderr off,
# the readiness line arrives at level info and a loss report (actions [log])
# at level warning, and neither is on stderr; with log_level error the
# readiness line (info) is not printed at all. Needs root, BPF, rsyslogd,
# unshare.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/services.sh"
svc_in_private_mounts i12-logsys
trap 'live_cleanup' EXIT
export SGC_NO_DEFAULT_CONFIG=1
svc_rsyslog_private "$tmp/syslog.out"

cat > "$tmp/rules.yaml" << 'YAML'
- rule: Open of a log-test file
  desc: test rule
  condition: evt.type in (open, openat) and fd.name startswith /tmp/sgc-e2e-none/
  output: opened %fd.name
  priority: INFO
YAML
cat > "$tmp/sgc.yaml" << YAML
rules_files: [$tmp/rules.yaml]
stdout_output: {enabled: false}
syslog_output: {enabled: false}
log_stderr: false
log_syslog: true
log_level: info
syscall_event_drops: {threshold: 0, actions: [log]}
sgc: {pushdown: false, ringbuf_bytes: 4096, stats_interval: 1}
YAML
"$SGC" run -c "$tmp/sgc.yaml" 2> "$tmp/sgc.err" &
pid=$!
live_pids+=("$pid")
for _ in $(seq 2400); do
    grep -q 'attached [0-9]* programs' "$tmp/syslog.out" 2> /dev/null && break
    kill -0 "$pid" 2> /dev/null || { cat "$tmp/sgc.err" >&2; fail "sgc exited"; }
    sleep 0.1
done
grep -q '^info user sgc: *attached [0-9]* programs, watching [0-9]* syscalls' "$tmp/syslog.out" ||
    { cat "$tmp/syslog.out" "$tmp/sgc.err" >&2; fail "no readiness line at level info in syslog"; }
kill -STOP "$pid"
python3 -c '
import os
for i in range(3000):
    os.close(os.open("/etc/hostname", os.O_RDONLY))
'
kill -CONT "$pid"
for _ in $(seq 100); do
    grep -q 'events lost in the last' "$tmp/syslog.out" && break
    sleep 0.1
done
live_stop "$pid"
cat "$tmp/syslog.out" >&2
grep -Eq '^warning user sgc: *warning: [0-9]+ events lost in the last' "$tmp/syslog.out" ||
    fail "no loss report at level warning in syslog"
! grep -q 'attached [0-9]* programs' "$tmp/sgc.err" || fail "readiness on stderr with log_stderr off"
! grep -q 'events lost in the last' "$tmp/sgc.err" || fail "loss report on stderr with log_stderr off"

# log_level error: the readiness line (info) is not logged
cat > "$tmp/quiet.yaml" << YAML
rules_files: [$tmp/rules.yaml]
stdout_output: {enabled: false}
syslog_output: {enabled: false}
log_stderr: true
log_syslog: false
log_level: error
YAML
rc=0
"$SGC" run -c "$tmp/quiet.yaml" --duration 1 2> "$tmp/quiet.err" || rc=$?
[ "$rc" = 0 ] || { cat "$tmp/quiet.err" >&2; fail "quiet run: status $rc"; }
grep -q 'stopped after' "$tmp/quiet.err" || fail "the quiet run did not run"
! grep -q 'attached [0-9]* programs' "$tmp/quiet.err" || fail "an info line with log_level error"
echo "ok: log_syslog, log_stderr, log_level"
