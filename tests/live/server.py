#!/usr/bin/env python3
"""A loopback stand-in for a Go service's net/http/pprof endpoints, for
drip's live tests.  It serves recorded snapshots in sequence, so a test
knows what growth to expect, and a few failure modes.

usage: server.py PORTFILE LOGFILE [PATH=FILE,FILE,...]...

Binds 127.0.0.1 on a free port and writes the port to PORTFILE.  Each
PATH=FILE,FILE,... serves those files in turn (the last one repeats).
Every request line is appended to LOGFILE.  Fixed paths:
  /status/404, /status/500   that HTTP status
  /html                      an HTML page with status 200
  /redirect                  302 to /debug/pprof/heap
  /slow                      waits 30 s before answering
  /big                       an endless body (for the size cap)
The server stops by itself after 120 s (DRIP_SERVER_LIFE seconds when set),
or when /quit is requested.
"""
import http.server
import sys
import threading
import time

portfile, logfile = sys.argv[1], sys.argv[2]
routes = {}
for arg in sys.argv[3:]:
    path, files = arg.split("=", 1)
    routes[path] = {"files": files.split(","), "next": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, ctype="application/octet-stream", extra=None):
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (/slow: drip's timeout), as the test wants

    def do_GET(self):
        with open(logfile, "a") as log:
            log.write(self.path + "\n")
        path = self.path.split("?", 1)[0]
        if path == "/quit":
            self.send(200, b"bye\n", "text/plain")
            threading.Thread(target=self.server.shutdown).start()
        elif path.startswith("/status/"):
            self.send(int(path[len("/status/"):]), b"error\n", "text/plain")
        elif path == "/html":
            self.send(200, b"<!DOCTYPE html><html><body>pprof</body></html>\n", "text/html")
        elif path == "/redirect":
            self.send(302, b"", "text/plain", {"Location": "/debug/pprof/heap"})
        elif path == "/slow":
            time.sleep(30)
            self.send(200, b"late\n", "text/plain")
        elif path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            chunk = b"\x00" * 65536
            try:
                for _ in range(100000):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path in routes:
            r = routes[path]
            f = r["files"][min(r["next"], len(r["files"]) - 1)]
            r["next"] += 1
            with open(f, "rb") as fh:
                self.send(200, fh.read())
        else:
            self.send(404, b"404 page not found\n", "text/plain")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(portfile + ".tmp", "w") as pf:
    pf.write(str(server.server_address[1]))
import os
os.rename(portfile + ".tmp", portfile)
threading.Timer(float(os.environ.get("DRIP_SERVER_LIFE", "120")), server.shutdown).start()
server.serve_forever()
