#!/usr/bin/env bash
# The malformed-playbook table: each tests/respond/bad/*.yaml names, on its
# first line, the diagnostic `sgc respond --check` must print for it
# ("# expect: LINE:COL: SEVERITY: [CODE] MESSAGE", matched as a prefix of the
# line after "FILE:"), and the command must exit 1. Each
# tests/respond/good/*.yaml must check cleanly (exit 0). At least 20 bad cases.
set -euo pipefail
: "${SGC:?path to the sgc binary}" "${SGC_SRC:?source tree}"
dir="$SGC_SRC/tests/respond"
n=0 fail=0
for f in "$dir"/bad/*.yaml; do
    want=$(head -1 "$f" | sed -n 's/^# expect: //p')
    [ -n "$want" ] || { echo "FAIL $f: no '# expect:' line"; fail=$((fail+1)); continue; }
    set +e
    out=$("$SGC" respond --check "$f" 2>&1)
    rc=$?
    set -e
    n=$((n+1))
    if [ "$rc" -ne 1 ]; then
        echo "FAIL $(basename "$f"): exit $rc, want 1"; echo "$out" | sed 's/^/    /'; fail=$((fail+1)); continue
    fi
    if ! grep -qF -- "$f:$want" <<<"$out"; then
        echo "FAIL $(basename "$f"): want '$want'"; echo "$out" | sed 's/^/    /'; fail=$((fail+1)); continue
    fi
    echo "ok   $(basename "$f")"
done
for f in "$dir"/good/*.yaml; do
    [ -e "$f" ] || continue
    if ! out=$("$SGC" respond --check "$f" 2>&1); then
        echo "FAIL $(basename "$f") (good): $out"; fail=$((fail+1))
    else
        echo "ok   $(basename "$f") (good)"
    fi
done
[ "$n" -ge 20 ] || { echo "FAIL only $n bad cases (want >= 20)"; exit 1; }
[ "$fail" -eq 0 ] || { echo "$fail case(s) failed"; exit 1; }
echo "all $n malformed playbook cases hold"
