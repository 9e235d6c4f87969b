"""The HTML report over many departments, years and corrected versions (no browser needed);
see sample_warehouse.district_db for the known values of that warehouse."""
from __future__ import annotations

import json
import re
import shutil

import duckdb
import pytest
from parsel import Selector

from flows.report import write_report
from flows.report.data import evidence_sides, pivot_tables
from flows.report.svg import hbar
from sample_warehouse import _clone_filing

pytestmark = pytest.mark.e2e



@pytest.fixture(scope="module")
def district(tmp_path_factory, district_db):
    db, info = district_db
    out = tmp_path_factory.mktemp("report_district") / "report"
    write_report(db, out)
    return {"db": db, "out": out, **info}


def page(district, name: str) -> Selector:
    return Selector(text=(district["out"] / name).read_text("utf-8"))


def cells(tr) -> list[str]:
    return [re.sub(r"\s+", " ", " ".join(td.css("::text").getall())).strip() for td in tr.css("td")]


def test_district_sums_one_primary_filing_per_department_and_year(district):
    dom = page(district, "index.html")
    rows = [cells(tr) for tr in dom.css("#district-table tr")[1:]]
    # 2026: the seed's corrected version (564.25, not twice) + the second department (1 128.50)
    assert rows == [
        ["2026", "2", "1,692.75", "1,692.75", "1,364.25", "328.50", "0.60", "0.00"],
        ["2025", "1", "451.40", "451.40", "363.80", "87.60", "0.16", "0.00"],
    ]
    classes = {c[0]: c[2:] for c in (cells(tr) for tr in dom.css("#classes-table tr")[1:])}
    assert classes["201"] == ["1,217.25", "324.60", "+892.65", "+275.0%"]


def test_sangong_year_on_year_by_department(district):
    dom = page(district, "index.html")
    rows = {c[0]: c[1:] for c in (cells(tr) for tr in dom.css("#sangong-table tr")[1:])}
    assert rows["硚口区城市运行管理中心"] == ["0.20", "0.16", "+0.04", "+25.0%"]
    assert rows["硚口区测试局"] == ["0.40", "—", "—", "—"]


def test_department_page_years_versions_and_statuses(district):
    dom = page(district, "dept/420104-118.html")
    yoy = [cells(tr) for tr in dom.css("#yoy-table tr")[1:]]
    assert [r[0] for r in yoy] == ["2026", "2025"]
    assert yoy[0][1] == "564.25 +112.85（+25.0%）" and yoy[1][1] == "451.40"
    filings = [cells(tr) for tr in dom.css("#filings-table tr")[1:]]
    assert [(f[0], "已被更正版本取代" in f[2]) for f in filings] == [("2026", False), ("2026", True), ("2025", False)]
    status = sorted((f.attrib["data-rule"], f.attrib["data-year"], f.attrib["data-status"], "财政事务" in f.get())
                    for f in dom.css(".finding"))
    assert status == [
        ("A1", "2025", "open", True),       # first seen a year ago, still reported
        ("C2", "2026", "new", True),        # the corrected version still misnames 20103
        ("C2", "2026", "resolved", False),  # 2080899 is named right in the corrected version
    ]
    assert "本地副本" not in "".join(dom.css("#filings-table tr")[1].css("td").getall()[-1:])  # no raw file for it


def test_department_page_shows_the_compliance_scores_of_the_warehouse(district):
    dom = page(district, "dept/420104-118.html")
    heads = [th.css("::text").get() for th in dom.css("#score + table tr")[0].css("th")]
    assert heads == ["年度", "类型", "完整性（F2 F3 F5）", "及时性（F1）", "细化程度（F4）", "总分", "未通过", "无法核对"]
    shown = [cells(tr)[:2] + [cells(tr)[5]] for tr in dom.css("#score + table tr")[1:]]
    con = duckdb.connect(str(district["db"]), read_only=True)
    try:
        expected = [[str(y), k, "" if s is None else str(s)] for y, k, s in con.execute(
            """SELECT fiscal_year, kind, score FROM compliance_scores WHERE department_code = '118'
               ORDER BY fiscal_year DESC, kind DESC""").fetchall()]
    finally:
        con.close()
    assert shown == expected and [r[0] for r in shown] == ["2026", "2025"]


