#!/bin/bash
# Stable rule coverage: a program in a container contacts the Kubernetes API.
# Action:  in a running test container, a listener on port 6443 (the API's
#          port) and busybox nc connecting to it (busybox's wget resolves
#          names with the static libc's NSS and crashes in this image).
# Rule:    "Kubernetes API contacted from container"
# Check:   container.name, fd.sport = 6443, proc.name = nc.
# Corpus:  "Contact K8S API Server From Container" needs the API server's
#          cluster DNS name (no cluster here): not asserted.
. "$(dirname "$0")/lib.sh"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require
name=sgc-attack-k8sapi-$$
running_container "$name"
podman exec -d "$name" nc -l -p 6443
sleep 0.5
t0=$(now_ns)
echo | podman exec -i "$name" nc -w 1 127.0.0.1 6443 >/dev/null 2>&1
expect "$t0" "Kubernetes API contacted from container" "container.name=$name" "fd.sport=6443" "proc.name=nc"
