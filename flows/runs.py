"""A run over a set of documents: extract (cached), load, check, summarise."""
from __future__ import annotations

import time
from pathlib import Path

from flows.pipeline import Document, extract_all, load_all, run_checks
from flows.settings import Paths


def process(docs: list[Document], paths: Paths, workers: int | None = None) -> dict:
    """Extract, load and check; returns the run's figures for the summary."""
    from warehouse.db import connect

    t0 = time.monotonic()
    parsed_before = {p.name for p in paths.cache_dir.glob("*.json")}
    extractions = extract_all(docs, paths.cache_dir, workers=workers)
    parsed = [e for e in extractions.values() if f"{e.sha256}-{e.parser_version}.json" not in parsed_before]
    con = connect(paths.db)
    try:
        filing_ids = load_all(con, docs, extractions)
        checks = run_checks(con, filing_ids or None) if filing_ids else {}
    finally:
        con.close()
    return {
        "files": len(docs),
        "unique": len(extractions),
        "parsed": len(parsed),
        "pages": sum(e.pages for e in parsed),
        "seconds": time.monotonic() - t0,
        "filing_ids": filing_ids,
        "checks": checks,
        "outcomes": {sha: e.outcome for sha, e in extractions.items()},
    }


def summary_text(db: Path, run: dict | None = None) -> str:
    from warehouse.db import connect
    from flows.summary import summarize

    con = connect(db, read_only=True)
    try:
        return summarize(con, db, run)
    finally:
        con.close()
