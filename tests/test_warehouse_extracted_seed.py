"""The warehouse on the real extractor's reading of the seed PDF (rendered by demo/):
the same findings as on the hand-built fixture, so the two agree on the contract."""
from __future__ import annotations

from decimal import Decimal

import pytest

from fixtures.warehouse.seed_extraction import SEED_SOURCE
from warehouse.checks import run_checks
from warehouse.db import connect
from warehouse.load import load_extraction


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    render = pytest.importorskip("demo.render_pdf")
    extractors = pytest.importorskip("extractors")
    try:
        pdf = render.build_seed_pdf(tmp_path_factory.mktemp("seed") / "seed.pdf")
    except FileNotFoundError as e:  # ../shared/seed not mounted
        pytest.skip(str(e))
    x = extractors.extract_file(pdf)
    c = connect(":memory:")
    load_extraction(c, x, SEED_SOURCE)
    run_checks(c)
    yield c
    c.close()


def test_only_the_genuine_findings_fail(con):
    # domain.md "The seed": two narrative names, 前两年 labelled 2025 / 2026, the look-alike names
    assert con.execute("SELECT rule_id, subject FROM findings WHERE outcome = 'fail' ORDER BY ALL").fetchall() == [
        ("C2", "func:20103|财政事务"), ("C2", "func:2080899|其他抚恤支出"), ("D3", "years:T12"), ("D4", "name")]


def test_history_rules_wait_for_history(con):
    # one filing alone: every cross-filing comparison is insufficient_data, never pass
    rows = con.execute("SELECT DISTINCT rule_id FROM findings WHERE outcome = 'insufficient_data' ORDER BY 1").fetchall()
    assert [r[0] for r in rows] == ["B10", "E1", "E2", "E6"]


def test_seed_narrative_has_every_required_part(con):
    """F3: the seed prints all ten parts, the 三公 one with the car split (0 and 0)."""
    rows = con.execute("SELECT subject, outcome FROM findings WHERE rule_id = 'F3' ORDER BY 1").fetchall()
    assert [r[1] for r in rows] == ["pass"] * 10
    assert {r[0] for r in rows} == {f"section:{s}" for s in (
        "functions", "units", "staff", "changes", "sangong", "admin_operating", "procurement", "assets",
        "performance", "glossary")}


@pytest.mark.parametrize("rule_id, subject", [
    ("A4", "T3:total:合计"), ("A6", "T5-1:2010350:基本=人员+公用"), ("B7", "sangong:reception"),
    ("C3", "sangong:reception"), ("C3", "admin_operating"), ("D1", "yoy:total"), ("D1", "yoy:admin_operating"),
    ("D2", "share:basic"), ("D2", "share:project"),
])
def test_seed_identities_pass(con, rule_id, subject):
    assert con.execute("SELECT outcome FROM findings WHERE rule_id = ? AND subject = ?",
                       [rule_id, subject]).fetchall() == [("pass",)]


def test_filing_totals(con):
    row = con.execute("SELECT income_total, expenditure_total, basic_expenditure, project_expenditure, "
                      "personnel_expenditure, public_expenditure, sangong_total, sangong_reception, "
                      "gov_fund_expenditure FROM filing_totals").fetchone()
    assert row == tuple(Decimal(v) for v in ("564.25", "564.25", "454.75", "109.5", "431.96", "22.79", "0.2", "0.2", "0"))
