#!/bin/bash
# container.id = host decided in the kernel (bpf-templates/capture_container.h),
# live: the runtime's container.id is the one of the cgroup at the process's
# last exec, and the kernel filter must agree, also for processes that moved
# to another cgroup after their exec (the kernel then says UNKNOWN and passes
# the event). A docker-shaped cgroup stands for a container. Each case opens
# /etc/hostname under its own process name; the alert of the right rule must
# come, the other must not.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-e2e.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
cg=""
trap 'live_cleanup; live_cgroup_remove "$cg"; rm -rf "$tmp"' EXIT
live_require_bpf

live_fake_container 16

cat > "$tmp/rules.yaml" << 'YAML'
- rule: I16 in container
  desc: d
  condition: evt.type in (open, openat) and container.id != host and fd.name = /etc/hostname
  output: "cid %container.id %proc.name"
  priority: WARNING
- rule: I16 on host
  desc: d
  condition: evt.type in (open, openat) and container.id = host and fd.name = /etc/hostname
  output: "cid %container.id %proc.name"
  priority: WARNING
YAML
alerts="$tmp/alerts.json"
live_start run run --json -o "$alerts" "$tmp/rules.yaml"

cp /bin/cat "$tmp/i16-hostcat"
cp /bin/cat "$tmp/i16-ctrcat"
cp /bin/sh "$tmp/i16-movedsh"
cp /bin/sh "$tmp/i16-backsh"

# 1. exec'd on the host
"$tmp/i16-hostcat" /etc/hostname > /dev/null
# 2. exec'd in the container
sh -c "echo \$\$ > '$cg/cgroup.procs' && exec '$tmp/i16-ctrcat' /etc/hostname" > /dev/null
# 3. exec'd on the host, moved into the container, opens without an exec:
#    still the host's process to the runtime (and to the kernel: UNKNOWN)
"$tmp/i16-movedsh" -c "echo \$\$ > '$cg/cgroup.procs' && read x < /etc/hostname" || true
# 4. exec'd in the container, moved back to the host, opens: a container's
sh -c "echo \$\$ > '$cg/cgroup.procs' &&
    exec '$tmp/i16-backsh' -c \"echo \\\$\\\$ > '$root/cgroup.procs' && read x < /etc/hostname\"" ||
    true

wait_alert "$alerts" "I16 on host" proc.name=i16-hostcat container.id=host
wait_alert "$alerts" "I16 in container" proc.name=i16-ctrcat container.id="$short"
wait_alert "$alerts" "I16 on host" proc.name=i16-movedsh container.id=host
wait_alert "$alerts" "I16 in container" proc.name=i16-backsh container.id="$short"
sleep 1
no_alert "$alerts" proc.name=i16-hostcat container.id="$short"
no_alert "$alerts" proc.name=i16-ctrcat container.id=host
no_alert "$alerts" proc.name=i16-movedsh container.id="$short"
no_alert "$alerts" proc.name=i16-backsh container.id=host
live_stop "$live_pid"
# the host case was decided in the kernel: something was filtered
grep -E 'kernel: [0-9]+ events seen, [1-9][0-9]* filtered' "$tmp/run.err" ||
    fail "the kernel filtered nothing"
echo "ok: container.id = host in the kernel agrees with the runtime, moved processes too"
