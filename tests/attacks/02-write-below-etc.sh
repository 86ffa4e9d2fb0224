#!/bin/bash
# Detection 2: a file below /etc opened for writing by a program that is not a
# package manager or a configuration tool.
# Action:  sh -c 'echo ... > /etc/sgc-attack-PID.conf', then the file is removed;
#          the same through openat2 (python3, its flags in a struct open_how).
# Rule:    "Unexpected write below etc"
# Check:   fd.name = the file, proc.name = sh, proc.cmdline names the file.
# Corpus:  "Write below etc" (falco-sandbox_rules.yaml).
. "$(dirname "$0")/lib.sh"
need_root
f=/etc/sgc-attack-$$.conf
attack_on_exit "rm -f '$f'"
t0=$(now_ns)
sh -c "echo 'sgc attack suite: safe to delete' > $f"
rm -f "$f"
f2=/etc/sgc-attack-$$-openat2.conf
attack_on_exit "rm -f '$f2'"
python3 - "$f2" <<'PY'
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
how = ctypes.create_string_buffer(struct.pack("QQQ", os.O_WRONLY | os.O_CREAT, 0o644, 0), 24)
fd = libc.syscall(437, -100, sys.argv[1].encode(), how, 24)  # openat2(AT_FDCWD, ...)
sys.exit(0 if fd >= 0 else 1)
PY
rm -f "$f2"
expect "$t0" "Unexpected write below etc" "fd.name=$f" "proc.name=sh" "proc.cmdline~*$f*"
expect "$t0" "Unexpected write below etc" "fd.name=$f2" "proc.name=python3" "evt.arg.flags~O_WRONLY*"
expect_corpus "$t0" "Write below etc" "fd.name=$f"
expect_corpus "$t0" "Write below etc" "fd.name=$f2" "evt.type=openat2"
