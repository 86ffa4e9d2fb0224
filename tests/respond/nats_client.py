#!/usr/bin/env python3
"""A small NATS client for the respond tests (the NATS protocol over TCP,
optionally TLS with a client certificate): publish lines, or subscribe and
print messages.

  nats_client.py pub  URL SUBJECT [--ca F --cert F --key F] < lines
  nats_client.py sub  URL SUBJECT --count N --timeout S [--ca ...]
"""
import argparse, socket, ssl, sys, time


def connect(url, a):
    host, port = url.split("://")[-1].rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=10)
    f = s.makefile("rb")
    info = f.readline()
    if not info.startswith(b"INFO"):
        raise SystemExit("not a NATS server: %r" % info)
    if a.ca:
        ctx = ssl.create_default_context(cafile=a.ca)
        if a.cert:
            ctx.load_cert_chain(a.cert, a.key)
        s = ctx.wrap_socket(s, server_hostname=host if host != "127.0.0.1" else "localhost")
        f = s.makefile("rb")
    s.sendall(b'CONNECT {"verbose":false,"pedantic":false,"echo":false}\r\nPING\r\n')
    while True:
        line = f.readline()
        if not line:
            raise SystemExit("connection closed")
        if line.startswith(b"PONG"):
            return s, f
        if line.startswith(b"-ERR"):
            raise SystemExit(line.decode())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode")
    p.add_argument("url")
    p.add_argument("subject")
    p.add_argument("--ca")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--rate", type=float, default=0, help="messages per second (0: as fast as possible)")
    a = p.parse_args()
    s, f = connect(a.url, a)
    if a.mode == "pub":
        n = 0
        for line in sys.stdin.buffer:
            line = line.rstrip(b"\n")
            if not line:
                continue
            s.sendall(b"PUB %s %d\r\n%s\r\n" % (a.subject.encode(), len(line), line))
            n += 1
            if a.rate:
                time.sleep(1 / a.rate)
        s.sendall(b"PING\r\n")
        while not f.readline().startswith(b"PONG"):
            pass
        print("published %d" % n, file=sys.stderr)
        return
    s.sendall(b"SUB %s 1\r\nPING\r\n" % a.subject.encode())
    while not f.readline().startswith(b"PONG"):
        pass
    print("subscribed", file=sys.stderr, flush=True)
    s.settimeout(a.timeout)
    got = 0
    deadline = time.time() + a.timeout
    try:
        while got < a.count and time.time() < deadline:
            line = f.readline()
            if line.startswith(b"MSG"):
                size = int(line.split()[-1])
                data = f.read(size + 2)[:size]
                sys.stdout.write(data.decode() + "\n")
                sys.stdout.flush()
                got += 1
            elif line.startswith(b"PING"):
                s.sendall(b"PONG\r\n")
            elif not line:
                break
    except (socket.timeout, TimeoutError):
        pass
    sys.exit(0 if got >= a.count else 1)


if __name__ == "__main__":
    main()
