"""A quiet site is an alarm: a crawl whose listing is empty, or under half of its last good
run, is an error in the nightly's summary and digest and fails the flow (issue 18)."""
from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta

import duckdb
import pytest

from flows.alerts.digest import compose_quiet_sites, quiet_site_message
from spiders.report import build_report
from warehouse.crawls import listing_rows, load_crawl_reports, quiet_columns
from warehouse.db import connect

T0 = datetime(2026, 3, 1, 2, 0)
COL = "http://127.0.0.1:8000/zwgk/czyjs/index.html"


def _report(run_id: str, day: int, columns: dict[str, int], partial: bool = False) -> dict:
    stats = {"start_time": (T0 + timedelta(days=day)).isoformat() + "+00:00",
             **{f"budgetwatch/listing/column_entries/{url}": n for url, n in columns.items()}}
    if partial:
        stats["budgetwatch/stop_reason"] = "blocked"
    return build_report(site="qiaokou", run_id=run_id, stats=stats, items=[], returncode=0, timed_out=False)


@pytest.fixture
def con(tmp_path):
    c = connect(tmp_path / "w.duckdb")
    yield c
    c.close()


def record(con, tmp_path, *reports) -> None:
    for r in reports:
        folder = tmp_path / "raw" / ".crawls" / r["run_id"]
        folder.mkdir(parents=True)
        (folder / "report.json").write_text(json.dumps(r), encoding="utf-8")
    load_crawl_reports(con, tmp_path / "raw")


@pytest.mark.parametrize("history, tonight, expected", [
    ([64], 0, [(0, 64)]),
    ([64], 31, [(31, 64)]),
    ([64], 32, []),                      # half is not "far fewer"
    ([], 0, [(0, None)]),                # a first run that sees nothing is wrong too
    ([], 5, []),
    ([64, 0], 0, [(0, 64)]),             # compared with the last run that saw entries
    ([10, 64], 20, [(20, 64)]),
])
def test_quiet_columns(con, tmp_path, history, tonight, expected):
    reports = [_report(f"r{i}", i, {COL: n}) for i, n in enumerate(history)]
    reports.append(_report("tonight", len(history), {COL.replace("8000", "9000"): tonight}))
    record(con, tmp_path, *reports)
    since = T0 + timedelta(days=len(history), hours=-1)
    assert [(q["entries"], q["previous_entries"]) for q in quiet_columns(con, since)] == expected


def test_a_partial_crawl_is_not_called_quiet(con, tmp_path):
    record(con, tmp_path, _report("r0", 0, {COL: 64}), _report("r1", 1, {COL: 0}, partial=True))
    assert quiet_columns(con, T0 + timedelta(hours=12)) == []


def test_columns_are_counted_apart(con, tmp_path):
    other = "http://127.0.0.1:8000/zwgk/jsgk/index.html"
    record(con, tmp_path, _report("r0", 0, {COL: 64, other: 12}), _report("r1", 1, {COL: 60, other: 0}))
    quiet = quiet_columns(con, T0 + timedelta(hours=12))
    assert [(q["column_key"], q["entries"], q["previous_entries"], q["site_columns"]) for q in quiet] == [
        ("/zwgk/jsgk/index.html", 0, 12, 2)]
    assert quiet_site_message(quiet[0]) == (
        f"站点 qiaokou 栏目 {other} 本次列表为空（上次 12 条），可能已改版，请运行 budgetwatch crawl --site qiaokou --check")


def test_listing_rows_from_a_report():
    r = _report("r0", 0, {COL: 64})
    assert listing_rows(r) == [("r0", "qiaokou", "/zwgk/czyjs/index.html", COL, 64, T0, False)]


@pytest.mark.parametrize("entries, previous, message", [
    (0, 64, "站点 X 本次列表为空（上次 64 条），可能已改版，请运行 budgetwatch crawl --site X --check"),
    (3, 64, "站点 X 本次列表只有 3 条（上次 64 条），可能已改版，请运行 budgetwatch crawl --site X --check"),
    (0, None, "站点 X 本次列表为空（此前没有列表不为空的记录），可能已改版，请运行 budgetwatch crawl --site X --check"),
])
def test_quiet_site_message(entries, previous, message):
    q = {"site": "X", "column_url": COL, "entries": entries, "previous_entries": previous, "site_columns": 1}
    assert quiet_site_message(q) == message


