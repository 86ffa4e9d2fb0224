#!/bin/bash
# Least privilege: `sgc run` as an unprivileged user (nobody) holding only
# CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH raises the
# same alerts, with the same fields, as root running beside it; once
# attached it holds only CAP_SYS_PTRACE + CAP_DAC_READ_SEARCH effective and
# nothing inheritable or ambient; with any one capability fewer it exits 1
# naming that capability. Both hook strategies are exercised for the
# unprivileged run: per-syscall (tracefs read through CAP_DAC_READ_SEARCH)
# and raw_syscalls (no tracefs, the fallback). Needs root and BPF.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i15-lp.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
marker=sgc-i15-lp-$$
fifo=$tmp/go
early=
trap 'live_cleanup; [ -z "$early" ] || kill "$early" 2> /dev/null || true; rm -rf "$tmp" /dev/shm/$marker' EXIT
live_require_bpf
command -v setpriv > /dev/null || live_skip "setpriv (util-linux) missing"

# nobody must reach the binary, the BPF templates and its own cache/output
chmod 755 "$tmp"
install -m 755 "$SGC" "$tmp/sgc"
mkdir -p "$tmp/out" && chown 65534:65534 "$tmp/out"
chmod -R a+rX "$tmp"
caps=+bpf,+perfmon,+sys_ptrace,+dac_read_search

as_nobody() { # CAPS CMD...
    local c=$1
    shift
    setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps="$c" --ambient-caps="$c" \
        env XDG_CACHE_HOME="$tmp/out/cache" "$@"
}

# 1. each capability fewer: a clear error naming it, nothing attached
for missing in bpf perfmon sys_ptrace dac_read_search; do
    fewer=$(echo "$caps" | sed "s/+$missing//; s/,,/,/; s/^,//; s/,$//")
    rc=0
    as_nobody "$fewer" "$tmp/sgc" run --duration 1 > /dev/null 2> "$tmp/err" || rc=$?
    [ "$rc" = 1 ] || fail "without $missing: exit $rc, expected 1"
    name=CAP_$(echo "$missing" | tr a-z A-Z)
    grep -q "cannot start capture: insufficient privileges: missing capability $name," \
        "$tmp/err" || { cat "$tmp/err" >&2; fail "the error does not name $name"; }
    echo "ok: without $name: $(head -c 160 "$tmp/err")"
done

