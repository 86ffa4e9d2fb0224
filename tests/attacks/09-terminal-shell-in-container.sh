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
ctr_build_image || skip "could not build the test image"
name=sgc-attack-tty-$$
id=$(ctr_run "$name" -- sleep 60) || exit 1
# The engine looks metadata up off the event path (retrying while podman
# registers the container): a container's first ~0.5 s of events show
# container.name <NA>. The attack comes once the container runs.
sleep 1
t0=$(now_ns)
script -q -e -c "podman exec -t $name sh -c true" /dev/null >/dev/null
expect "$t0" "Shell with terminal in container" "container.id=${id:0:12}" "container.name=$name" "proc.name=sh" "proc.tty~[1-9]*"
expect_corpus "$t0" "Terminal shell in container" "proc.name=sh" "proc.cmdline=sh -c true"
