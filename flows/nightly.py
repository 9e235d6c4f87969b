"""The nightly flow: crawl every configured site → extract new or changed documents in
parallel → load → check → publish → alert.

Runs ephemerally (no Prefect server needed: `budgetwatch demo`, `crawl`, the tests) or as
the `nightly` deployment of prefect.yaml on a process work pool. Per-document extraction is
a mapped Prefect task; the task runner is chosen by the `task_runner` parameter or
BUDGETWATCH_TASK_RUNNER (flows/runners.py).
"""
from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

from flows import prefect_env  # noqa: F401  (must precede prefect)
from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.utilities.annotations import quote

from extractors.model import PARSER_VERSION, Extraction
from flows.alerts import alert_failed_run, compose, deliver_pending, enqueue, resolve_alert_urls
from flows.batch import DocumentBatch
from flows.pipeline import Document, Progress, extract_cached, extract_one, from_crawl_items
from flows.runners import make_task_runner, runner_name
from flows.runs import open_for_update, summary_text, update_warehouse, utcnow
from flows.settings import Paths, alert_min_severity, raw_url, report_url, resolve_db
from flows.summary import findings_table, run_markdown

DEFAULT_SITES = ["sample"]
log = logging.getLogger("budgetwatch.nightly")


class DiskFull(RuntimeError):
    """The raw-file store ran out of space; retrying cannot help until someone frees it."""


class SitesWentQuiet(RuntimeError):
    """A site's listing was empty or under half of its last good run: the profile may no
    longer match the portal. The run's data is published; `run` is its result, summary included."""

    def __init__(self, message: str, run: dict):
        super().__init__(message)
        self.run = run


def configured_sites() -> list[str]:
    raw = os.environ.get("BUDGETWATCH_SITES", "")
    return [s.strip() for s in raw.split(",") if s.strip()] or DEFAULT_SITES


def _worth_retrying(task, task_run, state) -> bool:
    """A portal that was down may be back; a broken site profile will not fix itself."""
    from spiders.profile import ProfileError

    try:
        state.result()
    except (ProfileError, DiskFull):
        return False
    except BaseException:  # noqa: BLE001
        return True
    return True


@task(name="crawl-site", retries=2, retry_delay_seconds=[30, 120], retry_condition_fn=_worth_retrying,
      cache_policy=NO_CACHE)
def crawl_site(site: str, store_dir: str, start_url: str | None = None) -> list[dict]:
    from spiders.run import crawl

    logger = get_run_logger()
    result = crawl(site, store_dir, start_url=start_url)
    logger.info("crawl %s: %d items, returncode %s, log %s", site, len(result.items), result.returncode, result.log_path)
    if result.returncode != 0 and not result.items:
        raise RuntimeError(f"crawl of {site} failed (returncode {result.returncode}); see {result.log_path}")
    if result.stop_reason == "disk_full":
        # what was stored before the disk filled is loaded by the next run, from the store
        raise DiskFull(f"crawl of {site} stopped: {result.summary()}")
    return result.items


@task(name="extract-document", cache_policy=NO_CACHE, task_run_name="extract-{doc.sha256:.12}")
def extract_document(doc: Document, cache_dir: str, timeout_s: float = 300) -> tuple[Extraction, bool]:
    """One document in a child process, cached by (sha256, parser version); never raises."""
    return extract_one(doc, Path(cache_dir), timeout_s)


class Extracted:
    """The extraction sub-flow's result, read like a dict. Not a dict, list or dataclass, so
    Prefect does not walk it: its engine visits a flow's return value looking for futures,
    and every fact of every extraction would cost seconds per hundred documents."""

    __slots__ = ("extractions", "parsed", "pages", "runner")

    def __init__(self, extractions: dict[str, Extraction], parsed: int, pages: int, runner: str):
        self.extractions, self.parsed, self.pages, self.runner = extractions, parsed, pages, runner

    def __getitem__(self, key: str):
        return getattr(self, key)


