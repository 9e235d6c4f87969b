"""Content-addressed storage for downloaded disclosures.

Files are keyed by the sha256 of their bytes, never by a name the server
chose: a server-supplied name can contain path separators, collide with
another department's file, or change when a file is re-published. The same
bytes under two URLs are therefore stored once.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Extensions we keep on stored files. Anything else is stored without one so a
# URL like `.../x.php?f=../../etc` cannot smuggle a suffix or a path in.
KNOWN_EXTENSIONS = (".pdf", ".xlsx", ".xls", ".html", ".htm", ".shtml", ".doc", ".docx", ".wps", ".et", ".zip")

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
OLE = "application/x-ole-storage"  # legacy .xls / .doc
HTML = "text/html"
OCTET = "application/octet-stream"

_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<meta|<body|<!--|<\?xml[^>]*>\s*<html)", re.I)


def sniff_media_type(body: bytes) -> str:
    """Media type from the first bytes; the server's Content-Type and the URL's
    extension are not trusted because CMSs serve error pages at .pdf URLs."""
    head = body[:2048]
    stripped = head.lstrip(b"\xef\xbb\xbf")  # a UTF-8 BOM before <html is common
    if stripped.startswith(b"%PDF"):
        return PDF
    if stripped.startswith(b"PK\x03\x04"):
        # The zip directory names its parts; the first local entries are enough
        # for office files, which write [Content_Types].xml and xl/ or word/ early.
        probe = body[:65536]
        if b"xl/" in probe:
            return XLSX
        if b"word/" in probe:
            return DOCX
        return ZIP
    if stripped.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if _HTML_START.match(stripped):
        return HTML
    return OCTET


def safe_extension(url: str) -> str:
    """The URL path's extension if it is one we know, else ''."""
    path = unquote(urlsplit(url).path).lower()
    name = path.rsplit("/", 1)[-1]
    for ext in sorted(KNOWN_EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext) and len(name) > len(ext):
            return ext
    return ""


@dataclass(frozen=True)
class Stored:
    sha256: str
    path: Path
    size: int
    media_type: str
    is_new: bool


class ContentStore:
    """`<root>/<sha[:2]>/<sha256><ext>`, written atomically."""

    def __init__(self, root: Path | str):
        self.root = Path(root).resolve()

    def path_for(self, sha256: str, ext: str = "") -> Path:
        return self.root / sha256[:2] / f"{sha256}{ext}"

    def put(self, body: bytes, url: str) -> Stored:
        sha = hashlib.sha256(body).hexdigest()
        media_type = sniff_media_type(body)
        path = self.path_for(sha, safe_extension(url))
        # The same bytes may already be stored under another extension (one URL
        # said .pdf, another .PDF or none); reuse that copy.
        existing = self._existing(sha)
        if existing is not None:
            return Stored(sha, existing, len(body), media_type, is_new=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary file in the same directory and rename, so a crash
        # never leaves a truncated file under a valid content hash.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return Stored(sha, path, len(body), media_type, is_new=True)

    def _existing(self, sha: str) -> Path | None:
        folder = self.root / sha[:2]
        if not folder.is_dir():
            return None
        for candidate in folder.glob(f"{sha}*"):
            if candidate.name == sha or candidate.name[len(sha)] == ".":
                return candidate
        return None
