#!/usr/bin/env bash
# Acceptance: Falco's three rule files compile to artifacts with a kernel
# filter, alone and together (the union is what `sgc run` loads), the
# output is byte-for-byte reproducible, and the phase timings are printed
# for the record (-v).
set -euo pipefail
: "${SGC:?path to the sgc binary}" "${SGC_CORPUS:?Falco rule files}"
C=$SGC_CORPUS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

compile() {
    local name=$1; shift
    local t0 t1
    t0=$(date +%s%N)
    "$SGC" compile -v "$@" -o "$tmp/$name.sgca" > "$tmp/$name.out" 2> "$tmp/$name.err" ||
        { cat "$tmp/$name.out" "$tmp/$name.err"; fail "$name does not compile"; }
    t1=$(date +%s%N)
    grep -q "kernel filter: generated" "$tmp/$name.out" || fail "$name: no kernel filter"
    if grep -q "error" "$tmp/$name.err" | grep -v "0 errors"; then fail "$name: errors"; fi
    printf '%-12s %6d ms wall  ' "$name" $(( (t1 - t0) / 1000000 ))
    head -1 "$tmp/$name.out" | sed 's/.*(\([0-9]* bytes\)): /\1, /'
    grep "timings" "$tmp/$name.err" | sed 's/^sgc compile: /             /'
}

compile falco       "$C/falco_rules.yaml"
compile incubating  "$C/falco-incubating_rules.yaml"
compile sandbox     "$C/falco-sandbox_rules.yaml"
compile union       "$C/falco_rules.yaml" "$C/falco-incubating_rules.yaml" "$C/falco-sandbox_rules.yaml"

# reproducible: the same rules give the same bytes
"$SGC" compile "$C/falco_rules.yaml" "$C/falco-incubating_rules.yaml" "$C/falco-sandbox_rules.yaml" \
    -o "$tmp/union2.sgca" > /dev/null 2>&1
cmp -s "$tmp/union.sgca" "$tmp/union2.sgca" || fail "two compiles of the same rules differ"
echo "compile_corpus: ok"
