"""XLSX workbooks and HTML pages with the tables inline go through the same aliases and facts as PDFs."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from extractors import extract_file

FIXTURES = Path(__file__).parent / "fixtures" / "extractors"


def _fact(ex, kind, row, column):
    hits = [f for f in ex.facts if (f.table_kind, f.row_code, f.column_label) == (kind, row, column)]
    assert len(hits) == 1, hits
    return hits[0]


def test_html_tables_inline():
    ex = extract_file(FIXTURES / "budget_tables.html")
    assert (ex.outcome, ex.media_type, ex.pages) == ("ok", "text/html", 1)
    assert (ex.meta.department, ex.meta.fiscal_year, ex.meta.kind, ex.meta.region_code) == (
        "硚口区示例中心", 2026, "预算", "420104")
    assert [(t.table_kind, t.unit) for t in ex.tables] == [("T1", "万元"), ("T3", "元")]
    f = _fact(ex, "T1", "income_total", "预算数")
    assert (f.printed_value, f.amount_wan, f.page, f.bbox) == ("1,027.50", Decimal("1027.50"), 1, None)
    f = _fact(ex, "T1", "income:gov_fund", "预算数")
    assert (f.printed_value, f.amount_wan) == ("—", None)  # '—' is printed nothing, not 0
    f = _fact(ex, "T3", "2010350", "项目支出")
    assert (f.printed_value, f.printed_unit, f.amount_wan) == ("(25,000)", "元", Decimal("-2.5"))
    assert _fact(ex, "T3", "total", "基本支出").amount_wan == Decimal("800")


def test_xlsx_one_sheet_per_table(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "表1"
    ws.append(["表 1.收支预算总表"])
    ws.append(["部门/单位：硚口区示例中心", "", "", "单位：万元"])
    ws.append(["收 入", None, "支 出", None])
    ws.merge_cells("A3:B3")
    ws.merge_cells("C3:D3")
    ws.append(["项 目", "预算数", "项 目", "预算数"])
    ws.append(["一、一般公共预算拨款收入", 564.25, "一、一般公共服务支出", 564.25])
    ws.append(["收 入 总 计", 564.25, "支 出 总 计", 564.25])
    for row in ws.iter_rows(min_row=5):
        for c in row:
            if isinstance(c.value, float):
                c.number_format = "#,##0.00"
    ws2 = wb.create_sheet("表3")
    ws2.append(["表 3.支出预算总表"])
    ws2.append(["部门/单位：硚口区示例中心", "", "", "", "单位：万元"])
    ws2.append(["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    ws2.append(["", "合计", 1234.5, 1000, 234.5])
    ws2["C4"].number_format = ws2["E4"].number_format = "0.00"
    path = tmp_path / "budget.xlsx"
    wb.save(path)
    ex = extract_file(path)
    assert ex.outcome == "ok", ex.outcome_detail
    assert ex.media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert [(t.table_kind, t.pages) for t in ex.tables] == [("T1", [1]), ("T3", [2])]
    f = _fact(ex, "T1", "income_total", "预算数")
    assert (f.printed_value, f.amount_wan, f.page, f.bbox) == ("564.25", Decimal("564.25"), 1, None)
    assert _fact(ex, "T3", "total", "合计").printed_value == "1234.50"
    assert _fact(ex, "T3", "total", "基本支出").printed_value == "1000"
    assert ex.meta.department == "硚口区示例中心"


@pytest.mark.parametrize("suffix, outcome", [(".pdf", "not_pdf"), (".html", "not_budget")])
def test_html_without_budget(tmp_path, suffix, outcome):
    page = tmp_path / f"page{suffix}"
    page.write_text("<!DOCTYPE html><html><head><title>页面不存在</title></head>"
                    "<body><h1>404</h1><p>抱歉，您访问的页面不存在！</p>"
                    "<table><tr><td>首页</td><td>政务公开</td></tr></table></body></html>", encoding="utf-8")
    ex = extract_file(page)
    assert (ex.outcome, ex.media_type, ex.facts) == (outcome, "text/html", [])
