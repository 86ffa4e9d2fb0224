#!/usr/bin/env bash
# Falco's k8s_audit rules, unmodified, against tests/k8saudit/rule_cases.jsonl
# (sgc replay --check --source k8s_audit): every rule fires on its event and
# its near miss fires nothing. Also checks the coverage of the case file:
# each rule of the rules file that one event can fire has a "fires:" case and
# a "near miss:" case; the others are named in a "never fires:" case.
set -euo pipefail
: "${SGC:?path to the sgc binary}" "${SGC_SRC:?source tree}" "${SGC_CORPUS:?corpus}"
rules="$SGC_CORPUS/../k8saudit/k8s_audit_rules.yaml"
cases="$SGC_SRC/tests/k8saudit/rule_cases.jsonl"
[[ -f $rules ]] || { echo "FAIL: $rules missing" >&2; exit 1; }

# 0 errors, lint-clean
"$SGC" lint "$rules" >/dev/null || { echo "FAIL: sgc lint $rules" >&2; "$SGC" lint "$rules" >&2; exit 1; }

out=$("$SGC" replay --check --json --source k8s_audit "$cases" "$rules") \
    || { echo "FAIL: replay --check" >&2; exit 1; }
grep -q '"source":"k8s_audit"' <<<"$out" || { echo "FAIL: alerts without source k8s_audit" >&2; exit 1; }

python3 - "$rules" "$cases" <<'PY'
import re, sys
rules = [m.group(1).strip() for m in re.finditer(r"^- rule: (.+)$", open(sys.argv[1]).read(), re.M)]
text = open(sys.argv[2]).read()
fires = set(re.findall(r"^# fires: ([^(\n]+?)(?: \(|$)", text, re.M))
near = " ".join(re.findall(r"^# near miss: (.+)$", text, re.M))
never = " ".join(re.findall(r"^# never fires: (.+)$", text, re.M))
bad = []
for r in rules:
    if r in never:
        continue
    if r not in fires:
        bad.append(f"no 'fires:' case for rule '{r}'")
    if r not in near:
        bad.append(f"no 'near miss:' case for rule '{r}'")
if len(rules) != 48:
    bad.append(f"{len(rules)} rules in the file, expected 48")
for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
# how list fields compare: in, intersects, exists, <NA>
"$SGC" replay --check --source k8s_audit "$SGC_SRC/tests/k8saudit/semantics_cases.jsonl" \
    "$SGC_SRC/tests/k8saudit/semantics_rules.yaml" >/dev/null || { echo "FAIL: semantics cases" >&2; exit 1; }
echo "ok: $(grep -c '^# expect:' "$cases") k8s_audit rule cases"
