"""Serve a built sample site on loopback (tests, `budgetwatch demo`, `serve-sample`)."""
from __future__ import annotations

import ipaddress
import logging
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
}


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def list_directory(self, path):
        # A CMS answers a folder URL without an index page with 404, not a file listing.
        self.send_error(404, "Not Found")
        return None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        log.debug("%s %s", self.address_string(), format % args)


def _check_loopback(host: str) -> None:
    # The sample portal is test scaffolding: never expose it beyond this machine.
    if host == "localhost":
        return
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the sample portal binds to loopback only, not {host}")


def _server(site_dir: Path, host: str, port: int) -> ThreadingHTTPServer:
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(f"not a built sample site (no index.html): {site_dir}")
    _check_loopback(host)
    httpd = ThreadingHTTPServer((host, port), partial(_Handler, directory=str(site_dir)))
    httpd.daemon_threads = True
    return httpd


@contextmanager
def serve(site_dir: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``site_dir`` in a background thread; yields 'http://127.0.0.1:<port>/'."""
    httpd = _server(site_dir, host, port)
    thread = threading.Thread(target=httpd.serve_forever, name="sample-portal", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def serve_forever(site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve in the foreground until Ctrl-C (the `budgetwatch serve-sample` command)."""
    httpd = _server(site_dir, host, port)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()
