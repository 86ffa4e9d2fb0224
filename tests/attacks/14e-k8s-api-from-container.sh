#!/bin/bash
# Stable rule coverage: a program in a container contacts the Kubernetes API.
# Action:  in a running test container, a listener on port 6443 (the API's
#          port) and busybox wget connecting to it.
# Rule:    "Kubernetes API contacted from container"
# Check:   container.name, fd.sport = 6443, proc.name = wget.
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
podman exec "$name" wget -q -T 2 -O /dev/null http://127.0.0.1:6443/api >/dev/null 2>&1
expect "$t0" "Kubernetes API contacted from container" "container.name=$name" "fd.sport=6443" "proc.name=wget"
