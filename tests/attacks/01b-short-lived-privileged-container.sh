#!/bin/bash
# Live-state item 5: a privileged container that exits at once keeps its
# metadata (learned from its OCI bundle when it is created).
# Action:  podman run --rm --privileged IMAGE /bin/true.
# Rule:    "Privileged container started"
# Check:   container.name = its name.
# Corpus:  "Launch Privileged Container" (falco-incubating_rules.yaml).
. "$(dirname "$0")/lib.sh"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require
ctr_build_image || skip "could not build the test image"
name=sgc-attack-shortpriv-$$
echo "$name" >> "$_ctr_names"
t0=$(now_ns)
podman run --rm --privileged --name "$name" "$SGC_CTR_IMAGE" /bin/true
expect "$t0" "Privileged container started" "container.name=$name"
expect_corpus "$t0" "Launch Privileged Container"
