#!/bin/bash
# Detection 9: a terminal shell spawned in a container.
# Action:  podman exec -t (a pseudo-terminal; `script` gives podman one) of
#          `sh -c true` in a running test container.
# Rule:    "Shell with terminal in container"
# Check:   container.id and container.name = the container, proc.name = sh,
#          proc.tty != 0.
# Corpus:  "Terminal shell in container" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require
command -v script >/dev/null || skip "needs script (util-linux)"
name=sgc-attack-tty-$$
running_container "$name"
id=$ctr_id
t0=$(now_ns)
script -q -e -c "podman exec -t $name sh -c true" /dev/null >/dev/null
expect "$t0" "Shell with terminal in container" "container.id=${id:0:12}" "container.name=$name" "proc.name=sh" "proc.tty~[1-9]*"
expect_corpus "$t0" "Terminal shell in container" "proc.name=sh" "proc.cmdline=sh -c true"
