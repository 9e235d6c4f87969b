"""Crawl reports (spiders/report.py) into the warehouse's `crawl_runs` table."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)


def _ts(value: str | None) -> datetime | None:
    """Scrapy's stats times are ISO strings with an offset; the warehouse keeps naive UTC."""
    if not value:
        return None
    try:
        t = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return t.astimezone(timezone.utc).replace(tzinfo=None) if t.tzinfo else t


def row(report: dict) -> tuple:
    pages, files, req = report.get("pages", {}), report.get("files", {}), report.get("requests", {})
    offsite = report.get("offsite", {})
    errors = {str(k): int(v) for k, v in (report.get("errors") or {}).items()}
    return (
        report["run_id"], report["site"], _ts(report.get("started_at")), _ts(report.get("finished_at")),
        report.get("duration_s"), bool(report.get("partial")), report.get("stop_reason"), report.get("stop_detail"),
        pages.get("listing"), pages.get("detail"), pages.get("detail_not_modified"), pages.get("failed"),
        files.get("items"), files.get("new"), files.get("changed"), files.get("not_modified"), files.get("failed"),
        req.get("sent"), req.get("bytes"), req.get("retries"), (report.get("robots") or {}).get("status"),
        int(offsite.get("requests_dropped") or 0) + int(offsite.get("redirects_dropped") or 0),
        errors, json.dumps(report, ensure_ascii=False),
    )


def load_crawl_reports(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> int:
    """Record every crawl report under `raw_dir/.crawls/` not yet in `crawl_runs`; returns how many."""
    known = {r[0] for r in con.execute("SELECT run_id FROM crawl_runs").fetchall()}
    rows = []
    for path in sorted(Path(raw_dir).glob(".crawls/*/report.json")):
        if path.parent.name in known:  # the run folder is named by its run_id (spiders/run.py)
            continue
        try:
            report = json.loads(path.read_text("utf-8"))
            if report.get("run_id") in known:
                continue
            rows.append(row(report))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("crawl report %s not recorded: %s", path, exc)
    if rows:
        con.executemany(f"INSERT INTO crawl_runs VALUES ({', '.join(['?'] * len(rows[0]))})", rows)
    return len(rows)
