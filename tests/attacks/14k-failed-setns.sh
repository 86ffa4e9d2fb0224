#!/bin/bash
# Extended rule: a failed setns (an attempt to enter namespaces).
# Action:  python3 calls setns() on its own network namespace fd asking for
#          a mount namespace: refused (EINVAL).
# Rule:    "Namespace change by unexpected program"
# Check:   evt.res = EINVAL, proc.name = python3.
# Corpus:  none in falco_rules.yaml.
. "$(dirname "$0")/lib.sh"
t0=$(now_ns)
"$PY" -c 'import ctypes, os
fd = os.open("/proc/self/ns/net", os.O_RDONLY)
ctypes.CDLL(None, use_errno=True).setns(fd, 0x00020000)'
expect "$t0" "Namespace change by unexpected program" "evt.res=EINVAL" "proc.name=python3"
