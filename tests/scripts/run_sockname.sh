#!/bin/bash
# Socket names decided in the kernel (compiler/pushdown/pushdown_sockname.c):
# a rule on fd.name = "client->server" of a connect, one on
# evt.arg.tuple = "local->remote" of an accept and one on evt.arg.addr of a
# bind (the address argument read before the filter) alert for the real
# loopback connection they name, and the kernel drops the other connections
# and binds of the same user (the name differs) and those a path constant
# can never name,
# where a --no-pushdown run (the oracle) sees them all. Alerts are the same
# in both runs. Needs root, BPF and clang.
set -euo pipefail
: "${SGC:?}" "${SGC_SRC:?}"
. "$SGC_SRC/tests/scripts/lib/live.sh"
live_begin
PY=/usr/bin/python3 # not a shim under /root: the test user runs it
[ -x "$PY" ] || live_skip "needs /usr/bin/python3"
uid=4243
sport=$((20000 + RANDOM % 20000))
cport=$((sport + 1))
benign=200
cat > "$tmp/rules.yaml" << YAML
- rule: Connect to the named tuple
  desc: test
  condition: evt.type = connect and user.uid = $uid and fd.name = "127.0.0.1:$cport->127.0.0.1:$sport"
  output: named connect (connection=%fd.name tuple=%evt.arg.tuple)
  priority: WARNING
- rule: Accept of the named tuple
  desc: test
  condition: >
    evt.type in (accept, accept4) and user.uid = $uid
    and evt.arg.tuple in ("127.0.0.1:$sport->127.0.0.1:$cport", "::1:$sport->::1:$cport")
  output: named accept (tuple=%evt.arg.tuple connection=%fd.name)
  priority: WARNING
- rule: Bind to the named address
  desc: test
  condition: evt.type = bind and user.uid = $uid and evt.arg.addr = "127.0.0.1:$cport"
  output: named bind (addr=%evt.arg.addr)
  priority: WARNING
- rule: Connect to a unix socket path
  desc: test
  condition: evt.type = connect and user.uid = $uid and fd.name startswith /run/
  output: unix connect (connection=%fd.name)
  priority: WARNING
YAML

live_start_pair "$tmp/rules.yaml"

cat > "$tmp/conn.py" << 'PY'
import socket, sys
sport, cport, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", sport))
srv.listen(64)
def one(port):
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if port:
        c.bind(("127.0.0.1", port))
    c.connect(("127.0.0.1", sport))
    a, _ = srv.accept()
    a.close()
    c.close()
one(cport)
for _ in range(n):
    one(0)
PY
chmod 755 "$tmp"
setpriv --reuid=$uid --regid=$uid --clear-groups "$PY" "$tmp/conn.py" $sport $cport $benign

for f in pushdown oracle; do
    wait_alert "$tmp/$f.json" "Connect to the named tuple" \
        fd.name="127.0.0.1:$cport->127.0.0.1:$sport" evt.arg.tuple="127.0.0.1:$cport->127.0.0.1:$sport"
    wait_alert "$tmp/$f.json" "Accept of the named tuple" \
        evt.arg.tuple="127.0.0.1:$sport->127.0.0.1:$cport" fd.name="127.0.0.1:$cport->127.0.0.1:$sport"
    wait_alert "$tmp/$f.json" "Bind to the named address" evt.arg.addr="127.0.0.1:$cport"
done
sleep 1
live_stop "$pushdown_pid"
live_stop "$oracle_pid"
for f in pushdown oracle; do
    n=$(grep -c '"rule"' "$tmp/$f.json" || true)
    [ "$n" = 3 ] || fail "$f: $n alerts, expected the 3 named ones"
done
# the oracle saw every connect and accept of the benign connections; the
# kernel filter passed only the named ones (and nothing of other users:
# their uid is decided in the kernel too)
passed() { sed -n 's/.*kernel: [0-9]* events seen, [0-9]* filtered, \([0-9]*\) passed.*/\1/p' "$1"; }
filtered() { sed -n 's/.*kernel: [0-9]* events seen, \([0-9]*\) filtered.*/\1/p' "$1"; }
op=$(passed "$tmp/oracle.err")
pp=$(passed "$tmp/pushdown.err")
pf=$(filtered "$tmp/pushdown.err")
echo "oracle passed $op; pushdown passed $pp, filtered $pf"
[ "$op" -ge $((2 * benign)) ] || fail "the oracle saw $op events, fewer than the benign connections"
[ "$pf" -ge $((2 * benign)) ] || fail "the kernel filtered $pf events, fewer than the benign connections"
[ "$pp" -le 10 ] || fail "the kernel passed $pp events: the benign connections were not dropped"
echo "PASS"
