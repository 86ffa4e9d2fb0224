#!/bin/bash
# Replay against Falco's own rules (read in place): a sensitive-file read by
# an untrusted program raises Falco's rule with Falco's output fields.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}" "${SGC_CORPUS:?}"
export TZ=UTC
out=$("$SGC" replay --json "$SGC_SRC/tests/replay/corpus_read_shadow.jsonl" "$SGC_CORPUS/falco_rules.yaml")
echo "$out" | python3 -c '
import json, sys
alerts = [json.loads(l) for l in sys.stdin if l.strip()]
assert len(alerts) == 1, alerts
a = alerts[0]
assert a["rule"] == "Read sensitive file untrusted", a["rule"]
assert a["priority"] == "Warning"
assert a["time"] == "2024-05-01T12:00:00.000000000Z"
f = a["output_fields"]
assert f["fd.name"] == "/etc/shadow" and f["proc.aname[2]"] == "sshd" and f["proc.aname[3]"] is None
assert f["user.loginuid"] == 1000 and f["proc.tty"] == 34816 and f["evt.time"] == 1714564800000000000
assert "mitre_credential_access" in a["tags"] and a["tags"] == sorted(a["tags"])
assert a["output"].startswith("12:00:00.000000000: Warning Sensitive file opened for reading")
'
"$SGC" replay --check "$SGC_SRC/tests/replay/corpus_read_shadow.jsonl" "$SGC_CORPUS/falco_rules.yaml" > /dev/null
echo ok
