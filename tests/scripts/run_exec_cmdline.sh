#!/bin/bash
# proc.cmdline, proc.args and proc.env live (compiler/pushdown/pushdown_exec.c,
# bpf-templates/filter_exec.h): decided by the kernel filter on the real exec
# records of real execs, the environment copied because a rule reads it. The
# benign execs (/bin/true from a shell, without the rules' strings) are
# judged in the kernel; an exec whose command line holds "stratum+tcp" (a
# needle past 8 bytes), one with " -o " (spaces between arguments), one with
# glibc_tunables in its environment (icontains: another case) and one whose
# arguments start "-x sgc" each alert. Needs root, BPF and clang.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/scripts/lib/live.sh"
live_begin sgc-xc
export SGC_NO_DEFAULT_CONFIG=1

cat > "$tmp/rules.yaml" << 'YAML'
- rule: Stratum miner
  desc: test
  condition: evt.type in (execve, execveat) and evt.dir = < and proc.cmdline contains "stratum+tcp"
  output: miner (cmdline=%proc.cmdline)
  priority: WARNING
- rule: Output option
  desc: test
  condition: evt.type in (execve, execveat) and evt.dir = < and proc.cmdline contains " -o " and proc.name = sgcxc-o
  output: option (cmdline=%proc.cmdline)
  priority: WARNING
- rule: Tunables
  desc: test
  condition: evt.type in (execve, execveat) and evt.dir = < and proc.env icontains GLIBC_TUNABLES
  output: tunables (cmdline=%proc.cmdline name=%proc.name)
  priority: WARNING
- rule: Args
  desc: test
  condition: evt.type in (execve, execveat) and evt.dir = < and proc.args startswith "-x sgc"
  output: args (args=%proc.args)
  priority: WARNING
YAML
for name in sgcxc-o sgcxc-env; do cp /bin/true "$tmp/$name"; done
live_start run run --json -o "$tmp/alerts.json" "$tmp/rules.yaml"
run_pid=$live_pid
live_expect_pushdown run

# the benign execs' environment: this shell's, without the variable
benign=300
for _ in $(seq "$benign"); do env -u GLIBC_TUNABLES /bin/true; done
env -u GLIBC_TUNABLES /bin/true -o stratum+tcp://pool.example:3333
wait_alert "$tmp/alerts.json" "Stratum miner" proc.cmdline="true -o stratum+tcp://pool.example:3333"
env -u GLIBC_TUNABLES "$tmp/sgcxc-o" a -o b
wait_alert "$tmp/alerts.json" "Output option" proc.cmdline="sgcxc-o a -o b"
env -u GLIBC_TUNABLES glibc_tunables=sgc "$tmp/sgcxc-env"
wait_alert "$tmp/alerts.json" "Tunables" proc.name=sgcxc-env
env -u GLIBC_TUNABLES /bin/true -x sgc y
wait_alert "$tmp/alerts.json" "Args" proc.args="-x sgc y"
live_stop "$run_pid"
no_alert "$tmp/alerts.json" proc.cmdline=true

# the benign execs were judged in the kernel (their command line and
# environment decided there)
live_exec_judged run "$benign"
echo "ok: $live_judged exec records judged in the kernel; the Stratum, ' -o ', glibc_tunables and '-x sgc' execs alerted"
