#!/usr/bin/env python3
"""An HTTPS server for the webhook tests: every POST body is appended, as one
line "PATH<TAB>HEADER-X-TEST<TAB>BODY", to the file given; answers 200.
  https_sink.py PORT CERT KEY OUT"""
import http.server, ssl, sys

port, cert, key, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n).decode(errors="replace").replace("\n", " ")
        with open(out, "a") as f:
            f.write("%s\t%s\t%s\n" % (self.path, self.headers.get("X-Test", ""), body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *a):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("ready", flush=True)
srv.serve_forever()
