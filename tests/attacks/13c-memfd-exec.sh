#!/bin/bash
# Detection 13: fileless execution through memfd.
# Action:  python3 copies /bin/true into a memfd_create() file and execs
#          /proc/self/fd/N: the program runs from memory only.
# Rule:    "Fileless execution from memfd"
# Check:   proc.is_exe_from_memfd (in the rule), proc.pid = the python3 pid
#          (execve keeps the pid), proc.exepath begins with /memfd: (the
#          memfd's name, as Falco shows it).
# Corpus:  "Fileless execution via memfd_create" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
need_root
scratch_dir
d=$SCRATCH
t0=$(now_ns)
"$PY" - "$d/pid" <<'PY'
import os, sys
fd = os.memfd_create("sgc-attack", 0)
with open("/bin/true", "rb") as f:
    os.write(fd, f.read())
with open(sys.argv[1], "w") as p:
    p.write("%d %d" % (os.getpid(), fd))
os.execv("/proc/self/fd/%d" % fd, ["sgc-attack-memfd"])
PY
read -r pid fd < "$d/pid"
expect "$t0" "Fileless execution from memfd" "proc.pid=$pid" "proc.exepath~/memfd:*"
# Falco's output has no pid: the process name is the fd number execve ran.
expect_corpus "$t0" "Fileless execution via memfd_create" "proc.name=$fd" "proc.pname=bash"
