#!/bin/bash
# Stable rule coverage: a script in /dev/shm run through the shell (`sh -c
# /dev/shm/x`), not executed directly.
# Action:  a two-line script in /dev/shm, run with `sh -c`, removed.
# Rule:    "Execution from dev shm"
# Check:   proc.cmdline.
# Corpus:  "Execution from /dev/shm" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
[ -d /dev/shm ] || skip "no /dev/shm"
f=/dev/shm/sgc-attack-$$.sh
attack_on_exit "rm -f '$f'"
printf '#!/bin/sh\ntrue\n' > "$f"
chmod +x "$f"
t0=$(now_ns)
sh -c "$f"
rm -f "$f"
expect "$t0" "Execution from dev shm" "proc.cmdline=sh -c $f"
expect_corpus "$t0" "Execution from /dev/shm" "proc.cmdline=sh -c $f"
