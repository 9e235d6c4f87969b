"""The steps every run shares: find documents, extract them (cached), load, check.

These are plain functions so that `budgetwatch ingest`, the Prefect flows and
the tests all run the same code; the flows only add orchestration. The extraction of one
document is `flows.extraction` (the only path, for both); the names it and
`flows.documents` define are re-exported here for the callers that import them from here.
"""
from __future__ import annotations

import logging
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable, Mapping

from extractors.model import Extraction
from extractors.reuse import reused_children
from flows.documents import INGESTIBLE, Document, discover, from_crawl_items, sha256_file, utc_now  # noqa: F401
from flows.extraction import (  # noqa: F401
    EXTERNAL_KILLS, Result, Results, batches, extract_batch, extract_cached, extract_to_store, failed,
    killed_from_outside,
)
from flows.extraction_store import as_store
from flows.runners import worker_count

log = logging.getLogger("budgetwatch.pipeline")


def extract_one(doc: Document, cache_dir, timeout_s: float = 300) -> tuple[Extraction, bool]:
    """The document's extraction and whether it came from the store; never raises (the
    benchmarks' own fan-out reads every extraction back; runs use `extract_to_store`)."""
    store = as_store(cache_dir)
    r = extract_to_store(doc, store, timeout_s)
    return Results(store, [r])[doc.sha256], r.cached


class Progress:
    """Files done and pages per second, on stderr, so a long run shows it is alive."""

    def __init__(self, total: int, label: str = "抽取", stream=sys.stderr):
        self.total, self.label, self.stream = total, label, stream
        self.done = self.pages = 0
        self.t0 = time.monotonic()

    def step(self, result: Result) -> None:
        self.done += 1
        if not result.cached:
            self.pages += result.pages
        rate = self.pages / max(time.monotonic() - self.t0, 1e-6)
        self.stream.write(
            f"\r[{self.label}] {self.done}/{self.total} 个文件，{self.pages} 页已解析，{rate:.1f} 页/秒"
            + ("\n" if self.done == self.total else "")
        )
        self.stream.flush()


def extract_all(docs: list[Document], cache_dir, workers: int | None = None,
                on_done: Callable[[Result], None] | None = None) -> Results:
    """Extract each distinct sha256 once into the store, in parallel child processes; returns
    the results by reference (each read from the store when it is loaded)."""
    store = as_store(cache_dir)
    unique = list({d.sha256: d for d in docs}.values())
    progress = Progress(len(unique))
    cached = store.cached(d.sha256 for d in unique)
    results = [Result(sha, cached=True) for sha in cached]
    for r in results:
        progress.step(r)
    workers = workers or worker_count()  # BUDGETWATCH_WORKERS, as the nightly's runner
    todo = [d for d in unique if d.sha256 not in cached]
    # each thread's documents go to one extraction child after another (extractors/reuse.py)
    with reused_children(), ThreadPoolExecutor(max_workers=workers) as pool:
        # one document per submission here: threads cost nothing to schedule (a Prefect task does)
        for fut in as_completed([pool.submit(extract_to_store, d, store) for d in todo]):
            r = fut.result()
            results.append(r)
            progress.step(r)
            if on_done:
                on_done(r)
    return Results(store, results)


def load_all(con, docs: list[Document], extractions: Mapping[str, Extraction],
             errors: list[dict] | None = None, changed: list[str] | None = None) -> list[str]:
    """Load every document (one transaction each); returns the filing ids touched, and adds
    to `changed` (when given) those whose content this load changed (a document new to the
    warehouse, or read by another parser version).

    `extractions` is read one document at a time (a `Results` reads each from the store
    then), so the load holds one extraction in memory whatever the number of documents.

    A document whose load fails is rolled back alone and reported in `errors` (when given)
    instead of stopping the others: one bad file never fails the run.
    """
    from warehouse.load import load_extraction, record_sighting

    filing_ids: list[str] = []
    loaded = dict(con.execute("SELECT sha256, parser_version FROM doc").fetchall())
    sighted = _record_sightings(con, docs, extractions, loaded)
    for i, d in enumerate(docs):
        if d.sha256 not in extractions:
            continue
        streamed = isinstance(extractions, Results)
        ext = None if streamed else extractions[d.sha256]
        version = extractions.version(d.sha256) if streamed else ext.parser_version
        seen = loaded.get(d.sha256) == version
        try:
            if i in sighted:
                fid = sighted[i]
            elif streamed and seen:
                # loaded before under this parser version: nothing of the extraction is needed
                fid = record_sighting(con, d.sha256, d.source)
            else:
                fid = load_extraction(con, ext or extractions[d.sha256], d.source)
                loaded[d.sha256] = version
        except Exception as exc:  # noqa: BLE001
            if errors is None:
                raise
            log.exception("load of %s (%s) failed", d.sha256[:12], d.source.get("source_url"))
            errors.append({"sha256": d.sha256, "source_url": d.source.get("source_url"),
                           "error": f"{type(exc).__name__}: {exc}"[:500]})
            continue
        if fid and fid not in filing_ids:
            filing_ids.append(fid)
        if fid and not seen and changed is not None and fid not in changed:
            changed.append(fid)
    return filing_ids


def _record_sightings(con, docs: list[Document], extractions, loaded: dict[str, str]) -> dict[int, str | None]:
    """The documents seen again under the parser version they were loaded with, recorded in
    one batch; returns their filing ids by position in `docs`. A repeated (sha256, URL) and,
    should the batch fail, every one of them are left to record_sighting one by one."""
    from warehouse.load import record_sightings

    if not isinstance(extractions, Results):
        return {}
    picked: dict[int, tuple[str, dict]] = {}
    keys: set[tuple[str, object]] = set()
    for i, d in enumerate(docs):
        if d.sha256 in extractions and loaded.get(d.sha256) == extractions.version(d.sha256):
            key = (d.sha256, d.source.get("source_url"))
            if key not in keys:
                keys.add(key)
                picked[i] = (d.sha256, d.source)
    if len(picked) < 2:
        return {}
    try:
        fids = record_sightings(con, list(picked.values()))
    except Exception:  # noqa: BLE001 - one by one, each failure reported on its own document
        log.exception("recording %d sightings at once failed; recording them one by one", len(picked))
        return {}
    return {i: fids[sha] for i, (sha, _) in picked.items()}


def run_checks(con, filing_ids: list[str] | None = None) -> dict[str, int]:
    from warehouse.checks import run_checks as _run

    return _run(con, filing_ids)
