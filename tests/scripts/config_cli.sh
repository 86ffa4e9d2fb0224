#!/bin/bash
# sgc run's configuration on the command line: Falco's falco.yaml loads with
# warnings only (-r gives the rules); --dry-run checks without attaching;
# -o KEY=VALUE overrides; -o FILE without '=' still means the alerts file;
# rules: enable/disable by glob and tag, checked live (a disabled rule does
# not alert, the kernel filter is built from the selected rules).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i12-cfg.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/services.sh"
trap 'live_cleanup; rm -rf "$tmp"' EXIT
export SGC_NO_DEFAULT_CONFIG=1
falco="$SGC_SRC/../shared/corpus/falco-config/falco.yaml"
trig="$tmp/trig"
cat > "$tmp/rules.yaml" << YAML
- rule: I12 tagged x
  desc: test
  condition: evt.type in (open, openat, openat2) and fd.name startswith $trig-x
  output: x (file=%fd.name)
  priority: WARNING
  tags: [i12x]
- rule: I12 tagged y
  desc: test
  condition: evt.type in (open, openat, openat2) and fd.name startswith $trig-y
  output: y (file=%fd.name)
  priority: WARNING
  tags: [i12y]
YAML

# Falco's falco.yaml: warnings only
rc=0
"$SGC" run -c "$falco" -r "$tmp/rules.yaml" --dry-run 2> "$tmp/falco.err" || rc=$?
[ "$rc" = 0 ] || { cat "$tmp/falco.err"; fail "falco.yaml: exit $rc"; }
! grep -q ': error:' "$tmp/falco.err" || fail "falco.yaml has errors"
grep -q "SGC_CONFIG_FALCO_ONLY\] 'engine' is a Falco setting" "$tmp/falco.err" ||
    fail "no warning for engine"
grep -q 'configuration and rules ok (2 rules enabled, 1 rules file)' "$tmp/falco.err" ||
    fail "$(tail -1 "$tmp/falco.err")"

# selection in a dry run
"$SGC" run -r "$tmp/rules.yaml" --dry-run -o 'rules=[{disable: {rule: "*"}}, {enable: {tag: i12y}}]' \
    2> "$tmp/sel.err"
grep -q '(1 rules enabled' "$tmp/sel.err" || fail "selection: $(tail -1 "$tmp/sel.err")"
"$SGC" run -r "$tmp/rules.yaml" --dry-run -o 'rules[0]={disable: {rule: "I12 tagged ?"}}' \
    2> "$tmp/sel2.err"
grep -q '(0 rules enabled' "$tmp/sel2.err" || fail "glob: $(tail -1 "$tmp/sel2.err")"

# a bad override: refused with its column
rc=0
"$SGC" run --dry-run -o output_timeout=soon 2> "$tmp/ov.err" || rc=$?
[ "$rc" = 1 ] || fail "bad -o exit $rc"
grep -qx -- "-o output_timeout=soon:1:19: error: \[SGC_CONFIG\] output_timeout: expected a non-negative integer, got 'soon'" \
    "$tmp/ov.err" || fail "$(cat "$tmp/ov.err")"

live_require_bpf
# live: the selection decides what alerts; -o FILE keeps meaning the alerts file
live_start sel run -r "$tmp/rules.yaml" --json -o "$tmp/alerts.json" \
    -o 'rules=[{disable: {tag: i12x}}]' -o 'static_fields={cluster: i12-test}' \
    -o json_include_message_property=true
pid=$live_pid
cat "$trig-x1" "$trig-y1" 2> /dev/null || true
wait_alert "$tmp/alerts.json" "I12 tagged y" fd.name="$trig-y1"
sleep 1
live_stop "$pid"
! grep -q 'I12 tagged x' "$tmp/alerts.json" || fail "a disabled rule alerted"
grep -q '"cluster":"i12-test"' "$tmp/alerts.json" || fail "static_fields missing"
grep -q "\"message\":\"y (file=$trig-y1)\"" "$tmp/alerts.json" || fail "message missing"
echo "ok: falco.yaml, dry runs, overrides, rules selection live"
