"""Crawl reports (spiders/report.py) into the warehouse's `crawl_runs` table, and the
listing entries each run saw per column into `crawl_listing_counts` (quiet-site alarm)."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

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


def column_key(url: str) -> str:
    """A column's start URL without scheme and host: '/zwgk/czyjs/index.html'."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def listing_rows(report: dict) -> list[tuple]:
    started, partial = _ts(report.get("started_at")), bool(report.get("partial"))
    keys: dict[str, tuple] = {}
    for url, entries in (report.get("columns") or {}).items():
        key = column_key(url)
        old = keys.get(key)
        keys[key] = (report["run_id"], report["site"], key, url, int(entries) + (old[4] if old else 0),
                     started, partial)
    return list(keys.values())


def quiet_columns(con: duckdb.DuckDBPyConnection, since: datetime) -> list[dict]:
    """Columns whose latest crawl since `since` saw no listing entries, or under half of the
    last crawl that saw some (warehouse/quiet_sites.sql)."""
    cur = con.execute((Path(__file__).with_name("quiet_sites.sql")).read_text("utf-8"), {"since": since})
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def load_crawl_reports(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> int:
    """Record every crawl report under `raw_dir/.crawls/` not yet in `crawl_runs`; returns how many."""
    known = {r[0] for r in con.execute("SELECT run_id FROM crawl_runs").fetchall()}
    rows, listing = [], []
    for path in sorted(Path(raw_dir).glob(".crawls/*/report.json")):
        if path.parent.name in known:  # the run folder is named by its run_id (spiders/run.py)
            continue
        try:
            report = json.loads(path.read_text("utf-8"))
            if report.get("run_id") in known:
                continue
            counts = listing_rows(report)
            rows.append(row(report))
            listing += counts
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("crawl report %s not recorded: %s", path, exc)
    if rows:
        con.executemany(f"INSERT INTO crawl_runs VALUES ({', '.join(['?'] * len(rows[0]))})", rows)
    if listing:
        con.executemany("INSERT INTO crawl_listing_counts VALUES (?, ?, ?, ?, ?, ?, ?)", listing)
    return len(rows)
