#!/bin/bash
# Detection 3: a namespace change (setns, unshare) by an unexpected program.
# Action:  `unshare --mount true` (a new mount namespace, gone when true exits),
#          then `nsenter -t PID -m true` into a helper's mount namespace (setns).
# Rule:    "Namespace change by unexpected program", twice: evt.type = unshare
#          with proc.name = unshare, then evt.type = setns with proc.name = nsenter.
# Corpus:  none fires on the host: "Change thread namespace" excludes nsenter on
#          the host and "Change namespace privileges via unshare" wants a
#          non-root user namespace; the runner lists them as not covering.
. "$(dirname "$0")/lib.sh"
need_root
command -v unshare >/dev/null && command -v nsenter >/dev/null || skip "needs unshare and nsenter (util-linux)"
sleep 30 &
helper=$!
attack_on_exit "kill $helper"
t0=$(now_ns)
unshare --mount true
nsenter -t "$helper" -m true
expect "$t0" "Namespace change by unexpected program" "proc.name=unshare" "evt.type=unshare"
expect "$t0" "Namespace change by unexpected program" "proc.name=nsenter" "evt.type=setns"
