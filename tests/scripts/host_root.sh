#!/bin/bash
# HOST_ROOT (as Falco's): with the host's /proc and /etc seen under a prefix,
# as in a container that mounts them at /host, sgc reads processes from
# HOST_ROOT/proc and the host's accounts from HOST_ROOT/etc. Here the
# prefix holds the real /proc (bind-mounted, in a private mount namespace)
# and an /etc/passwd whose name for uid 0 differs from this machine's: the
# alert must show that name, and a process started before sgc must have its
# context (found through HOST_ROOT/proc). SGC_HOSTNAME names the host in
# the alerts. Needs root and BPF.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i15-hr.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
marker=sgc-i15-hr-$$
early=
trap 'live_cleanup; [ -z "$early" ] || kill "$early" 2> /dev/null || true; rm -rf "$tmp" /dev/shm/$marker' EXIT
live_require_bpf
command -v unshare > /dev/null || live_skip "unshare (util-linux) missing"

host=$tmp/host
mkdir -p "$host/proc" "$host/etc"
echo "hostroot$$:x:0:0:root:/root:/bin/sh" > "$host/etc/passwd"
echo "hostgrp$$:x:0:" > "$host/etc/group"
mkfifo "$tmp/go"
python3 -c 'import socket, sys; open(sys.argv[1]).read(); socket.socket(socket.AF_PACKET, socket.SOCK_RAW)' \
    "$tmp/go" "$marker" &
early=$!

# sgc in a private mount namespace where $host/proc is the host's /proc
unshare -m sh -c 'mount --bind /proc "$1/proc" && shift && exec "$@"' sh "$host" \
    env HOST_ROOT="$host/" SGC_HOSTNAME="node-i15-$$" "$SGC" run --json -o "$tmp/alerts.json" 2> "$tmp/run.err" &
pid=$!
live_pids+=("$pid")
for _ in $(seq $((LIVE_READY_TIMEOUT * 10))); do
    grep -q 'attached [0-9]* programs' "$tmp/run.err" 2> /dev/null && break
    kill -0 "$pid" 2> /dev/null || { cat "$tmp/run.err" >&2; fail "sgc exited before attaching"; }
    sleep 0.1
done
grep attached "$tmp/run.err" >&2 || fail "not attached"

echo go > "$tmp/go"
wait "$early"
cp /bin/true "/dev/shm/$marker"
"/dev/shm/$marker"
# the host's accounts come from HOST_ROOT/etc/passwd
wait_alert "$tmp/alerts.json" "Execution from dev shm" "proc.exepath=/dev/shm/$marker" \
    "user.name=hostroot$$"
# context of a process that existed before sgc: read from HOST_ROOT/proc
wait_alert "$tmp/alerts.json" "Packet socket opened" "proc.cmdline=~$marker" \
    "proc.exepath=$(python3 -c "import os, sys; print(os.path.realpath(sys.executable))")" \
    "user.name=hostroot$$"
# SGC_HOSTNAME (the chart sets it to the node's name) is the alerts' hostname
grep -q "\"hostname\":\"node-i15-$$\"" "$tmp/alerts.json" || fail "hostname is not \$SGC_HOSTNAME"
grep -q '"hostname":' "$tmp/alerts.json" && ! grep -v "\"hostname\":\"node-i15-$$\"" "$tmp/alerts.json" |
    grep -q . || fail "an alert without \$SGC_HOSTNAME as its hostname"
# sgc ignores its own events: it found its host pid through HOST_ROOT/proc/self
kill -INT "$pid"
for _ in $(seq $((LIVE_STOP_TIMEOUT * 10))); do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
done
wait "$pid" || fail "sgc exited with an error: $(tail -n 3 "$tmp/run.err")"
echo ok
