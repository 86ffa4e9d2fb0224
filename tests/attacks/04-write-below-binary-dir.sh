#!/bin/bash
# Detection 4: a file below a binary directory opened for writing by a
# non-package-manager.
# Action:  cp /bin/true /usr/local/bin/sgc-attack-PID, then removed.
# Rule:    "Unexpected write below binary dir"
# Check:   fd.name = the file, proc.name = cp.
# Corpus:  "Write below binary dir" watches /bin, /sbin, /usr/bin, /usr/sbin
#          only; a second copy to /usr/bin/sgc-attack-PID covers it.
. "$(dirname "$0")/lib.sh"
need_root
f1=/usr/local/bin/sgc-attack-$$
f2=/usr/bin/sgc-attack-$$
attack_on_exit "rm -f '$f1' '$f2'"
t0=$(now_ns)
cp /bin/true "$f1"
cp /bin/true "$f2"
rm -f "$f1" "$f2"
expect "$t0" "Unexpected write below binary dir" "fd.name=$f1" "proc.name=cp"
expect "$t0" "Unexpected write below binary dir" "fd.name=$f2" "proc.name=cp"
expect_corpus "$t0" "Write below binary dir" "fd.name=$f2"
