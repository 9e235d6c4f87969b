"""The steps every run shares: find documents, extract them (cached), load, check.

These are plain functions so that `budgetwatch ingest`, the Prefect flows and
the tests all run the same code; the flows only add orchestration.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from extractors.model import PARSER_VERSION, Extraction

log = logging.getLogger("budgetwatch.pipeline")

INGESTIBLE = {".pdf", ".xlsx", ".xls", ".html", ".htm"}


@dataclass
class Document:
    """One file to process, with where it came from."""

    path: Path
    sha256: str
    source: dict = field(default_factory=dict)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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


# A child ended by one of these was stopped from outside (the OOM killer, an operator, a
# shutdown), not by its file: a hostile file ends in a timeout, MemoryError or SIGSEGV instead.
EXTERNAL_KILLS = {signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT}
_RETURNCODE = re.compile(r"返回码 (-\d+)")


def killed_from_outside(ext: Extraction) -> bool:
    """Whether this outcome is the child being killed by a signal from outside (run_isolated
    names the child's return code in the detail of a parse_error)."""
    if ext.outcome != "parse_error":
        return False
    m = _RETURNCODE.search(ext.outcome_detail or "")
    return bool(m) and -int(m.group(1)) in EXTERNAL_KILLS


def extract_cached(doc: Document, cache_dir: Path, timeout_s: float = 300) -> Extraction:
    """Extract in a child process; the result is cached by (sha256, parser version).

    Outcomes of the file itself (ok, parse errors, timeouts) are cached; a child killed from
    outside is not: the kill says nothing about the file, and caching it would make one
    transient kill the file's outcome for as long as the parser version lasts. Such an
    outcome carries a parser version of its own so the next run's extraction replaces it.
    """
    from extractors import run_isolated

    cache = cache_dir / f"{doc.sha256}-{PARSER_VERSION}.json"
    if cache.exists():
        return Extraction.from_dict(json.loads(cache.read_text("utf-8")))
    ext = run_isolated(doc.path, timeout_s=timeout_s)
    ext.sha256 = doc.sha256
    if killed_from_outside(ext):
        log.warning("extractor child for %s was killed from outside; not cached: %s", doc.path, ext.outcome_detail)
        ext.parser_version = f"{PARSER_VERSION}+error"
        return ext
    cache_dir.mkdir(parents=True, exist_ok=True)
    # A name of its own: two workers may extract the same content at once (a shared cache).
    tmp = cache.with_name(f"{cache.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(ext.to_dict(), ensure_ascii=False), "utf-8")
    tmp.replace(cache)
    return ext


def extract_one(doc: Document, cache_dir: Path, timeout_s: float = 300) -> tuple[Extraction, bool]:
    """extract_cached that never raises: whatever goes wrong becomes the document's outcome.

    Returns the extraction and whether it came from the cache.
    """
    cached = (Path(cache_dir) / f"{doc.sha256}-{PARSER_VERSION}.json").exists()
    try:
        if not doc.path.exists() and doc.source.get("raw_url"):
            from flows.rawstore import localize

            doc = localize(doc, Path(cache_dir).parent / "raw")
        return extract_cached(doc, Path(cache_dir), timeout_s=timeout_s), cached
    except Exception as exc:  # noqa: BLE001 - one bad file never fails the run
        log.exception("extraction of %s failed", doc.path)
        # Not cached, and marked with its own parser version so that the next run's
        # extraction replaces it in the warehouse instead of being taken as already loaded.
        return Extraction(sha256=doc.sha256, outcome="parse_error", parser_version=f"{PARSER_VERSION}+error",
                          outcome_detail=f"抽取失败：{type(exc).__name__}: {exc}"[:500]), False


class Progress:
    """Files done and pages per second, on stderr, so a long run shows it is alive."""

    def __init__(self, total: int, label: str = "抽取", stream=sys.stderr):
        self.total, self.label, self.stream = total, label, stream
        self.done = self.pages = 0
        self.t0 = time.monotonic()

    def step(self, ext: Extraction, cached: bool) -> None:
        self.done += 1
        if not cached:
            self.pages += ext.pages
        rate = self.pages / max(time.monotonic() - self.t0, 1e-6)
        self.stream.write(
            f"\r[{self.label}] {self.done}/{self.total} 个文件，{self.pages} 页已解析，{rate:.1f} 页/秒"
            + ("\n" if self.done == self.total else "")
        )
        self.stream.flush()


def extract_all(
    docs: list[Document], cache_dir: Path, workers: int | None = None, on_done: Callable | None = None
) -> dict[str, Extraction]:
    """Extract each distinct sha256 once, in parallel child processes."""
    unique = {d.sha256: d for d in docs}
    progress = Progress(len(unique))
    results: dict[str, Extraction] = {}
    workers = workers or max(1, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futs = {}
        for sha, d in unique.items():
            futs[pool.submit(extract_one, d, cache_dir)] = sha
        for fut in as_completed(futs):
            sha = futs[fut]
            results[sha], cached = fut.result()
            progress.step(results[sha], cached)
            if on_done:
                on_done(results[sha])
    return results


def load_all(con, docs: list[Document], extractions: dict[str, Extraction], errors: list[dict] | None = None) -> list[str]:
    """Load every document (one transaction each); returns the filing ids touched.

    A document whose load fails is rolled back alone and reported in `errors` (when given)
    instead of stopping the others: one bad file never fails the run.
    """
    from warehouse.load import load_extraction

    filing_ids: list[str] = []
    for d in docs:
        ext = extractions.get(d.sha256)
        if ext is None:
            continue
        try:
            fid = load_extraction(con, ext, d.source)
        except Exception as exc:  # noqa: BLE001
            if errors is None:
                raise
            log.exception("load of %s (%s) failed", d.sha256[:12], d.source.get("source_url"))
            errors.append({"sha256": d.sha256, "source_url": d.source.get("source_url"),
                           "error": f"{type(exc).__name__}: {exc}"[:500]})
            continue
        if fid and fid not in filing_ids:
            filing_ids.append(fid)
    return filing_ids


def run_checks(con, filing_ids: list[str] | None = None) -> dict[str, int]:
    from warehouse.checks import run_checks as _run

    return _run(con, filing_ids)
