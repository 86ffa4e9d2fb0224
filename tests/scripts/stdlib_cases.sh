#!/bin/bash
# Replay the case files of the default rules (tests/stdlib-cases/*.jsonl, and
# tuning/*.jsonl with tuning/local.yaml loaded after the defaults)
# against stdlib-rules/sgc_rules.yaml -- the file embedded in the binary --
# with `sgc replay --check`: every "expect" line is a case (a rule that must
# match, or a near miss with "expect": []). Prints "N passed, M failed".
#
# A case whose event replay does not evaluate (a "container" event, until
# replay emits the container event type) cannot fail --check; it is detected by
# comparing the alerts produced with the alerts expected and reported as
# not evaluated instead of being counted as passed.
set -uo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
export TZ=UTC
rules="$SGC_SRC/stdlib-rules/sgc_rules.yaml"
passed=0 failed=0 skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check_file CASES RULES...
check_file() {
    local f=$1 name
    shift
    name=${f#"$SGC_SRC"/tests/stdlib-cases/}
    "$SGC" replay --check --all-matches --json "$f" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$? cases expected bad got unevaluated p extra
    read -r cases expected < <(python3 - "$f" <<'PY'
import json, sys
cases = expected = 0
for line in open(sys.argv[1]):
    s = line.strip()
    if not s or s.startswith('#'):
        continue
    try:
        o = json.loads(s)
    except ValueError:
        continue
    if isinstance(o, dict) and 'expect' in o:
        cases += 1
        expected += len(o['expect'])
print(cases, expected)
PY
)
    bad=$(grep -oE "^[^:]+:[0-9]+: (check failed|error)" "$tmp/err" | cut -d: -f2 | sort -un | wc -l)
    got=$(grep -c '"rule"' "$tmp/out")
    if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
        bad=$cases   # rules did not load, or usage error: everything failed
    fi
    unevaluated=0
    if [ "$bad" -eq 0 ] && [ "$got" -lt "$expected" ]; then
        unevaluated=$((expected - got))
        echo "NOTE: $name: $unevaluated expected alert(s) not produced by events replay does not evaluate (container events)"
    fi
    p=$((cases - bad - unevaluated))
    passed=$((passed + p)); failed=$((failed + bad)); skipped=$((skipped + unevaluated))
    if [ "$bad" -ne 0 ]; then
        echo "FAIL: $name"
        sed 's/^/  /' "$tmp/err"
    fi
    extra=""
    [ "$unevaluated" -ne 0 ] && extra=", $unevaluated not evaluated"
    echo "$name: $p passed, $bad failed$extra"
}

for f in "$SGC_SRC"/tests/stdlib-cases/*.jsonl; do
    check_file "$f" "$rules"
done
# A site's tuning (tuning/local.yaml, loaded after the defaults) and the
# verdicts it changes: lists and macros are overridable the Falco way.
for f in "$SGC_SRC"/tests/stdlib-cases/tuning/*.jsonl; do
    check_file "$f" "$rules" "$SGC_SRC/tests/stdlib-cases/tuning/local.yaml"
done

# The embedded copy is the file in the tree (the binary embeds it at build
# time): the same rules with the same conditions (sgc explain), lint-clean.
if ! diff <("$SGC" explain 2>&1) <("$SGC" explain "$rules" 2>&1) >/dev/null; then
    echo "FAIL: the embedded default rules differ from $rules (rebuild sgc)"
    failed=$((failed + 1))
fi
if ! "$SGC" lint --strict >/dev/null 2>&1; then
    echo "FAIL: sgc lint --strict of the embedded default rules"
    "$SGC" lint --strict
    failed=$((failed + 1))
fi
if ! "$SGC" lint --strict "$rules" >/dev/null 2>&1; then
    echo "FAIL: sgc lint --strict $rules"
    "$SGC" lint --strict "$rules"
    failed=$((failed + 1))
fi

# Program lists are compared with proc.name, the kernel's comm: an item longer
# than 15 characters can never match.
long=$(python3 - "$rules" <<'PY'
import sys, yaml
items = yaml.safe_load(open(sys.argv[1]))
lists = {i["list"] for i in items if "list" in i}
for i in items:
    for x in map(str, i.get("items", []) if "list" in i else []):
        if len(x) > 15 and x not in lists and not x.startswith(("/", "PTRACE_")):
            print("%s: %s" % (i["list"], x))
PY
)
if [ -n "$long" ]; then
    echo "FAIL: list items longer than a process name (15 characters):"
    echo "$long" | sed 's/^/  /'
    failed=$((failed + 1))
fi

extra=""
[ "$skipped" -ne 0 ] && extra=" ($skipped not evaluated)"
echo "$passed passed, $failed failed$extra"
[ "$failed" -eq 0 ]
