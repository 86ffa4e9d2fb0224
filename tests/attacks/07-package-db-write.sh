#!/bin/bash
# Detection 7: the rpm or dpkg database opened for writing by a program that is
# not its package manager.
# Action:  sh creates /var/lib/dpkg/sgc-attack-PID (a new file in the dpkg
#          database directory; dpkg ignores unknown files), then removes it.
# Rule:    "Package database written by non-package-manager"
# Check:   fd.name = the file, proc.name = sh.
# Corpus:  none: "Write below rpm database" covers /var/lib/rpm only (no rpm here).
. "$(dirname "$0")/lib.sh"
need_root
[ -d /var/lib/dpkg ] || skip "no dpkg database on this machine"
f=/var/lib/dpkg/sgc-attack-$$
attack_on_exit "rm -f '$f'"
t0=$(now_ns)
sh -c ": > $f"
rm -f "$f"
expect "$t0" "Package database written by non-package-manager" "fd.name=$f" "proc.name=sh"
