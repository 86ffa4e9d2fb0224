#!/bin/bash
# Detection 11: container drift: a file written or made executable inside a
# running container, then executed.
# Action:  in a running test container, copy busybox to /root/drift (the
#          overlay's upper layer), chmod +x it, run `/root/drift true`.
# Rule:    "Drifted binary executed in container"
# Check:   container.id and container.name = the container,
#          proc.exepath = /root/drift.
# Corpus:  "Drop and execute new binary in container" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require
name=sgc-attack-drift-$$
running_container "$name"
id=$ctr_id
t0=$(now_ns)
podman exec "$name" sh -c 'cp /bin/busybox /root/drift && chmod +x /root/drift && /root/drift true'
expect "$t0" "Drifted binary executed in container" "container.id=${id:0:12}" "container.name=$name" "proc.exepath=/root/drift"
expect_corpus "$t0" "Drop and execute new binary in container" "proc.exepath=/root/drift" "proc.name=drift"
