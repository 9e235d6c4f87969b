"""Scale-out: the nightly flow on prefect-dask's DaskTaskRunner (a local cluster of worker
processes) gives the same public views, row for row, as the default thread-pool runner."""
from __future__ import annotations

import duckdb
import pytest

from demo.portal import build_site
from demo.server import serve
from flows.nightly import nightly

pytestmark = pytest.mark.e2e

# Public views (DEVELOPERS.md) and the columns that differ between two runs by time only.
VIEWS = {
    "documents": {"fetched_at"},
    "filings": set(),
    "facts": set(),
    "filing_totals": set(),
    "findings": {"first_seen", "last_seen"},
}


def public_rows(db, view: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall() if r[0] not in VIEWS[view]]
        listed = ", ".join(f'"{c}"' for c in cols)
        return con.execute(f"SELECT {listed} FROM {view} ORDER BY ALL").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, monkeypatch_module):
    # Separate data folders, so neither run reads the other's extraction cache.
    threads_db = tmp_path_factory.mktemp("threads") / "budget.duckdb"
    dask_db = tmp_path_factory.mktemp("dask") / "budget.duckdb"
    monkeypatch_module.setenv("BUDGETWATCH_WORKERS", "2")
    monkeypatch_module.delenv("BUDGETWATCH_ALERT_URLS", raising=False)
    with serve(build_site()) as base:
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
    assert threads["parsed"] == dask["parsed"] == threads["unique"] > 0


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_dask_and_default_runner_give_identical_public_views(two_runs, view):
    (_, threads_db), (_, dask_db) = two_runs
    expected = public_rows(threads_db, view)
    assert expected, f"{view} is empty: nothing was compared"
    assert public_rows(dask_db, view) == expected
