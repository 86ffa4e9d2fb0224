#!/bin/bash
# CI smoke of the benchmark suite (scripts/bench.sh --smoke): it runs end to
# end (2 alternated rounds of 0.5 s; baseline, empty raw tracepoint, sgc,
# sgc --no-pushdown; open/exec/tcp; latency, burst, compile/load, evaluator)
# and prints its figures. Asserts that figures are produced, never their
# values. Needs root and BPF: skips without them, fails on CI (CI=true).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_BUILD:?}"
tmp=$(mktemp -d /tmp/sgc-bench-smoke.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

skip() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL: root and BPF are required on CI: $*" >&2
        exit 1
    fi
    echo "SKIP: $*"
    exit 0
}
[ "$(id -u)" = 0 ] || skip "needs root to load BPF programs"
[ -r /sys/kernel/btf/vmlinux ] || skip "kernel BTF (/sys/kernel/btf/vmlinux) missing"
command -v python3 > /dev/null || skip "python3 missing"
command -v bpftool > /dev/null || skip "bpftool missing"

rc=0
timeout 300 "$SGC_SRC/scripts/bench.sh" --build "$SGC_BUILD" --smoke --out "$tmp/perf.md" \
    --json "$tmp/perf.json" > "$tmp/stdout" 2> "$tmp/stderr" || rc=$?
if [ "$rc" != 0 ]; then
    tail -n 40 "$tmp/stderr" >&2
    echo "FAIL: scripts/bench.sh --smoke exited with status $rc" >&2
    exit 1
fi
cat "$tmp/stdout"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
num='[0-9]+(\.[0-9]+)?'
mmm="$num / $num / $num"
md=$tmp/perf.md
for w in open exec tcp; do
    grep -Eq "^\| $w: .*\| $mmm \| $mmm \| $mmm \| $mmm \|$" "$md" ||
        fail "no slowdown row for workload $w"
done
grep -Eq '^\| open \| .*\| [0-9.]+ / [0-9.]+ / [0-9.]+ \|' "$md" || fail "no events/s row"
grep -Eq "^\| peak RSS \(MB\) \| $mmm" "$md" || fail "no peak RSS row"
grep -Eq "^\| p99 \(ms\) \| $mmm \|$" "$md" || fail "no alert latency p99"
grep -Eq '^\| \*\*silent\*\* losses.*\| \*\*[0-9]+\*\* \| \*\*[0-9]+\*\* \|$' "$md" ||
    fail "no burst accounting"
grep -Eq "^\| all three files \| $mmm \| $mmm \|" "$md" || fail "no compile/load times"
grep -Eq "full pipeline .* $num(e\+[0-9]+)? / " "$md" || fail "no evaluator figure"
grep -Eq '^\| [^|]+ \| [^|]+ \| (yes|\*\*no\*\*|n/a) \|$' "$md" || fail "no goals table"
grep -q '^- date: ' "$md" || fail "no machine section"
python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); assert r["runs"]["baseline"]["open"]' \
    "$tmp/perf.json" || fail "raw results incomplete"
echo ok
