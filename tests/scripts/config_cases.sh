#!/bin/bash
# The table of configuration cases (tests/config-cases/*.yaml, README.md
# there): each malformed sgc.yaml is refused with its exact message at its
# line:col (exit 1, nothing started); warning cases load (exit 0) and print
# their warning.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
export SGC_NO_DEFAULT_CONFIG=1
dir="$SGC_SRC/tests/config-cases"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fails=0
for f in "$dir"/*.yaml; do
    exp=$(sed -n 's/^# expect: //p' "$f")
    warn=$(sed -n 's/^# expect-warning: //p' "$f")
    read -r -a args <<< "$(sed -n 's/^# args: //p' "$f")"
    want=1
    [ -n "$warn" ] && { exp=$warn; want=0; }
    [ -n "$exp" ] || { echo "FAIL: $f has no expectation"; fails=$((fails + 1)); continue; }
    exp=${exp/#FILE/$f}
    rc=0
    timeout 60 "$SGC" run -c "$f" --dry-run "${args[@]}" > "$tmp/out" 2> "$tmp/err" || rc=$?
    n=$((n + 1))
    if [ "$rc" != "$want" ]; then
        echo "FAIL: $(basename "$f"): exit $rc, expected $want"; cat "$tmp/err"
        fails=$((fails + 1))
    elif ! grep -qxF -- "$exp" "$tmp/err"; then
        echo "FAIL: $(basename "$f"): missing line: $exp"; cat "$tmp/err"
        fails=$((fails + 1))
    elif [ "$want" = 1 ] && ! grep -q 'nothing started' "$tmp/err"; then
        echo "FAIL: $(basename "$f"): does not say nothing started"; fails=$((fails + 1))
    fi
done
echo "config cases: $n run, $fails failed"
[ "$n" -ge 30 ] || { echo "FAIL: fewer than 30 cases"; exit 1; }
[ "$fails" = 0 ]
