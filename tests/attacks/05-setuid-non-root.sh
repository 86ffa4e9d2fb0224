#!/bin/bash
# Detection 5: an unexpected setuid by a program that is neither sudo-like nor
# running as root.
# Action:  setpriv drops to nobody (65534), then python3 calls setuid(0), which
#          fails with EPERM: an escalation attempt. (setpriv's own switch from
#          root to nobody must not alert: that is a root program dropping.)
# Rule:    "Unexpected setuid by non-root program"
# Check:   proc.name = python3, user.uid = 65534, evt.res = EPERM.
# Corpus:  "Non sudo setuid" (falco-incubating_rules.yaml).
. "$(dirname "$0")/lib.sh"
need_root
command -v setpriv >/dev/null || skip "needs setpriv (util-linux)"
t0=$(now_ns)
setpriv --reuid=65534 --regid=65534 --clear-groups -- "$PY" -c '
import os
try:
    os.setuid(0)
except PermissionError:
    pass
'
expect "$t0" "Unexpected setuid by non-root program" "proc.name=python3" "user.uid=65534" "evt.res=EPERM"
expect_corpus "$t0" "Non sudo setuid" "proc.name=python3"
