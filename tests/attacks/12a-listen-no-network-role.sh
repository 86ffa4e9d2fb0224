#!/bin/bash
# Detection 12 (listen): a new listening port by a process that should not open one.
# Action:  netcat (busybox nc, run under the name nc) listens on PORT for 1 s,
#          with no -e and stdin closed: the first step of a bind shell.
# Rule:    "Listening port opened by program without network role"
# Check:   proc.name = nc, fd.lport = PORT.
# Corpus:  none: Falco's rules watch listening only for interpreters and
#          system programs (inbound_outbound skips 0.0.0.0).
. "$(dirname "$0")/lib.sh"
need_root
command -v busybox >/dev/null || skip "needs busybox"
scratch_dir
d=$SCRATCH
port=$(free_port)
t0=$(now_ns)
timeout 1 "$ATTACKS_DIR/lib-applet.sh" "$d" nc -l -p "$port" </dev/null >/dev/null 2>&1
expect "$t0" "Listening port opened by program without network role" "proc.name=nc" "fd.lport=$port"