# 2. a root process started before sgc (its context comes from /proc, read
# through CAP_SYS_PTRACE), then actions once both sgc are attached
run_case() { # STRATEGY: "" (the one picked) or raw_syscalls
    local strategy=$1 tag=${1:-default}
    rm -f "$fifo" "$tmp/root.json" "$tmp/out/nobody.json"
    mkfifo "$fifo"
    python3 -c 'import socket, sys; open(sys.argv[1]).read(); socket.socket(socket.AF_PACKET, socket.SOCK_RAW)' \
        "$fifo" "$marker" &
    early=$!
    live_start "root-$tag" run --json -o "$tmp/root.json"
    local root_pid=$live_pid
    if [ -n "$strategy" ]; then
        # no tracefs in this mount namespace: the unprivileged run falls
        # back to raw_syscalls by itself
        unshare -m sh -c 'umount -l /sys/kernel/tracing 2>/dev/null; umount -l /sys/kernel/debug 2>/dev/null; exec "$@"' sh \
            setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps="$caps" --ambient-caps="$caps" \
            env XDG_CACHE_HOME="$tmp/out/cache" "$tmp/sgc" run --json -o "$tmp/out/nobody.json" \
            2> "$tmp/nobody-$tag.err" &
    else
        as_nobody "$caps" "$tmp/sgc" run --json -o "$tmp/out/nobody.json" 2> "$tmp/nobody-$tag.err" &
    fi
    local wrapper=$! pid=
    live_pids+=("$wrapper")
    for _ in $(seq $((LIVE_READY_TIMEOUT * 10))); do
        grep -q 'attached [0-9]* programs' "$tmp/nobody-$tag.err" 2> /dev/null && break
        kill -0 "$wrapper" 2> /dev/null || { cat "$tmp/nobody-$tag.err" >&2; fail "unprivileged sgc exited"; }
        sleep 0.1
    done
    # the sgc process itself (the wrappers exec it, the shell function forks)
    pid=$(pgrep -u 65534 -f "^$tmp/sgc run" | head -n1)
    [ -n "$pid" ] || fail "no unprivileged sgc process"
    live_pids+=("$pid")
    grep 'attached' "$tmp/nobody-$tag.err" >&2 || fail "unprivileged sgc did not attach"
    if [ -n "$strategy" ]; then
        grep -q 'attached 4 programs' "$tmp/nobody-$tag.err" ||
            fail "without tracefs: expected the raw_syscalls hook (4 programs)"
    fi
    # least privilege once attached (the unshare/setpriv wrappers exec)
    local sgc_pid=$pid
    for t in /proc/"$sgc_pid"/task/*; do
        # a short-lived thread (a DNS or container lookup) may be gone by now
        local st
        st=$(cat "$t/status" 2> /dev/null) || continue
        grep -q '^CapEff:	0000000000080004$' <<< "$st" ||
            fail "thread $t: effective capabilities $(grep CapEff <<< "$st") (want sys_ptrace+dac_read_search)"
        grep -q '^CapInh:	0000000000000000$' <<< "$st" || fail "inheritable capabilities left"
        grep -q '^CapAmb:	0000000000000000$' <<< "$st" || fail "ambient capabilities left"
    done
    grep -q '^CapPrm:	000000c000080004$' /proc/"$sgc_pid"/status ||
        fail "permitted: $(grep CapPrm /proc/"$sgc_pid"/status)"
    echo "ok: $tag: after attach: effective sys_ptrace+dac_read_search, permitted + bpf, perfmon"

    echo go > "$fifo"
    wait "$early"
    cp /bin/true "/dev/shm/$marker"
    "/dev/shm/$marker"
    grep -rs "aws_secret_access_key $marker" /dev/null || true
    for f in "$tmp/root.json" "$tmp/out/nobody.json"; do
        wait_alert "$f" "Packet socket opened" "proc.cmdline=~$marker"
        wait_alert "$f" "Execution from dev shm" "proc.exepath=/dev/shm/$marker"
        wait_alert "$f" "" "proc.cmdline=~aws_secret_access_key $marker"
    done
    python3 - "$tmp/root.json" "$tmp/out/nobody.json" "$marker" << 'EOF'
import json, sys
def mine(path):
    out = {}
    for line in open(path):
        a = json.loads(line)
        f = a["output_fields"]
        f.pop("evt.time", None)  # each capture stamps its own copy of the event
        f.pop("sgc.alert.id", None)  # and its id hashes that time
        if sys.argv[3] in json.dumps(f):
            out[(a["rule"], f.get("proc.pid"))] = (a["priority"], a["output"].split(": ", 1)[-1], f)
    return out
root, nobody = mine(sys.argv[1]), mine(sys.argv[2])
if set(root) != set(nobody):
    sys.exit("different alerts: root %s, unprivileged %s" % (sorted(root), sorted(nobody)))
for k in root:
    if root[k][2] != nobody[k][2]:
        sys.exit("alert %s: fields differ:\n root   %s\n nobody %s" % (k, root[k][2], nobody[k][2]))
print("ok: the same %d alerts, field for field: %s" % (len(root), sorted(r for r, _ in root)))
EOF
    kill -INT "$pid" # the wrapper (its parent) returns its exit status
    for _ in $(seq $((LIVE_STOP_TIMEOUT * 10))); do
        kill -0 "$wrapper" 2> /dev/null || break
        sleep 0.1
    done
    wait "$wrapper" || fail "unprivileged sgc exited with an error: $(tail -n 3 "$tmp/nobody-$tag.err")"
    live_stop "$root_pid"
}
run_case ""
run_case raw_syscalls
echo ok
