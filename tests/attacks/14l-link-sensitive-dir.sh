#!/bin/bash
# Stable rule coverage: a symlink to a sensitive directory, a hard link to
# /etc/shadow.
# Action:  `ln -s /etc SCRATCH/etc-link`; `ln /etc/shadow /etc/.sgc-attack-PID`
#          (same file system), both removed.
# Rule:    "Link to sensitive file created" (twice)
# Check:   evt.type.
# Corpus:  "Create Symlink Over Sensitive Files", "Create Hardlink Over
#          Sensitive Files" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
need_root
scratch_dir
hl=/etc/.sgc-attack-hl-$$
attack_on_exit "rm -f '$hl'"
t0=$(now_ns)
ln -s /etc "$SCRATCH/etc-link"
ln /etc/shadow "$hl"
rm -f "$hl"
expect "$t0" "Link to sensitive file created" "evt.type=symlinkat"
expect "$t0" "Link to sensitive file created" "evt.type=linkat"
expect_corpus "$t0" "Create Symlink Over Sensitive Files" "evt.arg.target=/etc"
expect_corpus "$t0" "Create Hardlink Over Sensitive Files" "evt.arg.oldpath=/etc/shadow"
