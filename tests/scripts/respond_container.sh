#!/usr/bin/env bash
# End to end with real components: `sgc run` watches, its JSON alerts flow
# into `sgc respond` (stdin), whose playbooks act through Podman's Docker API
# and on the host:
#  - a shell started in a container triggers a rule whose playbook stops the
#    container: the container is stopped, the audit log has one line for it;
#  - a drift (a binary copied into a container and run) is quarantined (the
#    file leaves the container, its sha256 copy and the alert are in the
#    quarantine directory) and the process is killed (SIGKILL).
# Needs root, BPF, clang, podman/runc/busybox-static (skips without; fails on CI).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-i14-ctr.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/respond/lib.sh"
trap 'live_cleanup; rm -rf "$tmp"' EXIT
live_require_bpf
live_require_clang
. "$SGC_SRC/tests/containers/lib.sh"
ctr_on_exit 'live_cleanup; kill ${tail_pid:-0} ${resp_pid:-0} 2>/dev/null; rm -rf "$tmp"'
ctr_require
ctr_build_image
sock="$tmp/podman.sock"
ctr_api_service "$sock" "$tmp/service.log"
export SGC_CONTAINER_SOCKETS="$sock"
suffix="i14-$$-$RANDOM"

cat > "$tmp/rules.yaml" <<YAML
- rule: I14 shell in container
  desc: test
  condition: >
    evt.type in (execve, execveat) and evt.dir = < and container.id != host
    and proc.name = sh and proc.cmdline contains sgc-marker-$suffix
  output: shell in container (id=%container.id name=%container.name pid=%proc.pid exe=%proc.exepath)
  priority: WARNING
- rule: I14 drift
  desc: test
  condition: >
    evt.type in (execve, execveat) and evt.dir = < and container.id != host
    and proc.exepath startswith /tmp/drift-$suffix
  output: drift (id=%container.id pid=%proc.pid exe=%proc.exepath cmd=%proc.cmdline)
  priority: CRITICAL
YAML
cat > "$tmp/playbook.yaml" <<YAML
- action: Stop the container
  actionner: container:stop
  parameters: {timeout: 1}
- action: Quarantine
  actionner: file:quarantine
  parameters: {dir: $tmp/quarantine, field: proc.exepath}
- action: Kill
  actionner: process:kill

- rule: Stop containers with a shell
  match: {rules: [I14 shell in container], priority: ">=Warning"}
  actions: [{action: Stop the container}]
- rule: Drift
  match: {rules: [I14 drift], output_fields: ["container.id!=host"]}
  actions:
    - action: Quarantine
      ignore_errors: true
    - action: Kill
YAML
cat > "$tmp/respond.yaml" <<YAML
rules_files: [playbook.yaml]
falco_rules_files: [rules.yaml]
audit_log: $tmp/audit.jsonl
stdin: true
container_sockets: [$sock]
YAML
"$SGC" respond --check -c "$tmp/respond.yaml"

touch "$tmp/alerts.json"
live_start run run --json -o "$tmp/alerts.json" "$tmp/rules.yaml"
mkfifo "$tmp/fifo"
tail -n +1 -F "$tmp/alerts.json" > "$tmp/fifo" 2>/dev/null &
tail_pid=$!
"$SGC" respond -c "$tmp/respond.yaml" < "$tmp/fifo" 2> "$tmp/respond.err" &
resp_pid=$!
live_pids+=("$resp_pid")
rp_wait 20 grep -q ready "$tmp/respond.err"

# 1. shell in a container -> container stopped
name="sgc-i14-stop-$suffix"
id=$(ctr_run "$name")
podman exec "$name" sh -c ": sgc-marker-$suffix" > /dev/null || true
stopped() { [ "$(podman inspect -f '{{.State.Running}}' "$name")" = false ]; }
rp_wait 30 stopped || { cat "$tmp/respond.err"; cat "$tmp/audit.jsonl" 2>/dev/null; fail "container not stopped"; }
rp_wait 5 grep -q '"playbook_rule":"Stop containers with a shell"' "$tmp/audit.jsonl"
sleep 1
n=$(grep -c '"playbook_rule":"Stop containers with a shell"' "$tmp/audit.jsonl")
[ "$n" = 1 ] || fail "audit log has $n lines for the stop, want 1"
grep -q '"playbook_rule":"Stop containers with a shell".*"result":"ok"' "$tmp/audit.jsonl"
echo "ok: shell in a container -> container ${id:0:12} stopped, one audit line"

# 2. drift -> quarantined and killed
name2="sgc-i14-drift-$suffix"
ctr_run "$name2" > /dev/null
# busybox picks its applet from argv[0]: the copy is named sleep
podman exec "$name2" sh -c "mkdir /tmp/drift-$suffix && cp /bin/busybox /tmp/drift-$suffix/sleep"
sum=$(sha256sum /bin/busybox | cut -d' ' -f1)
set +e
timeout 60 podman exec "$name2" "/tmp/drift-$suffix/sleep" 120
st=$?
set -e
[ "$st" = 137 ] || { cat "$tmp/respond.err"; cat "$tmp/audit.jsonl"; fail "drifted process exit $st, want 137 (SIGKILL)"; }
test -f "$tmp/quarantine/$sum" && test -f "$tmp/quarantine/$sum.json"
! podman exec "$name2" test -e "/tmp/drift-$suffix/sleep"
grep -q '"playbook_rule":"Drift","action":"Quarantine".*"result":"ok"' "$tmp/audit.jsonl"
grep -q '"playbook_rule":"Drift","action":"Kill".*"result":"ok"' "$tmp/audit.jsonl"
echo "ok: drift quarantined (sha256 $sum) and killed by SIGKILL"
live_stop "$live_pid"
