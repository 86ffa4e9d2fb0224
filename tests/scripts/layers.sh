#!/usr/bin/env bash
# The layers are enforced by the build: for each row of tests/layers/includes.txt,
# compile a file holding just `#include "HEADER"` with the exact command the
# build uses for SOURCE (from compile_commands.json). A wrong-way include must
# not compile ("fails" rows); a downward one must ("ok" rows, the controls).
set -euo pipefail
: "${SGC_SRC:?}" "${SGC_BUILD:?}"
db="$SGC_BUILD/compile_commands.json"
[ -f "$db" ] || { echo "no $db (CMAKE_EXPORT_COMPILE_COMMANDS is on in CMakeLists.txt)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
while read -r want src header; do
    case "$want" in ''|'#'*) continue ;; esac
    cmd=$(python3 - "$db" "$SGC_SRC/$src" "$tmp/probe.c" "$tmp/probe.o" <<'PY'
import json, shlex, sys
db, src, probe, obj = sys.argv[1:]
for e in json.load(open(db)):
    if e["file"] == src:
        args = e.get("arguments") or shlex.split(e["command"])
        out = []
        skip = False
        for a in args:
            if skip: skip = False; continue
            if a == "-o": skip = True; continue
            if a == src or a == "-c": continue
            out.append(a)
        print(e["directory"] + "\t" + shlex.join(out + ["-c", probe, "-o", obj]))
        break
PY
)
    [ -n "$cmd" ] || { echo "FAIL: $src is not in the build"; fail=$((fail+1)); continue; }
    printf '#include "%s"\nint sgc_layer_probe;\n' "$header" > "$tmp/probe.c"
    if (cd "${cmd%%$'\t'*}" && eval "${cmd#*$'\t'}") > "$tmp/log" 2>&1; then
        got=ok
    elif grep -q "$header: No such file" "$tmp/log"; then
        got=fails     # refused because the header is not on the part's path
    else
        got="broken"  # failed for another reason: the probe itself is wrong
    fi
    if [ "$got" = "$want" ]; then
        pass=$((pass+1))
    else
        echo "FAIL: $src including $header: expected $want, got $got"; sed -n 1,5p "$tmp/log"
        fail=$((fail+1))
    fi
done < "$SGC_SRC/tests/layers/includes.txt"
# Includes are by bare name, so two headers of one name in different parts
# would make the include path order decide which one a file gets.
dups=$(cd "$SGC_SRC" && git ls-files '*.h' | grep -v '^tests/\|^bench/' | xargs -n1 basename | sort | uniq -d)
if [ -n "$dups" ]; then
    echo "FAIL: header names used by more than one part: $dups"
    fail=$((fail+1))
else
    pass=$((pass+1))
fi
echo "layers: $pass passed, $fail failed"
[ "$fail" = 0 ]
