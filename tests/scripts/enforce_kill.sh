#!/usr/bin/env bash
# sgc run --enforce, live:
#  - a rule the kernel decides completely, enforced with kill: the victim
#    does the offending syscall (mkdirat) and then writes a marker; the
#    marker never appears, it dies by SIGKILL, the alert says "killed in the
#    kernel";
#  - the same rule shape in audit mode: the victim lives (marker written),
#    the alert says it would have been killed in the kernel;
#  - a rule only partly decided in the kernel (proc.cmdline is userspace's):
#    killed from userspace right after evaluation (SIGKILL, the alert says so);
#  - sgc explain --enforce names in-kernel vs userspace enforcement.
# Needs root, BPF, clang and a C compiler (skips without; fails on CI).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/scripts/lib/live.sh"
live_begin sgc-i14-enf
cc=$(command -v cc || command -v gcc || true)
[ -n "$cc" ] || live_skip "no C compiler for the victim program"
for name in i14exact i14audit i14part; do
    "$cc" -O1 -o "$tmp/$name" "$SGC_SRC/tests/respond/enforce_victim.c"
done
cat > "$tmp/rules.yaml" <<'YAML'
- rule: I14 exact
  desc: decided completely in the kernel
  condition: evt.type = mkdirat and proc.name = i14exact
  output: exact (pid=%proc.pid exe=%proc.exepath cmd=%proc.cmdline)
  priority: CRITICAL
- rule: I14 audit
  desc: decided completely in the kernel, audit only
  condition: evt.type = mkdirat and proc.name = i14audit
  output: audit (pid=%proc.pid exe=%proc.exepath cmd=%proc.cmdline)
  priority: CRITICAL
- rule: I14 partial
  desc: proc.cmdline is decided in userspace
  condition: evt.type = mkdirat and proc.name = i14part and proc.cmdline contains partial
  output: partial (pid=%proc.pid exe=%proc.exepath cmd=%proc.cmdline)
  priority: CRITICAL
YAML
enf=(--enforce "I14 exact=kill" --enforce "I14 audit=audit" --enforce "I14 partial=kill")
"$SGC" explain "$tmp/rules.yaml" "${enf[@]}" > "$tmp/explain.txt"
grep -A2 '^rule: I14 exact' "$tmp/explain.txt" > /dev/null
python3 - "$tmp/explain.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
blocks = {m.group(1): m.group(0) for m in re.finditer(r"rule: (I14 \w+)\n(?:  .*\n|    .*\n)*", t)}
assert "in the kernel (SIGKILL at the syscall exit) on mkdirat" in blocks["I14 exact"], blocks["I14 exact"]
assert "enforcement (audit)" in blocks["I14 audit"]
assert "from userspace (after evaluation) on mkdirat" in blocks["I14 partial"], blocks["I14 partial"]
print("ok: sgc explain --enforce: exact rule in the kernel, partial rule from userspace")
PY

live_start run run --json -o "$tmp/alerts.json" "${enf[@]}" "$tmp/rules.yaml"
grep -q "enforcing 3 rule" "$tmp/run.err"

victim() { # NAME DIR SLEEP -> exit status
    set +e
    "$tmp/$1" "$2" "$2.marker" "$3"
    local st=$?
    set -e
    echo $st
}
# 1. in-kernel kill: the marker is never written
st=$(victim i14exact "$tmp/exact-dir" 0)
[ "$st" = 137 ] || fail "exact victim exit $st, want 137 (SIGKILL)"
[ ! -e "$tmp/exact-dir.marker" ] || fail "the exact victim wrote its marker: it ran on after the syscall"
[ -d "$tmp/exact-dir" ] || fail "the offending syscall did not happen"
wait_alert "$tmp/alerts.json" "I14 exact" "sgc.enforcement=killed in the kernel (SIGKILL at the syscall exit)"

# 2. audit: lives, the alert says it would have been killed
st=$(victim i14audit "$tmp/audit-dir" 0)
[ "$st" = 0 ] || fail "audit victim exit $st, want 0"
[ -e "$tmp/audit-dir.marker" ] || fail "audit victim did not write its marker"
wait_alert "$tmp/alerts.json" "I14 audit" "sgc.enforcement=audit: would have been killed in the kernel"

# 3. partly kernel-decided: killed from userspace after evaluation
st=$(victim i14part "$tmp/partial-dir" 10)
[ "$st" = 137 ] || fail "partial victim exit $st, want 137 (SIGKILL from userspace)"
[ ! -e "$tmp/partial-dir.marker" ] || fail "the partial victim wrote its marker"
python3 - "$tmp/alerts.json" <<'PY'
import json, sys, time
for _ in range(100):
    for l in open(sys.argv[1]):
        a = json.loads(l)
        if a["rule"] == "I14 partial":
            e = a["output_fields"].get("sgc.enforcement", "")
            assert e.startswith("killed from userspace: sent SIGKILL"), e
            print("ok: I14 partial:", e)
            sys.exit(0)
    time.sleep(0.1)
sys.exit("no I14 partial alert")
PY
live_stop "$live_pid"
echo "enforce_kill: ok"
