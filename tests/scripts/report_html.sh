#!/usr/bin/env bash
# sgc report's HTML page: structure checked against the JSON aggregates
# (tests/report/check_html.py: pie slices sum to the total, one area point per
# interval, tables behind charts, self-contained), for the fixed alert files,
# a generated cluster (3,000 alerts, 25 nodes, several hours) and an empty
# input; then the page rendered by headless Chromium to a PNG that must show a
# painted page (tests/report/check_png.py). The PNG is kept in
# $SGC_BUILD/report-screenshot.png for a look; the page also prints to a PDF.
# Chromium missing: skip, on CI fail.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_BUILD:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sgc-i17-html.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
data="$SGC_SRC/tests/report/data"

check() { # NAME ARGS... : report as HTML and JSON, then compare them
    local name=$1
    shift
    "$SGC" report "$@" -o "$tmp/$name.html" 2> /dev/null
    "$SGC" report "$@" -o "$tmp/$name.json" 2> /dev/null
    python3 "$SGC_SRC/tests/report/check_html.py" "$tmp/$name.html" "$tmp/$name.json"
}

gzip -c "$data/node-b.jsonl" > "$tmp/node-b.jsonl.gz"
check fixed "$data/node-a.jsonl" "$tmp/node-b.jsonl.gz"
check empty "$data/empty.jsonl"
python3 "$SGC_SRC/bench/gen_alerts.py" --alerts 3000 --hosts 25 --span 10800 --seed 7 -o "$tmp/cluster.jsonl.gz"
check cluster "$tmp/cluster.jsonl.gz"
check cluster5m "$tmp/cluster.jsonl.gz" --interval 5m
# the widening keeps the chart readable: 10 days of 1s intervals
check widened "$tmp/cluster.jsonl.gz" "$data/node-a.jsonl" --interval 1s
grep -q '"interval_widened": true' "$tmp/widened.json" || { echo "FAIL: not widened" >&2; exit 1; }

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    if [ "${CI:-}" = true ]; then
        echo "FAIL: chromium is required on CI (scripts/deps.sh installs it)" >&2
        exit 1
    fi
    echo "SKIP: chromium not installed: the page was not rendered"
    exit 0
fi
shot="$tmp/cluster.png"
# No network: every host resolves to nothing, so a page that fetched would show it.
timeout 120 "$chromium" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$tmp/profile" --host-resolver-rules="MAP * ~NOTFOUND" --no-first-run \
    --window-size=1280,2000 --screenshot="$shot" "file://$tmp/cluster.html" > "$tmp/chromium.log" 2>&1 || {
    echo "FAIL: chromium did not render the page:" >&2
    tail -n 20 "$tmp/chromium.log" >&2
    exit 1
}
[ -s "$shot" ] || { echo "FAIL: chromium wrote no screenshot" >&2; tail -n 20 "$tmp/chromium.log" >&2; exit 1; }
python3 "$SGC_SRC/tests/report/check_png.py" "$shot"
cp "$shot" "$SGC_BUILD/report-screenshot.png"
# it prints: a PDF of several pages
timeout 120 "$chromium" --headless=new --no-sandbox --disable-gpu --user-data-dir="$tmp/profile" \
    --host-resolver-rules="MAP * ~NOTFOUND" --no-pdf-header-footer --print-to-pdf="$tmp/cluster.pdf" \
    "file://$tmp/cluster.html" > "$tmp/chromium.log" 2>&1
pages=$(python3 -c 'import re,sys; print(len(re.findall(rb"/Type\s*/Page(?![a-z])", open(sys.argv[1],"rb").read())))' "$tmp/cluster.pdf")
[ "$(head -c 4 "$tmp/cluster.pdf")" = "%PDF" ] && [ "$pages" -ge 2 ] ||
    { echo "FAIL: printing gave no PDF of several pages ($pages)" >&2; exit 1; }
# and the empty page renders too (no chart; the 'No alerts' card)
timeout 120 "$chromium" --headless=new --no-sandbox --disable-gpu --user-data-dir="$tmp/profile" \
    --host-resolver-rules="MAP * ~NOTFOUND" --window-size=1000,700 --screenshot="$tmp/empty.png" \
    "file://$tmp/empty.html" > "$tmp/chromium.log" 2>&1
[ -s "$tmp/empty.png" ] || { echo "FAIL: the empty page did not render" >&2; exit 1; }
echo "report_html: ok"
