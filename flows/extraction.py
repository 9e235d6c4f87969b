"""The one extraction path of `ingest` and the nightly: a document, by its sha256, from the
raw store into the extraction store, or word that it is there already.

Workers return a small `Result` per document (its key, outcome and pages), never the
extraction itself: the flow's machine reads extractions from the store one at a time while
it loads them (`Results`), so its memory does not grow with the number of filings.
"""
from __future__ import annotations

import logging
import re
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from extractors.model import PARSER_VERSION, Extraction
from flows.documents import Document
from flows.extraction_store import ExtractionStore, as_store
from flows.rawstore import local_file

log = logging.getLogger("budgetwatch.extraction")

# A child ended by one of these was stopped from outside (the OOM killer, an operator, a
# shutdown), not by its file: a hostile file ends in a timeout, MemoryError or SIGSEGV instead.
EXTERNAL_KILLS = {signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT}
_RETURNCODE = re.compile(r"返回码 (-\d+)")
# The parser version of an outcome that is not cached: the next run's extraction replaces it
# in the warehouse instead of being taken as already loaded.
ERROR_VERSION = f"{PARSER_VERSION}+error"


def killed_from_outside(ext: Extraction) -> bool:
    """Whether this outcome is the child being killed by a signal from outside (run_isolated
    names the child's return code in the detail of a parse_error)."""
    if ext.outcome != "parse_error":
        return False
    m = _RETURNCODE.search(ext.outcome_detail or "")
    return bool(m) and -int(m.group(1)) in EXTERNAL_KILLS


def failed(sha256: str, detail: str) -> Extraction:
    """The outcome of a document whose extraction went wrong outside its file; never cached."""
    return Extraction(sha256=sha256, outcome="parse_error", parser_version=ERROR_VERSION, outcome_detail=detail[:500])


def job(doc: Document) -> Document:
    """What a task is sent for one document. With a raw store, only its name and key there:
    the worker may be a machine that has none of the flow's folders; else the local file."""
    remote = doc.source.get("raw_url")
    if not remote:
        return Document(doc.path, doc.sha256)
    return Document(Path(doc.path.name), doc.sha256, {"raw_url": remote})


@dataclass(frozen=True)
class Result:
    """One document's extraction, by reference: in the store, or (`failure`) an uncached
    outcome small enough to travel (no facts)."""

    sha256: str
    cached: bool = False
    outcome: str | None = None
    pages: int = 0
    failure: Extraction | None = None


def extract_cached(doc: Document, cache, timeout_s: float = 300) -> Extraction:
    """The document's extraction: from the store, else extracted in a child process and stored.

    Outcomes of the file itself (ok, parse errors, timeouts) are stored; a child killed from
    outside is not: the kill says nothing about the file, and storing it would make one
    transient kill the file's outcome for as long as the parser version lasts.
    """
    from extractors import run_isolated

    store = as_store(cache)
    ext = store.get(doc.sha256)
    if ext is not None:
        return ext
    with local_file(doc) as path:
        ext = run_isolated(path, timeout_s=timeout_s)
    ext.sha256 = doc.sha256
    if killed_from_outside(ext):
        log.warning("extractor child for %s was killed from outside; not cached: %s", doc.path, ext.outcome_detail)
        ext.parser_version = ERROR_VERSION
        return ext
    store.put(ext)
    return ext


def extract_to_store(doc: Document, cache, timeout_s: float = 300) -> Result:
    """Extract one document into the store unless it is there; never raises."""
    store = as_store(cache)
    try:
        if store.has(doc.sha256):
            return Result(doc.sha256, cached=True)
        ext = extract_cached(doc, store, timeout_s)
    except Exception as exc:  # noqa: BLE001 - one bad file never fails the run
        log.exception("extraction of %s failed", doc.path)
        return Result(doc.sha256, outcome="parse_error",
                      failure=failed(doc.sha256, f"抽取失败：{type(exc).__name__}: {exc}"))
    if ext.parser_version == ERROR_VERSION:
        return Result(doc.sha256, outcome=ext.outcome, pages=ext.pages, failure=ext)
    return Result(doc.sha256, outcome=ext.outcome, pages=ext.pages)


def extract_batch(docs: list[Document], cache, timeout_s: float = 300) -> list[Result]:
    """A batch of documents, one after the other (the unit of work of a task), read by one
    extraction child after another (extractors/reuse.py)."""
    from extractors.reuse import reused_children

    store = as_store(cache)
    with reused_children():
        return [extract_to_store(d, store, timeout_s) for d in docs]


def batches(docs: list[Document], workers: int, per_worker: int = 4, most: int = 16) -> list[list[Document]]:
    """Documents dealt into batches: enough for every worker to stay busy to the end (about
    `per_worker` each), none so big that a lost worker costs much work again."""
    if not docs:
        return []
    size = max(1, min(most, -(-len(docs) // (max(1, workers) * per_worker))))
    return [docs[i:i + size] for i in range(0, len(docs), size)]


class Results(Mapping):
    """Extractions by sha256, read from the store only when asked for, one at a time.

    Reads like the dict of extractions the loaders always took, without holding them: a
    load over thousands of filings keeps one extraction in memory at a time. Each outcome
    read is kept (`outcomes`) for the run's summary.
    """

    def __init__(self, store: ExtractionStore, results: Iterable[Result]):
        self.store = as_store(store)
        self.results = {r.sha256: r for r in results}
        self.outcomes = {r.sha256: r.outcome for r in self.results.values() if r.outcome}

    def __getitem__(self, sha256: str) -> Extraction:
        r = self.results[sha256]
        if r.failure is not None:
            return r.failure
        try:
            ext = self.store.get(sha256)
        except Exception as exc:  # noqa: BLE001 - an unreadable entry is the document's outcome, not a crash
            log.exception("cache entry of %s unreadable; removed, so the next run extracts it again", sha256)
            self.store.remove(sha256)
            ext = failed(sha256, f"缓存中的抽取结果无法读取，下次运行将重新抽取：{type(exc).__name__}: {exc}")
        if ext is None:  # gone from the store since it was listed (removed by hand)
            ext = failed(sha256, "抽取结果在缓存中缺失，下次运行将重新抽取")
        self.outcomes[sha256] = ext.outcome
        return ext

    def __contains__(self, sha256) -> bool:
        return sha256 in self.results  # Mapping's own would read the extraction

    def __iter__(self) -> Iterator[str]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def version(self, sha256: str) -> str:
        """The parser version of the document's extraction, known without reading it."""
        r = self.results[sha256]
        return r.failure.parser_version if r.failure is not None else PARSER_VERSION

    @property
    def parsed(self) -> list[Result]:
        """The documents this run extracted (not read from the store)."""
        return [r for r in self.results.values() if not r.cached]
