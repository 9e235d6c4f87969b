"""Serve a built sample site on loopback (tests, `budgetwatch demo`, `serve-sample`)."""
from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import threading
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
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
    """Static files with the validators a CMS sends (ETag, Last-Modified) and 304 answers to
    conditional requests, so crawlers can be tested on incremental fetches."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) or not os.path.isfile(path):
            return super().send_head()  # index pages, 404s and redirects as http.server does
        try:
            st = os.stat(path)
        except OSError:
            return super().send_head()
        etag = _etag(path, st)
        last_modified = formatdate(int(st.st_mtime), usegmt=True)
        if self._not_modified(etag, int(st.st_mtime)):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return None
        f = open(path, "rb")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-type", self.guess_type(path))
        self.send_header("Content-Length", str(st.st_size))
        self.send_header("Last-Modified", last_modified)
        self.send_header("ETag", etag)
        self.end_headers()
        return f

    def _not_modified(self, etag: str, mtime: int) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            tags = [t.strip() for t in inm.split(",")]
            return "*" in tags or etag in tags or etag in [t.removeprefix("W/") for t in tags]
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                when = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if when is not None and when.tzinfo is not None:
                return mtime <= int(when.timestamp())
        return False

    def list_directory(self, path):
        # A CMS answers a folder URL without an index page with 404, not a file listing.
        self.send_error(404, "Not Found")
        return None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        log.debug("%s %s", self.address_string(), format % args)


_ETAGS: dict[tuple[str, int, int], str] = {}


def _etag(path: str, st: os.stat_result) -> str:
    """A strong ETag from the file's content (cached per path, size and mtime): a rebuilt
    site with the same bytes keeps its ETags, a corrected file gets a new one."""
    key = (path, st.st_size, st.st_mtime_ns)
    tag = _ETAGS.get(key)
    if tag is None:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        tag = _ETAGS[key] = f'"{h.hexdigest()[:32]}"'
    return tag


def _check_loopback(host: str) -> None:
    # The sample portal is test scaffolding: never expose it beyond this machine.
    if host == "localhost":
        return
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the sample portal binds to loopback only, not {host}")


# Stable ports are drawn from here: above the usual dev servers (8000s, where Prefect's
# temporary server also picks its port) and below Linux's ephemeral range (32768+).
STABLE_PORTS = range(20000, 30000)


def stable_port(site_dir: Path) -> int:
    """The port a site folder is served on by default: the same one every run, so the
    crawler's stored URLs (keyed with the port) match again and a quiet night's conditional
    requests get 304s instead of every page and file downloaded anew."""
    digest = hashlib.sha256(str(Path(site_dir).resolve()).encode("utf-8")).digest()
    return STABLE_PORTS.start + int.from_bytes(digest[:4], "big") % len(STABLE_PORTS)


def _server(site_dir: Path, host: str, port: int | None) -> ThreadingHTTPServer:
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(f"not a built sample site (no index.html): {site_dir}")
    _check_loopback(host)
    handler = partial(_Handler, directory=str(site_dir))
    if port is None:
        try:
            httpd = ThreadingHTTPServer((host, stable_port(site_dir)), handler)
        except OSError as exc:  # taken (another run serves it, or another program): any free port
            log.info("stable port of %s busy (%s); serving on a random port", site_dir, exc)
            httpd = ThreadingHTTPServer((host, 0), handler)
    else:
        httpd = ThreadingHTTPServer((host, port), handler)
    httpd.daemon_threads = True
    return httpd


@contextmanager
def serve(site_dir: Path, host: str = "127.0.0.1", port: int | None = None) -> Iterator[str]:
    """Serve ``site_dir`` in a background thread; yields 'http://127.0.0.1:<port>/'.

    ``port`` None: the site folder's stable port (stable_port), a random one when it is
    taken; 0: a random port."""
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
