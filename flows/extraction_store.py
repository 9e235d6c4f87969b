"""The extraction cache as a store: one JSON entry per (sha256, parser version).

The store is a local folder (by default `cache/` beside the warehouse, the layout of every
earlier release) or any fsspec URL (`BUDGETWATCH_CACHE_URL=s3://bucket/budgetwatch/cache`),
so that Dask workers on machines that share no folder with the flow's machine put their
results where the flow reads them. A worker only needs the URL and the backend's
credentials in its own environment (for s3: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and,
off AWS, AWS_ENDPOINT_URL); the store pickles as its URL alone.

An entry is written under a temporary key and then moved to its final key, so a worker
that dies mid-write leaves at most a temporary key, never a half-written entry.
"""
from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from pathlib import Path

import fsspec
from fsspec.implementations.local import LocalFileSystem

from extractors.model import PARSER_VERSION, Extraction

SUFFIX = ".json"


def entry_name(sha256: str, parser_version: str = PARSER_VERSION) -> str:
    """The one place that names a cache entry."""
    return f"{sha256}-{parser_version}{SUFFIX}"


class ExtractionStore:
    """Extractions by (sha256, parser version) under one folder or URL."""

    def __init__(self, url: str | os.PathLike):
        self.url = str(url)
        self._fs = None

    def __repr__(self) -> str:
        return f"ExtractionStore({self.url!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, ExtractionStore) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)

    def __getstate__(self) -> dict:
        # Only the URL travels to a worker: it builds its own client from its own environment.
        return {"url": self.url}

    def __setstate__(self, state: dict) -> None:
        self.url, self._fs = state["url"], None

    def _open(self):
        if self._fs is None:
            fs, root = fsspec.core.url_to_fs(self.url)
            if isinstance(fs, LocalFileSystem):
                fs.makedirs(root, exist_ok=True)
            self._fs, self._root = fs, root.rstrip("/")
        return self._fs, self._root

    @property
    def is_local(self) -> bool:
        return isinstance(self._open()[0], LocalFileSystem)

    def path(self, sha256: str) -> str:
        """The entry's path inside the store's filesystem."""
        return f"{self._open()[1]}/{entry_name(sha256)}"

    def has(self, sha256: str) -> bool:
        fs, _ = self._open()
        return fs.exists(self.path(sha256))

    def get(self, sha256: str) -> Extraction | None:
        """The cached extraction, or None when there is none under this parser version."""
        fs, _ = self._open()
        try:
            data = fs.cat_file(self.path(sha256))
        except FileNotFoundError:
            return None
        return Extraction.from_dict(json.loads(data))

    def put(self, ext: Extraction) -> None:
        """Write the entry of `ext.sha256` under this parser version, whole or not at all."""
        fs, root = self._open()
        final = self.path(ext.sha256)
        # A key of its own: two workers may extract the same content at once.
        tmp = f"{final}.{socket.gethostname()}-{os.getpid()}-{threading.get_ident()}-{uuid.uuid4().hex[:8]}.tmp"
        fs.pipe_file(tmp, json.dumps(ext.to_dict(), ensure_ascii=False).encode("utf-8"))
        try:
            if isinstance(fs, LocalFileSystem):
                os.replace(tmp, final)  # one rename: atomic on a local or mounted folder
            else:
                fs.mv(tmp, final)  # object stores: a server-side copy, then the temporary key goes
        except BaseException:
            fs.rm(tmp)
            raise

    def remove(self, sha256: str) -> None:
        fs, _ = self._open()
        try:
            fs.rm(self.path(sha256))
        except FileNotFoundError:
            pass

    def cached(self, sha256s) -> set[str]:
        """Which of these sha256s have an entry under this parser version (one listing)."""
        fs, root = self._open()
        try:
            names = {Path(p).name for p in fs.ls(root, detail=False)}
        except FileNotFoundError:
            names = set()
        finally:
            # A listing cached by the client would hide entries that workers write later.
            fs.invalidate_cache(root)
        return {s for s in sha256s if entry_name(s) in names}


def as_store(cache: "ExtractionStore | str | os.PathLike") -> ExtractionStore:
    return cache if isinstance(cache, ExtractionStore) else ExtractionStore(cache)
