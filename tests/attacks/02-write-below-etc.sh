#!/bin/bash
# Detection 2: a file below /etc opened for writing by a program that is not a
# package manager or a configuration tool.
# Action:  sh -c 'echo ... > /etc/sgc-attack-PID.conf', then the file is removed.
# Rule:    "Unexpected write below etc"
# Check:   fd.name = the file, proc.name = sh, proc.cmdline names the file.
# Corpus:  "Write below etc" (falco-sandbox_rules.yaml).
. "$(dirname "$0")/lib.sh"
need_root
f=/etc/sgc-attack-$$.conf
attack_on_exit "rm -f '$f'"
t0=$(now_ns)
sh -c "echo 'sgc attack suite: safe to delete' > $f"
rm -f "$f"
expect "$t0" "Unexpected write below etc" "fd.name=$f" "proc.name=sh" "proc.cmdline~*$f*"
expect_corpus "$t0" "Write below etc" "fd.name=$f"
