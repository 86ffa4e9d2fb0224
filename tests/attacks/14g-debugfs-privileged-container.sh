#!/bin/bash
# Stable rule coverage: debugfs in a privileged container.
# Action:  in a running privileged test container, a program named debugfs
#          (a busybox link: the image has no e2fsprogs; it exits at once).
# Rule:    "Debugfs run in privileged container"
# Check:   container.name, proc.name = debugfs.
# Corpus:  "Debugfs Launched in Privileged Container" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require
ctr_build_image || skip "could not build the test image"
name=sgc-attack-debugfs-$$
ctr_run "$name" --privileged -- sleep 60 >/dev/null || exit 1
sleep 1
t0=$(now_ns)
podman exec "$name" sh -c 'ln -sf /bin/busybox /tmp/debugfs; /tmp/debugfs -R stats /dev/null' >/dev/null 2>&1
expect "$t0" "Debugfs run in privileged container" "container.name=$name" "proc.name=debugfs"
expect_corpus "$t0" "Debugfs Launched in Privileged Container" "proc.name=debugfs"
