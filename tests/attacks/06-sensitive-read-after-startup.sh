#!/bin/bash
# Detection 6: a sensitive file opened for reading by a trusted program after
# its start-up.
# Action:  busybox httpd (a real web server, bound to 127.0.0.1) is started with
#          /etc/shadow as its configuration file: it reads it at start-up (must
#          not alert: servers may read credentials while they start), then after
#          6 s a SIGHUP makes it re-read it: a running server reading
#          /etc/shadow. httpd's complaints (they quote the file) go to /dev/null.
# Rule:    "Sensitive file read by server after startup"
# Check:   fd.name = /etc/shadow, proc.name = httpd.
# Corpus:  "Read sensitive file trusted after startup" (falco_rules.yaml).
. "$(dirname "$0")/lib.sh"
need_root
command -v busybox >/dev/null || skip "needs busybox"
[ -r /etc/shadow ] || skip "no /etc/shadow"
scratch_dir
d=$SCRATCH
port=$(free_port)
ln -s "$(command -v busybox)" "$d/httpd"
"$d/httpd" -f -p "127.0.0.1:$port" -h "$d" -c /etc/shadow >/dev/null 2>&1 &
pid=$!
attack_on_exit "kill $pid"
sleep 6
kill -0 "$pid" 2>/dev/null || { echo "busybox httpd did not start" >&2; exit 1; }
t0=$(now_ns)
kill -HUP "$pid"
sleep 0.5
expect "$t0" "Sensitive file read by server after startup" "fd.name=/etc/shadow" "proc.name=httpd" "proc.pid=$pid"
expect_corpus "$t0" "Read sensitive file trusted after startup" "fd.name=/etc/shadow" "proc.name=httpd"
