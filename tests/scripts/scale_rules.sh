#!/bin/bash
# Issue 18: hundreds of rules and large lists. 400 generated rules (one
# syscall group, more than one BPF function holds) lint with a warning that
# gives the numbers, compile, load, and alert for rules in the first and the
# last chunk of the split filter; a 20,000-item list used by 60 rules is
# stored once in the artifact. Needs root, BPF and clang for the live part.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i18-scale.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
trap 'live_cleanup; rm -rf "$tmp"' EXIT
gen="$SGC_SRC/bench/gen_rules.py"

python3 "$gen" --rules 400 --prefix "$tmp/x" -o "$tmp/r400.yaml"
"$SGC" lint "$tmp/r400.yaml" > "$tmp/lint.out" || fail "400 rules do not lint clean: $(cat "$tmp/lint.out")"
grep -q 'SGC_KERNEL_FILTER_SPLIT.*openat (400 rules, 801 kernel atoms) is split into 4 functions' "$tmp/lint.out" ||
    fail "no split warning with the numbers: $(cat "$tmp/lint.out")"
# one rule too large for one BPF function (300 x 2 atoms): left to userspace, named by lint
{
    printf -- '- rule: huge rule\n  desc: d\n  output: huge %%fd.name\n  priority: WARNING\n'
    printf '  condition: evt.type = openat and evt.is_open_write = true and ('
    for i in $(seq 0 299); do
        [ "$i" = 0 ] || printf ' or '
        printf '(fd.name startswith %s/h%d/ and proc.name != z%d)' "$tmp" "$i" "$i"
    done
    printf ')\n'
} >> "$tmp/r400.yaml"
"$SGC" lint "$tmp/r400.yaml" > "$tmp/lint.out" || fail "401 rules do not lint clean: $(cat "$tmp/lint.out")"
grep -q "SGC_KERNEL_FILTER_USERSPACE.*has 601 kernel atoms.*rule 'huge rule'" "$tmp/lint.out" ||
    fail "no userspace warning naming the huge rule: $(cat "$tmp/lint.out")"
"$SGC" compile "$tmp/r400.yaml" -o "$tmp/r400.sgc" 2> "$tmp/compile.err" ||
    fail "400 rules do not compile: $(cat "$tmp/compile.err")"

# a list stored once: 60 rules x 20,000 items would be ~25 MB per-rule
python3 "$gen" --rules 60 --list-items 20000 --prefix "$tmp/y" -o "$tmp/r60.yaml"
"$SGC" lint "$tmp/r60.yaml" > /dev/null || fail "the list rule set does not lint"
"$SGC" compile --no-pushdown "$tmp/r60.yaml" -o "$tmp/r60.sgc" 2> "$tmp/c60.err" ||
    fail "the list rule set does not compile: $(cat "$tmp/c60.err")"
size=$(stat -c %s "$tmp/r60.sgc")
[ "$size" -lt 4000000 ] || fail "artifact of 60 rules over one 20,000-item list is $size bytes: the list is not stored once"
echo "ok: 60 rules x 20,000-item list: artifact $size bytes"

live_require_bpf
live_require_clang
live_start scale run --json -o "$tmp/alerts.json" "$tmp/r400.sgc"
mkdir -p "$tmp/x0" "$tmp/x399" "$tmp/x200"
echo a > "$tmp/x0/f"
echo b > "$tmp/x399/f"
echo c > "$tmp/x200/g"
wait_alert "$tmp/alerts.json" "gen rule 0" "fd.name=$tmp/x0/f"
wait_alert "$tmp/alerts.json" "gen rule 399" "fd.name=$tmp/x399/f"
wait_alert "$tmp/alerts.json" "gen rule 200" "fd.name=$tmp/x200/g"
mkdir -p "$tmp/h299"
echo d > "$tmp/h299/f"
wait_alert "$tmp/alerts.json" "huge rule" "fd.name=$tmp/h299/f"
live_stop
echo "ok: 400 rules: alerts from the first, a middle and the last chunk"
