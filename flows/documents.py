"""The documents a run processes: what each file is (its sha256) and where it came from.

Kept apart from the pipeline's steps so that the raw store and the extraction store can
name a document without importing the pipeline (they are imported by it).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from extractors.pdf import sha256_of as sha256_file  # one content key for the whole pipeline

INGESTIBLE = {".pdf", ".xlsx", ".xls", ".html", ".htm"}


@dataclass
class Document:
    """One file to process, with where it came from."""

    path: Path
    sha256: str
    source: dict = field(default_factory=dict)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def discover(paths: Iterable[str | os.PathLike]) -> list[Document]:
    """Local files and folders (recursively) for `ingest`; unknown suffixes are skipped."""
    docs: list[Document] = []
    for p in map(Path, paths):
        if not p.exists():
            raise FileNotFoundError(f"找不到文件或目录：{p}")
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            if f.suffix.lower() not in INGESTIBLE:
                continue
            docs.append(
                Document(
                    path=f.resolve(),
                    sha256=sha256_file(f),
                    source={"source_url": f.resolve().as_uri(), "fetched_at": utc_now(), "title": f.stem},
                )
            )
    return docs


def from_crawl_items(items: Iterable[dict]) -> list[Document]:
    keys = ("source_url", "fetched_at", "published_at", "published_at_source", "site", "title", "detail_url", "link_text")
    docs = []
    for it in items:
        source = {k: it.get(k) for k in keys}
        source["source_url"] = it["url"]
        docs.append(Document(path=Path(it["path"]), sha256=it["sha256"], source=source))
    return docs
