#!/bin/bash
# Reload without a gap (issue 12): a trigger loop opens a new file every
# ~2 ms while sgc run reloads its rules 20 times on SIGHUP, alternating two
# rule files whose kernel filters differ, with a broken file at the 10th.
# Every trigger must get exactly one alert (0 lost, 0 duplicated); the
# broken file keeps the old rules (stderr, the internal alert "sgc internal:
# reload failed", sgc_reloads_total{result="failed"}); the next good file is
# taken. Then watch_config_files: editing the rules file reloads by itself.
# Needs root, BPF, clang, curl.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-reload.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
. "$SGC_SRC/tests/scripts/lib/services.sh"
trap 'touch "$tmp/stop"; live_cleanup; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
export SGC_NO_DEFAULT_CONFIG=1
live_require_bpf
live_require_clang
svc_require curl
mkdir -p "$tmp/trig"

# Two rule files matching the same opens through different kernel filters
# (the second adds atoms the first lacks, and a syscall: each reload attaches
# or detaches a stub); the output says which one judged.
variant() {
    case $1 in
    a) cat << YAML ;;
- rule: Reload trigger
  desc: an open of a trigger file
  condition: evt.type in (open, openat) and fd.name startswith $tmp/trig/
  output: "trigger %fd.name (set a)"
  priority: WARNING
YAML
    b) cat << YAML ;;
- list: never_names
  items: [sgc-never-1, sgc-never-2]
- rule: Reload trigger
  desc: an open of a trigger file
  condition: >
    (evt.type in (open, openat) and fd.name startswith $tmp/trig/
     and not proc.name in (never_names) and evt.is_open_write = true)
    or (evt.type = mkdirat and evt.arg.path startswith /sgc-never/)
  output: "trigger %fd.name (set b)"
  priority: WARNING
YAML
    broken) printf -- '- rule: Reload trigger\n  condition: evt.type in (open\n' ;;
    esac
}
variant a > "$tmp/rules.yaml"
port=$(svc_free_port)
cat > "$tmp/sgc.yaml" << YAML
rules_files: [$tmp/rules.yaml]
json_output: true
stdout_output: {enabled: false}
file_output: {enabled: true, keep_alive: true, filename: $tmp/alerts.json}
watch_config_files: false
webserver: {enabled: true, listen_port: $port}
YAML
live_start reload run -c "$tmp/sgc.yaml"
pid=$live_pid

# the trigger loop: one new file per open (names from PREFIX), until told to stop
start_triggers() {
    rm -f "$tmp/stop"
    python3 - "$tmp" "$1" << 'PY' &
import os, sys, time
tmp, prefix = sys.argv[1], sys.argv[2]
n = 0
while not os.path.exists(tmp + "/stop"):
    os.close(os.open("%s/trig/%s%d" % (tmp, prefix, n), os.O_WRONLY | os.O_CREAT, 0o600))
    n += 1
    time.sleep(0.002)
open("%s/triggers-%s" % (tmp, prefix), "w").write(str(n))
PY
    trig_pid=$!
}

# every trigger of PREFIX has exactly one alert; both rule sets judged some
check_triggers() {
    python3 - "$tmp" "$1" << 'PY'
import json, sys, collections
tmp, prefix = sys.argv[1], sys.argv[2]
n = int(open("%s/triggers-%s" % (tmp, prefix)).read())
hits = collections.Counter()
sets = collections.Counter()
for l in open(tmp + "/alerts.json"):
    a = json.loads(l)
    if a["rule"] == "Reload trigger" and "/trig/" + prefix in a["output_fields"]["fd.name"]:
        hits[a["output_fields"]["fd.name"]] += 1
        sets[a["output"].rsplit("(", 1)[1]] += 1
want = ["%s/trig/%s%d" % (tmp, prefix, i) for i in range(n)]
lost = [p for p in want if hits[p] == 0]
dup = [p for p in want if hits[p] > 1]
extra = set(hits) - set(want)
print("%s: triggers %d, alerts %d, by rule set %s, lost %d, duplicated %d" %
      (prefix, n, sum(hits.values()), dict(sets), len(lost), len(dup)))
assert n > 500, "the trigger loop ran too briefly"
assert not lost, "lost: %s" % lost[:5]
assert not dup, "duplicated: %s" % dup[:5]
assert not extra, extra
assert sets["set a)"] and sets["set b)"], "both rule sets judged events"
PY
}
start_triggers p

# wait (bounded) until stderr has N lines matching a pattern
wait_lines() {
    local pattern=$1 n=$2
    for _ in $(seq 1800); do
        [ "$(grep -c -- "$pattern" "$tmp/reload.err" || true)" -ge "$n" ] && return 0
        kill -0 "$pid" 2> /dev/null || { cat "$tmp/reload.err" >&2; fail "sgc exited"; }
        sleep 0.1
    done
    tail -n 30 "$tmp/reload.err" >&2
    fail "no $n lines '$pattern' on stderr"
}

ok=0
for k in $(seq 1 20); do
    if [ "$k" = 10 ]; then
        variant broken > "$tmp/rules.yaml"
        kill -HUP "$pid"
        wait_lines 'reload failed, the running rules stay in force' 1
        continue
    fi
    [ $((k % 2)) = 1 ] && variant b > "$tmp/rules.yaml" || variant a > "$tmp/rules.yaml"
    kill -HUP "$pid"
    ok=$((ok + 1))
    wait_lines 'reloaded in' "$ok"
    sleep 0.3 # triggers between reloads too
