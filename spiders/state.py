"""Per-site memory of attachment URLs, for incremental crawls.

``<store>/.state/<site>.json`` maps each attachment URL (as linked from the
detail page) to what we last got from it: ETag, Last-Modified, the sha256 of
the stored file, and when the URL was first and last seen. The next run sends
If-None-Match / If-Modified-Since; a 304 then costs no body. Every content a
URL ever served is listed under ``versions``, so a corrected re-publication
keeps its predecessor's sha256 (and the store keeps both files).

One JSON file per site, written atomically when the spider closes: a crawl
killed mid-run leaves the previous state, and the files it stored are still in
the content store, so the worst case is one unconditional download too many.
Two crawls of the same site into the same store must not run at once (the
nightly deployment has a concurrency limit of 1).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATE_VERSION = 1


@dataclass
class UrlRecord:
    sha256: str
    path: str            # relative to the store root
    size: int
    media_type: str
    first_seen: str
    last_seen: str
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None
    encoding: str | None = None  # of a page, to re-read it from the store after a 304
    versions: list[dict[str, str]] = field(default_factory=list)  # [{sha256, first_seen}], oldest first


class SiteState:
    def __init__(self, store_root: Path, site: str):
        self.store_root = Path(store_root)
        self.path = self.store_root / ".state" / f"{site}.json"
        self.site = site
        self.urls: dict[str, UrlRecord] = {}
        if self.path.is_file():
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            for url, rec in (raw.get("urls") or {}).items():
                self.urls[url] = UrlRecord(**rec)

    def get(self, url: str) -> UrlRecord | None:
        return self.urls.get(url)

    def stored_file(self, rec: UrlRecord) -> Path | None:
        """The stored file of a record, if it is still there (a store can be pruned)."""
        path = self.store_root / rec.path
        return path if path.is_file() else None

    def conditional_headers(self, url: str) -> dict[str, str]:
        rec = self.urls.get(url)
        if rec is None or self.stored_file(rec) is None:
            return {}
        headers = {}
        if rec.etag:
            headers["If-None-Match"] = rec.etag
        if rec.last_modified:
            headers["If-Modified-Since"] = rec.last_modified
        return headers

    def seen_not_modified(self, url: str, now: str) -> UrlRecord | None:
        rec = self.urls.get(url)
        if rec is not None:
            rec.last_seen = now
        return rec

    def record(self, url: str, *, sha256: str, path: Path, size: int, media_type: str, now: str,
               etag: str | None, last_modified: str | None, final_url: str | None,
               encoding: str | None = None) -> tuple[UrlRecord, str | None]:
        """Remember a downloaded body; returns (record, previous sha256 if the content changed)."""
        rel = Path(path).resolve().relative_to(self.store_root.resolve()).as_posix()
        rec = self.urls.get(url)
        previous = None
        if rec is None:
            rec = UrlRecord(sha256=sha256, path=rel, size=size, media_type=media_type,
                            first_seen=now, last_seen=now, versions=[{"sha256": sha256, "first_seen": now}])
            self.urls[url] = rec
        elif rec.sha256 != sha256:
            previous = rec.sha256
            if not any(v["sha256"] == sha256 for v in rec.versions):
                rec.versions.append({"sha256": sha256, "first_seen": now})
        rec.sha256, rec.path, rec.size, rec.media_type = sha256, rel, size, media_type
        rec.last_seen = now
        rec.etag, rec.last_modified, rec.final_url = etag, last_modified, final_url
        rec.encoding = encoding or rec.encoding
        return rec, previous

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data: dict[str, Any] = {
            "version": STATE_VERSION,
            "site": self.site,
            "urls": {url: asdict(rec) for url, rec in sorted(self.urls.items())},
        }
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
