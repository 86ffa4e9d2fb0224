#!/bin/bash
# Detection 8: a system user (uid below 1000, e.g. www-data) running an
# interactive command.
# Action:  `script` allocates a pseudo-terminal and runs, as www-data (uid 33,
#          via setpriv), `sh -c id` on it: a service account on a terminal.
# Rule:    "Interactive command by system user" (for sh and for id)
# Check:   user.uid = 33, proc.name = sh, proc.tty != 0.
# Corpus:  none: "System user interactive" wants an sshd or login ancestor.
. "$(dirname "$0")/lib.sh"
need_root
command -v script >/dev/null && command -v setpriv >/dev/null || skip "needs script and setpriv (util-linux)"
uid=$(id -u www-data 2>/dev/null) || skip "no www-data user"
t0=$(now_ns)
script -q -e -c "setpriv --reuid=$uid --regid=$uid --clear-groups -- /bin/sh -c id" /dev/null >/dev/null
expect "$t0" "Interactive command by system user" "user.uid=$uid" "proc.name=sh" "proc.tty~[1-9]*"
expect "$t0" "Interactive command by system user" "user.uid=$uid" "proc.name=id"
