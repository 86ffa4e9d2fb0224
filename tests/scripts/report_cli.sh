#!/usr/bin/env bash
# sgc report's command line where a case file cannot go: bars on a terminal
# (script(1) gives it one), stdin when no file is named, concatenated gzip
# members, a line over 16 MiB (malformed, the rest read), the output written
# through a temporary file (none left behind, nothing written when an input
# is missing), -o on a FIFO.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sgc-i17-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
data="$SGC_SRC/tests/report/data"
fail() { echo "FAIL: $*" >&2; exit 1; }

# a terminal gets bars, a pipe does not
script -qec "'$SGC' report '$data/node-a.jsonl'" /dev/null > "$tmp/tty.txt" 2>&1 < /dev/null
grep -q '█' "$tmp/tty.txt" || fail "no bars on a terminal: $(head -c 300 "$tmp/tty.txt")"
"$SGC" report "$data/node-a.jsonl" 2> /dev/null | grep -q '█' && fail "bars on a pipe"

# no file: stdin
n=$("$SGC" report --format json < "$data/node-a.jsonl" 2> /dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
[ "$n" = 5 ] || fail "stdin: total $n, expected 5"

# concatenated gzip members read as one stream
{ gzip -c "$data/node-a.jsonl"; gzip -c "$data/node-b.jsonl"; } > "$tmp/both.gz"
n=$("$SGC" report --format json "$tmp/both.gz" 2> /dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
[ "$n" = 9 ] || fail "concatenated gzip: total $n, expected 9"

# a 17 MiB line is malformed, the lines around it count
python3 - "$data/node-a.jsonl" "$tmp/long.jsonl" <<'PY'
import sys
first = open(sys.argv[1]).readline()
with open(sys.argv[2], "w") as f:
    f.write(first)
    f.write('{"rule":"' + "x" * (17 << 20) + '"}\n')
    f.write(first)
PY
"$SGC" report --format json "$tmp/long.jsonl" > "$tmp/long.json" 2> /dev/null
python3 - "$tmp/long.json" <<'PY' || fail "long line"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["total"] == 2 and r["malformed"]["count"] == 1, r["malformed"]
assert r["malformed"]["first"][0]["line"] == 2 and "16 MiB" in r["malformed"]["first"][0]["reason"]
PY

# -o: an unreadable input writes nothing; a good run leaves no temporary file
"$SGC" report "$data/node-a.jsonl" "$tmp/missing.jsonl" -o "$tmp/r.html" 2> "$tmp/err" && fail "missing input accepted"
grep -q "missing.jsonl: No such file or directory" "$tmp/err" || fail "message: $(cat "$tmp/err")"
[ ! -e "$tmp/r.html" ] || fail "a report was written for a missing input"
"$SGC" report "$data/node-a.jsonl" -o "$tmp/r.html" 2> /dev/null
[ -s "$tmp/r.html" ] || fail "no report written"
ls "$tmp" | grep -q 'tmp' && fail "temporary file left: $(ls "$tmp")"
grep -q '</html>' "$tmp/r.html" || fail "truncated page"

# -o on a FIFO is written in place
mkfifo "$tmp/fifo"
cat "$tmp/fifo" > "$tmp/from-fifo.json" &
"$SGC" report "$data/node-a.jsonl" --format json -o "$tmp/fifo" 2> /dev/null
wait
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["total"] == 5' "$tmp/from-fifo.json" || fail "fifo"
echo "report_cli: ok"
