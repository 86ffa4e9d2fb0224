#!/bin/bash
# Container metadata from a real runtime: podman's Docker-compatible API
# (`podman system service` on a socket of the test's own), a privileged and
# a non-privileged container with bind mounts and Kubernetes labels, looked
# up through sgc's container engine (the asynchronous path the runloop
# uses), both by id and from a container process's cgroup. Then the same
# engine against a dead socket: every field <NA>, no wait.
# Needs root and podman/runc/busybox-static: skips without them, fails on CI.
set -euo pipefail
: "${SGC_SRC:?}" "${SGC_BUILD:?}"
. "$SGC_SRC/tests/containers/lib.sh"
ctr_require

tool="$SGC_BUILD/tests/test_container_engine_live"
[ -x "$tool" ] || { echo "FAIL: $tool not built" >&2; exit 1; }
tmp=$(mktemp -d)
ctr_on_exit "rm -rf '$tmp'"

ctr_build_image

sock="$tmp/podman.sock"
ctr_api_service "$sock" "$tmp/service.log"

mkdir -p "$tmp/ro" "$tmp/rw"
suffix="$$-$RANDOM"
priv=$(ctr_run "sgc-test-priv-$suffix" --privileged -v "$tmp/ro:/data:ro" \
    --label io.kubernetes.pod.name=evil-pod --label io.kubernetes.pod.namespace=attack-ns)
plain=$(ctr_run "sgc-test-plain-$suffix" -v "$tmp/rw:/srv/data:rw")
plain_pid=$(podman inspect --format '{{.State.Pid}}' "$plain")
unknown=0000000000000000000000000000000000000000000000000000000000000000

"$tool" "$sock" "$priv" "pid:$plain_pid" "$unknown" > "$tmp/out.txt"
cat "$tmp/out.txt"

# block N of the output (one per target, separated by blank lines)
block() { awk -v n="$1" 'BEGIN{RS=""} NR==n' "$tmp/out.txt"; }
expect() {
    local n=$1 line=$2
    if ! block "$n" | grep -qxF -- "$line"; then
        echo "FAIL: target $n: expected line '$line'" >&2
        exit 1
    fi
}

expect 1 "id=$priv"
expect 1 "status=resolved"
expect 1 "name=sgc-test-priv-$suffix"
expect 1 "type=podman"
expect 1 "image=$SGC_CTR_IMAGE"
expect 1 "image.repository=localhost/sgc-test-busybox"
expect 1 "image.tag=latest"
expect 1 "image.id=$(podman image inspect --format '{{.Id}}' "$SGC_CTR_IMAGE")"
expect 1 "privileged=true"
expect 1 "mount=$tmp/ro:/data::false:rprivate"
expect 1 "label.io.kubernetes.pod.name=evil-pod"
expect 1 "label.io.kubernetes.pod.namespace=attack-ns"
block 1 | grep -q '^start_ts=[1-9][0-9]\{18\}$' || { echo "FAIL: start_ts" >&2; exit 1; }

# the second target was named by a process: the cgroup gave the id
expect 2 "id=$plain"
expect 2 "status=resolved"
expect 2 "name=sgc-test-plain-$suffix"
expect 2 "privileged=false"
expect 2 "mount=$tmp/rw:/srv/data::true:rprivate"
! block 2 | grep -q '^label\.io\.kubernetes' || { echo "FAIL: labels on the plain container" >&2; exit 1; }

expect 3 "status=not found"
expect 3 "privileged=<NA>"
expect 3 "name=<NA>"

# An unreachable runtime: the lookup gives up without delay, fields <NA>.
start=$(date +%s%N)
"$tool" "$tmp/nobody-listens.sock" "$priv" > "$tmp/dead.txt"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep -qx "status=unreachable" "$tmp/dead.txt"
grep -qx "privileged=<NA>" "$tmp/dead.txt"
grep -qx "name=<NA>" "$tmp/dead.txt"
# three tries with 250 ms and 500 ms between them, and no timeouts
[ "$elapsed_ms" -lt 3000 ] || { echo "FAIL: unreachable runtime took ${elapsed_ms} ms" >&2; exit 1; }

echo "container_engine: ok"
