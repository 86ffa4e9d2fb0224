#!/usr/bin/env bash
# sgc report: the table-driven cases of tests/report/cases/ (golden aggregates
# checked in the JSON output, CLI errors and exit statuses).
set -euo pipefail
exec python3 "$SGC_SRC/tests/report/run_cases.py" "$SGC"
