#!/bin/bash
# Stable rule coverage: a search for RSA private keys.
# Action:  grep -r "BEGIN RSA PRIVATE" in an empty scratch directory.
# Rule:    "Credential search"
# Check:   proc.cmdline.
# Corpus:  "Search Private Keys or Passwords" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
scratch_dir
t0=$(now_ns)
grep -r "BEGIN RSA PRIVATE" "$SCRATCH" >/dev/null
expect "$t0" "Credential search" "proc.cmdline=grep -r BEGIN RSA PRIVATE $SCRATCH"
expect_corpus "$t0" "Search Private Keys or Passwords" "proc.name=grep"
