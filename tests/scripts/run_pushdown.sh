#!/bin/bash
# sgc run RULES.yaml compiles the rules' kernel filter (clang, cached) and
# runs it: the kernel must drop the events no rule can match (filtered > 0)
# and pass those that match, so the alerts equal those of a concurrent
# --no-pushdown run (the oracle: every event reaches userspace). The rules
# use only kernel-decidable atoms (uid, return value), whose filter needs no
# map contents. Needs root, BPF and clang.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/scripts/lib/live.sh"
live_begin
uid=4242
cat > "$tmp/rules.yaml" << YAML
- rule: Unlink by uid $uid
  desc: test
  condition: evt.type in (unlink, unlinkat) and user.uid = $uid
  output: unlink by uid $uid (file=%evt.arg.name proc=%proc.name uid=%user.uid)
  priority: WARNING
- rule: Failed open by uid $uid
  desc: test
  condition: evt.type = openat and evt.rawres < 0 and user.uid = $uid
  output: failed open (file=%fd.name res=%evt.res proc=%proc.name)
  priority: NOTICE
YAML

live_start_pair "$tmp/rules.yaml"

chmod 755 "$tmp" # uid 4242 must reach $tmp/d
mkdir -m 1777 "$tmp/d"
touch "$tmp/d/root-file"
setpriv --reuid=$uid --regid=$uid --clear-groups sh -c "
    touch '$tmp/d/u-file' && rm '$tmp/d/u-file'
    cat /sgc-e2e-missing 2> /dev/null
    rm -f '$tmp/d/root-file' 2> /dev/null
    true"
# the same by root: no rule matches, the kernel drops them
cat /sgc-e2e-missing-root 2> /dev/null || true
touch "$tmp/d/r-file" && rm "$tmp/d/r-file"

for f in pushdown oracle; do
    wait_alert "$tmp/$f.json" "Unlink by uid $uid" evt.arg.name="$tmp/d/u-file" proc.name=rm user.uid=$uid
    wait_alert "$tmp/$f.json" "Failed open by uid $uid" fd.name=/sgc-e2e-missing evt.res=ENOENT proc.name=cat
    wait_alert "$tmp/$f.json" "Unlink by uid $uid" evt.arg.name="$tmp/d/root-file"
    no_alert "$tmp/$f.json" fd.name=/sgc-e2e-missing-root
done
sleep 1
live_stop "$pushdown_pid"
live_stop "$oracle_pid"
grep -E 'kernel: [0-9]+ events seen, [1-9][0-9]* filtered' "$tmp/pushdown.err" ||
    fail "the kernel filter dropped nothing"

# the test's own alerts are the same with and without the filter
python3 - "$tmp/pushdown.json" "$tmp/oracle.json" "$tmp" << 'PY'
import json, sys
def ours(path, tmpdir):
    out = []
    for l in open(path):
        a = json.loads(l)
        f = a["output_fields"]
        if not (tmpdir in json.dumps(f) or "sgc-e2e-missing" in json.dumps(f)):
            continue
        f.pop("evt.time")
        f.pop("sgc.alert.id", None)  # per alert: it hashes the event time
        out.append(json.dumps([a["rule"], f], sort_keys=True))
    return sorted(out)
p, o = ours(sys.argv[1], sys.argv[3]), ours(sys.argv[2], sys.argv[3])
if p != o:
    sys.exit("FAIL: pushdown alerts differ from the oracle's:\n  pushdown %s\n  oracle   %s" % (p, o))
print("ok: %d alerts, identical with and without the kernel filter" % len(p))
PY
echo ok
