"""filing_totals on real corpus files: the five key totals (income, expenditure, 基本支出,
项目支出, 三公) as the warehouse gives them, each file pinned to its sha256."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors import extract_file
from tests.test_extract_corpus import corpus_file
from warehouse.db import connect
from warehouse.load import load_extraction

pytestmark = pytest.mark.corpus

FIELDS = ("income_total", "expenditure_total", "basic_expenditure", "project_expenditure", "sangong_total")


def load(*files: tuple[str, str]):
    """Extract and load the files in the given order; returns (connection, filing_id per file)."""
    con = connect(":memory:")
    fids = []
    for rel, sha in files:
        x = extract_file(corpus_file(rel, sha), sha)
        fids.append(load_extraction(con, x, {"source_url": "file://" + rel}))
    # a narrative loaded first is merged into its tables' filing afterwards: the filing that holds it now
    held = {rel: con.execute("SELECT filing_id FROM filing_doc WHERE sha256 = ?", [sha]).fetchone()[0]
            for rel, sha in files}
    return con, held


def totals(con, fid: str) -> dict:
    row = con.execute(f"SELECT {', '.join(FIELDS)} FROM filing_totals WHERE filing_id = ?", [fid]).fetchone()
    return dict(zip(FIELDS, row))


def D(*values: str) -> dict:
    return dict(zip(FIELDS, (None if v is None else Decimal(v) for v in values)))


# ----------------------------------------------------------------- 江苏: a filing in two PDFs

JS_SWB_2019_TEXT = ("jiangsu/江苏省委办公厅/江苏省委办公厅2019年度部门预算公开文件.pdf",
                    "818fcfd65d478ff357606042021838a6508e185fa045ad1e13d8b0904112e704")
JS_SWB_2019_TABLES = ("jiangsu/江苏省委办公厅/江苏省委办公厅2019年度部门预算公开表格.pdf",
                      "1ac93479a5f55ffe7667ee02e557e7150e3b651f1b31f555b37d4e66cd32a80b")


@pytest.mark.parametrize("order", ["narrative first", "tables first"])
def test_jiangsu_narrative_half_joins_its_codeless_tables_file(order):
    # Neither PDF prints a department code; they pair on 中共江苏省委办公厅 / 320000 / 2019 /
    # 预算 / 部门, and both files count under the tables' filing.
    files = [JS_SWB_2019_TEXT, JS_SWB_2019_TABLES]
    con, held = load(*(files if order == "narrative first" else files[::-1]))
    fid_text, fid_tables = held[JS_SWB_2019_TEXT[0]], held[JS_SWB_2019_TABLES[0]]
    assert fid_text == fid_tables and fid_tables.endswith("-1ac93479")
    assert con.execute("SELECT count(*) FROM filing").fetchone()[0] == 1
    assert dict(con.execute("SELECT role, count(*) FROM filing_doc GROUP BY 1").fetchall()) == {
        "tables": 1, "narrative": 1}
    # 收支预算总表 p1: 收入合计 / 支出合计 27,664.22; 基本支出 11,700.63; 项目支出 13,025.38;
    # "三公"经费 小计 p9: 508.20 (the table's 合计 1,471.70 adds 会议费 and 培训费)
    assert totals(con, fid_tables) == D("27664.22", "27664.22", "11700.63", "13025.38", "508.2")

