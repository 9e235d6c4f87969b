"""The nightly flow: crawl every configured site → extract → load → check.

Runs ephemerally (no Prefect server needed) or as the `nightly` deployment of
prefect.yaml on a work pool.
"""
from __future__ import annotations

import os

from flows import prefect_env  # noqa: F401  (must precede prefect)
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows.pipeline import from_crawl_items
from flows.runs import process, summary_text
from flows.settings import Paths, resolve_db

DEFAULT_SITES = ["sample"]


def configured_sites() -> list[str]:
    raw = os.environ.get("BUDGETWATCH_SITES", "")
    return [s.strip() for s in raw.split(",") if s.strip()] or DEFAULT_SITES


@task(name="crawl-site", retries=2, retry_delay_seconds=[30, 120], cache_policy=NO_CACHE)
def crawl_site(site: str, store_dir: str, start_url: str | None = None) -> list[dict]:
    from spiders.run import crawl

    logger = get_run_logger()
    result = crawl(site, store_dir, start_url=start_url)
    logger.info("crawl %s: %d items, returncode %s, log %s", site, len(result.items), result.returncode, result.log_path)
    if result.returncode != 0 and not result.items:
        raise RuntimeError(f"crawl of {site} failed (returncode {result.returncode}); see {result.log_path}")
    return result.items


@task(name="extract-load-check", cache_policy=NO_CACHE)
def extract_load_check(items: list[dict], db: str) -> dict:
    paths = Paths(db=resolve_db(db)).ensure()
    return process(from_crawl_items(items), paths)


@flow(name="nightly", log_prints=True)
def nightly(sites: list[str] | None = None, db: str | None = None, start_urls: dict[str, str] | None = None) -> dict:
    """Crawl each site, then extract, load and check what was found."""
    paths = Paths(db=resolve_db(db)).ensure()
    start_urls = start_urls or {}
    items: list[dict] = []
    for site in sites or configured_sites():
        items.extend(crawl_site(site, str(paths.raw_dir), start_urls.get(site)))
    run = extract_load_check(items, str(paths.db))
    text = summary_text(paths.db, run)
    create_markdown_artifact(key="nightly-summary", markdown="```\n" + text + "\n```", description="budgetwatch nightly summary")
    run["summary"] = text
    return run
