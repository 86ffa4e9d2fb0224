#!/usr/bin/env bash
# `sgc list-fields`: text grouped by class, JSON with one object per field,
# usage errors exit 2.
set -euo pipefail
: "${SGC:?path to the sgc binary}"
fail() { echo "FAIL: $*" >&2; exit 1; }

text=$("$SGC" list-fields)
for class in evt proc thread fd fs.path user group container k8s; do
    grep -qx "$class fields:" <<<"$text" || fail "no '$class fields:' heading"
done
grep -Eq '^  proc\.name +string +' <<<"$text" || fail "proc.name line missing"
grep -Eq '^  proc\.aname\[N\] +string +' <<<"$text" || fail "proc.aname[N] line missing"
grep -Eq '^  fd\.sport +port +' <<<"$text" || fail "fd.sport line missing"

json=$("$SGC" list-fields --json)
[[ ${json:0:1} == "[" ]] || fail "JSON does not start with ["
nfields=$(grep -c '^  [a-z]' <<<"$text")
nobjects=$(grep -c '^  {"id": ' <<<"$json")
[[ $nfields -eq $nobjects ]] || fail "text lists $nfields fields, JSON $nobjects"
grep -q '{"id": [0-9]*, "name": "evt.rawres", "class": "evt", "type": "int64", "arg": "none", "list": false, "deprecated": false, "filter_only": false, "kernel": "exact", "desc": ' <<<"$json" \
    || fail "evt.rawres object not as expected"
grep -q '"name": "fd.types", .*"list": true' <<<"$json" || fail "fd.types is not a list"
if command -v python3 >/dev/null && python3 -c 'import json' 2>/dev/null; then
    python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d) > 200' <<<"$json" \
        || fail "JSON does not parse"
fi

set +e
"$SGC" list-fields --bogus >/dev/null 2>&1; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "unknown option exits $rc, not 2"
"$SGC" list-fields --help | grep -q 'usage: sgc list-fields' || fail "--help"
echo ok
