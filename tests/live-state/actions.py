#!/usr/bin/python3
# The host actions of tests/scripts/live_state.sh (issue 11's live-state
# items), each a real syscall sequence: actions.py PORT_DUP PORT_LISTEN TOKEN
#  1 an exec with a marker in its environment (proc.env)
#  2 a connected TCP socket dup2'ed onto stdout by a child, then fcntl, write
#    and read on it (socket fields on fd-based syscalls)
#  3 a socket bound to 0.0.0.0:PORT_LISTEN and listening (server socket)
#  4 a received buffer that starts with the class-file magic (evt.buffer)
#  7 a forked child that calls PTRACE_TRACEME before any exec (its parent's
#    command line and executable)
import ctypes
import fcntl
import os
import socket
import sys

port_dup, port_listen, token = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

os.spawnve(os.P_WAIT, "/bin/true", ["true"], {"SGC_LS_MARK": token, "PATH": "/bin"})

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port_dup))
srv.listen(1)
cli = socket.create_connection(("127.0.0.1", port_dup))
acc, _ = srv.accept()
pid = os.fork()
if pid == 0:
    os.dup2(cli.fileno(), 1)
    fcntl.fcntl(1, fcntl.F_GETFL)
    os._exit(0)
os.waitpid(pid, 0)

lst = socket.socket()
lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lst.bind(("0.0.0.0", port_listen))
lst.listen(1)
lst.close()

acc.sendall(b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + token.encode())
cli.recvfrom(100)

libc = ctypes.CDLL(None, use_errno=True)
pid = os.fork()
if pid == 0:
    libc.ptrace(0, 0, 0, 0)  # PTRACE_TRACEME
    os._exit(0)
os.waitpid(pid, 0)
