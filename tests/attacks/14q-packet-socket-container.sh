#!/bin/bash
# Stable rule coverage: a packet socket in a container.
# Action:  busybox arping (one request on the container's loopback) in a
#          running test container: it opens an AF_PACKET socket.
# Rule:    "Packet socket opened"
# Check:   container.name, proc.name = arping.
# Corpus:  "Packet socket created in container" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require
name=sgc-attack-pkt-$$
running_container "$name"
t0=$(now_ns)
podman exec "$name" arping -c 1 -w 1 -I lo 127.0.0.1 >/dev/null 2>&1
expect "$t0" "Packet socket opened" "container.name=$name" "proc.name=arping"
expect_corpus "$t0" "Packet socket created in container" "proc.name=arping"
