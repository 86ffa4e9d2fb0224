#!/usr/bin/env bash
# The ELK files of docs/elk.md (deploy/elk/): each parses (YAML, JSON, NDJSON)
# and holds what the doc promises (tests/report/check_elk.py).
set -euo pipefail
: "${SGC_SRC:?}"
exec python3 "$SGC_SRC/tests/report/check_elk.py" "$SGC_SRC/deploy/elk" "$SGC_SRC/tests/report/data/node-a.jsonl"