@flow(name="extract-documents", log_prints=True)
def extract_documents(batch: DocumentBatch, cache_dir: str, timeout_s: float = 300) -> Extracted:
    """Extract each distinct document once, as mapped tasks on this flow's task runner.

    A document already in the extraction cache is read here instead (a task per cached file
    is Prefect bookkeeping that buys nothing, and on a quiet night nearly every file is cached)."""
    docs: list[Document] = batch.docs
    unique = list({d.sha256: d for d in docs}.values())
    progress = Progress(len(unique))
    extractions: dict[str, Extraction] = {}
    todo = []
    for d in unique:
        if (Path(cache_dir) / f"{d.sha256}-{PARSER_VERSION}.json").exists():
            try:
                ext = extract_cached(d, Path(cache_dir), timeout_s)  # a read: the file is there
            except Exception:  # noqa: BLE001 - an unreadable cache entry: the task deals with it
                log.warning("cached extraction of %s unreadable; extracting again", d.sha256, exc_info=True)
            else:
                extractions[d.sha256] = ext
                progress.step(ext, True)
                continue
        todo.append(d)
    futures = extract_document.map(todo, cache_dir=unmapped(cache_dir), timeout_s=unmapped(timeout_s)) if todo else []
    by_id = {f.task_run_id: d for f, d in zip(futures, todo)}
    parsed = pages = 0
    for fut in as_completed(futures):
        d = by_id[fut.task_run_id]
        try:
            ext, cached = fut.result()
        except Exception as exc:  # noqa: BLE001 - e.g. a Dask worker lost mid-task
            ext = Extraction(sha256=d.sha256, outcome="parse_error", parser_version=f"{PARSER_VERSION}+error",
                             outcome_detail=f"抽取任务失败：{type(exc).__name__}: {exc}"[:500])
            cached = False
        extractions[d.sha256] = ext
        if not cached:
            parsed += 1
            pages += ext.pages
        progress.step(ext, cached)
    runner = type(FlowRunContext.get().task_runner).__name__
    return Extracted(extractions=extractions, parsed=parsed, pages=pages, runner=runner)


@task(name="load-check-publish", cache_policy=NO_CACHE)
def load_check_publish(db: str, docs: list[Document], extractions: dict, urls: list[str],
                       min_severity: str, report: str | None, crawled_since: datetime | None = None) -> dict:
    """Load and check; write the run's digest to the outbox in the same session, then publish."""

    def write_digest(con, delta: dict) -> dict:
        digest = compose(delta["new_findings"], delta["new_unreadable"], min_severity, report,
                         review=delta.get("review_needed"))
        queued = enqueue(con, digest, urls) if digest else 0
        out = {"digest": None if digest is None else {"digest_id": digest.digest_id, "title": digest.title,
                                                      "body": digest.body, "n_items": digest.n_items},
               "alerts_queued": queued}
        if crawled_since is not None:
            out.update(quiet_site_alarm(con, crawled_since, urls))
        return out

    return update_warehouse(Path(db), docs, extractions, on_checked=write_digest)


def quiet_site_alarm(con, since: datetime, urls: list[str]) -> dict:
    """Columns of this run's crawls that went empty or shrank, and their alarm in the outbox."""
    from flows.alerts.digest import compose_quiet_sites
    from warehouse.crawls import quiet_columns

    quiet = quiet_columns(con, since)
    digest = compose_quiet_sites(quiet)
    queued = enqueue(con, digest, urls) if digest else 0
    return {"quiet_sites": quiet, "quiet_digest": None if digest is None else {
        "digest_id": digest.digest_id, "title": digest.title, "body": digest.body}, "alerts_queued_quiet": queued}


@task(name="deliver-alerts", retries=1, retry_delay_seconds=10, cache_policy=NO_CACHE)
def deliver_alerts(db: str, urls: list[str]) -> dict:
    """Send what the outbox holds (this run's digest and any earlier one that failed)."""
    if not urls:
        return {"delivered": 0, "failed": 0, "unconfigured": 0, "errors": []}
    with open_for_update(Path(db)) as con:
        return deliver_pending(con, urls)


