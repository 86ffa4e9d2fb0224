#!/bin/bash
# The exec-record atoms live (compiler/pushdown/pushdown_exec.c,
# bpf-templates/filter_exec.h): proc.exe, proc.cwd and proc.is_exe_from_memfd
# decided by the kernel filter on the real exec records of real execs. The
# benign execs (/bin/true from a shell, elsewhere than /dev/shm) are judged
# in the kernel; an exec from /dev/shm, one with its working directory there
# and one from a memfd each alert. Needs root, BPF, clang and a writable
# /dev/shm.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-e2e.XXXXXX)
shm=$(mktemp -d /dev/shm/sgc-xa.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
trap 'live_cleanup; rm -rf "$tmp" "$shm"' EXIT
live_require_bpf
live_require_clang
export SGC_NO_DEFAULT_CONFIG=1

cat > "$tmp/rules.yaml" << 'YAML'
- rule: Exec from shm
  desc: test
  condition: evt.type in (execve, execveat) and evt.dir = < and proc.exe startswith /dev/shm/
  output: shm exec (exe=%proc.exe cwd=%proc.cwd)
  priority: WARNING
- rule: Exec in shm
  desc: test
  condition: evt.type in (execve, execveat) and evt.dir = < and proc.cwd startswith /dev/shm/ and proc.name = sgcxa-cwd
  output: shm cwd (exe=%proc.exe cwd=%proc.cwd)
  priority: WARNING
- rule: Exec from memfd
  desc: test
  condition: evt.type in (execve, execveat) and evt.dir = < and proc.is_exe_from_memfd = true and not proc.exepath = /x
  output: memfd exec (exe=%proc.exe exepath=%proc.exepath)
  priority: WARNING
YAML
cp /bin/true "$shm/sgcxa-shm"
cp /bin/true "$tmp/sgcxa-cwd"

live_start run run --json -o "$tmp/alerts.json" "$tmp/rules.yaml"
run_pid=$live_pid
live_expect_pushdown run

benign=300
for _ in $(seq "$benign"); do /bin/true; done
"$shm/sgcxa-shm"
wait_alert "$tmp/alerts.json" "Exec from shm" proc.exe="$shm/sgcxa-shm"
(cd "$shm" && "$tmp/sgcxa-cwd")
wait_alert "$tmp/alerts.json" "Exec in shm" proc.cwd="$shm/"
python3 - << 'PY'
import os
fd = os.memfd_create("sgcxa")
os.write(fd, open("/bin/true", "rb").read())
if os.fork() == 0:
    os.execv("/proc/self/fd/%d" % fd, ["sgcxa-memfd"])
os.wait()
PY
wait_alert "$tmp/alerts.json" "Exec from memfd" proc.exe=sgcxa-memfd
live_stop "$run_pid"
no_alert "$tmp/alerts.json" proc.name=true

# the benign execs were judged in the kernel (their proc.exe, proc.cwd and
# memfd flag decided FALSE there)
live_exec_judged run "$benign"
echo "ok: $live_judged exec records judged in the kernel; the exec from /dev/shm, in /dev/shm and from a memfd alerted"
