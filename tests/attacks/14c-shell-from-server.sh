#!/bin/bash
# Stable rule coverage: a web server starts a shell (remote code execution).
# Action:  python3 run under the name nginx (a symlink) starts `sh -c true`.
# Rule:    "Shell spawned by server"
# Check:   proc.name = sh, proc.pname = nginx.
# Corpus:  "Run shell untrusted" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
scratch_dir
ln -s "$(readlink -f "$PY")" "$SCRATCH/nginx"
t0=$(now_ns)
"$SCRATCH/nginx" -c 'import subprocess; subprocess.run(["/bin/sh", "-c", "true"])'
expect "$t0" "Shell spawned by server" "proc.name=sh" "proc.pname=nginx"
expect_corpus "$t0" "Run shell untrusted" "proc.name=sh" "proc.pname=nginx"
