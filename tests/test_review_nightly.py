"""Reviews across nightly runs and a corrected re-publication (issue 16), on the district's
re-published filing alone (tests/test_district_republication.py): a status set before a
nightly run is still there after it; one set before the correction survives it unless the
correction fixed the finding, which then becomes 已更正 by itself; a finding marked 误报 is
not alerted again."""
from __future__ import annotations

import socket
from datetime import datetime

import duckdb
import pytest

from demo.district.district import REPUBLISHED, district
from demo.portal import build_site
from demo.server import serve
from flows.alerts import new_findings
from flows.cli import main
from flows.nightly import nightly

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rows(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def review_of(db, subject) -> tuple:
    return rows(db, """SELECT review_status, review_note, reviewed_by FROM finding_review
                       WHERE is_current AND subject = ?""", [subject])[0]


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """Night 1 (first publication), reviews, night 2 (nothing changed), night 3 (the corrected
    re-publication). Returns what each step saw."""
    tmp = tmp_path_factory.mktemp("review_nightly")
    sites = []
    for epoch in (0, 1):
        keep = [f for f in district(epoch=epoch).filings
                if (f.department_code, f.fiscal_year) == REPUBLISHED and f.unit_scope == "部门"]
        sites.append(build_site(tmp / "build", filings=keep))
    db = tmp / "data" / "budget.duckdb"
    port = _free_port()

    def night(site):
        with serve(site, port=port) as base:
            return nightly(sites=["sample"], db=str(db), start_urls={"sample": base + "zwgk/czyjs/index.html"})

    seen: dict = {"night1": night(sites[0])}
    started = datetime(2000, 1, 1)
    a4 = sorted(r[0] for r in rows(db, "SELECT subject FROM findings WHERE rule_id = 'A4' AND outcome = 'fail'"))
    seen["a4_groups"] = rows(db, "SELECT count(DISTINCT group_id) FROM findings WHERE rule_id = 'A4' AND outcome = 'fail'")
    (other,) = rows(db, """SELECT subject FROM findings WHERE outcome = 'insufficient_data'
                           ORDER BY rule_id, subject LIMIT 1""")[0]
    keys = {s: rows(db, "SELECT review_key FROM finding_review WHERE is_current AND subject = ?", [s])[0][0]
            for s in [*a4, other]}
    assert main(["--db", str(db), "review", keys[a4[0]], "--status", "已核实", "--note", "部门确认将更正",
                 "--by", "张三"]) == 0
    assert main(["--db", str(db), "review", keys[a4[1]], "--status", "误报", "--note", "读表有误", "--by", "张三"]) == 0
    assert main(["--db", str(db), "review", keys[other], "--status", "已说明", "--note", "该表以图片印出",
                 "--by", "李四"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    seen["alertable"] = {f["subject"] for f in new_findings(con, started)}  # as if every fail were new
    con.close()
    seen["night2"] = night(sites[0])
    seen["after_night2"] = {s: review_of(db, s) for s in keys}
    seen["night3"] = night(sites[1])
    seen["after_night3"] = {s: review_of(db, s) for s in keys}
    return db, a4, other, keys, seen


def test_the_first_publication_fails_a4_in_one_group(story):
    db, a4, _, _, seen = story
    assert len(a4) == 2
    assert seen["a4_groups"] == [(1,)]
    digest = seen["night1"]["digest"]["body"]
    assert sum(1 for line in digest.splitlines() if line.startswith("- 【")) == 1
    assert "另有 1 项核对因同一差异未通过" in digest


def test_a_finding_marked_false_positive_is_never_alerted_again(story):
    _, a4, _, _, seen = story
    assert a4[1] not in seen["alertable"]  # 误报
    assert a4[0] in seen["alertable"]      # 已核实: still alerted if it were new
    assert seen["night2"]["digest"] is None or a4[1] not in str(seen["night2"]["new_findings"])


def test_statuses_survive_a_nightly_run(story):
    _, a4, other, _, seen = story
    assert seen["after_night2"] == {a4[0]: ("已核实", "部门确认将更正", "张三"), a4[1]: ("误报", "读表有误", "张三"),
                                    other: ("已说明", "该表以图片印出", "李四")}


def test_the_correction_marks_what_it_fixed_and_keeps_the_rest(story):
    db, a4, other, keys, seen = story
    after = seen["after_night3"]
    assert rows(db, "SELECT count(*) FROM filing_versions WHERE NOT is_current") == [(1,)]
    for s in a4:
        status, note, by = after[s]
        assert (status, by) == ("已更正", "budgetwatch") and "更正后重新发布的版本不再出现此问题" in note
    assert after[other] == ("已说明", "该表以图片印出", "李四")
    history = rows(db, "SELECT status, source FROM finding_reviews WHERE review_key = ? ORDER BY reviewed_at",
                   [keys[a4[0]]])
    assert history == [("已核实", "cli"), ("已更正", "auto")]
