#!/usr/bin/env python3
"""An HTTPS alert collector for the HTTP output tests (a real TLS server).

  https_collector.py PORT CERT KEY LOG [CLIENT_CA]

POST /alerts   checks method and body; logs one JSON line per request
               {"path","method","content_type","content_encoding","body"}
               (body gunzipped when Content-Encoding is gzip); 200
POST /fail     500 (logged)
POST /hang     never answers (the connection stays open)
With CLIENT_CA, clients must present a certificate signed by it (mTLS).
"""
import gzip
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, cert, key, log = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
client_ca = sys.argv[5] if len(sys.argv) > 5 else None
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _record(self, body):
        enc = self.headers.get("Content-Encoding", "")
        if enc == "gzip":
            body = gzip.decompress(body)
        entry = {"path": self.path, "method": self.command,
                 "content_type": self.headers.get("Content-Type", ""),
                 "content_encoding": enc, "user_agent": self.headers.get("User-Agent", ""),
                 "body": body.decode("utf-8", "replace")}
        with lock, open(log, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def _reply(self, code):
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        if self.path == "/hang":
            time.sleep(3600)
            return
        self._record(body)
        self._reply(500 if self.path == "/fail" else 200)

    def do_GET(self):
        self._reply(405)


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
if client_ca:
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(client_ca)
srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
srv.daemon_threads = True
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
