#!/bin/bash
# sgc record -> sgc replay round trip: while `sgc run` and `sgc record` watch
# the same real actions, the replay of the recording must print the same
# alerts as the live run did for them (same rules, same rendered output and
# output fields; only evt.time may differ by the two processes' clock
# conversions, so times are left out of the comparison).
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_CORPUS:?}"
tmp=$(mktemp -d /tmp/sgc-e2e.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
trap 'live_cleanup; rm -rf "$tmp" /dev/shm/sgc-rr-shm' EXIT
live_require_bpf

rules=("$SGC_CORPUS/falco_rules.yaml" "$SGC_CORPUS/falco-incubating_rules.yaml"
       "$SGC_CORPUS/falco-sandbox_rules.yaml")
events="$tmp/events.jsonl"
live_start record record -o "$events" "${rules[@]}"
record_pid=$live_pid
live_start run run --json -o "$tmp/run.json" "${rules[@]}"
run_pid=$live_pid

cp /bin/cat "$tmp/sgc-rr-reader"
cp /bin/cat "$tmp/sgc-rr-benign"
cp /bin/true /dev/shm/sgc-rr-shm
sh -c "\"$tmp/sgc-rr-reader\" /etc/shadow > /dev/null"
"$tmp/sgc-rr-benign" /etc/hostname > /dev/null
ln -s /etc/shadow "$tmp/shadow-link"
/dev/shm/sgc-rr-shm

wait_alert "$tmp/run.json" "Read sensitive file untrusted" proc.name=sgc-rr-reader
wait_alert "$tmp/run.json" "Create Symlink Over Sensitive Files" evt.arg.linkpath="$tmp/shadow-link"
wait_alert "$tmp/run.json" "Execution from /dev/shm" proc.name=sgc-rr-shm
sleep 1 # the recorder reads the same kernel events on its own ring buffer
live_stop "$record_pid"
live_stop "$run_pid"
grep -E 'file: [0-9]+ processes at start, [1-9][0-9]* events written' "$tmp/record.err" ||
    fail "no record summary"

"$SGC" replay --json "$events" "${rules[@]}" > "$tmp/replay.json" 2> "$tmp/replay.err" || {
    cat "$tmp/replay.err" >&2
    fail "sgc replay failed on the recording"
}

# The alerts about this test's own actions, without times.
python3 - "$tmp/run.json" "$tmp/replay.json" "$tmp" << 'PY'
import json, re, sys
run_path, replay_path, tmpdir = sys.argv[1:4]
def ours(path):
    out = []
    for line in open(path):
        a = json.loads(line)
        f = a.get("output_fields", {})
        text = json.dumps(f)
        if not ("sgc-rr-" in text or tmpdir in text):
            continue
        if f.get("proc.name") == "sgc":  # the run's own syscalls: only the recorder sees them
            continue
        f.pop("evt.time", None)
        f.pop("sgc.alert.id", None)  # hashes the host name, which replay sets
        out.append(json.dumps({"rule": a["rule"], "priority": a["priority"],
                               "output": re.sub(r"^\S+: ", "", a["output"]),
                               "output_fields": f, "tags": a.get("tags")}, sort_keys=True))
    return sorted(out)
live, replayed = ours(run_path), ours(replay_path)
if len(live) < 3:
    sys.exit("FAIL: expected at least 3 live alerts about the test, got %d" % len(live))
if live != replayed:
    print("FAIL: replay differs from the live run", file=sys.stderr)
    for x in sorted(set(live) - set(replayed)):
        print("  live only:   " + x[:400], file=sys.stderr)
    for x in sorted(set(replayed) - set(live)):
        print("  replay only: " + x[:400], file=sys.stderr)
    sys.exit(1)
print("ok: %d alerts identical in run and replay" % len(live))
PY
if grep -q 'sgc-rr-benign' "$tmp/replay.json"; then fail "the benign control alerted in replay"; fi
echo ok
