#!/bin/bash
# syslog output through syslog(3) to a real rsyslogd started here with its
# own configuration, writing to a file this test reads. So that neither
# touches the host's /dev/log, both run in a private mount namespace whose
# /dev is a fresh tmpfs (the few device nodes sgc needs are made in it); the
# kernel side (BPF) is the host's. Priorities map to syslog levels
# (Warning -> warning, Critical -> crit). Needs root, BPF, rsyslogd, unshare.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/services.sh"
svc_in_private_mounts i12-syslog
trap 'live_cleanup' EXIT
export SGC_NO_DEFAULT_CONFIG=1

# a private /dev: rsyslogd's socket /dev/log lives only in this namespace
svc_rsyslog_private "$tmp/syslog.out"

trig="$tmp/trig"
svc_alert_rules "$tmp/rules.yaml" "$trig"
cat >> "$tmp/rules.yaml" << YAML
- rule: I12 critical trigger
  desc: test rule of the output tests
  condition: evt.type in (open, openat, openat2) and fd.name startswith $tmp/crit
  output: critical trigger (file=%fd.name)
  priority: CRITICAL
YAML
cat > "$tmp/sgc.yaml" << YAML
rules_files: [$tmp/rules.yaml]
stdout_output: {enabled: false}
syslog_output: {enabled: true}
YAML
live_start sgc run -c "$tmp/sgc.yaml"
pid=$live_pid
cat "$trig-1" 2> /dev/null || true
cat "$tmp/crit-1" 2> /dev/null || true
for _ in $(seq 100); do
    [ "$(grep -c 'trigger' "$tmp/syslog.out" 2> /dev/null || true)" -ge 2 ] && break
    sleep 0.1
done
live_stop "$pid"
cat "$tmp/syslog.out" >&2
grep -q "^warning user sgc: .*: Warning trigger (file=$trig-1 proc=cat)" "$tmp/syslog.out" ||
    fail "the Warning alert is not at level warning"
grep -q "^crit user sgc: .*: Critical critical trigger (file=$tmp/crit-1)" "$tmp/syslog.out" ||
    fail "the Critical alert is not at level crit"
grep -q 'syslog sent 2 failed 0' "$tmp/sgc.err" || fail "stats: $(grep outputs: "$tmp/sgc.err")"
echo "ok: syslog levels through a real rsyslogd"
