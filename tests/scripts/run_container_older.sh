#!/bin/bash
# container.id = host in the kernel for processes that started before sgc
# (runtime/pipeline/cid_seed.c): the runtime tells the kernel's sgc_cid map
# which of them /proc shows on the host, so their events are decided there
# too, and the kernel must still agree with the runtime when such a process
# moves between cgroups without an exec. Four processes start before sgc
# (two on the host, two in a docker-shaped cgroup), two of them then move;
# each opens /etc/hostname and /etc/hosts. `sgc record` keeps what the
# kernel passes; replaying it gives the alerts `sgc run` would print.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-e2e.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
cg=""
kids=()
trap 'live_cleanup; kill "${kids[@]}" 2> /dev/null || true; live_cgroup_remove "$cg"; rm -rf "$tmp"' EXIT
live_require_bpf

live_fake_container 17

cat > "$tmp/rules.yaml" << 'YAML'
- rule: I16 older in container
  desc: d
  condition: evt.type in (open, openat) and container.id != host and fd.name = /etc/hostname
  output: "cid %container.id %proc.name"
  priority: WARNING
- rule: I16 older on host
  desc: d
  condition: evt.type in (open, openat) and container.id = host and fd.name = /etc/hosts
  output: "cid %container.id %proc.name"
  priority: WARNING
YAML

# each waits on its FIFO, then opens the two files (no exec after sgc starts)
older() { # NAME IN_CONTAINER
    cp /bin/sh "$tmp/$1"
    mkfifo "$tmp/$1.go"
    if [ "$2" = 1 ]; then
        sh -c "echo \$\$ > '$cg/cgroup.procs' && exec '$tmp/$1' -c 'read g < \"\$0\";
            read x < /etc/hostname; read y < /etc/hosts' '$tmp/$1.go'" &
    else
        "$tmp/$1" -c 'read g < "$0"; read x < /etc/hostname; read y < /etc/hosts' "$tmp/$1.go" &
    fi
    kids+=($!)
}
older i16-oldhost 0  # on the host: its /etc/hostname open is dropped in the kernel
older i16-oldctr 1   # in the container
older i16-oldmoved 0 # on the host, moved into the container after sgc starts
older i16-oldback 1  # in the container, moved to the host after sgc starts
pid_moved=${kids[2]}
pid_back=${kids[3]}
sleep 0.5

events="$tmp/events.jsonl"
live_start record record -o "$events" "$tmp/rules.yaml"
echo "$pid_moved" > "$cg/cgroup.procs"
echo "$pid_back" > "$root/cgroup.procs"
for n in i16-oldhost i16-oldctr i16-oldmoved i16-oldback; do echo go > "$tmp/$n.go"; done
wait "${kids[@]}"
sleep 1
live_stop "$live_pid"

alerts="$tmp/alerts.json"
"$SGC" replay --json -o "$alerts" "$events" "$tmp/rules.yaml"
wait_alert "$alerts" "I16 older on host" proc.name=i16-oldhost container.id=host
wait_alert "$alerts" "I16 older in container" proc.name=i16-oldctr container.id="$short"
# /proc said host at the start: the runtime keeps that until an exec
wait_alert "$alerts" "I16 older on host" proc.name=i16-oldmoved container.id=host
wait_alert "$alerts" "I16 older in container" proc.name=i16-oldback container.id="$short"
no_alert "$alerts" proc.name=i16-oldhost container.id="$short"
no_alert "$alerts" proc.name=i16-oldctr container.id=host
no_alert "$alerts" proc.name=i16-oldmoved container.id="$short"
no_alert "$alerts" proc.name=i16-oldback container.id=host

# the kernel decided the host process's /etc/hostname open (no rule can
# match it) and passed the moved one's (its cgroup is not the one /proc gave)
python3 - "$events" << 'PY' || fail "kernel decisions on /etc/hostname differ from the expected ones"
import json, sys
opens = {}
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("type") in ("open", "openat") and (e.get("args") or {}).get("name") == "/etc/hostname":
        n = (e.get("proc") or {}).get("name")
        opens[n] = opens.get(n, 0) + 1
print("passed /etc/hostname opens:", opens)
sys.exit(0 if not opens.get("i16-oldhost") and opens.get("i16-oldmoved") else 1)
PY
echo "ok: container.id = host in the kernel for processes older than sgc agrees with the runtime"
