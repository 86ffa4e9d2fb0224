#!/bin/bash
# Stable rule coverage: clearing a log the way public event generators do:
# a file named like a system log, outside /var/log, emptied with O_TRUNC.
# Action:  sh -c ': > SCRATCH/syslog'.
# Rule:    "Log file truncated"
# Check:   fd.name.
# Corpus:  "Clear Log Activities" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
scratch_dir
echo old > "$SCRATCH/syslog"
t0=$(now_ns)
sh -c ": > '$SCRATCH/syslog'"
expect "$t0" "Log file truncated" "fd.name=$SCRATCH/syslog"
expect_corpus "$t0" "Clear Log Activities" "fd.name=$SCRATCH/syslog"
