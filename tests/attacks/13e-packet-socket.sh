#!/bin/bash
# Detection 13: a packet socket opened.
# Action:  python3 opens an AF_PACKET/SOCK_RAW socket and closes it (nothing is
#          read or sent).
# Rule:    "Packet socket opened"
# Check:   proc.name = python3.
# Corpus:  none on the host: "Packet socket created in container" is for
#          containers (and the test image has no program that opens one that is
#          not a DHCP/ARP tool).
. "$(dirname "$0")/lib.sh"
need_root
t0=$(now_ns)
"$PY" -c 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)).close()' \
    || skip "AF_PACKET sockets are not available here"
expect "$t0" "Packet socket opened" "proc.name=python3"
