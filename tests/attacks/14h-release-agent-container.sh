#!/bin/bash
# Stable rule coverage: the cgroup release_agent container escape, its write.
# Action:  in a running privileged test container (root, CAP_SYS_ADMIN),
#          write a file named release_agent (the escape writes the host
#          program's path into that cgroup v1 control file).
# Rule:    "Cgroup release_agent written in container"
# Check:   container.name, fd.name.
# Corpus:  "Detect release_agent File Container Escapes" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require
ctr_build_image || skip "could not build the test image"
name=sgc-attack-relagent-$$
ctr_run "$name" --privileged -- sleep 60 >/dev/null || exit 1
sleep 1
t0=$(now_ns)
podman exec "$name" sh -c 'mkdir -p /tmp/cgrp && echo /cmd > /tmp/cgrp/release_agent'
expect "$t0" "Cgroup release_agent written in container" "container.name=$name" "fd.name=/tmp/cgrp/release_agent"
expect_corpus "$t0" "Detect release_agent File Container Escapes" "fd.name=/tmp/cgrp/release_agent"
