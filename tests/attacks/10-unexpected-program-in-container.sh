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
name=sgc-attack-prog-$$
running_container "$name"
id=$ctr_id
t0=$(now_ns)
podman exec "$name" nc -w 1 127.0.0.1 9 </dev/null >/dev/null 2>&1
expect "$t0" "Unexpected program in container" "container.id=${id:0:12}" "container.name=$name" "proc.name=nc"
expect_corpus "$t0" "Launch Suspicious Network Tool in Container" "proc.name=nc" "proc.cmdline=nc -w 1 127.0.0.1 9"
