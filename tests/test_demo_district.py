"""The sample district generator: its size, determinism, consistency by construction,
ground truth and failure-case files (no crawl; see test_district_* for the full run)."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pypdfium2
import pytest

from demo.district import catalogue as cat
from demo.district import formats
from demo.district.compose import Composer, Layout, summary
from demo.district.district import APPROVALS, REPUBLISHED, VARIANTS, district
from demo.district.final import FINAL_APPROVALS, FinalComposer, final_of
from demo.district.model import YEARS, dept_year


@pytest.fixture(scope="module")
def d0():
    return district()


@pytest.fixture(scope="module")
def d1():
    return district(epoch=1)


def dec(s: str) -> Decimal:
    return Decimal(s.replace(",", "") or "0")


def compose(code: str, year: int, seed: int = 2026, layout: Layout = Layout()) -> dict:
    dept = next(d for d in cat.departments() if d.code == code)
    hist = {y: summary(dept_year(dept, max(y, 2024), seed)) for y in (year - 2, year - 1)}
    return Composer(dept_year(dept, year, seed), hist, layout).filing()


def test_size_of_the_district(d0):
    depts = cat.departments()
    assert len(depts) >= 60 and len({d.code for d in depts}) == len(depts)
    assert sum(len(d.units) > 1 for d in depts) >= 5
    budgets = Counter((f.department_code, f.fiscal_year) for f in d0.filings
                      if f.unit_scope == "部门" and f.kind == "预算")
    assert {y for _, y in budgets} == set(YEARS)
    assert len(budgets) == len(depts) * len(YEARS)  # every department, every year
    finals = {f.department_code for f in d0.filings if f.kind == "决算"}
    assert len(finals) >= len(depts) / 3
    assert Counter(f.fiscal_year for f in d0.filings if f.kind == "决算") == {2024: len(finals), 2025: len(finals)}
    units = [f for f in d0.filings if f.unit_scope == "单位"]
    assert len(units) == sum(len(d.units) for d in depts if len(d.units) > 1) * len(YEARS) - 1  # F5: one missing
    assert {f.variant for f in d0.filings} >= set(VARIANTS.values())


def test_seed_department_keeps_the_seed_filing(d0):
    (seed,) = [f for f in d0.filings if (f.department_code, f.fiscal_year) == ("118", 2026)]
    assert seed.doc_id == 1000001 and seed.published_at == "2026-01-26"


@pytest.mark.slow
def test_generation_is_deterministic_and_seeded():
    a, b = district(), district()
    assert [f.cache_key() for f in a.filings] == [f.cache_key() for f in b.filings]
    assert a.ground_truth == b.ground_truth
    other = district(seed=7)
    same = sum(x.cache_key() == y.cache_key() for x, y in zip(a.filings, other.filings))
    assert same <= 1  # only the seed filing itself is the same


@pytest.mark.parametrize("code,year", [("111", 2026), ("113", 2025), ("140", 2024), ("123", 2026), ("145", 2026)])
def test_tables_add_up_by_construction(code, year):
    f = compose(code, year)
    t = f["tables"]
    t1 = t["T1"]["blocks"][0]["rows"]
    assert dec(t1[30][1]) == dec(t1[30][3]) == dec(t1[28][3]) + dec(t1[29][3])
    assert dec(t1[28][1]) == sum(dec(r[1]) for r in t1[2:11])
    # T3: 合计 = Σ类 within the rounding envelope, each row 合计 = 基本 + 项目
    t3 = t["T3"]["blocks"][0]["rows"]
    classes = [r for r in t3[2:] if len(r[0]) == 3]
    assert abs(dec(t3[1][2]) - sum(dec(r[2]) for r in classes)) <= Decimal("0.005") * (len(classes) + 1)
    for r in t3[1:]:
        assert abs(dec(r[2]) - dec(r[3]) - dec(r[4])) <= Decimal("0.015")
    # T5 basic / personnel / public = T6 totals; T7 total = items; T1 classes = T3 classes
    t5 = t["T5-1"]["blocks"][0]["rows"][2]
    t6 = t["T6"]["blocks"][0]["rows"][2]
    assert (t5[3], t5[4], t5[5]) == (t6[2], t6[3], t6[4])
    t7 = t["T7"]["blocks"][0]["rows"][2]
    assert abs(dec(t7[0]) - dec(t7[1]) - dec(t7[2]) - dec(t7[5])) <= Decimal("0.02")
    for r in classes:
        side = next(x for x in t1[2:28] if x[2].endswith(cat.CLASSES[r[0]]))
        assert side[3] == r[2]


def test_rounding_tails_appear_somewhere():
    tails = 0
    for code in ("101", "104", "111", "115", "119", "127"):
        rows = compose(code, 2026)["tables"]["T5-1"]["blocks"][0]["rows"][2:]
        for r in rows:
            if r[3] and (r[4] or r[5]) and dec(r[3]) != dec(r[4]) + dec(r[5]):
                tails += 1
    assert tails > 0


def test_year_on_year_sentences_quote_last_years_filing():
    this, last = compose("104", 2026), compose("104", 2025)
    total_now = dec(this["tables"]["T1"]["blocks"][0]["rows"][30][1])
    total_then = dec(last["tables"]["T1"]["blocks"][0]["rows"][30][1])
    text = "".join(p["text"] for p in this["part3"])
    m = re.search(r"收支总预算 ([\d.]+) 万元。比 2025 年预算(增加|减少) ([\d.]+) 万元，(?:增长|降低) ([\d.]+)%", text)
    assert m and dec(m.group(1)) == total_now
    delta = dec(m.group(3)) * (1 if m.group(2) == "增加" else -1)
    assert total_now - delta == total_then
    assert abs(Decimal(m.group(4)) - abs(delta) / total_then * 100) < Decimal("0.01")


def test_project_codes_follow_the_pattern(d0):
    for code in ("104", "111", "119"):
        for year in YEARS:
            rows = compose(code, year)["tables"]["T10"]["blocks"][0]["rows"]
            codes = [r[0] for r in rows if "T" in r[0]]
            assert codes and all(re.fullmatch(rf"420104{year % 100}{code}T\d{{9}}", c) for c in codes)


def test_ground_truth_has_three_faults_per_family_each_in_its_own_filing(d0):
    required = [g for g in d0.ground_truth if not g.get("arguable")]
    fam = Counter(g["rule_id"][0] for g in required)
    assert all(fam[f] >= 3 for f in "ABCDEF"), fam
    published = {(f.department_code, f.fiscal_year, f.kind, f.unit_scope) for f in d0.filings}
    for g in d0.ground_truth:
        assert (g["department_code"], g["fiscal_year"], g["kind"], g["unit_scope"]) in published
        assert g["note"]
    # a fault's consequences (on its own filing or another) are marked and name their fault
    injected = [g for g in required if not g.get("consequence")]
    per_filing = Counter((g["department_code"], g["fiscal_year"], g["kind"], g["unit_scope"]) for g in injected
                         if g["department_code"] != "118")
    assert max(per_filing.values()) == 1  # one injected fault per filing (the seed has its own)
    for g in required:
        if g.get("consequence"):
            assert re.match(r"consequence of the [A-F]\d+ fault", g["note"]), g


def test_late_publications_are_past_the_window_and_the_others_within(d0):
    late = {(g["department_code"], g["fiscal_year"]) for g in d0.ground_truth if g["rule_id"] == "F1"}
    assert len(late) == 3
    for f in d0.filings:
        approved = APPROVALS[f.fiscal_year] if f.kind == "预算" else FINAL_APPROVALS[f.fiscal_year]
        days = (f.path_date.fromisoformat(f.published_at) - approved).days
        if (f.department_code, f.fiscal_year) in late:
            assert days > 40
        else:
            assert 0 < days <= 20 or f.variant == "duplicate"


def test_epoch_one_republishes_one_filing_under_the_same_urls(d0, d1):
    pairs = list(zip(d0.filings, d1.filings))
    changed = [(a, b) for a, b in pairs if a.cache_key() != b.cache_key()]
    assert len(changed) == 1
    a, b = changed[0]
    assert (a.department_code, a.fiscal_year) == REPUBLISHED
    assert a.detail_path == b.detail_path
    assert [x.file_name for x in a.attachments] == [x.file_name for x in b.attachments]
    assert [x.source_key for x in a.attachments] != [x.source_key for x in b.attachments]
    assert b.published_at > a.published_at
    assert any(g["department_code"] == REPUBLISHED[0] for g in d0.ground_truth)
    assert not any(g["department_code"] == REPUBLISHED[0] for g in d1.ground_truth)


@pytest.fixture(scope="module")
def small():
    f = compose("137", 2024)
    f["tables"]["T12"]["forms"] = f["tables"]["T12"]["forms"][:1]
    return f


def test_scanned_pdf_has_pages_but_no_text(small, tmp_path):
    p = tmp_path / "s.pdf"
    formats.write_scanned(small, p, pages=2)
    pdf = pypdfium2.PdfDocument(str(p))
    try:
        assert len(pdf) == 2
        assert all(pdf[i].get_textpage().get_text_range().strip() == "" for i in range(2))
    finally:
        pdf.close()


def test_encrypted_pdf_needs_its_password(small, tmp_path):
    p = tmp_path / "e.pdf"
    formats.write_encrypted(small, p)
    with pytest.raises(pypdfium2.PdfiumError):
        pypdfium2.PdfDocument(str(p))
    pypdfium2.PdfDocument(str(p), password="qiaokou2025").close()


def test_truncated_pdf_and_error_page(small, tmp_path):
    p = tmp_path / "t.pdf"
    formats.write_truncated(small, p)
    data = p.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" not in data[-2048:]
    e = tmp_path / "x.pdf"
    formats.write_error_page(small, e)
    assert e.read_bytes().lstrip().lower().startswith(b"<!doctype html")


def test_xlsx_is_reproducible_and_holds_the_amounts(small, tmp_path):
    from openpyxl import load_workbook

    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    formats.write_xlsx(small, a)
    formats.write_xlsx(small, b)
    assert a.read_bytes() == b.read_bytes()
    wb = load_workbook(a)
    assert wb.sheetnames[0] == "表1"
    values = [c.value for row in wb["表1"].iter_rows() for c in row]
    total = small["tables"]["T1"]["blocks"][0]["rows"][30][1]
    assert float(total) in values and "单位：万元" in values


def test_html_tables_keep_spans_and_amounts(small):
    from parsel import Selector

    sel = Selector(text=formats.tables_html(small))
    tables = sel.css("table.budget")
    assert len(tables) == len([t for t in small["table_order"] if t not in ("T11", "T12")])
    assert tables[0].css("th[colspan='2']::text").get() == "收 入"
    assert small["tables"]["T1"]["blocks"][0]["rows"][30][1] in tables[0].css("td::text").getall()


@pytest.mark.parametrize("layout", [Layout(yuan=True), Layout(three_col=True), Layout(template="jiangan")])
def test_layout_variants(layout):
    f = compose("141", 2026, layout=layout)
    t3 = f["tables"]["T3"]["blocks"][0]
    if layout.yuan:
        assert f["tables"]["T3"]["unit_line"] == "单位：元" and "," in t3["rows"][1][2]
    if layout.three_col:
        assert t3["rows"][1][:3] == ["类", "款", "项"] and len(t3["rows"][-1][0]) == 3
    if layout.template == "jiangan":
        captions = [f["tables"][t]["caption"] for t in f["table_order"]]
        assert len(captions) == 15 and captions[11] == "表 12.政府采购支出情况表"


def test_final_accounts_balance_and_quote_the_budget():
    dept = next(d for d in cat.departments() if d.code == "111")
    fin = final_of(dept_year(dept, 2025, 2026), 2026)
    f = FinalComposer(fin, {"grand_total": fin.grand_total(), "expenditure": 0}).filing()
    t1 = f["tables"]["F1"]["blocks"][0]["rows"]
    assert t1[-1][2] == t1[-1][5]  # 收入总计 = 支出总计
    assert dec(t1[-4][2]) == sum(dec(r[2]) for r in t1[3:11])
    text = "".join(p["text"] for p in f["part3"])
    budget = Composer(dept_year(dept, 2025, 2026), {y: summary(dept_year(dept, 2024, 2026)) for y in (2023, 2024)},
                      Layout()).filing()
    t5 = budget["tables"]["T5-1"]["blocks"][0]["rows"][2][2]
    assert f"年初预算为 {t5} 万元" in text
    assert [f["tables"][t]["caption"] for t in f["table_order"]] == [f"公开{i:02d}表" for i in range(1, 10)]


def test_project_codes_are_unique_within_a_department_year():
    # a second unit's serials once started at 200, the 政府性基金 project's serial: two
    # projects under one code (T10 rows merged by code, E5 "code reused for another name")
    for dept in cat.departments():
        for year in YEARS:
            codes = [p.code for p in dept_year(dept, year, 2026).projects()]
            assert len(codes) == len(set(codes)), (dept.code, year, Counter(codes).most_common(1))


@pytest.mark.parametrize("code, year", [("140", 2024), ("113", 2026), ("117", 2025), ("122", 2025)])
def test_every_project_form_adds_up(code, year):
    """项目申报表: 当年预算 = 资金来源合计 = the source lines (其中 lines split one), also for a
    国有资本经营 project, whose source the seed's form has no line for."""
    forms = compose(code, year)["tables"]["T12"]["forms"]
    assert forms
    for form in forms:
        a, b = form["blocks"]
        fund = b["rows"]
        sources = [int(r[5]) for r in fund[2:8] if not r[1].startswith("其中")]
        assert int(a["rows"][9][3]) == int(fund[1][5]) == sum(sources), (form["label"], fund[:8])


@pytest.mark.parametrize("code", ["111", "117", "123"])
def test_final_income_table_equals_the_summary_table(code):
    """收入决算表 合计 = 收支决算总表 本年收入合计, also with a carried-over project spent below its
    opening balance (the unspent part stays in the year-end balance)."""
    dept = next(d for d in cat.departments() if d.code == code)
    for year in FINAL_APPROVALS:
        f = FinalComposer(final_of(dept_year(dept, year, 2026), 2026), {"grand_total": 1, "expenditure": 1}).filing()
        t1 = f["tables"]["F1"]["blocks"][0]["rows"]
        current = next(r[2] for r in t1 if r[0] == "本年收入合计")
        assert f["tables"]["F2"]["blocks"][0]["rows"][3][2] == current, (code, year)
