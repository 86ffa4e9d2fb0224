#!/bin/bash
# Live-state item 1 (proc.env of a process started after sgc): a program run
# with GLIBC_TUNABLES, as the Looney Tunables exploit does.
# Action:  env GLIBC_TUNABLES=glibc.malloc.mxfast=0 /bin/true.
# Rule:    "Program started with GLIBC_TUNABLES"
# Check:   proc.env[GLIBC_TUNABLES].
# Corpus:  "Potential Local Privilege Escalation via Environment Variables
#          Misuse" (falco-incubating_rules.yaml).
. "$(dirname "$0")/lib.sh"
t0=$(now_ns)
env GLIBC_TUNABLES=glibc.malloc.mxfast=0 /bin/true
expect "$t0" "Program started with GLIBC_TUNABLES" "proc.env[GLIBC_TUNABLES]=glibc.malloc.mxfast=0" "proc.name=true"
expect_corpus "$t0" "Potential Local Privilege Escalation via Environment Variables Misuse" "proc.name=true" "proc.env~*GLIBC_TUNABLES=glibc.malloc.mxfast=0*"
