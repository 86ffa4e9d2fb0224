#!/bin/bash
# Malformed event lines are reported as FILE:LINE: error: ..., replay goes on
# with the next lines and exits 1; failed --check expectations exit 1.
set -uo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
dir="$SGC_SRC/tests/replay"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC
fail() { echo "FAIL: $*"; cat "$tmp/err"; exit 1; }

"$SGC" replay "$dir/malformed.jsonl" "$dir/basic_rules.yaml" > "$tmp/out" 2> "$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
grep -q "malformed.jsonl:3: error: invalid JSON" "$tmp/err" || fail "line 3 not reported"
grep -q "malformed.jsonl:4: error: unknown syscall 'opnat'" "$tmp/err" || fail "line 4 not reported"
grep -q "2 malformed lines" "$tmp/err" || fail "no count"
# the good lines around the bad ones were still evaluated
[ "$(grep -c 'Shadow read' "$tmp/out")" -eq 2 ] || fail "expected 2 alerts"

"$SGC" replay --check "$dir/check_fails.jsonl" "$dir/basic_rules.yaml" > /dev/null 2> "$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "check: exit status $rc, expected 1"
grep -q "check_fails.jsonl:2: check failed: rule 'Shadow read' matched unexpectedly" "$tmp/err" || fail "line 2"
grep -q "check_fails.jsonl:3: check failed: rule 'Shadow read' did not match" "$tmp/err" || fail "line 3"

# usage errors exit 2
"$SGC" replay "$dir/basic.jsonl" > /dev/null 2>&1
[ $? -eq 2 ] || fail "missing rules file should be a usage error"
"$SGC" replay --bogus "$dir/basic.jsonl" "$dir/basic_rules.yaml" > /dev/null 2>&1
[ $? -eq 2 ] || fail "unknown option should be a usage error"
"$SGC" replay /nonexistent.jsonl "$dir/basic_rules.yaml" > /dev/null 2>&1
[ $? -eq 1 ] || fail "missing event file should exit 1"
echo ok
