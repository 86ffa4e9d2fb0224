#!/bin/bash
# Live state as libsinsp keeps it (issue 11), with real actions, in both
# kernel modes (pushdown and --no-pushdown), which must raise the same alerts:
#  1 proc.env of a process started after sgc
#  2 a socket dup2'ed onto stdout, and fcntl on it, carry the socket fields
#  3 a bound/listening socket is a server socket (fd.name ip:port, no client)
#  4 evt.buffer holds a prefix of the received data
#  5 a privileged container that exits at once (`podman run --rm --privileged
#    IMAGE /bin/true`) keeps its metadata, with no runtime API reachable at
#    all: it is learned from its OCI bundle at creation
#  6 the user of that short-lived container process is root
#  7 a forked child before exec has its parent's command line and exe
# Actions: tests/live-state/actions.py; rules: tests/live-state/rules.yaml.in.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/scripts/lib/live.sh"
live_begin sgc-i11-live
PY=/usr/bin/python3
[ -x "$PY" ] || live_skip "needs /usr/bin/python3"

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'; }
token=ls$$x$RANDOM
port_dup=$(free_port)
port_listen=$(free_port)
ctr=sgc-i11-short-$$
have_podman=0
if command -v podman > /dev/null && command -v runc > /dev/null; then
    . "$SGC_SRC/tests/containers/lib.sh"
    ctr_build_image && have_podman=1
fi
if [ $have_podman = 0 ] && [ "${CI:-}" = true ]; then
    fail "podman, runc and the test image are required on CI"
fi
sed -e "s/@PORT_DUP@/$port_dup/g" -e "s/@PORT_LISTEN@/$port_listen/g" \
    -e "s/@TOKEN@/$token/g" -e "s/@CTR@/$ctr/g" \
    "$SGC_SRC/tests/live-state/rules.yaml.in" > "$tmp/rules.yaml"

# expect ITEM FILE RULE K=V...: an alert of RULE with those fields; a miss is
# reported with its item number and counted (every item is checked, so a
# run shows which items hold), and fails the test at the end
missing=()
expect() {
    local item=$1
    shift
    if ! (wait_alert "$@"); then
        echo "MISSING: item $item: $2 ($*)"
        missing+=("$item")
    fi
}

# the fields each alert must carry (the same in both modes)
check_mode() {
    local mode=$1 alerts=$2
    LIVE_ALERT_TIMEOUT=${LIVE_ALERT_TIMEOUT:-30}
    expect 1 "$alerts" "ls env" "proc.env[SGC_LS_MARK]=$token" proc.name=true
    expect 2 "$alerts" "ls dup socket" fd.type=ipv4 fd.sip=127.0.0.1 fd.sport="$port_dup" \
        fd.cip=127.0.0.1 fd.l4proto=tcp fd.rport="$port_dup" "fd.name=~->127.0.0.1:$port_dup"
    expect 2 "$alerts" "ls fcntl socket" fd.type=ipv4 fd.num=1 "fd.name=~->127.0.0.1:$port_dup"
    expect 3 "$alerts" "ls listen" evt.type=bind fd.name="0.0.0.0:$port_listen" \
        fd.sip=0.0.0.0 fd.cip="<NA>" fd.rip="<NA>"
    expect 3 "$alerts" "ls listen" evt.type=listen fd.name="0.0.0.0:$port_listen" \
        fd.sip=0.0.0.0 fd.lip=0.0.0.0
    expect 4 "$alerts" "ls buffer" "fd.name=~->127.0.0.1:$port_dup"
    expect 7 "$alerts" "ls traceme" "proc.cmdline=python3 $SGC_SRC/tests/live-state/actions.py $port_dup $port_listen $token" \
        "proc.exepath=~/usr/bin/python3"
    if [ $have_podman = 1 ]; then
        expect 5 "$alerts" "ls privileged container" container.name="$ctr" \
            container.privileged=true container.type=podman \
            container.image.repository=localhost/sgc-test-busybox
        expect 6 "$alerts" "ls container user" container.name="$ctr" user.name=root user.uid=0
    fi
    echo "ok: $mode"
}

run_mode() {
    local mode=$1
    shift
    local alerts="$tmp/alerts-$mode.json"
    # no container API at all: item 5 must come from the bundle
    SGC_CONTAINER_SOCKETS="$tmp/no-such-api.sock" live_start "$mode" run --json -o "$alerts" "$@" "$tmp/rules.yaml"
    "$PY" "$SGC_SRC/tests/live-state/actions.py" "$port_dup" "$port_listen" "$token"
    if [ $have_podman = 1 ]; then
        podman run --rm --privileged --name "$ctr" "$SGC_CTR_IMAGE" /bin/true
    fi
    check_mode "$mode" "$alerts"
    sleep 1
    live_stop
    # the rule and fields of every alert, without times and pids
    "$PY" - "$alerts" > "$tmp/sig-$mode" <<'PY'
import json, sys
skip = {"evt.time", "sgc.alert.id", "proc.pid", "fd.lport", "fd.cport", "fd.name", "fd.num", "container.id"}
out = set()
for l in open(sys.argv[1]):
    a = json.loads(l)
    f = {k: v for k, v in a["output_fields"].items() if k not in skip}
    out.add(a["rule"] + " " + json.dumps(f, sort_keys=True))
print("\n".join(sorted(out)))
PY
}

run_mode pushdown
[ $have_podman = 1 ] && podman rm -f "$ctr" > /dev/null 2>&1 || true
run_mode nopushdown --no-pushdown
if [ ${#missing[@]} -gt 0 ]; then
    fail "live-state items without their alert: $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
fi
if ! diff "$tmp/sig-pushdown" "$tmp/sig-nopushdown"; then
    fail "pushdown and --no-pushdown raised different alerts"
fi
echo "ok: pushdown and --no-pushdown raised the same $(wc -l < "$tmp/sig-pushdown") alerts"
