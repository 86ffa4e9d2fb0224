#!/bin/bash
# Detection 13: execution from /dev/shm.
# Action:  copy /bin/true to /dev/shm/sgc-attack-PID, run it, remove it.
# Rule:    "Execution from dev shm"
# Check:   proc.exepath = the file.
# Corpus:  "Execution from /dev/shm" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
need_root
[ -d /dev/shm ] || skip "no /dev/shm"
f=/dev/shm/sgc-attack-$$
attack_on_exit "rm -f '$f'"
cp /bin/true "$f"
chmod +x "$f"
t0=$(now_ns)
"$f" || skip "/dev/shm is mounted noexec here"
rm -f "$f"
expect "$t0" "Execution from dev shm" "proc.exepath=$f"
expect_corpus "$t0" "Execution from /dev/shm" "proc.exepath=$f"