def test_every_department_gets_a_page_and_stale_pages_go(district):
    stale = district["out"] / "dept" / "420104-999.html"
    stale.write_text("old")
    write_report(district["db"], district["out"])
    assert sorted(p.name for p in (district["out"] / "dept").glob("*.html")) == ["420104-118.html", "420104-119.html"]
    links = page(district, "index.html").css("#departments-table a::attr(href)").getall()
    assert "dept/420104-119.html" in links


def test_filings_without_a_department_code_are_grouped_by_name_and_marked(district, tmp_path):
    """An extraction that misses the code must not add a department row per filing: a filing
    printing a known department's name joins it; an unknown name stands alone, marked 未识别."""
    db = tmp_path / "budget.duckdb"
    shutil.copy(district["db"], db)
    con = duckdb.connect(str(db))
    try:
        _clone_filing(con, "f118-2025", "f118-2024", "d" * 64, year=2024, url="http://portal.example/2024/118.pdf",
                      published="2024-01-22")
        for fid, sha, name in (("fx-2025-a", "e" * 64, "硚口区某某中心"), ("fx-2025-b", "f" * 64, "硚口区某某中心")):
            _clone_filing(con, "f118-2025", fid, sha, name=name, url=f"http://portal.example/2025/{fid}.pdf",
                          published="2025-01-23")
        # the narrative half of a two-file filing loaded on its own: no tables, so no totals
        _clone_filing(con, "f118-2026-v2", "f118-2026-z", "9" * 64, url="http://portal.example/2026/118-notes.pdf",
                      published="2026-02-10")
        con.execute("DELETE FROM fact WHERE filing_id = 'f118-2026-z'")
        con.execute("UPDATE filing SET department_code = NULL "
                    "WHERE filing_id IN ('f118-2024', 'fx-2025-a', 'fx-2025-b', 'f118-2026-z')")
    finally:
        con.close()
    out = tmp_path / "report"
    write_report(db, out)
    dom = Selector(text=(out / "index.html").read_text("utf-8"))
    rows = {c[0]: c[1] for c in (cells(tr) for tr in dom.css("#departments-table tr")[1:])}
    assert rows == {"硚口区城市运行管理中心": "118", "硚口区测试局": "119", "硚口区某某中心": "未识别"}
    assert "1 组" in " ".join(dom.css("#code-missing-note ::text").getall())
    # 2026 still sums the filing that prints its totals, not the narrative-only one
    assert cells(dom.css("#district-table tr")[1])[:3] == ["2026", "2", "1,692.75"]
    pages = sorted(p.name for p in (out / "dept").glob("*.html"))
    assert len(pages) == 3 and pages[:2] == ["420104-118.html", "420104-119.html"]
    dept = Selector(text=(out / "dept" / "420104-118.html").read_text("utf-8"))
    assert [cells(tr)[0] for tr in dept.css("#filings-table tr")[1:]] == ["2026", "2026", "2026", "2025", "2024"]
    unknown = Selector(text=(out / "dept" / pages[2]).read_text("utf-8"))
    assert dept.css("#dept-code-missing") == [] and unknown.css("#dept-code-missing")
    assert len(unknown.css("#filings-table tr")[1:]) == 2


def test_findings_page_lists_open_findings_with_filters(district):
    dom = page(district, "findings.html")
    items = dom.css("#findings .finding")
    assert sorted(i.attrib["data-status"] for i in items) == ["new", "open", "resolved"]
    depts = dom.css("select[name=dept] option::attr(value)").getall()
    assert depts == ["", "420104-118", "420104-119"]


@pytest.mark.parametrize(
    "evidence, sides",
    [
        ({"identity": "x", "lhs": "合计", "expected": {"table": "T3", "page": 7, "row": "total", "printed": "564.25"},
          "actual": [{"table": "T3", "page": 7, "row": "201"}, {"table": "T3", "page": 8, "row": "208"}]},
         [("合计", [7]), ("另一方", [7, 8])]),
        ({"expected": {"this_year": 1, "this_year_cell": {"table": "T1", "page": 5}},
          "actual": {"source": "narrative", "page": 26, "text": "比上年增加"}},
         [("一方", [5]), ("另一方", [26])]),
        ({"expected": {"table": "T7", "page": None}, "actual": []}, [("一方", [None]), ("另一方", [])]),
        ("not json", []),
        (None, []),
    ],
)
def test_evidence_sides(evidence, sides):
    raw = json.dumps(evidence, ensure_ascii=False) if isinstance(evidence, dict) else evidence
    _, got = evidence_sides(raw)
    assert [(s["name"], [c["page"] for c in s["cells"]]) for s in got] == sides


