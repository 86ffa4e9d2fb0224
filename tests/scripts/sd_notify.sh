#!/bin/bash
# systemd readiness (Type=notify, packaging/systemd/sgc.service): with
# $NOTIFY_SOCKET set, `sgc run` sends READY=1 (with a STATUS) only once its
# programs are attached, and STOPPING=1 when it stops. A real datagram
# socket stands in for systemd's. Needs root and BPF.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i15-sd.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
listener=
trap 'live_cleanup; [ -z "$listener" ] || kill "$listener" 2> /dev/null || true; rm -rf "$tmp"' EXIT
live_require_bpf

python3 - "$tmp/notify" "$tmp/got" << 'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as out:
    while True:
        msg = s.recv(4096).decode()
        out.write(msg.replace("\n", "|") + "\n")
        out.flush()
        if "STOPPING=1" in msg:
            break
PY
listener=$!
for _ in $(seq 50); do [ -S "$tmp/notify" ] && break; sleep 0.1; done
[ -S "$tmp/notify" ] || fail "no notify socket"

NOTIFY_SOCKET="$tmp/notify" live_start run run --json -o "$tmp/alerts.json"
for _ in $(seq 50); do [ -s "$tmp/got" ] && break; sleep 0.1; done
grep -qE '^READY=1\|STATUS=attached [0-9]+ programs, watching [0-9]+ syscalls$' "$tmp/got" ||
    fail "no READY=1 after attach: $(cat "$tmp/got" 2> /dev/null)"
live_stop "$live_pid"
for _ in $(seq 50); do grep -q STOPPING=1 "$tmp/got" && break; sleep 0.1; done
grep -q '^STOPPING=1$' "$tmp/got" || fail "no STOPPING=1: $(cat "$tmp/got")"
[ "$(head -n1 "$tmp/got" | cut -c1-7)" = "READY=1" ] || fail "READY=1 was not the first message"
echo "ok: $(tr '\n' ' ' < "$tmp/got")"
