#!/bin/bash
# sgc run with no rules argument runs the embedded default rules
# (stdlib-rules/): real actions must raise their alerts, text format this
# time (the default), and a benign control must not. Needs root and BPF.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-e2e.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
trap 'live_cleanup; rm -rf "$tmp" /dev/shm/sgc-e2e-emb' EXIT
live_require_bpf

live_start run run -o "$tmp/alerts.txt" --time-iso8601
cp /bin/true /dev/shm/sgc-e2e-emb
grep -q sgc-e2e-benign-term /etc/hostname || true
/dev/shm/sgc-e2e-emb
python3 -c 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW); "sgc-e2e-emb"'
grep -rs aws_secret_access_key /dev/null || true

# text alerts: "<ISO time>: <Priority> <output>", in order of the actions
wait_text() { # PATTERN
    for _ in $(seq $((LIVE_ALERT_TIMEOUT * 5))); do
        grep -qE "$1" "$tmp/alerts.txt" 2> /dev/null && return 0
        sleep 0.2
    done
    cat "$tmp/alerts.txt" >&2 || true
    fail "no alert line matching: $1"
}
ts='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{9}Z: '
wait_text "${ts}Warning Program executed from /dev/shm \(exe=/dev/shm/sgc-e2e-emb "
wait_text "${ts}Notice Packet socket opened \(socket=.*AF_PACKET.* process=python3 "
wait_text "${ts}[A-Z][a-z]+ .*grep -rs aws_secret_access_key /dev/null"
if grep -q sgc-e2e-benign-term "$tmp/alerts.txt"; then fail "the benign grep alerted"; fi
live_stop "$live_pid"
grep -E 'rules: [0-9]+ events evaluated, [1-9][0-9]* alerts' "$tmp/run.err" || fail "no summary"
echo ok