def test_pivot_keeps_printed_order():
    facts = [
        {"table_kind": "T3", "row_code": "201", "row_label": "一般公共服务支出", "column_label": "项目支出",
         "amount_wan": 1, "printed_value": "1", "printed_unit": "万元", "page": 7, "x0": 300.0, "top": 20.0},
        {"table_kind": "T3", "row_code": "total", "row_label": "合计", "column_label": "合计",
         "amount_wan": 3, "printed_value": "3", "printed_unit": "万元", "page": 7, "x0": 100.0, "top": 10.0},
        {"table_kind": "T3", "row_code": "201", "row_label": "一般公共服务支出", "column_label": "合计",
         "amount_wan": 3, "printed_value": "3", "printed_unit": "万元", "page": 7, "x0": 100.0, "top": 20.0},
        {"table_kind": "T1", "row_code": "income_total", "row_label": "收入总计", "column_label": "预算数",
         "amount_wan": 3, "printed_value": "3", "printed_unit": "万元", "page": 5, "x0": 200.0, "top": 10.0},
    ]
    t1, t3 = pivot_tables(facts)
    assert (t1["kind"], t3["kind"]) == ("T1", "T3")
    assert t3["columns"] == ["合计", "项目支出"]
    assert [(r["code"], [c and c["printed_value"] for c in r["cells"]]) for r in t3["rows"]] == [
        ("", ["3", None]), ("201", ["3", "1"])]


def test_svg_labels_are_escaped():
    svg = hbar([{"label": "<script>alert(1)</script>局", "values": [1]}], ["2026 年"], title="t")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_report_while_the_nightly_flow_holds_a_connection(district, tmp_path):
    writer = duckdb.connect(str(district["db"]))  # as the nightly flow's own connection
    try:
        index = write_report(district["db"], tmp_path / "r")
    finally:
        writer.close()
    assert "1,692.75" in index.read_text("utf-8")


def test_district_totals_of_the_report_are_the_primary_filings_summed_in_sql(district):
    """The report reads what it sums from the warehouse: its district table equals the totals of
    `primary_filings` added up directly, year by year."""
    con = duckdb.connect(str(district["db"]), read_only=True)
    try:
        sql = con.execute("""SELECT p.fiscal_year, count(DISTINCT p.dept_key), sum(t.income_total),
                                    sum(t.expenditure_total), sum(t.basic_expenditure), sum(t.project_expenditure)
                             FROM primary_filings p JOIN filing_totals t USING (filing_id)
                             WHERE p.kind = '预算' GROUP BY 1 ORDER BY 1 DESC""").fetchall()
    finally:
        con.close()
    shown = [cells(tr)[:6] for tr in page(district, "index.html").css("#district-table tr")[1:]]
    assert shown == [[str(y), str(n)] + [f"{v:,.2f}" for v in amounts] for y, n, *amounts in sql]
    assert [r[0] for r in sql] == [2026, 2025]


def test_a_warehouse_without_the_aggregate_views_is_refused_in_chinese(district, tmp_path):
    db = tmp_path / "old.duckdb"
    shutil.copy(district["db"], db)
    con = duckdb.connect(str(db))
    con.execute("DROP VIEW sangong_by_department")
    con.execute("DROP VIEW year_on_year")
    con.close()
    with pytest.raises(RuntimeError, match="缺少视图 year_on_year.*budgetwatch check"):
        write_report(db, tmp_path / "r")


def test_sources_page_lists_coverage_by_filing_id(district):
    # A nightly that changed nothing must print the same page: the view has no order of its own.
    rows = page(district, "sources.html").xpath('//h2[@id="coverage"]/following-sibling::table[1]//tr[td]')
    ids = [cells(tr)[0] for tr in rows]
    assert len(ids) == len(set(ids)) > 1
    assert ids == sorted(ids)
