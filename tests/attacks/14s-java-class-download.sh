#!/bin/bash
# Live-state item 4 (a prefix of the data buffer): a Java process receives a
# class file over TCP.
# Action:  python3 run under the name java (a symlink) receives, with recvfrom,
#          bytes starting with the class-file magic CAFEBABE from a local
#          python3 server.
# Rule:    "Java class file received over the network"
# Check:   proc.name = java, fd.sport = PORT, fd.type = ipv4 (the socket).
# Corpus:  "Java Process Class File Download" is disabled in
#          falco-sandbox_rules.yaml: not asserted.
. "$(dirname "$0")/lib.sh"
scratch_dir
ln -s "$(readlink -f "$PY")" "$SCRATCH/java"
port=$(free_port)
"$PY" -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); s.settimeout(10)
c, _ = s.accept(); c.sendall(bytes.fromhex("cafebabe00000034") + b"Exploit"); c.close()' "$port" &
spid=$!
attack_on_exit "kill $spid"
sleep 0.3
t0=$(now_ns)
"$SCRATCH/java" -c 'import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.recvfrom(4096)' "$port"
expect "$t0" "Java class file received over the network" "proc.name=java" "fd.sport=$port" "fd.sip=127.0.0.1"