@task(name="write-report", cache_policy=NO_CACHE)
def refresh_report(db: str, out: str) -> str:
    """Regenerate the HTML report beside the warehouse. Written next to the old one and swapped
    in by renames, so a reader never sees half a site."""
    import shutil

    from flows.report import write_report

    out_dir = Path(out)
    new, old = out_dir.with_name(out_dir.name + ".new"), out_dir.with_name(out_dir.name + ".old")
    shutil.rmtree(new, ignore_errors=True)
    write_report(Path(db), new)
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(old)
    new.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return str(out_dir / "index.html")


@flow(name="nightly", log_prints=True, on_failure=[alert_failed_run], on_crashed=[alert_failed_run])
def nightly(
    sites: list[str] | None = None,
    db: str | None = None,
    start_urls: dict[str, str] | None = None,
    task_runner: str | None = None,
    min_severity: str | None = None,
) -> dict:
    """Crawl each site, then extract, load, check, publish and alert on what is new."""
    logger = get_run_logger()
    paths = Paths(db=resolve_db(db)).ensure()
    start_urls = start_urls or {}
    sites = sites or configured_sites()
    urls = resolve_alert_urls()
    min_severity = (min_severity or alert_min_severity()).lower()

    crawled_since = utcnow()
    crawls = crawl_site.map(sites, unmapped(str(paths.raw_dir)), [start_urls.get(s) for s in sites])
    items: list[dict] = []
    failed_sites: list[str] = []
    for site, fut in zip(sites, crawls):
        try:
            items.extend(fut.result())
        except Exception as exc:  # noqa: BLE001 - the other sites still load; the run ends Failed
            logger.error("crawl of %s failed: %s", site, exc)
            failed_sites.append(site)
    docs = from_crawl_items(items)
    if raw_url():
        from flows.rawstore import upload

        docs = upload(docs, raw_url())

    runner = runner_name(task_runner)
    extracted = extract_documents.with_options(
        name=f"extract-documents-{runner}", task_runner=make_task_runner(runner)
    )(DocumentBatch(docs=docs), str(paths.cache_dir))
    # quote: Prefect would otherwise walk every fact of every extraction looking for futures
    # (seconds per hundred documents, several times per call).
    run = load_check_publish(str(paths.db), docs, quote(extracted["extractions"]), urls, min_severity, report_url(),
                             crawled_since)
    run["alerts"] = deliver_alerts(str(paths.db), urls)
    run["alert_targets"] = len(urls)
    try:  # the data is published already; a report that fails to render must not fail the run
        run["report"] = refresh_report(str(paths.db), str(paths.data_dir / "report"))
    except Exception as exc:  # noqa: BLE001
        logger.error("report not regenerated: %s", exc)
        run["report"] = None

    run.update(files=len(docs), unique=len(extracted["extractions"]), parsed=extracted["parsed"],
               pages=extracted["pages"], failed_sites=failed_sites, task_runner=runner,
               task_runner_class=extracted["runner"],
               outcomes={sha: e.outcome for sha, e in extracted["extractions"].items()})
    text = summary_text(paths.db, run)
    create_markdown_artifact(key="nightly-summary", markdown=run_markdown(run, text),
                             description="budgetwatch 每晚运行摘要")
    create_table_artifact(key="nightly-new-findings", table=findings_table(run),
                          description="本次运行新发现的不一致")
    run["summary"] = text
    if failed_sites:
        rest = "（其余站点已入库并核对）" if len(failed_sites) < len(sites) else ""
        raise RuntimeError(f"抓取失败的站点：{'、'.join(failed_sites)}{rest}")
    if run.get("quiet_sites"):
        # Not a quiet night: the flow ends Failed, with the summary on the exception.
        from flows.alerts.digest import quiet_site_message

        raise SitesWentQuiet("；".join(quiet_site_message(q) for q in run["quiet_sites"]), run)
    return run
