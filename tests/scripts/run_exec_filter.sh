#!/bin/bash
# The kernel filter on exec records, live (bpf-templates/capture.bpf.c,
# sgc_exec_decide): the execve rules' filter judges each successful exec's
# record. An exec no rule can match still goes up for the process table, but
# with an empty candidate bitmap and without waking sgc; an exec a rule may
# match goes up at once and alerts. Then a reload (SIGHUP) to a rule on
# another name: the exec handler is the new rule set's (a stale one would
# drop the new name's exec). A successful execveat is typed execveat.
# Needs root, BPF and clang.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/scripts/lib/live.sh"
live_begin
export SGC_NO_DEFAULT_CONFIG=1

cp /bin/true "$tmp/sgcexec-hit"
cp /bin/true "$tmp/sgcexec-new"
cp /bin/true "$tmp/sgcexec-at"
rules() { # rules NAME: one exec rule on proc.name = NAME
    cat > "$tmp/rules.yaml" << YAML
- rule: Exec of $1
  desc: test
  condition: evt.type in (execve, execveat) and evt.dir = < and proc.name = $1
  output: exec (proc=%proc.name exe=%proc.exepath parent=%proc.pname)
  priority: WARNING
- rule: Execveat of sgcexec-at
  desc: test
  condition: evt.type = execveat and proc.exepath = $tmp/sgcexec-at
  output: execveat (type=%evt.type exe=%proc.exepath)
  priority: WARNING
- rule: Execve of sgcexec-at
  desc: test
  condition: evt.type = execve and proc.exepath = $tmp/sgcexec-at
  output: execve (type=%evt.type exe=%proc.exepath)
  priority: WARNING
YAML
}
rules sgcexec-hit

live_start run run --json -o "$tmp/alerts.json" "$tmp/rules.yaml"
run_pid=$live_pid
live_expect_pushdown run

benign=300
for _ in $(seq "$benign"); do /bin/true; done
"$tmp/sgcexec-hit"
wait_alert "$tmp/alerts.json" "Exec of sgcexec-hit" proc.name=sgcexec-hit \
    proc.exepath="$tmp/sgcexec-hit"
# a successful execveat (fexecve: execveat(fd, "", AT_EMPTY_PATH)) is typed
# execveat, as Falco types it: the execveat rule alerts, the execve one not
python3 -c 'import os, sys; os.execve(os.open(sys.argv[1], os.O_RDONLY), [sys.argv[1]], {})' \
    "$tmp/sgcexec-at"
wait_alert "$tmp/alerts.json" "Execveat of sgcexec-at" evt.type=execveat \
    proc.exepath="$tmp/sgcexec-at"

# the reload: the old exec filter would drop sgcexec-new's exec
rules sgcexec-new
kill -HUP "$run_pid"
for _ in $(seq 100); do
    grep -q 'reloaded in' "$tmp/run.err" && break
    sleep 0.1
done
grep -q 'reloaded in' "$tmp/run.err" || {
    cat "$tmp/run.err" >&2
    fail "no reload"
}
"$tmp/sgcexec-new"
wait_alert "$tmp/alerts.json" "Exec of sgcexec-new" proc.name=sgcexec-new
"$tmp/sgcexec-hit"
live_stop "$run_pid"
no_alert "$tmp/alerts.json" proc.name=true

# the benign execs were judged in the kernel: counted, sent without hurry
live_exec_judged run "$benign"
! grep -q '"rule":"Execve of sgcexec-at"' "$tmp/alerts.json" || fail "the execveat was typed execve"
hits=$(grep -c '"rule":"Exec of sgcexec-hit"' "$tmp/alerts.json" || true)
[ "$hits" = 1 ] || fail "sgcexec-hit alerted $hits times (once before the reload, not after it)"
echo "ok: $live_judged exec records judged in the kernel; the hits alerted, before and after the reload"
