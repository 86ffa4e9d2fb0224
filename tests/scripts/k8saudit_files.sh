#!/usr/bin/env bash
# The k8s_audit file source: an audit log (JSON lines, an Event or an
# EventList per line) is read from its start, followed as it grows, and
# followed across rotation (renamed and recreated) and truncation
# (copytruncate). A malformed line is counted and skipped. Plain HTTP webhook
# off (listen port 0). No kernel capture.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_CORPUS:?}"
tmp=$(mktemp -d /tmp/sgc-i13-files.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/k8saudit.sh"
trap 'live_cleanup; rm -rf "$tmp"' EXIT
rules="$SGC_CORPUS/../k8saudit/k8s_audit_rules.yaml"
log="$tmp/audit.log"
other="$tmp/other.log"   # does not exist at start

# written before sgc starts: read from the start
ka_event f1 ResponseComplete get secrets before-start > "$log"
echo >> "$log"
ka_start run run --enable-source k8s_audit --json -o "$tmp/alerts.json" \
    --k8s-audit-listen-port 0 --k8s-audit-file "$log" --k8s-audit-file "$other" "$rules"
grep -q "following $log" "$tmp/run.err" || fail "no following line"
if grep -q 'webhook listening' "$tmp/run.err"; then fail "webhook started with port 0"; fi
wait_alert "$tmp/alerts.json" "K8s Secret Get Successfully" ka.target.name=before-start

# growth, a line written in two parts, a malformed line
{ ka_event f2 ResponseComplete get secrets grown; echo; } >> "$log"
ka_event f3 ResponseComplete delete secrets half-line | head -c 100 >> "$log"
sleep 0.5
ka_event f3 ResponseComplete delete secrets half-line | tail -c +101 >> "$log"
echo >> "$log"
echo '{"kind":"Event", broken' >> "$log"
wait_alert "$tmp/alerts.json" "K8s Secret Get Successfully" ka.target.name=grown
wait_alert "$tmp/alerts.json" "K8s Secret Deleted" ka.target.name=half-line

# rotation: renamed, then a new file at the path
mv "$log" "$log.1"
{ ka_event f4 ResponseComplete get secrets in-old-after-rename; echo; } >> "$log.1"
{ ka_event f5 ResponseComplete get secrets rotated; echo; } > "$log"
wait_alert "$tmp/alerts.json" "K8s Secret Get Successfully" ka.target.name=rotated
wait_alert "$tmp/alerts.json" "K8s Secret Get Successfully" ka.target.name=in-old-after-rename

# copytruncate: emptied in place, then written again
: > "$log"
sleep 0.5
{ ka_event f6 ResponseComplete get secrets after-truncate; echo; } >> "$log"
wait_alert "$tmp/alerts.json" "K8s Secret Get Successfully" ka.target.name=after-truncate

# a file that appears later, with an EventList line
{
    printf '{"kind":"EventList","items":['
    ka_event f7 ResponseComplete create namespaces late-ns
    printf ']}\n'
} > "$other"
wait_alert "$tmp/alerts.json" "Create Disallowed Namespace" ka.target.name=late-ns

live_stop "$ka_pid"
grep -q '1 malformed JSON' "$tmp/run.err" || { cat "$tmp/run.err" >&2; fail "malformed line not counted"; }
grep -qE 'files: 8 lines, [1-9][0-9]* rotations' "$tmp/run.err" || { cat "$tmp/run.err" >&2; fail "file counters"; }
echo ok
