#!/bin/bash
# Live-state item 6: the user of a short-lived process in a container.
# Action:  podman run --rm IMAGE sh -c 'ln -s /bin/busybox /tmp/apk; /tmp/apk'
#          (a program named like Alpine's package manager; the process is
#          gone at once, with its container).
# Rule:    "Unexpected program in container"
# Check:   proc.name = apk, user.name = root.
# Corpus:  "Launch Package Management Process in Container"
#          (falco-incubating_rules.yaml), user.name = root.
. "$(dirname "$0")/lib.sh"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require
ctr_build_image || skip "could not build the test image"
name=sgc-attack-pkgmgr-$$
echo "$name" >> "$_ctr_names"
t0=$(now_ns)
podman run --rm --name "$name" "$SGC_CTR_IMAGE" sh -c 'ln -s /bin/busybox /tmp/apk; /tmp/apk' >/dev/null 2>&1
expect "$t0" "Unexpected program in container" "container.name=$name" "proc.name=apk" "user.name=root"
expect_corpus "$t0" "Launch Package Management Process in Container" "proc.name=apk" "user.name=root"
