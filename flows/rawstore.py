"""Raw files in shared storage through fsspec, so crawl and extraction can run on different machines.

BUDGETWATCH_RAW_URL names the store (s3://bucket/budgetwatch/raw, gs://…, file:///mnt/share/raw);
files are laid out as the crawler's local store is, ``<sha[:2]>/<sha256><ext>``. A worker that
lacks a file locally fetches it by content and checks its sha256 before using it.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

import fsspec

from flows.pipeline import Document


def remote_path(base: str, sha256: str, suffix: str) -> str:
    return f"{base.rstrip('/')}/{sha256[:2]}/{sha256}{suffix}"


def upload(docs: list[Document], base: str) -> list[Document]:
    """Copy each raw file to the store (once: the key is its content) and note where it went."""
    fs, _ = fsspec.core.url_to_fs(base)
    out = []
    for d in docs:
        remote = remote_path(base, d.sha256, d.path.suffix)
        _, target = fsspec.core.url_to_fs(remote)
        if not fs.exists(target):
            fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
            fs.put_file(str(d.path), target)
        out.append(replace(d, source={**d.source, "raw_url": remote}))
    return out


def localize(doc: Document, local_dir: Path) -> Document:
    """The document with a local path: as it is when the file is here, else fetched from the store."""
    remote = doc.source.get("raw_url")
    if doc.path.exists() or not remote:
        return doc
    local = Path(local_dir) / doc.sha256[:2] / f"{doc.sha256}{doc.path.suffix}"
    if not local.exists():
        local.parent.mkdir(parents=True, exist_ok=True)
        tmp = local.with_name(local.name + f".{os.getpid()}.part")
        with fsspec.open(remote, "rb") as src, open(tmp, "wb") as dst:
            h = hashlib.sha256()
            for chunk in iter(lambda: src.read(1 << 20), b""):
                h.update(chunk)
                dst.write(chunk)
        if h.hexdigest() != doc.sha256:
            tmp.unlink(missing_ok=True)
            raise ValueError(f"{remote}: content does not match its sha256 {doc.sha256}")
        tmp.replace(local)
    return replace(doc, path=local)
