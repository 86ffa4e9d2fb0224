#!/bin/bash
# Stable rule coverage: netcat hands a connection to a program in a container,
# which gets the socket as its standard input/output (dup2).
# Action:  in a running test container, a listener on PORT, then
#          `nc 127.0.0.1 PORT -e /bin/true` (busybox nc dup2's the connected
#          socket onto 0, 1 and 2 and execs the program).
# Rules:   "Netcat running a program in container" (the nc exec) and
#          "Standard input or output redirected to network in container"
#          (the dup2, with the socket's fields: live-state item 2).
# Check:   proc.name = nc, fd.type = ipv4, fd.sip = 127.0.0.1, fd.sport = PORT,
#          fd.l4proto = tcp.
# Corpus:  "Netcat Remote Code Execution in Container" and "Redirect
#          STDOUT/STDIN to Network Connection in Container" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require
name=sgc-attack-revsh-$$
running_container "$name"
port=$((20000 + RANDOM % 20000))
podman exec -d "$name" nc -l -p "$port"
sleep 0.5
t0=$(now_ns)
podman exec "$name" nc 127.0.0.1 "$port" -e /bin/true </dev/null >/dev/null 2>&1
expect "$t0" "Netcat running a program in container" "container.name=$name" "proc.name=nc" "proc.cmdline=nc 127.0.0.1 $port -e /bin/true"
expect "$t0" "Standard input or output redirected to network in container" "container.name=$name" \
    "fd.type=ipv4" "fd.sip=127.0.0.1" "fd.sport=$port" "fd.l4proto=tcp" "fd.name~127.0.0.1:*->127.0.0.1:$port"
expect_corpus "$t0" "Netcat Remote Code Execution in Container" "proc.name=nc"
expect_corpus "$t0" "Redirect STDOUT/STDIN to Network Connection in Container" "fd.type=ipv4" \
    "fd.sip=127.0.0.1" "fd.name~127.0.0.1:*->127.0.0.1:$port"
