#!/bin/bash
# Stable rule coverage: anti-debugging; live-state item 7 (a forked child
# before exec has its parent's command line and executable).
# Action:  python3 forks; the child calls ptrace(PTRACE_TRACEME) and exits.
# Rule:    "Anti-debugging with PTRACE_TRACEME"
# Check:   proc.cmdline and proc.exepath are the parent python3's.
# Corpus:  "PTRACE anti-debug attempt" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
marker=sgc-attack-traceme-$$
exe=$(readlink -f "$PY")
t0=$(now_ns)
"$PY" -c 'import ctypes, os, sys
pid = os.fork()
if pid == 0:
    ctypes.CDLL(None).ptrace(0, 0, 0, 0)
    os._exit(0)
os.waitpid(pid, 0)' "$marker"
expect "$t0" "Anti-debugging with PTRACE_TRACEME" "proc.exepath=$exe" "proc.cmdline~python3 -c *$marker"
expect_corpus "$t0" "PTRACE anti-debug attempt" "proc.exepath=$exe" "proc.cmdline~python3 -c *$marker"
