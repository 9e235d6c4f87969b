"""A run over a set of documents: extract (cached), load, check, find what is new, summarise."""
from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from flows.alerts import new_findings, new_unreadable
from flows.alerts.digest import review_needed
from flows.extraction import Results
from flows.pipeline import Document, extract_all, load_all, run_checks
from flows.settings import Paths, write_memory
from flows.timings import Stages
from warehouse.crawls import load_crawl_reports
from warehouse.publish import publishing


def utcnow() -> datetime:
    # The warehouse stores naive UTC timestamps (first_seen, loaded_at).
    return datetime.now(timezone.utc).replace(tzinfo=None)


@contextmanager
def open_for_update(db: Path, timeout: float | None = None) -> Iterator:
    """The connection a run writes through: a staging copy of the warehouse, published by an
    atomic rename on a clean exit (warehouse.publish). Readers keep the previous file until
    then; a failed run publishes nothing. A second writer waits for the first (or `timeout`)."""
    limit = write_memory()
    with publishing(db, timeout=timeout) as con:
        if limit:
            con.execute(f"SET memory_limit = '{limit}'")  # checked by write_memory: a size, nothing else
        yield con


def update_warehouse(db: Path, docs: list[Document], extractions: dict, on_checked: Callable | None = None,
                     stages: Stages | None = None) -> dict:
    """Load and check in one session; report what this run saw for the first time.

    `on_checked(con, delta)` runs in the same session before it closes (the nightly flow
    writes its alert digest to the outbox there, so a digest is published with its findings).
    `stages` (when given) gets the seconds of each step.
    """
    stages = stages or Stages()
    since = utcnow()
    t_open = time.perf_counter()
    with open_for_update(db) as con:
        stages.seconds["publish_copy"] = time.perf_counter() - t_open
        known_docs = [r[0] for r in con.execute("SELECT sha256 FROM doc").fetchall()]
        known_filings = {r[0] for r in con.execute("SELECT filing_id FROM filing").fetchall()}
        load_errors: list[dict] = []
        changed: list[str] = []
        with stages("load"):
            filing_ids = load_all(con, docs, extractions, load_errors, changed)
            # every crawl report beside the warehouse that is not recorded yet (this run's, or one
            # whose load failed)
            load_crawl_reports(con, Paths(db=Path(db)).raw_dir)
        with stages("checks"):
            scope = check_scope(con, filing_ids, changed)
            checks = run_checks(con, scope) if scope else {}
        fresh = [f for f in filing_ids if f not in known_filings]
        new_filings = [
            dict(zip(("filing_id", "department", "fiscal_year", "kind", "unit_scope", "source_url"), r))
            for r in con.execute(
                """SELECT filing_id, department, fiscal_year, kind, unit_scope, source_url FROM filings
                   WHERE list_contains(CAST(? AS VARCHAR[]), filing_id) ORDER BY department, filing_id""",
                [fresh],
            ).fetchall()
        ]
        t_delta = time.perf_counter()
        delta = {
            "since": since.isoformat(timespec="seconds"),
            "filing_ids": filing_ids,
            "checks": checks,
            "new_filings": new_filings,
            "new_findings": new_findings(con, since),
            "new_unreadable": new_unreadable(con, known_docs),
            "review_needed": review_needed(con, filing_ids),
            "load_errors": load_errors,
            "outcomes": _outcomes(con, extractions),
        }
        if on_checked:
            delta.update(on_checked(con, delta) or {})
        stages.seconds["delta_alerts"] = time.perf_counter() - t_delta
        t_publish = time.perf_counter()
    stages.seconds["publish"] = time.perf_counter() - t_publish
    return delta


def check_scope(con, touched: list[str], changed: list[str]) -> list[str]:
    """The filings to check: those whose content this run changed (run_checks adds the filings
    whose cross-filing rules read them). A filing seen again unchanged keeps its findings, so a
    quiet night checks nothing, unless the rules changed since the last check: then every
    filing this run saw is checked under the new rules."""
    from warehouse.db import rules_version

    last = con.execute("SELECT rules_version FROM check_run ORDER BY finished_at DESC LIMIT 1").fetchall()
    return touched if not last or last[0][0] != rules_version() else changed


def _outcomes(con, extractions) -> dict[str, str]:
    """Each document's outcome: as loaded, or as read by this run (a `Results` holds no
    extraction, and one loaded before is not read again)."""
    if not isinstance(extractions, Results):
        return {sha: e.outcome for sha, e in extractions.items()}
    known = dict(con.execute("SELECT sha256, outcome FROM doc WHERE list_contains(CAST(? AS VARCHAR[]), sha256)",
                             [list(extractions)]).fetchall())
    return {**known, **extractions.outcomes}


def process(docs: list[Document], paths: Paths, workers: int | None = None) -> dict:
    """Extract, load and check (the `ingest` command); returns the run's figures for the summary."""
    t0 = time.monotonic()
    extractions = extract_all(docs, paths.cache_location, workers=workers)
    delta = update_warehouse(paths.db, docs, extractions)
    parsed = extractions.parsed
    return {
        "files": len(docs),
        "unique": len(extractions),
        "parsed": len(parsed),
        "pages": sum(r.pages for r in parsed),
        "seconds": time.monotonic() - t0,
        **delta,
    }


def summary_text(db: Path, run: dict | None = None) -> str:
    from warehouse.db import connect
    from flows.summary import summarize

    con = connect(db, read_only=True)
    try:
        return summarize(con, db, run)
    finally:
        con.close()
