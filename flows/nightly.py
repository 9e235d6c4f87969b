"""The nightly flow: crawl every configured site → extract new or changed documents in
parallel → load → check → publish → alert.

Runs ephemerally (no Prefect server needed: `budgetwatch demo`, `crawl`, the tests) or as
the `nightly` deployment of prefect.yaml on a process work pool. Extraction is a Prefect task
per batch of documents, mapped over the batches; the task runner is chosen by the `task_runner` parameter or
BUDGETWATCH_TASK_RUNNER (flows/runners.py).
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from flows import prefect_env  # noqa: F401  (must precede prefect)
from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.utilities.annotations import quote

from flows.alerts import alert_failed_run, compose, deliver_pending, enqueue, resolve_alert_urls
from flows import settings
from flows.batch import DocumentBatch
from flows.documents import Document, from_crawl_items
from flows.early_crawl import CrawlsFirstFlow
from flows.extraction import Result, Results, batches, extract_batch, failed, job
from flows.extraction_store import ExtractionStore
from flows.pipeline import Progress
from flows.rawstore import upload
from flows.runners import make_task_runner, runner_name, worker_count
from flows.runs import summary_text, update_warehouse, utcnow
from flows.settings import Paths, alert_min_severity, raw_url, report_url, resolve_db
from flows.summary import findings_table, run_markdown
from flows.timings import Stages

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
    return settings.sites() or DEFAULT_SITES


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


@task(name="extract-batch", cache_policy=NO_CACHE, task_run_name="extract-{docs[0].sha256:.12}")
def extract_batch_task(docs: list[Document], cache: str, timeout_s: float = 300) -> list[Result]:
    """A batch of documents, each in a child process, into the extraction store; never raises
    for a bad file. Returns references (sha256, outcome, pages), not extractions."""
    return extract_batch(docs, cache, timeout_s)


class Extracted:
    """The extraction sub-flow's result, read like a dict. Not a dict, list or dataclass, so
    Prefect does not walk it looking for futures."""

    __slots__ = ("extractions", "parsed", "pages", "runner")

    def __init__(self, extractions: Results, parsed: int, pages: int, runner: str):
        self.extractions, self.parsed, self.pages, self.runner = extractions, parsed, pages, runner

    def __getitem__(self, key: str):
        return getattr(self, key)


def _lost(batch: list[Document], exc: BaseException) -> list[Result]:
    detail = f"抽取任务失败：{type(exc).__name__}: {exc}"
    return [Result(d.sha256, outcome="parse_error", failure=failed(d.sha256, detail)) for d in batch]


@flow(name="extract-documents", log_prints=True)
def extract_documents(batch: DocumentBatch, cache: str, timeout_s: float = 300, workers: int | None = None) -> Extracted:
    """Extract each distinct document once into the store, a batch per task on this flow's
    task runner (Prefect's bookkeeping is paid per batch, not per document).

    Documents already in the store are not sent anywhere: on a quiet night nearly every file
    is cached and no task runs. A batch whose task fails (a Dask worker lost mid-batch) is
    sent once more; what its lost worker had finished is in the store by then. The documents
    come as a DocumentBatch: Prefect records a summary of it, not the list (flows/batch.py)."""
    docs: list[Document] = batch.docs
    store = ExtractionStore(cache)
    unique = list({d.sha256: d for d in docs}.values())
    progress = Progress(len(unique))
    cached = store.cached(d.sha256 for d in unique)
    results = [Result(sha, cached=True) for sha in cached]
    for r in results:
        progress.step(r)
    todo = [d for d in unique if d.sha256 not in cached]
    for last_try in (False, True):
        parts = batches([job(d) for d in todo], workers or worker_count())
        futures = extract_batch_task.map(parts, cache=unmapped(cache), timeout_s=unmapped(timeout_s)) if parts else []
        by_id = {f.task_run_id: batch for f, batch in zip(futures, parts)}
        todo = []
        for fut in as_completed(futures):
            batch = by_id[fut.task_run_id]
            try:
                done = fut.result()
            except Exception as exc:  # noqa: BLE001 - e.g. a Dask worker lost mid-task
                if not last_try:
                    log.warning("extraction batch of %d documents failed (%s); sending it again", len(batch), exc)
                    todo += batch
                    continue
                done = _lost(batch, exc)
            for r in done:
                results.append(r)
                progress.step(r)
        if not todo:
            break
    runner = type(FlowRunContext.get().task_runner).__name__
    fresh = [r for r in results if not r.cached]
    return Extracted(extractions=Results(store, results), parsed=len(fresh), pages=sum(r.pages for r in fresh),
                     runner=runner)


def all_cached(docs: list[Document], cache: str) -> Extracted | None:
    """The extraction result of a night whose every document is in the store already, without
    the extraction sub-flow (it would run no task, and creating its flow run costs seconds);
    None when something is left to extract."""
    store = ExtractionStore(cache)
    unique = list(dict.fromkeys(d.sha256 for d in docs))
    if not unique or len(store.cached(unique)) < len(unique):
        return None
    progress = Progress(len(unique))
    results = [Result(sha, cached=True) for sha in unique]
    for r in results:
        progress.step(r)
    return Extracted(extractions=Results(store, results), parsed=0, pages=0, runner=None)


@task(name="load-check-publish", cache_policy=NO_CACHE)
def load_check_publish(db: str, docs: list[Document], extractions: dict, urls: list[str],
                       min_severity: str, report: str | None, crawled_since: datetime | None = None,
                       stages: Stages | None = None) -> dict:
    """Load and check; write the run's digest to the outbox and send it in the same session, then publish."""

    def write_digest(con, delta: dict) -> dict:
        digest = compose(delta["new_findings"], delta["new_unreadable"], min_severity, report,
                         review=delta.get("review_needed"))
        queued = enqueue(con, digest, urls) if digest else 0
        out = {"digest": None if digest is None else {"digest_id": digest.digest_id, "title": digest.title,
                                                      "body": digest.body, "n_items": digest.n_items},
               "alerts_queued": queued}
        if crawled_since is not None:
            out.update(quiet_site_alarm(con, crawled_since, urls))
        # sent in the same session, so the delivery marks are published with the load: one copy
        out["alerts"] = deliver_pending(con, urls) if urls else {"delivered": 0, "failed": 0, "unconfigured": 0,
                                                                   "errors": []}
        return out

    return update_warehouse(Path(db), docs, extractions, on_checked=write_digest, stages=stages)


def quiet_site_alarm(con, since: datetime, urls: list[str]) -> dict:
    """Columns of this run's crawls that went empty or shrank, and their alarm in the outbox."""
    from flows.alerts.digest import compose_quiet_sites
    from warehouse.crawls import quiet_columns

    quiet = quiet_columns(con, since)
    digest = compose_quiet_sites(quiet)
    queued = enqueue(con, digest, urls) if digest else 0
    return {"quiet_sites": quiet, "quiet_digest": None if digest is None else {
        "digest_id": digest.digest_id, "title": digest.title, "body": digest.body}, "alerts_queued_quiet": queued}


@task(name="write-report", cache_policy=NO_CACHE)
def refresh_report(db: str, out: str) -> str:
    """Regenerate the HTML report beside the warehouse. Written next to the old one and swapped
    in by renames, so a reader never sees half a site. When the content did not change, only
    the sources page and the fetch times are refreshed, page by page (each page is whole)."""
    import shutil

    from flows.report import refresh_if_unchanged, write_report

    out_dir = Path(out)
    if refresh_if_unchanged(Path(db), out_dir):  # a quiet night: same pages, new fetch times
        return str(out_dir / "index.html")
    new, old = out_dir.with_name(out_dir.name + ".new"), out_dir.with_name(out_dir.name + ".old")
    shutil.rmtree(new, ignore_errors=True)
    write_report(Path(db), new)
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(old)
    new.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return str(out_dir / "index.html")


def nightly_run(
    sites: list[str] | None = None,
    db: str | None = None,
    start_urls: dict[str, str] | None = None,
    task_runner: str | None = None,
    min_severity: str | None = None,
) -> dict:
    """Crawl each site, then extract, load, check, publish and alert on what is new."""
    logger = get_run_logger()
    stages = Stages()
    paths = Paths(db=resolve_db(db)).ensure()
    start_urls = start_urls or {}
    sites = sites or configured_sites()
    urls = resolve_alert_urls()
    min_severity = (min_severity or alert_min_severity()).lower()

    crawled_since = utcnow()
    with stages("crawl"):
        crawls = crawl_site.map(sites, unmapped(str(paths.raw_dir)), [start_urls.get(s) for s in sites])
        items: list[dict] = []
        failed_sites: list[str] = []
        for site, fut in zip(sites, crawls):
            try:
                items.extend(fut.result())
            except Exception as exc:  # noqa: BLE001 - the other sites still load; the run ends Failed
                logger.error("crawl of %s failed: %s", site, exc)
                failed_sites.append(site)
    with stages("hash"):
        docs = from_crawl_items(items)
        if raw_url():
            docs = upload(docs, raw_url())

    runner = runner_name(task_runner)
    with stages("extract"):
        extracted = all_cached(docs, paths.cache_location) or extract_documents.with_options(
            name=f"extract-documents-{runner}", task_runner=make_task_runner(runner)
        )(DocumentBatch(docs=docs), paths.cache_location)
    # quote: Prefect would otherwise walk every fact of every extraction looking for futures
    # (seconds per hundred documents, several times per call).
    # its steps are timed inside (publish_copy, load, checks, delta_alerts, publish)
    run = load_check_publish(str(paths.db), docs, quote(extracted["extractions"]), urls, min_severity, report_url(),
                             crawled_since, quote(stages))
    run["alert_targets"] = len(urls)
    with stages("report"):
        try:  # the data is published already; a report that fails to render must not fail the run
            run["report"] = refresh_report(str(paths.db), str(paths.data_dir / "report"))
        except Exception as exc:  # noqa: BLE001
            logger.error("report not regenerated: %s", exc)
            run["report"] = None

    run.update(files=len(docs), unique=len(extracted["extractions"]), parsed=extracted["parsed"],
               pages=extracted["pages"], failed_sites=failed_sites, task_runner=runner,
               task_runner_class=extracted["runner"])
    with stages("summary"):
        text = summary_text(paths.db, run)
    create_markdown_artifact(key="nightly-summary", markdown=run_markdown(run, text),
                             description="budgetwatch 每晚运行摘要")
    create_table_artifact(key="nightly-new-findings", table=findings_table(run),
                          description="本次运行新发现的不一致")
    run["summary"] = text
    run["stages"] = stages.as_dict()
    log.info("nightly stages: %s", stages.line())
    if failed_sites:
        rest = "（其余站点已入库并核对）" if len(failed_sites) < len(sites) else ""
        raise RuntimeError(f"抓取失败的站点：{'、'.join(failed_sites)}{rest}")
    if run.get("quiet_sites"):
        # Not a quiet night: the flow ends Failed, with the summary on the exception.
        from flows.alerts.digest import quiet_site_message

        raise SitesWentQuiet("；".join(quiet_site_message(q) for q in run["quiet_sites"]), run)
    return run


def crawl_plan(arguments: dict) -> list[tuple[str, str, str | None]]:
    """The crawl_site calls a nightly run with these arguments makes: (site, store, start URL)."""
    store = str(Paths(db=resolve_db(arguments.get("db"))).ensure().raw_dir)
    start_urls = arguments.get("start_urls") or {}
    return [(s, store, start_urls.get(s)) for s in arguments.get("sites") or configured_sites()]


# The flow (prefect.yaml's entrypoint flows/nightly.py:nightly). Called directly, it starts its
# crawls before Prefect's API is up (flows/early_crawl.py).
nightly = CrawlsFirstFlow(nightly_run, crawl_plan, name="nightly", log_prints=True,
                          on_failure=[alert_failed_run], on_crashed=[alert_failed_run])
