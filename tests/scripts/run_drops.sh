#!/bin/bash
# Lost events are never silent: with a 4 KiB ring buffer and the consumer
# stopped (SIGSTOP) while the host opens files, the kernel's reservation
# failures must be reported on stderr and raised as the internal alert
# "sgc internal: event drop" (Critical, counts in output_fields), and counted
# in the summary.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
tmp=$(mktemp -d /tmp/sgc-e2e.XXXXXX)
. "$SGC_SRC/tests/scripts/lib/live.sh"
trap 'live_cleanup; rm -rf "$tmp"' EXIT
live_require_bpf

cat > "$tmp/rules.yaml" << 'YAML'
- rule: Open of a drop-test file
  desc: test rule
  condition: evt.type in (open, openat) and fd.name startswith /tmp/sgc-e2e-none/
  output: opened %fd.name
  priority: INFO
YAML
alerts="$tmp/alerts.json"
# --no-pushdown: every open reaches the ring buffer, whatever the filter
# would decide
live_start run run --no-pushdown --json -o "$alerts" --ringbuf-bytes 4096 --stats-interval 1 \
    "$tmp/rules.yaml"

kill -STOP "$live_pid"
# far more records than 4 KiB can hold while nobody reads them
python3 -c '
import os
for i in range(3000):
    try:
        os.close(os.open("/etc/hostname", os.O_RDONLY))
    except OSError:
        pass
'
kill -CONT "$live_pid"

wait_alert "$alerts" "sgc internal: event drop" n_drops_buffer!=0 n_drops!=0
python3 - "$alerts" << 'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1]) if '"sgc internal: event drop"' in l][0]
assert a["priority"] == "Critical", a
assert a["source"] == "internal", a
f = a["output_fields"]
assert f["n_drops"] == f["n_drops_buffer"] + f["n_drops_scratch"] + f["n_decode_errors"], f
assert f["n_drops_buffer"] > 0 and f["n_drops_buffer_total"] >= f["n_drops_buffer"], f
assert "events lost" in a["output"], a
PY
grep -E 'warning: [0-9]+ events lost in the last' "$tmp/run.err" || fail "no stderr report"
live_stop "$live_pid"
grep -E 'kernel: .* [1-9][0-9]* lost \(ring buffer full\)' "$tmp/run.err" ||
    fail "the summary does not count the lost events"
grep -E '[1-9][0-9]* drop alerts' "$tmp/run.err" || fail "the summary does not count drop alerts"
echo ok
