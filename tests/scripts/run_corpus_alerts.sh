#!/bin/bash
# sgc run, end to end: Falco's three rule files loaded unmodified, real BPF
# capture, real actions; the expected corpus rules must alert as JSON with the
# right output fields, and a benign control must not. Needs root and BPF
# (skips otherwise, fails on CI). Other activity on the host may alert too:
# every check names the test's own processes or files.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_CORPUS:?}"
tmp=$(mktemp -d /tmp/sgc-e2e.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
cg=""
trap 'live_cleanup; live_cgroup_remove "$cg"; rm -rf "$tmp" /dev/shm/sgc-e2e-shm' EXIT
live_require_bpf
command -v script > /dev/null || live_skip "script (bsdutils) missing"

rules=("$SGC_CORPUS/falco_rules.yaml" "$SGC_CORPUS/falco-incubating_rules.yaml"
       "$SGC_CORPUS/falco-sandbox_rules.yaml")
alerts="$tmp/alerts.json"
live_start run run --json -o "$alerts" "${rules[@]}"
run_pid=$live_pid
# with clang the union of the three files' kernel filter must compile, pass
# the verifier and attach
if command -v "${SGC_CLANG:-clang-19}" > /dev/null || command -v clang > /dev/null; then
    grep -q 'syscalls (pushdown)' "$tmp/run.err" || {
        cat "$tmp/run.err" >&2
        fail "the kernel filter of the corpus files is not running"
    }
fi

# the actors: renamed copies, so their alerts are ours
cp /bin/cat "$tmp/sgc-e2e-reader"
cp /bin/cat "$tmp/sgc-e2e-benign"
cp /bin/true /dev/shm/sgc-e2e-shm
cp /bin/bash "$tmp/containerd-shim"
cid=5e2e$(printf '%060d' "$$")
cg=$(live_fake_container_cgroup "$cid") || live_skip "cannot create a cgroup v2 group"
in_container() { # run "$@" with its process in the fake container's cgroup
    sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cg" "$@"
}

# benign controls first: the later alerts prove these were processed
"$tmp/sgc-e2e-benign" /etc/hostname > /dev/null
python3 -c 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW); "sgc-e2e-host"'

# an untrusted program reads /etc/shadow
sh -c "\"$tmp/sgc-e2e-reader\" /etc/shadow > /dev/null"
# a symlink over /etc/shadow
ln -s /etc/shadow "$tmp/shadow-link"
# a binary executed from /dev/shm
/dev/shm/sgc-e2e-shm
# a packet socket opened in a container
in_container python3 -c 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW); "sgc-e2e-ctr"'
# a command typed on a terminal (script gives it a pty and its own session;
# exec makes uname the group leader whatever $SHELL is: dash forks, bash execs)
script -qc "exec uname -n" /dev/null > /dev/null
# a shell with a terminal in a container, started by the container's shim
in_container script -qc "exec \"$tmp/containerd-shim\" -c 'bash -c true; true'" /dev/null > /dev/null

wait_alert "$alerts" "Read sensitive file untrusted" \
    fd.name=/etc/shadow proc.name=sgc-e2e-reader proc.exepath="$tmp/sgc-e2e-reader" \
    proc.cmdline="sgc-e2e-reader /etc/shadow" proc.pname=sh user.name=root user.uid=0 \
    evt.type=~open
wait_alert "$alerts" "Create Symlink Over Sensitive Files" \
    evt.arg.target=/etc/shadow evt.arg.linkpath="$tmp/shadow-link" proc.name=ln \
    proc.cmdline="ln -s /etc/shadow $tmp/shadow-link" proc.exepath=~/ln evt.type=~symlink
wait_alert "$alerts" "Execution from /dev/shm" \
    proc.exepath=/dev/shm/sgc-e2e-shm proc.name=sgc-e2e-shm evt.type=execve evt.res=SUCCESS
wait_alert "$alerts" "Packet socket created in container" \
    proc.name=python3 proc.cmdline=~sgc-e2e-ctr evt.type=socket
wait_alert "$alerts" "Basic Interactive Reconnaissance" \
    proc.name=uname proc.cmdline="uname -n" proc.tty!=0 evt.type=execve
wait_alert "$alerts" "Terminal shell in container" \
    proc.name=bash proc.pname=containerd-shim proc.cmdline="bash -c true" proc.tty!=0

# the controls: nothing from the benign reader, no container alert for the
# host's packet socket
no_alert "$alerts" proc.name=sgc-e2e-benign
no_alert "$alerts" proc.cmdline=~sgc-e2e-host

live_stop "$run_pid"
err="$tmp/run.err"
grep -E 'kernel: [0-9]+ events seen, [0-9]+ filtered, [0-9]+ passed, [0-9]+ lost' "$err" ||
    fail "no kernel summary on stderr"
grep -E 'runtime: [0-9]+ records, [0-9]+ decoded, 0 decode errors' "$err" ||
    fail "no runtime summary (or decode errors) on stderr"
grep -E 'rules: [0-9]+ events evaluated, [0-9]+ alerts' "$err" || fail "no rules summary"
grep -q '(SIGINT)' "$err" || fail "summary does not say SIGINT stopped it"
echo ok
