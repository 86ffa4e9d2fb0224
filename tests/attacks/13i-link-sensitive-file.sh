#!/bin/bash
# Detection (beyond the issue's list): a link to a sensitive file, the way
# around rules that watch the file by name (opens through a link name the
# link). On the test machine a test's random syscalls truncated /etc/passwd
# through such links, unseen by the open rules.
# Action:  ln -s /etc/shadow SCRATCH/c.log (nothing is read or written through it).
# Rule:    "Link to sensitive file created"
# Check:   proc.name = ln, evt.type = symlink or symlinkat.
# Corpus:  "Create Symlink Over Sensitive Files" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
scratch_dir
d=$SCRATCH
t0=$(now_ns)
ln -s /etc/shadow "$d/c.log"
rm -f "$d/c.log"
expect "$t0" "Link to sensitive file created" "proc.name=ln" "evt.type~symlink*"
expect_corpus "$t0" "Create Symlink Over Sensitive Files" "proc.name=ln"
