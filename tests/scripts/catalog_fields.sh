#!/usr/bin/env bash
# Every field of the catalog (`sgc list-fields --json`) goes through lint,
# compile and replay: one rule per field, the field in its condition (and in
# its output unless the field is for conditions only). Lint and run must never
# disagree about a field: each stage must accept all of them, and replay must
# render every one on a real event (tests/replay/basic.jsonl).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC

"$SGC" list-fields --json > "$tmp/fields.json"
python3 - "$tmp/fields.json" "$tmp/rules.yaml" "$tmp/k8s.yaml" <<'PY'
import json, sys
fields = json.load(open(sys.argv[1]))
# the k8s_audit source's own fields get rules of that source (below)
k8s = [f for f in fields if "syscall" not in f.get("sources", ["syscall"])]
fields = [f for f in fields if "syscall" in f.get("sources", ["syscall"])]
with open(sys.argv[3], "w") as out:
    for f in k8s:
        r = f["name"] + ("[0]" if f["arg"].startswith("index") else "[/verb]" if f["name"] in ("jevt.value", "json.value") else "[x]" if f["arg"].endswith("required") else "")
        out.write("- rule: catalog %s\n  desc: field %d of the catalog\n"
                  "  condition: ka.verb exists and (%s exists or not %s exists)\n"
                  "  output: \"field %s=%%%s\"\n  priority: NOTICE\n  source: k8s_audit\n\n"
                  % (f["name"], f["id"], r, r, r, r))
# an argument that each argument form accepts
sample = {"evt.type.is": ".open", "evt.arg": ".flags", "evt.rawarg": ".flags",
          "proc.aname": "[1]", "proc.aexe": "[1]", "proc.aexepath": "[1]",
          "proc.acmdline": "[1]", "proc.apid": "[1]", "proc.aenv": "[1]", "fd.types": "[0]"}
def ref(f):
    if f["name"] in sample:
        return f["name"] + sample[f["name"]]
    if f["arg"].startswith("dotted"):
        return f["name"] + ".x"
    if f["arg"].endswith("required"):
        return f["name"] + "[x]"
    return f["name"]
with open(sys.argv[2], "w") as out:
    for f in fields:
        r = ref(f)
        output = "field %s" % r if f["filter_only"] else "field %s=%%%s" % (r, r)
        out.write("- rule: catalog %s\n  desc: field %d of the catalog\n"
                  "  condition: evt.type in (open, openat, execve, connect) and %s exists\n"
                  "  output: \"%s\"\n  priority: NOTICE\n\n" % (f["name"], f["id"], r, output))
print("%d fields" % len(fields))
PY
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/fields.json")
[ "$n" -gt 150 ] || { echo "catalog too small: $n"; exit 1; }

# lint: no errors (warnings such as deprecations are fine)
"$SGC" lint --format json "$tmp/rules.yaml" > "$tmp/lint.json" || true
python3 - "$tmp/lint.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
diags = d["findings"]
errs = [x for x in diags if x.get("severity") == "error"]
for e in errs[:20]:
    print("lint error:", e)
sys.exit(1 if errs else 0)
PY

# compile: the whole set becomes an artifact
"$SGC" compile "$tmp/rules.yaml" -o "$tmp/rules.sgca" > "$tmp/compile.log" 2>&1 || {
    cat "$tmp/compile.log"; exit 1; }

# replay: every rule compiles in the evaluator and every output renders
"$SGC" replay --json "$SGC_SRC/tests/replay/basic.jsonl" "$tmp/rules.yaml" > "$tmp/alerts.jsonl" 2> "$tmp/replay.err" || {
    cat "$tmp/replay.err"; exit 1; }
alerts=$(wc -l < "$tmp/alerts.jsonl")
[ "$alerts" -gt 0 ] || { echo "replay gave no alert"; cat "$tmp/replay.err"; exit 1; }

# the k8s_audit fields: lint clean, and every rule renders on an audit event
"$SGC" lint "$tmp/k8s.yaml" > "$tmp/k8s-lint.txt" 2>&1 || { cat "$tmp/k8s-lint.txt"; exit 1; }
nk=$(grep -c '^- rule:' "$tmp/k8s.yaml")
grep '^event: ' "$SGC_SRC/tests/k8saudit/field_cases.txt" | head -1 | sed 's/^event: //' > "$tmp/audit.jsonl"
"$SGC" replay --json --all-matches --source k8s_audit "$tmp/audit.jsonl" "$tmp/k8s.yaml" > "$tmp/k8s-alerts.jsonl" 2> "$tmp/k8s-replay.err" || {
    cat "$tmp/k8s-replay.err"; exit 1; }
ka=$(wc -l < "$tmp/k8s-alerts.jsonl")
[ "$ka" = "$nk" ] || { echo "k8s_audit: $ka alerts for $nk field rules"; exit 1; }
echo "catalog: $n fields through lint, compile and replay ($alerts alerts); $nk k8s_audit fields through lint and replay"
