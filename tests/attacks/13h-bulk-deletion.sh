#!/bin/bash
# Detection 13: bulk deletion of data.
# Action:  shred -u of twelve files of a scratch directory (overwritten and
#          removed at once), then `rm -rf --no-preserve-root` of a path that
#          does not exist (the intent flag; nothing is removed).
# Rule:    "Bulk data deletion" (twice)
# Check:   proc.name = shred with proc.cmdnargs >= 10; proc.name = rm.
# Corpus:  "Remove Bulk Data from Disk" (falco_rules.yaml) for shred.
. "$(dirname "$0")/lib.sh"
scratch_dir
d=$SCRATCH
for i in $(seq 1 12); do echo "data $i" > "$d/file$i"; done
missing=/nonexistent-sgc-attack-$$
t0=$(now_ns)
(cd "$d" && shred -u file1 file2 file3 file4 file5 file6 file7 file8 file9 file10 file11 file12)
rm -rf --no-preserve-root "$missing"
expect "$t0" "Bulk data deletion" "proc.name=shred" "proc.cmdnargs=13"
expect "$t0" "Bulk data deletion" "proc.name=rm" "proc.cmdline=rm -rf --no-preserve-root $missing"
expect_corpus "$t0" "Remove Bulk Data from Disk" "proc.name=shred"
