#!/bin/bash
# sgc run --no-pushdown (Falco's architecture: the kernel passes every event of
# the rules' syscalls, userspace filters them all) with --duration: it must
# say so when attached, drop nothing in the kernel, alert like the pushdown
# run, and stop by itself after the duration with exit status 0.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_CORPUS:?}"
tmp=$(mktemp -d /tmp/sgc-e2e.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
trap 'live_cleanup; rm -rf "$tmp"' EXIT
live_require_bpf

alerts="$tmp/alerts.json"
duration=20
live_start run run --no-pushdown --json -o "$alerts" --duration "$duration" \
    "$SGC_CORPUS/falco_rules.yaml"
grep -q 'watching [0-9]* syscalls (no pushdown)' "$tmp/run.err" ||
    fail "the readiness line does not say 'no pushdown'"
start=$(date +%s)

cp /bin/cat "$tmp/sgc-e2e-reader"
sh -c "\"$tmp/sgc-e2e-reader\" /etc/shadow > /dev/null"
cp /bin/cat "$tmp/sgc-e2e-benign"
"$tmp/sgc-e2e-benign" /etc/hostname > /dev/null
ln -s /etc/shadow "$tmp/shadow-link"

wait_alert "$alerts" "Read sensitive file untrusted" \
    fd.name=/etc/shadow proc.name=sgc-e2e-reader proc.cmdline="sgc-e2e-reader /etc/shadow"
wait_alert "$alerts" "Create Symlink Over Sensitive Files" \
    evt.arg.target=/etc/shadow evt.arg.linkpath="$tmp/shadow-link"
no_alert "$alerts" proc.name=sgc-e2e-benign

# --duration: it stops by itself (bounded wait), exit 0
for _ in $(seq $(((duration + 60) * 10))); do
    kill -0 "$live_pid" 2> /dev/null || break
    sleep 0.1
done
if kill -0 "$live_pid" 2> /dev/null; then
    fail "sgc run --duration $duration still running after $((duration + 60))s"
fi
rc=0
wait "$live_pid" || rc=$?
[ "$rc" = 0 ] || fail "exit status $rc"
elapsed=$(($(date +%s) - start))
[ "$elapsed" -le $((duration + 5)) ] || fail "stopped after ${elapsed}s, not ~${duration}s"
grep -E 'stopped after [0-9.]+ s$' "$tmp/run.err" || fail "no 'stopped after' line"
grep -E 'kernel: [1-9][0-9]* events seen, 0 filtered, [1-9][0-9]* passed' "$tmp/run.err" ||
    fail "--no-pushdown: the kernel must filter nothing"
echo ok
