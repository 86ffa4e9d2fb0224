#!/bin/bash
# The container image (packaging/container/Containerfile, FROM scratch),
# built by scripts/package.sh --image, run under Podman exactly as the Helm
# chart's DaemonSet pod runs it: uid 0 with only CAP_BPF, CAP_PERFMON,
# CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (all others dropped, not
# privileged), seccomp unconfined (runtimes' default profiles refuse bpf()),
# its own PID namespace, the host's /proc, /etc and container runtime socket
# read-only under /host (HOST_ROOT), /sys/kernel/btf read-only, the
# configuration in a mounted /etc/sgc, SGC_HOSTNAME = the node name. An
# attack on the host and one in another container must raise alerts in its
# logs, the second with the container's name (found through the socket).
# Needs root, BPF and podman/runc/busybox-static.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i15-img.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
trap 'rm -rf "$tmp"' EXIT
live_require_bpf
. "$SGC_SRC/tests/containers/lib.sh"
ctr_on_exit 'rm -rf "$tmp" /dev/shm/sgc-i15-img-$$'
ctr_require
ctr_build_image

version=$(sed -n 's/^project(sgc VERSION \([0-9.]*\).*/\1/p' "$SGC_SRC/CMakeLists.txt")
image=localhost/sgc:$version
SGC_PKG_BUILD=${SGC_PKG_BUILD:-$SGC_SRC/build-pkg} "$SGC_SRC/scripts/package.sh" --image
size=$(podman image inspect "$image" --format '{{.Size}}')
echo "ok: $image: $((size / 1000000)) MB"
[ "$size" -le 40000000 ] || fail "image is $size bytes (goal <= 40 MB)"

sock=$tmp/podman.sock
ctr_api_service "$sock" "$tmp/service.log"
mkdir -p "$tmp/etc-sgc"
cp "$SGC_SRC/stdlib-rules/sgc_rules.yaml" "$tmp/etc-sgc/sgc_rules.yaml"
node=node-i15-$$
name=sgc-i15-img-$$
victim=sgc-i15-victim-$$
opts=(--user 0 --cap-drop=all --cap-add=BPF,PERFMON,SYS_PTRACE,DAC_READ_SEARCH
    --security-opt seccomp=unconfined
    -v /proc:/host/proc:ro -v /etc:/host/etc:ro -v /sys/kernel/btf:/sys/kernel/btf:ro
    -v "$sock:/host/run/podman/podman.sock:ro" -v "$tmp/etc-sgc:/etc/sgc:ro"
    -e SGC_HOSTNAME="$node")
if podman run --rm "$image" run --help 2>&1 | grep -q -- '--dry-run'; then
    # the configuration loader is there: the image's own command, -c
    cat > "$tmp/etc-sgc/sgc.yaml" << YAML
rules_files: [/etc/sgc/sgc_rules.yaml]
json_output: true
stdout_output: {enabled: true}
YAML
    cmd=()
else
    # WAITS ON the configuration loader (sgc run -c, another issue): until
    # it is merged, the same rules and JSON output from the command line
    cmd=(run --json /etc/sgc/sgc_rules.yaml)
fi
echo "$name" >> "$_ctr_names"
podman run -d --name "$name" "${opts[@]}" "$image" "${cmd[@]}" > /dev/null
for _ in $(seq $((LIVE_READY_TIMEOUT * 10))); do
    podman logs "$name" 2>&1 | grep -q 'attached [0-9]* programs' && break
    [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] ||
        { podman logs "$name" >&2; fail "the sgc container exited"; }
    sleep 0.1
done
podman logs "$name" 2>&1 | grep 'attached [0-9]* programs' || { podman logs "$name" >&2; fail "not attached"; }
# its capabilities inside: the four, nothing else, effective only the two
pid=$(podman inspect -f '{{.State.Pid}}' "$name")
grep -q '^CapBnd:	000000c000080004$' /proc/"$pid"/status || fail "bounding set: $(grep CapBnd /proc/"$pid"/status)"
grep -q '^CapEff:	0000000000080004$' /proc/"$pid"/status || fail "effective: $(grep CapEff /proc/"$pid"/status)"

# an attack on the host, one in another container
grep -rs "aws_secret_access_key host-$$" /dev/null || true
# (grep as the container's own process: busybox sh would run it in-process)
id=$(ctr_run "$victim" -- grep -rs "aws_secret_access_key ctr-$$" /dev/null)
podman logs -f "$name" > "$tmp/alerts.json" 2> /dev/null &
logs=$!
ctr_on_exit "kill $logs 2>/dev/null"
wait_alert "$tmp/alerts.json" "Credential search" "proc.cmdline=~host-$$" "container.id=host"
wait_alert "$tmp/alerts.json" "Credential search" "proc.cmdline=~ctr-$$" "container.id=${id:0:12}" \
    "container.name=$victim"
grep "host-$$" "$tmp/alerts.json" | grep -q "\"hostname\":\"$node\"" || fail "hostname is not the node's"
echo ok
