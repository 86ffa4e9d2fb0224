#!/bin/bash
# Detection 13: ptrace attached to another process.
# Action:  python3 (ctypes) PTRACE_ATTACHes to a sleep child of this script,
#          waits for it to stop, and PTRACE_DETACHes.
# Rule:    "Ptrace attach to process"
# Check:   proc.name = python3, evt.arg.request = PTRACE_ATTACH, evt.arg.pid = the sleep.
# Corpus:  "PTRACE attached to process" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
need_root
sleep 30 &
victim=$!
attack_on_exit "kill $victim"
t0=$(now_ns)
"$PY" - "$victim" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
PTRACE_ATTACH, PTRACE_DETACH = 16, 17
pid = int(sys.argv[1])
if libc.ptrace(PTRACE_ATTACH, pid, None, None) != 0:
    sys.exit("PTRACE_ATTACH: " + os.strerror(ctypes.get_errno()))
os.waitpid(pid, 0)
libc.ptrace(PTRACE_DETACH, pid, None, None)
PY
expect "$t0" "Ptrace attach to process" "proc.name=python3" "evt.arg.request=PTRACE_ATTACH" "evt.arg.pid=$victim"
expect_corpus "$t0" "PTRACE attached to process" "proc.name=python3"
