"""The walking skeleton end to end: the seed filing on the sample portal, served on
loopback, crawled by Scrapy, extracted, loaded and checked by the nightly flow."""
from collections import Counter
from decimal import Decimal
import re
from pathlib import Path

import duckdb
import pytest

from demo.portal import build_site
from demo.seed_filing import load_seed, table_blocks
from demo.server import serve
from flows.nightly import nightly

pytestmark = pytest.mark.e2e

AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e") / "budget.duckdb"
    site = build_site(profile="seed")
    with serve(site) as base:
        start = {"sample": base + "zwgk/czyjs/index.html"}
        first = nightly(sites=["sample"], db=str(db), start_urls=start)
        second = nightly(sites=["sample"], db=str(db), start_urls=start)
    con = duckdb.connect(str(db), read_only=True)
    yield first, second, con
    con.close()


def q(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_one_ok_document_and_one_filing(runs):
    _, _, con = runs
    assert q(con, "SELECT outcome, count(*) FROM documents GROUP BY 1") == [("ok", 1)]
    assert q(con, "SELECT region_code, department_code, fiscal_year, kind, unit_scope, published_at::VARCHAR FROM filings") == [
        ("420104", "118", 2026, "预算", "部门", "2026-01-26")
    ]


def test_seed_filing_totals(runs):
    _, _, con = runs
    cols = [
        "income_total", "expenditure_total", "basic_expenditure", "project_expenditure",
        "personnel_expenditure", "public_expenditure", "sangong_total", "sangong_reception", "gov_fund_expenditure",
    ]
    row = q(con, f"SELECT {', '.join(cols)} FROM filing_totals")
    assert len(row) == 1
    assert dict(zip(cols, row[0])) == {
        "income_total": Decimal("564.25"),
        "expenditure_total": Decimal("564.25"),
        "basic_expenditure": Decimal("454.75"),
        "project_expenditure": Decimal("109.5"),
        "personnel_expenditure": Decimal("431.96"),
        "public_expenditure": Decimal("22.79"),
        "sangong_total": Decimal("0.2"),
        "sangong_reception": Decimal("0.2"),
        "gov_fund_expenditure": Decimal("0"),
    }


def _printed_amounts(table: dict) -> Counter:
    """Every printed amount of a seed table, skipping code columns (编码/代码)."""
    found: Counter = Counter()
    for block in table_blocks(table):
        headers = block["rows"][: block["header_rows"]]
        code_cols = {
            c for c in range(block["ncols"]) if any(("编码" in h[c] or "代码" in h[c]) for h in headers if c < len(h))
        }
        for row in block["rows"][block["header_rows"]:]:
            for c, cell in enumerate(row):
                if c not in code_cols and AMOUNT.match(cell.strip()):
                    found[cell.strip()] += 1
    return found


@pytest.mark.parametrize("table_kind", ["T1", "T2", "T3", "T4", "T5-1", "T5-2", "T6", "T7", "T8", "T9", "T10"])
def test_every_printed_amount_is_a_fact_with_its_page(runs, table_kind):
    _, _, con = runs
    expected = _printed_amounts(load_seed()["tables"][table_kind])
    facts = q(con, "SELECT printed_value, page FROM facts WHERE table_kind = ?", table_kind)
    assert all(page is not None and page > 0 for _, page in facts)
    got = Counter(v for v, _ in facts)
    missing = expected - got
    assert not missing, f"{table_kind}: printed amounts without a fact: {dict(missing)}"


def test_rounding_tails_are_not_failures(runs):
    _, _, con = runs
    fails = q(con, "SELECT rule_id, message FROM findings WHERE outcome = 'fail' AND rule_id LIKE 'A%'")
    assert fails == []
    assert q(con, "SELECT count(*) FROM findings WHERE rule_id IN ('A4', 'A6') AND outcome = 'pass'")[0][0] > 0


def test_c2_fails_exactly_for_the_two_misnamed_codes(runs):
    _, _, con = runs
    rows = q(con, "SELECT message, evidence::VARCHAR FROM findings WHERE rule_id = 'C2' AND outcome = 'fail'")
    assert len(rows) == 2
    text = " ".join(m + " " + e for m, e in rows)
    assert "20103" in text and "财政事务" in text
    assert "2080899" in text and "其他抚恤支出" in text


def test_second_run_parses_nothing_and_changes_nothing(runs):
    first, second, con = runs
    assert first["parsed"] == 1
    assert second["parsed"] == 0
    assert second["filing_ids"] == first["filing_ids"]
    assert q(con, "SELECT count(*) FROM filings")[0][0] == 1


def test_each_run_regenerates_the_report_site_beside_the_warehouse(runs):
    first, second, _ = runs
    assert first["report"] == second["report"]
    index = Path(second["report"])
    assert index.name == "index.html" and index.parent.name == "report"
    assert not index.parent.with_name("report.new").exists() and not index.parent.with_name("report.old").exists()
    html = index.read_text("utf-8")
    assert "硚口区城市运行管理中心" in html and "564.25" in html
