"""Raw files in shared storage through fsspec, so crawl and extraction can run on different machines.

BUDGETWATCH_RAW_URL names the store (s3://bucket/budgetwatch/raw, gs://…, file:///mnt/share/raw);
files are laid out as the crawler's local store is, ``<sha[:2]>/<sha256><ext>``. A worker that
lacks a file locally fetches it by content into its own temporary folder and checks its sha256
before using it: it needs no folder of the flow's machine.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import fsspec

from flows.documents import Document


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


def fetch(remote: str, sha256: str, dest: Path) -> Path:
    """Download `remote` to `dest`, refusing content that is not `sha256`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + f".{os.getpid()}.part")
    h = hashlib.sha256()
    with fsspec.open(remote, "rb") as src, open(tmp, "wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            h.update(chunk)
            dst.write(chunk)
    if h.hexdigest() != sha256:
        tmp.unlink(missing_ok=True)
        raise ValueError(f"{remote}: content does not match its sha256 {sha256}")
    tmp.replace(dest)
    return dest


@contextmanager
def local_file(doc: Document) -> Iterator[Path]:
    """A local path to the document's content: its own path when this machine has it, else a
    verified copy from the raw store in a temporary folder that is removed afterwards."""
    remote = doc.source.get("raw_url")
    if not remote or (doc.path.is_absolute() and doc.path.exists()):
        yield doc.path
        return
    tmp = Path(tempfile.mkdtemp(prefix="budgetwatch-raw-"))
    try:
        yield fetch(remote, doc.sha256, tmp / f"{doc.sha256}{doc.path.suffix}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
