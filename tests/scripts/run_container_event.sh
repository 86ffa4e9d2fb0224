#!/bin/bash
# sgc run with real containers: the container engine client is wired into the
# live path. podman serves the Docker API on a socket of the test's own
# (SGC_CONTAINER_SOCKETS); a privileged and a plain container are started
# while `sgc run` watches. Each new container raises Falco's `container`
# event (evt.type = container) once its metadata is known, so the
# privileged-container rule fires for the privileged one only, with
# container.name, container.image.repository and container.privileged in
# output_fields; a shell exec'd in the plain container afterwards carries its
# metadata too. Every container is removed at exit, also on failure.
# Needs root, BPF, clang and podman/runc/busybox-static: skips without them
# (fails on CI).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/scripts/lib/live.sh"
live_begin
# replaces the EXIT trap with one that removes the containers, then runs ours
. "$SGC_SRC/tests/containers/lib.sh"
ctr_on_exit 'live_cleanup; rm -rf "$tmp"'
ctr_require
ctr_build_image

sock="$tmp/podman.sock"
ctr_api_service "$sock" "$tmp/service.log"

suffix="$$-$RANDOM"
cat > "$tmp/rules.yaml" << YAML
- rule: Test privileged container started
  desc: test
  condition: evt.type = container and container.privileged = true
  output: >
    privileged container started (container=%container.name
    image=%container.image.repository privileged=%container.privileged
    id=%container.id proc=%proc.name)
  priority: WARNING
- rule: Test container started
  desc: test (proves the plain container's event was evaluated)
  condition: evt.type = container and container.privileged = false
  output: >
    container started (container=%container.name image=%container.image.repository
    privileged=%container.privileged id=%container.id)
  priority: INFO
- rule: Test shell in container
  desc: test
  condition: >
    evt.type in (execve, execveat) and evt.dir = < and container.id != host
    and proc.name = sh and proc.cmdline contains sgc-marker-$suffix
  output: >
    shell in container (container=%container.name image=%container.image.repository
    privileged=%container.privileged cmdline=%proc.cmdline)
  priority: NOTICE
YAML

export SGC_CONTAINER_SOCKETS="$sock"
live_start run run --json -o "$tmp/alerts.json" "$tmp/rules.yaml"
run_pid=$live_pid
if grep -q 'cannot be captured here:.*container' "$tmp/run.err"; then
    cat "$tmp/run.err" >&2
    fail "evt.type = container reported as an uncapturable event type"
fi

priv_name="sgc-test-priv-$suffix"
plain_name="sgc-test-plain-$suffix"
priv=$(ctr_run "$priv_name" --privileged)
plain=$(ctr_run "$plain_name")

wait_alert "$tmp/alerts.json" "Test privileged container started" \
    container.name="$priv_name" container.image.repository=localhost/sgc-test-busybox \
    container.privileged=true container.id="${priv:0:12}"
wait_alert "$tmp/alerts.json" "Test container started" \
    container.name="$plain_name" container.privileged=false container.id="${plain:0:12}"
no_alert "$tmp/alerts.json" container.name="$plain_name" container.privileged=true
# once known, the metadata enriches the container's syscall events too
podman exec "$plain_name" sh -c ": sgc-marker-$suffix" > /dev/null
wait_alert "$tmp/alerts.json" "Test shell in container" \
    container.name="$plain_name" container.image.repository=localhost/sgc-test-busybox \
    container.privileged=false
# a container whose only process exits at once (the event carries the
# container id, so container.* resolve whether or not the process entry is still there)
short_name="sgc-test-short-$suffix"
ctr_run "$short_name" --privileged -- true > /dev/null
wait_alert "$tmp/alerts.json" "Test privileged container started" \
    container.name="$short_name" container.privileged=true
# one `container` event per container
sleep 1
count() {
    python3 -c 'import json, sys
print(sum(1 for l in open(sys.argv[1])
          if json.loads(l).get("output_fields", {}).get("container.name") == sys.argv[2]
          and json.loads(l)["rule"].startswith("Test") and "started" in json.loads(l)["rule"]))' \
        "$tmp/alerts.json" "$1"
}
for name in "$priv_name" "$plain_name" "$short_name"; do
    n=$(count "$name")
    [ "$n" = 1 ] || fail "expected one container event alert for $name, got $n"
done
grep -F '"rule":"Test privileged container started"' "$tmp/alerts.json" ||
    grep -F 'Test privileged container started' "$tmp/alerts.json"

live_stop "$run_pid"
echo "run_container_event: ok"
