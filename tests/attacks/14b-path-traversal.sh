#!/bin/bash
# Stable rule coverage: a directory traversal, as an application that hands a
# user's file name to open() does.
# Action:  python3 (started by python3, not by a shell) opens
#          SCRATCH/static/../../../etc/passwd for reading.
# Rule:    "Path traversal to sensitive file"
# Check:   fd.name = /etc/passwd, fd.nameraw = the name as given.
# Corpus:  "Directory traversal monitored file read" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
scratch_dir
mkdir -p "$SCRATCH/static"
# as many ../ as SCRATCH/static is deep, to land on /
up=$(echo "$SCRATCH/static" | tr -cd / | sed 's#/#../#g')
name="$SCRATCH/static/${up}etc/passwd"
t0=$(now_ns)
"$PY" -c 'import subprocess, sys; subprocess.run([sys.executable, "-c", "open(%r).read()" % sys.argv[1]])' "$name"
expect "$t0" "Path traversal to sensitive file" "fd.name=/etc/passwd" "fd.nameraw=$name"
expect_corpus "$t0" "Directory traversal monitored file read" "fd.name=/etc/passwd"
