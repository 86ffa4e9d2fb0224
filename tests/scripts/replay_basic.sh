#!/bin/bash
# sgc replay on a hand-written event file: exact text and JSON alerts, the
# --check expectations, -o FILE, --min-priority.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
dir="$SGC_SRC/tests/replay"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC

"$SGC" replay "$dir/basic.jsonl" "$dir/basic_rules.yaml" > "$tmp/out.txt"
diff -u "$dir/basic.expected.txt" "$tmp/out.txt"

"$SGC" replay --json "$dir/basic.jsonl" "$dir/basic_rules.yaml" > "$tmp/out.jsonl"
diff -u "$dir/basic.expected.jsonl" "$tmp/out.jsonl"
# every line is one JSON object
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/out.jsonl"

"$SGC" replay --check "$dir/basic.jsonl" "$dir/basic_rules.yaml" > /dev/null

# -o FILE appends there, nothing on stdout
"$SGC" replay -o "$tmp/alerts.log" "$dir/basic.jsonl" "$dir/basic_rules.yaml" > "$tmp/stdout.txt"
"$SGC" replay -o "$tmp/alerts.log" "$dir/basic.jsonl" "$dir/basic_rules.yaml" > /dev/null
test ! -s "$tmp/stdout.txt"
test "$(wc -l < "$tmp/alerts.log")" -eq 6

# --min-priority warning keeps Warning and Error, drops Notice
"$SGC" replay --min-priority warning "$dir/basic.jsonl" "$dir/basic_rules.yaml" > "$tmp/min.txt"
test "$(wc -l < "$tmp/min.txt")" -eq 2
! grep -q Notice "$tmp/min.txt"

# --hostname overrides the file's
"$SGC" replay --json --hostname other "$dir/basic.jsonl" "$dir/basic_rules.yaml" > "$tmp/host.jsonl"
grep -q '"hostname":"other"' "$tmp/host.jsonl"
echo ok
