#!/bin/bash
# Detection 13: logs cleared.
# Action:  on a log file of its own (/var/log/sgc-attack-PID.log, created by
#          appending): `: > file` in sh (open with O_TRUNC), `truncate -s 0 file`
#          (open + ftruncate to 0), then `rm -f file`.
# Rule:    "Log file truncated" (twice: openat with O_TRUNC by sh, ftruncate by
#          truncate), "Log files removed" (rm).
# Check:   fd.name = the file; proc.name; the rm command line.
# Corpus:  "Clear Log Activities" (falco_rules.yaml) for the O_TRUNC open.
. "$(dirname "$0")/lib.sh"
need_root
[ -d /var/log ] || skip "no /var/log"
f=/var/log/sgc-attack-$$.log
attack_on_exit "[ ! -e '$f' ] || rm -f '$f'"
echo "sgc attack suite: safe to delete" >> "$f"
t0=$(now_ns)
sh -c ": > $f"
echo "again" >> "$f"
truncate -s 0 "$f"
rm -f "$f"
expect "$t0" "Log file truncated" "fd.name=$f" "proc.name=sh" "evt.type~open*"
expect "$t0" "Log file truncated" "fd.name=$f" "proc.name=truncate" "evt.type=ftruncate"
expect "$t0" "Log files removed" "proc.name=rm" "proc.cmdline=rm -f $f"
expect_corpus "$t0" "Clear Log Activities" "fd.name=$f" "proc.name=sh"
