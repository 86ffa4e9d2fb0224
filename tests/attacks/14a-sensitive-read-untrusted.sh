#!/bin/bash
# Stable rule coverage: a program with no business reading it opens /etc/shadow.
# Action:  a copy of cat, named sgc-reader, reads /etc/shadow (output discarded).
# Rule:    "Sensitive file read by untrusted program"
# Check:   fd.name = /etc/shadow, proc.name = sgc-reader.
# Corpus:  "Read sensitive file untrusted" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
need_root
scratch_dir
cp /bin/cat "$SCRATCH/sgc-reader"
t0=$(now_ns)
"$SCRATCH/sgc-reader" /etc/shadow >/dev/null
expect "$t0" "Sensitive file read by untrusted program" "fd.name=/etc/shadow" "proc.name=sgc-reader"
expect_corpus "$t0" "Read sensitive file untrusted" "fd.name=/etc/shadow" "proc.name=sgc-reader"
