#!/bin/bash
# Detection 12 (outbound): an outbound connection by a process that should not
# open one.
# Action:  a python3 listener on 127.0.0.1:PORT; bash opens a TCP connection to
#          it with /dev/tcp (the reverse shell idiom) and writes one line.
# Rule:    "Outbound connection by program without network role"
# Check:   proc.name = bash, fd.rport = PORT.
# Corpus:  none: Falco's network rules skip loopback addresses, and the suite
#          does not leave the machine.
. "$(dirname "$0")/lib.sh"
need_root
scratch_dir
d=$SCRATCH
port=$(free_port)
"$PY" -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); s.settimeout(10)
open(sys.argv[2], "w").close()
try:
    c, _ = s.accept(); c.recv(100)
except OSError:
    pass
' "$port" "$d/ready" &
srv=$!
attack_on_exit "kill $srv"
for _ in $(seq 100); do [ -e "$d/ready" ] && break; sleep 0.05; done
[ -e "$d/ready" ] || { echo "listener did not start" >&2; exit 1; }
t0=$(now_ns)
bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; echo sgc-attack >&3"
wait "$srv" 2>/dev/null
expect "$t0" "Outbound connection by program without network role" "proc.name=bash" "fd.rport=$port"
