#!/usr/bin/env bash
# `sgc lint` options, exit statuses and output formats: the text layout with
# its caret, the JSON schema of docs/lint-json-schema.md, and the SARIF 2.1.0
# shape that code-scanning UIs read.
set -euo pipefail
: "${SGC:?path to the sgc binary}" "${SGC_SRC:?source tree}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A file with one error and one warning, and one with warnings only.
cat > "$tmp/bad.yaml" <<'YAML'
- list: shells
  items: [bash, sh, bash]
- rule: Shell in a file
  desc: x
  condition: evt.type = open and	proc.name in (shells) and proc.nmae = x
  output: "x %proc.name"
  priority: WARNING
YAML
cat > "$tmp/warn.yaml" <<'YAML'
- rule: Anything
  desc: x
  condition: proc.name = bash
  output: "x %proc.name"
  priority: WARNING
YAML

status() { set +e; "$@" > "$tmp/out" 2> "$tmp/err"; echo $?; set -e; }

# ---- exit statuses -----------------------------------------------------------
[ "$(status "$SGC" lint "$tmp/bad.yaml")" = 1 ] || fail "errors must exit 1"
[ "$(status "$SGC" lint "$tmp/warn.yaml")" = 0 ] || fail "warnings alone must exit 0"
[ "$(status "$SGC" lint --strict "$tmp/warn.yaml")" = 1 ] || fail "--strict: warnings must exit 1"
[ "$(status "$SGC" lint --format yaml "$tmp/warn.yaml")" = 2 ] || fail "bad --format must exit 2"
grep -q "unknown format 'yaml'" "$tmp/err" || fail "bad --format must say why"
[ "$(status "$SGC" lint --format)" = 2 ] || fail "--format without a value must exit 2"
[ "$(status "$SGC" lint --frobnicate "$tmp/warn.yaml")" = 2 ] || fail "unknown option must exit 2"
[ "$(status "$SGC" lint --help)" = 0 ] || fail "--help must exit 0"
grep -q "usage: sgc lint" "$tmp/out" || fail "--help must print the usage on stdout"
[ "$(status "$SGC" lint --format=json "$tmp/no-such-file.yaml")" = 1 ] || fail "unreadable file must exit 1"
grep -q '"code":"LOAD_ERR_FILE_READ"' "$tmp/out" || fail "unreadable file must be LOAD_ERR_FILE_READ"
[ "$(status "$SGC" lint)" = 0 ] || { cat "$tmp/out"; fail "the embedded rules must lint without errors"; }
# --ignore CODE leaves that code's warnings out (also under --strict), never errors
[ "$(status "$SGC" lint --strict --ignore LOAD_NO_EVTTYPE "$tmp/warn.yaml")" = 0 ] ||
    { cat "$tmp/out"; fail "--ignore: the ignored warning still counts"; }
grep -q "no findings: 1 rules.*(warnings left out by --ignore)" "$tmp/out" || fail "--ignore: the clean line must say warnings were left out"
[ "$(status "$SGC" lint --strict --ignore=SGC_SHADOWED_RULE "$tmp/warn.yaml")" = 1 ] ||
    fail "--ignore of another code must keep the warning"
[ "$(status "$SGC" lint --ignore LOAD_ERR_COMPILE_CONDITION --format json "$tmp/bad.yaml")" = 1 ] ||
    fail "--ignore must not leave out errors"
grep -q '"code":"LOAD_ERR_COMPILE_CONDITION"' "$tmp/out" || fail "--ignore left out an error"
[ "$(status "$SGC" lint --ignore)" = 2 ] || fail "--ignore without a code must exit 2"

