"""Every setting budgetwatch reads from the environment, in one module (issue 15).

Each is read when it is used, not at import: the extraction children of the fork server and
Dask workers see the environment of the moment. This module imports nothing of the project, so
every layer (extractors, warehouse, spiders, demo, flows) may read its settings here.
Left elsewhere: BUDGETWATCH_SITES (flows/nightly.py, the extraction-path work), the environment
a child process is given (extractors/isolate.py, extractors/child.py, spiders/run.py) and Prefect's own defaults
(flows/prefect_env.py), which are written, not read.
"""
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


# Measured (benchmarks/RESULTS.md, "How time grows"): under 300MB, 1 000 and 5 000 generated
# filings peak at 515 and 562 MB with seconds per filing within 8 % of each other and the same
# findings as uncapped; uncapped, DuckDB's 80 % of RAM let them reach 1.3 and 4.9 GB.
DEFAULT_WRITE_MEMORY = "300MB"


def write_memory() -> str | None:
    """DuckDB's memory limit for a run's write session: BUDGETWATCH_DUCKDB_MEMORY (e.g. 300MB,
    1GB), 300MB when unset, or `none` for DuckDB's own default of 80 % of RAM. DuckDB spills to
    disk past it, into a folder beside the staging file."""
    value = os.environ.get("BUDGETWATCH_DUCKDB_MEMORY", "").strip()
    if not value:
        return DEFAULT_WRITE_MEMORY
    if value.lower() == "none":
        return None
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", value, re.IGNORECASE):
        raise ValueError(f"BUDGETWATCH_DUCKDB_MEMORY 应为如 256MB、1GB 的大小或 none，而不是 {value!r}")
    return value


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


def env(name: str, default: str = "") -> str:
    """One variable, stripped; `default` when unset or blank."""
    return os.environ.get(name, "").strip() or default


def alert_urls_configured() -> bool:
    """Whether BUDGETWATCH_ALERT_URLS is set at all (set and empty: no targets, no Secret block)."""
    return os.environ.get("BUDGETWATCH_ALERT_URLS") is not None


def prefect_ui_url() -> str | None:
    """The Prefect UI, for links to a failed run (PREFECT_UI_URL)."""
    return env("PREFECT_UI_URL") or None


def reviewer() -> str | None:
    """Who records a review when --by is not given (BUDGETWATCH_REVIEWER)."""
    return env("BUDGETWATCH_REVIEWER") or None


def task_runner() -> str:
    """threads (default) or dask (BUDGETWATCH_TASK_RUNNER)."""
    return env("BUDGETWATCH_TASK_RUNNER", "threads").lower()


def workers() -> int:
    """Extraction threads (BUDGETWATCH_WORKERS); 0 means one per CPU."""
    return int(env("BUDGETWATCH_WORKERS", "0"))


def sites() -> list[str]:
    """The site profiles the nightly crawls (BUDGETWATCH_SITES, comma-separated); [] = the default."""
    return [s.strip() for s in env("BUDGETWATCH_SITES").split(",") if s.strip()]


def page_model() -> str:
    """The page model the table finder reads (BUDGETWATCH_PAGE_MODEL): pdfium (default) or pdfminer."""
    return env("BUDGETWATCH_PAGE_MODEL", "pdfium")


def dask_address() -> str | None:
    """An existing Dask scheduler (BUDGETWATCH_DASK_ADDRESS); None starts a local cluster."""
    return env("BUDGETWATCH_DASK_ADDRESS") or None


# Extraction (read per document, in the extraction child).
EXTRACT_CHILD_ENV = "BUDGETWATCH_EXTRACT_CHILD"
PROFILES_OFF_ENV = "BUDGETWATCH_PROFILES_OFF"


def extract_child() -> str:
    """How an extraction child starts: forkserver (default) or subprocess (BUDGETWATCH_EXTRACT_CHILD)."""
    return env(EXTRACT_CHILD_ENV, "forkserver")


def profiles_off() -> str:
    """Template profiles switched off, a comma list or 'all' (BUDGETWATCH_PROFILES_OFF)."""
    return env(PROFILES_OFF_ENV)


def ocr_pages(default: int) -> int:
    """At most this many pages OCR'd per document (BUDGETWATCH_OCR_PAGES)."""
    return int(env("BUDGETWATCH_OCR_PAGES") or default)


def ocr_seconds(default: float) -> float:
    """OCR time budget per document (BUDGETWATCH_OCR_SECONDS)."""
    return float(env("BUDGETWATCH_OCR_SECONDS") or default)


def test_crash_at() -> str | None:
    """Test hook: the publish step at which to kill the process (BUDGETWATCH_TEST_CRASH_AT)."""
    return env("BUDGETWATCH_TEST_CRASH_AT") or None


def crawl_contact() -> str:
    """The contact URL in the crawler's User-Agent (BUDGETWATCH_CONTACT)."""
    return env("BUDGETWATCH_CONTACT", "https://github.com/budgetwatch")


def demo_cache_dir() -> Path | None:
    """Where the sample portal keeps rendered attachments (BUDGETWATCH_DEMO_CACHE)."""
    value = env("BUDGETWATCH_DEMO_CACHE")
    return Path(value) if value else None
