"""Scale-out: the nightly flow on prefect-dask's DaskTaskRunner (a local cluster of worker
processes) gives the same public views, row for row, as the default thread-pool runner."""
from __future__ import annotations

import duckdb
import pytest

from demo.portal import build_site, site_content
from demo.server import serve
from flows.nightly import nightly

pytestmark = pytest.mark.e2e


# A slice of the district: one department's five filings (预算 in two layouts, 决算), another
# layout, and two documents that cannot be read; enough documents to run in parallel.
SLICE = {("118", None), ("116", 2025), ("137", 2024), ("150", 2025)}


def district_slice() -> list:
    filings, _, _ = site_content("district")
    return [f for f in filings if (f.department_code, None) in SLICE or (f.department_code, f.fiscal_year) in SLICE]


VIEWS = ["documents", "facts", "filing_totals", "filings", "findings"]  # public views (DEVELOPERS.md)


def public_rows(db, view: str) -> list[tuple]:
    """Every row of `view`, with each TIMESTAMP column (fetched_at, loaded_at, first_seen, …:
    the wall clock of the run) reduced to whether it is set; DATE columns such as
    published_at are compared as they are."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [f'"{name}" IS NULL' if kind.startswith("TIMESTAMP") else f'"{name}"'
                for name, kind, *_ in con.execute(f"DESCRIBE {view}").fetchall()]
        return con.execute(f"SELECT {', '.join(cols)} FROM {view} ORDER BY ALL").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, monkeypatch_module):
    # Separate data folders, so neither run reads the other's extraction cache.
    threads_db = tmp_path_factory.mktemp("threads") / "budget.duckdb"
    dask_db = tmp_path_factory.mktemp("dask") / "budget.duckdb"
    monkeypatch_module.setenv("BUDGETWATCH_WORKERS", "2")
    monkeypatch_module.delenv("BUDGETWATCH_ALERT_URLS", raising=False)
    with serve(build_site(filings=district_slice())) as base:
        start = {"sample": base + "zwgk/czyjs/index.html"}
        threads = nightly(sites=["sample"], db=str(threads_db), start_urls=start)
        dask = nightly(sites=["sample"], db=str(dask_db), start_urls=start, task_runner="dask")
    return (threads, threads_db), (dask, dask_db)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_runs_used_their_runners_and_both_parsed(two_runs):
    (threads, _), (dask, _) = two_runs
    assert (threads["task_runner"], dask["task_runner"]) == ("threads", "dask")
    assert (threads["task_runner_class"], dask["task_runner_class"]) == ("ThreadPoolTaskRunner", "DaskTaskRunner")
    assert threads["parsed"] == dask["parsed"] == threads["unique"] == len(district_slice())


@pytest.mark.parametrize("view", VIEWS)
def test_dask_and_default_runner_give_identical_public_views(two_runs, view):
    (_, threads_db), (_, dask_db) = two_runs
    expected = public_rows(threads_db, view)
    assert expected, f"{view} is empty: nothing was compared"
    assert public_rows(dask_db, view) == expected
