#!/bin/bash
# Detection 13: credentials searched for.
# Action:  grep -r for "BEGIN OPENSSH PRIVATE KEY" and find for
#          */.aws/credentials, both in an empty scratch directory.
# Rule:    "Credential search" (twice)
# Check:   proc.name = grep / find, proc.cmdline.
# Corpus:  "Search Private Keys or Passwords" and "Find AWS Credentials" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
scratch_dir
d=$SCRATCH
t0=$(now_ns)
grep -r "BEGIN OPENSSH PRIVATE KEY" "$d" >/dev/null
find "$d" -path "*/.aws/credentials" >/dev/null
expect "$t0" "Credential search" "proc.name=grep" "proc.cmdline=grep -r BEGIN OPENSSH PRIVATE KEY $d"
expect "$t0" "Credential search" "proc.name=find" "proc.cmdline=find $d -path */.aws/credentials"
expect_corpus "$t0" "Search Private Keys or Passwords" "proc.name=grep"
expect_corpus "$t0" "Find AWS Credentials" "proc.name=find"
