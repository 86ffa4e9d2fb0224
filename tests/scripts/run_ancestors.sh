#!/bin/bash
# proc.aname in the kernel, live: the filter walks the real_parent chain
# (bpf-templates/filter_anc.h) and the record carries it. A rule on
# proc.aname[2] fires for a real grandchild of a process named sgcanc-gp,
# and the same open by a process whose grandparent has another name is
# dropped in the kernel (`sgc record` of the same rules, which writes only
# what the kernel passes, never sees it); a rule on any ancestor
# (proc.aname in (...)) fires three levels down; the alerts show the
# ancestors the record carries. Needs root, BPF and clang.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/scripts/lib/live.sh"
live_begin
export SGC_NO_DEFAULT_CONFIG=1

gp="$tmp/sgcanc-gp" # its comm: sgcanc-gp
cp "$(command -v bash)" "$gp"
touch "$tmp/m-good" "$tmp/m-benign" "$tmp/m-child" "$tmp/a-deep" "$tmp/a-benign"
cat > "$tmp/rules.yaml" << YAML
- rule: Grandchild of sgcanc-gp
  desc: test
  condition: evt.type in (open, openat) and fd.name startswith $tmp/m- and proc.aname[2] = sgcanc-gp
  output: grandchild open (file=%fd.name proc=%proc.name parent=%proc.pname gparent=%proc.aname[2] ggparent=%proc.aname[3])
  priority: WARNING
- rule: Below sgcanc-gp
  desc: test
  condition: evt.type in (open, openat) and fd.name startswith $tmp/a- and proc.aname in (sgcanc-gp, nosuchname)
  output: descendant open (file=%fd.name proc=%proc.name a3=%proc.aname[3])
  priority: WARNING
YAML

live_start pushdown run --json -o "$tmp/pushdown.json" "$tmp/rules.yaml"
pushdown_pid=$live_pid
live_expect_pushdown pushdown
live_start record record -o "$tmp/events" "$tmp/rules.yaml"
record_pid=$live_pid

# cat's parent is sh, its grandparent sgcanc-gp (`; true` keeps each shell
# from exec'ing its last command)
"$gp" -c "sh -c 'cat $tmp/m-good > /dev/null; true'; true"
# the benign ones: the grandparent is this script's shell, then sgcanc-gp
# is the parent
sh -c "cat $tmp/m-benign > /dev/null; true"
"$gp" -c "cat $tmp/m-child > /dev/null; true"
# any ancestor: sgcanc-gp is the third
"$gp" -c "sh -c 'sh -c \"cat $tmp/a-deep > /dev/null; true\"; true'; true"
sh -c "cat $tmp/a-benign > /dev/null; true"

wait_alert "$tmp/pushdown.json" "Grandchild of sgcanc-gp" fd.name="$tmp/m-good" proc.name=cat \
    proc.pname=sh proc.aname[2]=sgcanc-gp
wait_alert "$tmp/pushdown.json" "Below sgcanc-gp" fd.name="$tmp/a-deep" proc.name=cat \
    proc.aname[3]=sgcanc-gp
sleep 1
no_alert "$tmp/pushdown.json" fd.name="$tmp/m-benign"
no_alert "$tmp/pushdown.json" fd.name="$tmp/m-child"
no_alert "$tmp/pushdown.json" fd.name="$tmp/a-benign"
live_stop "$pushdown_pid"
live_stop "$record_pid"

# what the kernel passed (the opens' name arguments; the exec records of the
# shells name the files too): the grandchild's open, not the benign ones
grep -qF "\"name\":\"$tmp/m-good\"" "$tmp/events" || fail "the kernel dropped the grandchild's open"
for f in m-benign m-child; do
    if grep -qF "\"name\":\"$tmp/$f\"" "$tmp/events"; then
        fail "the kernel passed $f (its grandparent is not sgcanc-gp)"
    fi
done
echo "ok: the kernel passed the grandchild's open and dropped the benign ones"