# ---- text ----------------------------------------------------------------------
status "$SGC" lint "$tmp/bad.yaml" > /dev/null
python3 - "$tmp/out" "$tmp/bad.yaml" <<'PY'
import re, sys
out = open(sys.argv[1]).read().splitlines()
path = sys.argv[2]
# file:line:col: severity: [CODE] message (item)
heads = [i for i, l in enumerate(out) if re.match(re.escape(path) + r":\d+:\d+: (error|warning): \[[A-Z_]+\] .+", l)]
assert heads, out
err = [i for i in heads if "[LOAD_ERR_COMPILE_CONDITION]" in out[i]]
assert err, "no condition error"
i = err[0]
line, col = map(int, re.match(re.escape(path) + r":(\d+):(\d+):", out[i]).groups())
assert "(rule 'Shell in a file')" in out[i], out[i]
src = open(path).read().splitlines()[line - 1]
assert out[i + 1] == "  " + src, (out[i + 1], src)
caret = out[i + 2]
assert caret.endswith("^") and len(caret) == 2 + col, (caret, col)
# tabs before the column are kept so the caret lines up under it
assert caret[2:-1] == "".join("\t" if c == "\t" else " " for c in src[:col - 1]), repr(caret)
assert "\t" in caret
assert src[col - 1:].startswith("proc.nmae"), src[col - 1:]
assert re.match(r"\d+ errors?, \d+ warnings?$", out[-1]), out[-1]
PY

# ---- JSON -------------------------------------------------------------------------
status "$SGC" lint --format json "$tmp/bad.yaml" "$tmp/warn.yaml" > /dev/null
python3 - "$tmp/out" "$SGC_SRC/docs/lint-output.schema.json" "$tmp/bad.yaml" "$tmp/warn.yaml" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
schema = json.load(open(sys.argv[2]))
try:
    import jsonschema
    jsonschema.validate(doc, schema)
except ImportError:
    pass  # the checks below cover the schema's essentials
assert doc["version"] == 1
assert doc["files"] == sys.argv[3:5], doc["files"]
assert doc["errors"] == sum(f["severity"] == "error" for f in doc["findings"])
assert doc["warnings"] == sum(f["severity"] == "warning" for f in doc["findings"])
assert doc["errors"] >= 1 and doc["warnings"] >= 2
keys = {"severity", "code", "message", "file", "line", "column", "item"}
for f in doc["findings"]:
    assert set(f) == keys, f
    assert f["severity"] in ("error", "warning")
    assert isinstance(f["line"], int) and f["line"] >= 1, f
    assert isinstance(f["column"], int) and f["column"] >= 1, f
codes = {(f["code"], f["file"]) for f in doc["findings"]}
assert ("SGC_DUPLICATE_LIST_ITEM", sys.argv[3]) in codes, codes
assert ("LOAD_NO_EVTTYPE", sys.argv[4]) in codes, codes
# sorted: files in the order given, then line, column
order = [(sys.argv[3:5].index(f["file"]), f["line"], f["column"]) for f in doc["findings"]]
assert order == sorted(order), order
PY

# ---- SARIF 2.1.0 --------------------------------------------------------------------
status "$SGC" lint --format sarif "$tmp/bad.yaml" "$tmp/warn.yaml" > /dev/null
python3 - "$tmp/out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["version"] == "2.1.0"
assert "sarif" in doc["$schema"]
assert len(doc["runs"]) == 1
run = doc["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "sgc"
ids = [r["id"] for r in driver["rules"]]
assert len(ids) == len(set(ids)), "rule ids must be unique"
for r in driver["rules"]:
    assert isinstance(r["shortDescription"]["text"], str) and r["shortDescription"]["text"]
assert run["results"], "no results"
for res in run["results"]:
    assert res["ruleId"] in ids, res
    assert ids[res["ruleIndex"]] == res["ruleId"], res
    assert res["level"] in ("error", "warning")
    assert isinstance(res["message"]["text"], str) and res["message"]["text"]
    for loc in res["locations"]:
        phys = loc["physicalLocation"]
        uri = phys["artifactLocation"]["uri"]
        assert uri.startswith("file:///") and " " not in uri, uri
        reg = phys["region"]
        assert isinstance(reg["startLine"], int) and reg["startLine"] >= 1
        assert isinstance(reg["startColumn"], int) and reg["startColumn"] >= 1
levels = {r["level"] for r in run["results"]}
assert levels == {"error", "warning"}, levels
PY

# The embedded rules' pseudo file name is a valid URI reference too.
status "$SGC" lint --format sarif > /dev/null
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out"
echo "lint formats: ok"
