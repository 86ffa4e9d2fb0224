#!/bin/bash
# Stable rule coverage: ssh to a port web/DNS traffic uses (a reverse tunnel).
# Action:  a local listener on 4444 (or 8443), and `ssh -p PORT 127.0.0.1`
#          (batch mode, 2 s); the listener sends nothing, ssh gives up.
# Rule:    "SSH connection to non-standard port"
# Check:   proc.name = ssh, fd.sport = PORT.
# Corpus:  none: Falco's outbound macro skips loopback addresses.
. "$(dirname "$0")/lib.sh"
command -v ssh >/dev/null || skip "needs ssh"
port=
for p in 4444 8443 8080; do
    if "$PY" -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$p" 2>/dev/null; then
        port=$p
        break
    fi
done
[ -n "$port" ] || skip "ports 4444, 8443 and 8080 are all taken"
"$PY" -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); s.settimeout(5)
try:
    c, _ = s.accept(); time.sleep(3)
except OSError:
    pass' "$port" &
lpid=$!
attack_on_exit "kill $lpid"
sleep 0.3
t0=$(now_ns)
timeout 3 ssh -o BatchMode=yes -o ConnectTimeout=2 -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -p "$port" 127.0.0.1 true </dev/null >/dev/null 2>&1
expect "$t0" "SSH connection to non-standard port" "proc.name=ssh" "fd.sport=$port"
