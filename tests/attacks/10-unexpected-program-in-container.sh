#!/bin/bash
# Detection 10: an unexpected process spawned in a container (package managers,
# network tools, compilers).
# Action:  podman exec of `nc` (busybox's netcat, asked for a connection to a
#          closed local port with a 1 s timeout) in a running test container.
# Rule:    "Unexpected program in container"
# Check:   container.id and container.name = the container, proc.name = nc.
# Corpus:  "Launch Suspicious Network Tool in Container" (falco-incubating_rules.yaml).
. "$(dirname "$0")/lib.sh"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require
ctr_build_image || skip "could not build the test image"
name=sgc-attack-prog-$$
id=$(ctr_run "$name" -- sleep 60) || exit 1
# The engine looks metadata up off the event path (retrying while podman
# registers the container): a container's first ~0.5 s of events show
# container.name <NA>. The attack comes once the container runs.
sleep 1
t0=$(now_ns)
podman exec "$name" nc -w 1 127.0.0.1 9 </dev/null >/dev/null 2>&1
expect "$t0" "Unexpected program in container" "container.id=${id:0:12}" "container.name=$name" "proc.name=nc"
expect_corpus "$t0" "Launch Suspicious Network Tool in Container" "proc.name=nc" "proc.cmdline=nc -w 1 127.0.0.1 9"
