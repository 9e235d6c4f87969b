"""Where budgetwatch keeps its files and how it alerts, resolved from flags and the environment."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("data/budget.duckdb")
SEVERITIES = ("low", "medium", "high")
DEFAULT_ALERT_MIN_SEVERITY = "medium"
# A Prefect Secret block may hold the alert URLs instead of the environment.
ALERT_URLS_SECRET = "budgetwatch-alert-urls"


def resolve_db(flag: str | os.PathLike | None = None) -> Path:
    """--db, then BUDGETWATCH_DB, then data/budget.duckdb (DEVELOPERS.md contract)."""
    if flag:
        return Path(flag)
    env = os.environ.get("BUDGETWATCH_DB")
    return Path(env) if env else DEFAULT_DB


def split_urls(raw: str | list | None) -> list[str]:
    if not raw:
        return []
    items = raw if isinstance(raw, list) else str(raw).replace("\n", ",").split(",")
    return [u.strip() for u in items if u and u.strip()]


def alert_urls() -> list[str]:
    """Apprise URLs from BUDGETWATCH_ALERT_URLS (comma-separated); see flows.alerts for the Secret block."""
    return split_urls(os.environ.get("BUDGETWATCH_ALERT_URLS", ""))


def alert_min_severity() -> str:
    value = os.environ.get("BUDGETWATCH_ALERT_MIN_SEVERITY", DEFAULT_ALERT_MIN_SEVERITY).strip().lower()
    if value not in SEVERITIES:
        raise ValueError(f"BUDGETWATCH_ALERT_MIN_SEVERITY 应为 {'、'.join(SEVERITIES)} 之一，而不是 {value!r}")
    return value


def report_url() -> str | None:
    """Where the published HTML report lives (BUDGETWATCH_REPORT_URL), for links in alerts."""
    return os.environ.get("BUDGETWATCH_REPORT_URL", "").strip() or None


def raw_url() -> str | None:
    """An fsspec URL (s3://bucket/raw, gs://…, file:///…) to share raw files between machines."""
    return os.environ.get("BUDGETWATCH_RAW_URL", "").strip() or None


def cache_url() -> str | None:
    """An fsspec URL (s3://bucket/cache, …) for the extraction cache, so Dask workers that share
    no folder with the flow's machine write their results where it reads them."""
    return os.environ.get("BUDGETWATCH_CACHE_URL", "").strip() or None


def write_memory() -> str | None:
    """DuckDB's memory limit for a run's write session (BUDGETWATCH_DUCKDB_MEMORY, e.g. 512MB,
    1GB; unset: DuckDB's own default of 80 % of RAM). DuckDB spills to disk past it where it
    can; a check that still does not fit ends as outcome `error`, so it is opt-in: at 5 000
    filings 256MB was too little for six rules."""
    value = os.environ.get("BUDGETWATCH_DUCKDB_MEMORY", "").strip()
    if value and not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", value, re.IGNORECASE):
        raise ValueError(f"BUDGETWATCH_DUCKDB_MEMORY 应为如 256MB、1GB 的大小，而不是 {value!r}")
    return value or None


@dataclass(frozen=True)
class Paths:
    """The raw-file store and the extraction cache live beside the database."""

    db: Path

    @property
    def data_dir(self) -> Path:
        return self.db.resolve().parent

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def cache_dir(self) -> Path:
        """Extractions by (sha256, parser version); BUDGETWATCH_CACHE_DIR shares one between
        warehouses or machines (a shared mount), so a document is parsed once."""
        shared = os.environ.get("BUDGETWATCH_CACHE_DIR", "").strip()
        return Path(shared) if shared else self.data_dir / "cache"

    @property
    def cache_location(self) -> str:
        """Where extractions are stored: BUDGETWATCH_CACHE_URL, else the cache folder."""
        return cache_url() or str(self.cache_dir)

    def ensure(self) -> "Paths":
        for d in (self.data_dir, self.raw_dir, self.cache_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self
