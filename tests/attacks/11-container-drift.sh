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
ctr_build_image || skip "could not build the test image"
name=sgc-attack-drift-$$
id=$(ctr_run "$name" -- sleep 60) || exit 1
# The engine looks metadata up off the event path (retrying while podman
# registers the container): a container's first ~0.5 s of events show
# container.name <NA>. The attack comes once the container runs.
sleep 1
t0=$(now_ns)
podman exec "$name" sh -c 'cp /bin/busybox /root/drift && chmod +x /root/drift && /root/drift true'
expect "$t0" "Drifted binary executed in container" "container.id=${id:0:12}" "container.name=$name" "proc.exepath=/root/drift"
expect_corpus "$t0" "Drop and execute new binary in container" "proc.exepath=/root/drift" "proc.name=drift"
