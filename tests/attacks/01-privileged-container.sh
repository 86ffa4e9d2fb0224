#!/bin/bash
# Detection 1: a privileged container started.
# Action:  podman run --privileged (runc, the test image) of a container that
#          sleeps, kept running for 2 s, then removed.
# Rule:    "Privileged container started" (evt.type = container, emitted once
#          the container's metadata is known).
# Check:   container.id = the container's 12-character id,
#          container.name = its name, container.privileged shown in the output.
# Corpus:  "Launch Privileged Container" (falco-incubating_rules.yaml).
. "$(dirname "$0")/lib.sh"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require
ctr_build_image || skip "could not build the test image"
name=sgc-attack-priv-$$
t0=$(now_ns)
id=$(ctr_run "$name" --privileged -- sleep 30) || { echo "podman run failed" >&2; exit 1; }
sleep 2
expect "$t0" "Privileged container started" "container.id=${id:0:12}" "container.name=$name"
# Falco's rule matches the container's first exec (vpid 1): sgc holds a new
# container's events until the runtime's answer arrives (docs/containers.md),
# so that exec is evaluated with container.privileged known.
expect_corpus "$t0" "Launch Privileged Container" "evt.type=execve"