def test_quiet_digest():
    q = {"site": "X", "column_key": "/a", "column_url": COL, "run_id": "r1", "entries": 0,
         "previous_entries": 64, "site_columns": 1}
    d = compose_quiet_sites([q], now=T0)
    assert (d.kind, d.title, d.n_items) == ("site_quiet", "budgetwatch 站点可能已改版：X", 1)
    assert f"- {quiet_site_message(q)}" in d.body.splitlines()
    assert compose_quiet_sites([]) is None


# ---------------------------------------------------------------- the nightly, end to end

@pytest.mark.slow
@pytest.mark.e2e
def test_nightly_after_a_layout_switch_fails_with_the_quiet_site_error(tmp_path, monkeypatch):
    """The sample portal's seed slice, then the same portal with its listing redrawn as a table."""
    from demo.portal import build_site
    from demo.server import serve
    from flows.nightly import SitesWentQuiet, nightly
    from spiders.portals import Entry, table_listing
    from test_alerts import Webhook

    site = tmp_path / "site"
    shutil.copytree(build_site(profile="seed"), site)
    hook = Webhook()
    monkeypatch.setenv("BUDGETWATCH_ALERT_URLS", hook.url)
    db = tmp_path / "data" / "budget.duckdb"
    message = "站点 sample 本次列表为空（上次 1 条），可能已改版，请运行 budgetwatch crawl --site sample --check"
    try:
        with serve(site) as base:
            start = {"sample": base + "zwgk/czyjs/index.html"}
            first = nightly(sites=["sample"], db=str(db), start_urls=start)
            assert first["quiet_sites"] == [] and message not in first["summary"]
            manifest = json.loads((site / "manifest.json").read_text("utf-8"))["filings"]
            entries = [Entry(title=f["title"], date=f["published_at"], detail=f["detail_path"].rsplit("/", 1)[-1],
                             body=b"") for f in manifest]
            # the same entries, in a table the sample profile's `ul.list > li` does not match
            (site / "zwgk" / "czyjs" / "index.html").write_text(table_listing(entries, 0, 1), encoding="utf-8")
            with pytest.raises(SitesWentQuiet) as failed:
                nightly(sites=["sample"], db=str(db), start_urls=start)
    finally:
        hook.close()
    run = failed.value.run
    assert str(failed.value) == message
    assert f"  错误：{message}" in run["summary"].splitlines()
    quiet = [p for p in hook.received if p["title"] == "budgetwatch 站点可能已改版：sample"]
    assert len(quiet) == 1 and f"- {message}" in quiet[0]["message"].splitlines()
    assert any(p["title"].startswith("budgetwatch 每晚运行失败") and message in p["message"] for p in hook.received)
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = con.execute("SELECT site, column_key, entries FROM crawl_listing_counts ORDER BY started_at").fetchall()
    finally:
        con.close()
    assert counts == [("sample", "/zwgk/czyjs/index.html", 1), ("sample", "/zwgk/czyjs/index.html", 0)]


@pytest.mark.parametrize("listing, entries", [
    ('<ul class="list"><li><a href="./t1.html" title="甲2026年部门预算">甲</a></li>'
     '<li><a href="./t2.html" title="关于放假的通知">乙</a></li></ul>', 2),   # every entry counts, followed or not
    ('<table><tr><td><a href="./t1.html">甲2026年部门预算</a></td></tr></table>', 0),
    (None, 0),                                                               # the column itself is gone (404)
])
def test_crawl_report_counts_listing_entries_per_column(tmp_path, listing, entries):
    from spiders.faultserver import FaultServer, page
    from spiders.run import crawl

    with FaultServer() as srv:
        srv.route("/robots.txt", page("User-agent: *\nDisallow:\n", headers={"Content-Type": "text/plain"}))
        if listing is not None:
            srv.route("/col/index.html", page(f"<html><body>{listing}</body></html>"))
        start = srv.url("/col/index.html")
        res = crawl("sample", tmp_path, start_url=start, timeout_s=60,
                    settings={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "RETRY_ENABLED": False})
    assert res.report["columns"] == {start: entries}