done
touch "$tmp/stop"
wait "$trig_pid"
sleep 1
curl -fsS "http://127.0.0.1:$port/metrics" > "$tmp/metrics.txt" || true
live_stop "$pid"
grep 'reloaded in\|reload failed' "$tmp/reload.err" | tail -n 3
grep -q 'reloaded in .* watching 3 syscalls' "$tmp/reload.err" || fail "no reload added a syscall"
grep -q 'reloaded in .* watching 2 syscalls' "$tmp/reload.err" || fail "no reload dropped a syscall"

check_triggers p
python3 - "$tmp" << 'PY'
import json, sys
alerts = [json.loads(l) for l in open(sys.argv[1] + "/alerts.json")]
failed = [a for a in alerts if a["rule"] == "sgc internal: reload failed"]
assert len(failed) == 1, failed
assert failed[0]["source"] == "internal" and failed[0]["priority"] == "Error", failed[0]
assert "reload.error" in failed[0]["output_fields"], failed[0]
PY
grep -q "sgc_reloads_total{result=\"ok\"} $ok" "$tmp/metrics.txt" || fail "reloads not counted"
grep -q 'sgc_reloads_total{result="failed"} 1' "$tmp/metrics.txt" || fail "failed reload not counted"
grep -Eq "rules.yaml:[0-9]+:[0-9]+: error" "$tmp/reload.err" || fail "the broken file's error has no position"

# the raw_syscalls hook strategy (one tp_btf/sys_exit stub): the same
# exactness over a few reloads
: > "$tmp/alerts.json"
variant a > "$tmp/rules.yaml"
SGC_HOOK_STRATEGY=raw_syscalls live_start raw run -c "$tmp/sgc.yaml"
pid=$live_pid
grep -q 'attached 4 programs' "$tmp/raw.err" || fail "raw_syscalls: not one stub + 3 lifecycle programs"
start_triggers r
for k in 1 2 3 4; do
    [ $((k % 2)) = 1 ] && variant b > "$tmp/rules.yaml" || variant a > "$tmp/rules.yaml"
    kill -HUP "$pid"
    for _ in $(seq 1800); do
        [ "$(grep -c 'reloaded in' "$tmp/raw.err" || true)" -ge "$k" ] && break
        sleep 0.1
    done
    sleep 0.3
done
touch "$tmp/stop"
wait "$trig_pid"
sleep 1
live_stop "$pid"
[ "$(grep -c 'reloaded in' "$tmp/raw.err")" = 4 ] || fail "raw_syscalls: not 4 reloads"
check_triggers r

# watch_config_files: an edit reloads by itself
variant a > "$tmp/rules.yaml"
sed -i 's/watch_config_files: false/watch_config_files: true/' "$tmp/sgc.yaml"
: > "$tmp/alerts.json"
live_start watch run -c "$tmp/sgc.yaml"
pid=$live_pid
: > "$tmp/trig/w1"
wait_alert "$tmp/alerts.json" "Reload trigger" "fd.name=$tmp/trig/w1"
variant b > "$tmp/rules.yaml.new"
mv "$tmp/rules.yaml.new" "$tmp/rules.yaml" # as editors and ConfigMaps replace files
for _ in $(seq 1200); do
    grep -q 'reloaded in' "$tmp/watch.err" && break
    sleep 0.1
done
grep -q 'a configuration or rules file changed' "$tmp/watch.err" || fail "the edit was not noticed"
grep -q 'reloaded in' "$tmp/watch.err" || fail "no reload after the edit"
echo x > "$tmp/trig/w2"
wait_alert "$tmp/alerts.json" "Reload trigger" "fd.name=$tmp/trig/w2"
grep "trig/w2" "$tmp/alerts.json" | grep -q "(set b)" || fail "the edited rules do not judge"
live_stop "$pid"

# a ConfigMap volume: sgc.yaml -> ..data/sgc.yaml, ..data -> a timestamped
# directory the kubelet replaces by renaming a new link over ..data
cm="$tmp/cm"
mkdir -p "$cm/v1"
variant a > "$cm/v1/rules.yaml"
printf 'rules_files: [%s/rules.yaml]\njson_output: true\nstdout_output: {enabled: false}\nfile_output: {enabled: true, keep_alive: true, filename: %s/alerts.json}\n' \
    "$cm" "$tmp" > "$cm/v1/sgc.yaml"
ln -s v1 "$cm/..data"
ln -s ..data/sgc.yaml "$cm/sgc.yaml"
ln -s ..data/rules.yaml "$cm/rules.yaml"
live_start cm run -c "$cm/sgc.yaml"
pid=$live_pid
mkdir -p "$cm/v2"
cp "$cm/v1/sgc.yaml" "$cm/v2/sgc.yaml"
variant b > "$cm/v2/rules.yaml"
ln -s v2 "$cm/..data_tmp"
mv -T "$cm/..data_tmp" "$cm/..data"
for _ in $(seq 1200); do
    grep -q 'reloaded in' "$tmp/cm.err" && break
    sleep 0.1
done
grep -q 'reloaded in' "$tmp/cm.err" || fail "a ConfigMap update was not noticed"
echo x > "$tmp/trig/w3"
wait_alert "$tmp/alerts.json" "Reload trigger" "fd.name=$tmp/trig/w3"
grep "trig/w3" "$tmp/alerts.json" | grep -q "(set b)" || fail "the ConfigMap's new rules do not judge"
live_stop "$pid"
echo ok
