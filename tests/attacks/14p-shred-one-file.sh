#!/bin/bash
# Stable rule coverage: shred of a single file.
# Action:  shred -u of one scratch file.
# Rule:    "Bulk data deletion"
# Check:   proc.name = shred.
# Corpus:  "Remove Bulk Data from Disk" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
command -v shred >/dev/null || skip "needs shred"
scratch_dir
echo secret > "$SCRATCH/one"
t0=$(now_ns)
shred -u "$SCRATCH/one"
expect "$t0" "Bulk data deletion" "proc.name=shred" "proc.cmdline=shred -u $SCRATCH/one"
expect_corpus "$t0" "Remove Bulk Data from Disk" "proc.name=shred"
