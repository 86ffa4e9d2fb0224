#!/usr/bin/env bash
# The lint acceptance suite: every tests/lint/**/*.yaml states what
# `sgc lint` must find in it, in header comments:
#   # expect: CODE LINE:COL    this finding must be reported (several allowed)
#   # reject: CODE             this code must not be reported (false positives)
#   # exit: N                  expected exit status (default: 1 when an
#                              expected code is an error, else 0)
# Each file is linted alone with --format json; the runner checks every
# expectation and the exit status, and that there are at least 40 cases.
set -euo pipefail
: "${SGC:?path to the sgc binary}" "${SGC_SRC:?source tree}"
exec python3 - "$SGC" "$SGC_SRC/tests/lint" <<'PY'
import json, pathlib, re, subprocess, sys

sgc, root = sys.argv[1], pathlib.Path(sys.argv[2])
cases = sorted(root.rglob("*.yaml"))
failed = []
for case in cases:
    expects, rejects, exit_want = [], [], None
    for line in case.read_text(errors="replace").splitlines():
        m = re.match(r"#\s*expect:\s*([A-Z0-9_]+)\s+(\d+):(\d+)\s*$", line)
        if m:
            expects.append((m[1], int(m[2]), int(m[3])))
            continue
        m = re.match(r"#\s*reject:\s*([A-Z0-9_]+)\s*$", line)
        if m:
            rejects.append(m[1])
            continue
        m = re.match(r"#\s*exit:\s*(\d+)\s*$", line)
        if m:
            exit_want = int(m[1])
            continue
        if line.startswith("#") and re.match(r"#\s*(expect|reject|exit)\b", line):
            failed.append(f"{case}: malformed header line: {line}")
    if not expects and not rejects:
        failed.append(f"{case}: no '# expect:' or '# reject:' line")
        continue
    if exit_want is None:
        exit_want = 1 if any(c.startswith("LOAD_ERR_") for c, _, _ in expects) else 0
    p = subprocess.run([sgc, "lint", "--format", "json", str(case)],
                       capture_output=True, text=True, timeout=60)
    problems = []
    try:
        report = json.loads(p.stdout)
        found = {(f["code"], f["line"], f["column"]) for f in report["findings"]}
        codes = {f["code"] for f in report["findings"]}
    except (ValueError, KeyError, TypeError) as e:
        problems.append(f"output is not the lint JSON ({e}): {p.stdout[:300]!r} {p.stderr[:300]!r}")
        found, codes = set(), set()
    for e in expects:
        if e not in found:
            near = sorted(f"{c} {l}:{k}" for c, l, k in found if c == e[0]) or sorted(f"{c} {l}:{k}" for c, l, k in found)
            problems.append(f"missing {e[0]} {e[1]}:{e[2]} (got: {', '.join(near) or 'nothing'})")
    for r in rejects:
        if r in codes:
            problems.append(f"unexpected {r}")
    if p.returncode != exit_want:
        problems.append(f"exit {p.returncode}, want {exit_want}")
    if problems:
        failed.append(f"{case.relative_to(root)}: " + "; ".join(problems))

for f in failed:
    print("FAIL", f)
print(f"{len(cases) - len(failed)}/{len(cases)} lint cases pass")
if len(cases) < 40:
    print(f"FAIL: only {len(cases)} cases under tests/lint (want at least 40)")
    sys.exit(1)
sys.exit(1 if failed else 0)
PY
