#!/bin/bash
# The replay cases of the live-state items of issue 11
# (tests/live-state/replay.jsonl): each rule of tests/live-state/replay-rules.yaml
# states the fields libsinsp gives for one item (socket fields on dup2 and
# fcntl, server sockets, the data prefix, the environment, a container's
# metadata and user, a forked child's image); `sgc replay --check` fails on
# any case that does not match as expected, and every expected alert must
# be there.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
dir="$SGC_SRC/tests/live-state"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$SGC" replay --check --all-matches --json "$dir/replay.jsonl" "$dir/replay-rules.yaml" > "$out"
want=$(python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if line and not line.startswith("#"):
        n += len(json.loads(line).get("expect", []))
print(n)' "$dir/replay.jsonl")
got=$(wc -l < "$out")
[ "$got" -eq "$want" ] || { echo "FAIL: $got alerts, $want expected"; cat "$out"; exit 1; }
for item in 1 2 3 4 5 6 7; do
    grep -q "\"rule\": *\"item$item " "$out" || { echo "FAIL: no alert for item $item"; exit 1; }
done
echo "ok: $got alerts, the seven items"
