#!/bin/bash
# user.name, group.name and user.loginname in the kernel (bpf-templates/
# filter_users.h, runtime/pipeline/unames.c): sgc copies the host's names
# into the kernel's map from its user cache, so a rule on a name fires for
# a real process while the same syscall by another named user is dropped in
# the kernel; and when the host's /etc/passwd changes, the map and the cache
# are refilled together, so a user added then is named in both. The host's
# accounts are a test /etc/passwd and /etc/group under HOST_ROOT (as in
# host_root.sh: the real /proc bind-mounted beside them, in a private mount
# namespace). The rules watch only chroot, which nothing else on the
# machine calls, so the kernel's counters are this test's: five chroot
# calls by a user the rules do not name must all be filtered. Needs root,
# BPF and clang.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/scripts/lib/live.sh"
live_begin sgc-i16-users
command -v unshare > /dev/null || live_skip "unshare (util-linux) missing"
command -v setpriv > /dev/null || live_skip "setpriv (util-linux) missing"

host=$tmp/host
mkdir -p "$host/proc" "$host/etc"
cat > "$host/etc/passwd" << 'EOF'
root:x:0:0:root:/root:/bin/sh
i16alice:x:4242:4242::/:/bin/sh
i16carol:x:4444:4444::/:/bin/sh
EOF
cat > "$host/etc/group" << 'EOF'
root:x:0:
i16devs:x:4242:
i16other:x:4444:
EOF

cat > "$tmp/rules.yaml" << 'YAML'
- rule: I16 named user chroot
  desc: d
  condition: evt.type = chroot and user.name in (i16alice, i16bob)
  output: "chroot by %user.name (uid=%user.uid)"
  priority: WARNING
- rule: I16 named group chroot
  desc: d
  condition: evt.type = chroot and group.name = i16devs
  output: "chroot by group %group.name (gid=%group.gid)"
  priority: WARNING
- rule: I16 login name chroot
  desc: d
  condition: evt.type = chroot and user.loginname startswith i16ali
  output: "chroot after login of %user.loginname"
  priority: WARNING
YAML

# sgc in a private mount namespace where $host/proc is the host's /proc
# (unshare and sh exec: the pid live_start waits for and stops is sgc's)
cat > "$tmp/sgc-hostroot" << EOF
#!/bin/sh
exec unshare -m sh -c 'mount --bind /proc "\$1/proc" && shift && exec "\$@"' sh "$host" \\
    env HOST_ROOT="$host/" SGC_NO_DEFAULT_CONFIG=1 "$SGC" "\$@"
EOF
chmod +x "$tmp/sgc-hostroot"
SGC="$tmp/sgc-hostroot" live_start run run -v --json -o "$tmp/alerts.json" "$tmp/rules.yaml"
grep -q 'watching 1 syscalls (pushdown)' "$tmp/run.err" || { cat "$tmp/run.err" >&2; fail "not attached with the kernel filter"; }
grep -q 'kernel filter: 3 user and 3 group names of the host' "$tmp/run.err" ||
    { cat "$tmp/run.err" >&2; fail "the kernel's names are not the test host's"; }

# chroot as uid UID, gid GID, loginuid LOGIN (or unset): it fails (EPERM),
# but the syscall is made. An event alerts for its first matching rule
# only, so each rule gets an event of its own.
as() { # UID GID LOGIN
    if [ "$3" = unset ]; then
        setpriv --reuid="$1" --regid="$2" --clear-groups chroot / /bin/true 2> /dev/null || true
    else
        sh -c 'echo "$1" > /proc/self/loginuid && shift && exec "$@"' sh "$3" \
            setpriv --reuid="$1" --regid="$2" --clear-groups chroot / /bin/true 2> /dev/null || true
    fi
}
as 4242 4242 unset # alice
as 4444 4242 unset # carol in group i16devs
as 4444 4444 4242  # carol after a login as alice
for _ in 1 2 3 4 5; do as 4444 4444 unset; done # carol: no rule, dropped in the kernel
as 4545 4444 unset                              # no name yet: UNKNOWN in the kernel, no alert

wait_alert "$tmp/alerts.json" "I16 named user chroot" user.name=i16alice user.uid=4242
wait_alert "$tmp/alerts.json" "I16 named group chroot" group.name=i16devs group.gid=4242
wait_alert "$tmp/alerts.json" "I16 login name chroot" user.loginname=i16alice

# a user added to the host: the map and the cache learn the name together
echo "i16bob:x:4545:4545::/:/bin/sh" >> "$host/etc/passwd"
for _ in $(seq 50); do
    grep -q "the host's accounts changed: 4 user and 3 group names reloaded" "$tmp/run.err" && break
    sleep 0.1
done
grep -q "the host's accounts changed: 4 user and 3 group names reloaded" "$tmp/run.err" ||
    { cat "$tmp/run.err" >&2; fail "the change of the host's /etc/passwd was not seen"; }
as 4545 4444 unset
wait_alert "$tmp/alerts.json" "I16 named user chroot" user.name=i16bob user.uid=4545
sleep 1
live_stop "$live_pid"

# carol's own calls and uid 4545's before its name existed (the evaluator
# had no name either): no alert
python3 - "$tmp/alerts.json" << 'PY' || fail "unexpected alerts"
import json, sys
alerts = [json.loads(l) for l in open(sys.argv[1])]
ours = [a for a in alerts if a["rule"].startswith("I16 ")]
print("alerts:", sorted(a["rule"] + " " + json.dumps(a["output_fields"].get("user.uid", a["output_fields"].get("group.gid", ""))) for a in ours))
assert len(ours) == 4, ours
assert sum(a["output_fields"].get("user.uid") == 4545 for a in ours) == 1, ours
PY
line=$(grep -E 'kernel: [0-9]+ events seen, [0-9]+ filtered, [0-9]+ passed' "$tmp/run.err") ||
    fail "no kernel summary"
echo "$line"
read -r seen filtered passed < <(sed -E 's/.*kernel: ([0-9]+) events seen, ([0-9]+) filtered, ([0-9]+) passed.*/\1 \2 \3/' <<< "$line")
# carol's five calls are filtered; the others (alice's, carol's in the
# group or after alice's login, 4545's twice) are passed
[ "$filtered" -ge 5 ] || fail "carol's chroot calls were not dropped in the kernel: $line"
[ "$passed" -ge 5 ] || fail "the named users' chroot calls were not passed: $line"
echo "ok: user and group names decided in the kernel, refreshed with the host's accounts"
