"""A scripted HTTP server on loopback that misbehaves on purpose.

Tests (and anyone checking the crawler by hand) start it on 127.0.0.x, port 0,
map paths to routes and read back the request log:

    with FaultServer() as srv:
        srv.route("/a.pdf", sequence(status(503, headers={"Retry-After": "1"}), file(b"%PDF-1.4 ...")))
        ...crawl srv.url("/index.html")...
        srv.hits("/a.pdf")  # [Hit(t, path, headers, status), ...]

Unknown paths answer 404. It refuses to bind anything but a loopback address.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

Route = Callable[["_Handler", int], int]  # (handler, n-th hit from 0) -> status sent


@dataclass
class Hit:
    t: float                 # time.monotonic() when the request arrived
    path: str
    headers: dict[str, str]
    status: int | None = None  # set once answered; None: cut, or still being answered


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def do_GET(self):
        t = time.monotonic()
        fault = self.server.fault
        with fault.lock:
            n = fault.counts.get(self.path, 0)
            fault.counts[self.path] = n + 1
            # Logged on arrival, so a request still being answered is counted.
            hit = Hit(t, self.path, dict(self.headers.items()))
            fault.log.append(hit)
        route = fault.routes.get(self.path)
        try:
            hit.status = route(self, n) if route else _send(
                self, 404, b"<html><body>404 Not Found</body></html>", {"Content-Type": "text/html; charset=utf-8"})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up first

    def log_message(self, *args):  # keep test output clean
        pass


def _send(h: _Handler, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> int:
    h.send_response(code)
    headers = dict(headers or {})
    headers.setdefault("Content-Length", str(len(body)))
    for k, v in headers.items():
        h.send_header(k, v)
    h.end_headers()
    if body and code not in (204, 304):
        h.wfile.write(body)
    return code


# -- routes ------------------------------------------------------------------------

def page(html: str, code: int = 200, headers: dict[str, str] | None = None) -> Route:
    body = html.encode("utf-8")
    return lambda h, n: _send(h, code, body, {"Content-Type": "text/html; charset=utf-8", **(headers or {})})


def status(code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Route:
    return lambda h, n: _send(h, code, body, {"Content-Type": "text/html; charset=utf-8", **(headers or {})})


def file(body: bytes, etag: str | None = None, last_modified: float | None = None,
         content_type: str = "application/pdf", headers: dict[str, str] | None = None) -> Route:
    """A file that honours If-None-Match / If-Modified-Since like a CMS's web server."""
    lm = email.utils.formatdate(last_modified, usegmt=True) if last_modified is not None else None

    def route(h: _Handler, n: int) -> int:
        validators = {}
        if etag:
            validators["ETag"] = etag
        if lm:
            validators["Last-Modified"] = lm
        inm, ims = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
        if etag and inm is not None:
            if inm.strip() == etag:
                return _send(h, 304, b"", {**validators, "Content-Length": "0"})
        elif lm and ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                since = None
            if since is not None and int(last_modified) <= since:
                return _send(h, 304, b"", {**validators, "Content-Length": "0"})
        return _send(h, 200, body, {"Content-Type": content_type, **validators, **(headers or {})})

    return route


def redirect(location: str, code: int = 302) -> Route:
    return lambda h, n: _send(h, code, b"", {"Location": location})


def sequence(*routes: Route) -> Route:
    """The n-th request gets the n-th route; the last one repeats."""
    return lambda h, n: routes[min(n, len(routes) - 1)](h, n)


def reset() -> Route:
    """Read the request, then cut the connection with a TCP RST."""
    def route(h: _Handler, n: int) -> None:
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True
        return None
    return route


def truncated(body: bytes, claimed: int) -> Route:
    """Promise `claimed` bytes, send `body`, close."""
    def route(h: _Handler, n: int) -> int:
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", str(claimed))
        h.end_headers()
        h.wfile.write(body)
        h.wfile.flush()
        h.close_connection = True
        return 200
    return route


def slow(seconds: float, then: Route) -> Route:
    def route(h: _Handler, n: int) -> int:
        time.sleep(seconds)
        return then(h, n)
    return route


# -- the server ----------------------------------------------------------------------

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fault: "FaultServer"


class FaultServer:
    def __init__(self, host: str = "127.0.0.1"):
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the fault server binds to loopback only, not {host}")
        self.host = host
        self.routes: dict[str, Route] = {}
        self.counts: dict[str, int] = {}
        self.log: list[Hit] = []
        self.lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def route(self, path: str, handler: Route) -> None:
        self.routes[path] = handler

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return self._httpd.server_address[1]

    def hits(self, path: str | None = None) -> list[Hit]:
        with self.lock:
            return [h for h in self.log if path is None or h.path == path]

    def start(self) -> "FaultServer":
        self._httpd = _Server((self.host, 0), _Handler)
        self._httpd.fault = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"fault-{self.host}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "FaultServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
