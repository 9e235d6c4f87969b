"""Real corpus files, each pinned to its sha256 from ../shared/corpus/real/INDEX.tsv."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors import extract_file

from tests.corpus import corpus_file

pytestmark = pytest.mark.corpus


MINISTRY = ("cities/009_武汉/2026年武汉市信访局部门预算.pdf",
            "35b6ffa77c409f11f96881b08a0157e28468f8c70abba274af11bc0e15083d77")


@pytest.fixture(scope="module")
def ministry():
    return extract_file(corpus_file(*MINISTRY), MINISTRY[1])


@pytest.mark.parametrize(
    "rel, sha256",
    [
        ("cities/004_重庆_html_pages/2026年重庆市公安局部门预算.pdf",
         "b789e28c98c73588f2d7bbeabc5360d78db21c6072ff5b82fc8a822354cdca7d"),
        ("cities/004_重庆_html_pages/2026年重庆市教育局部门预算.pdf",
         "173b53c8081ebecd888d09bf39cd215b4b3d9e347cb0b9362ac6dd3d377be2ce"),
    ],
)
def test_html_saved_as_pdf_is_not_pdf(rel, sha256):
    ex = extract_file(corpus_file(rel, sha256))
    assert (ex.outcome, ex.media_type, ex.sha256) == ("not_pdf", "text/html", sha256)
    assert "HTML" in ex.outcome_detail


def test_scanned_pdf_is_scanned():
    rel, sha = ("cities/018_济南/规划和自然资源局_2026年部门预算.pdf",
                "a8084c43b83aad822ea898d861dd8ddc88be16a05b10718afdcbce6916639b8d")
    ex = extract_file(corpus_file(rel, sha))
    assert (ex.outcome, ex.facts) == ("scanned", [])


def test_ministry_template_outcome_and_meta(ministry):
    assert ministry.outcome == "ok"
    assert ministry.pages == 37
    m = ministry.meta
    assert (m.department, m.fiscal_year, m.kind, m.unit_scope, m.template) == (
        "国家信访局", 2026, "预算", "部门", "ministry-budget")
    assert m.department_code == "292"  # printed as [292]国家信访局 in the project forms
    assert m.region_code is None  # a central department, no district alias applies


def test_ministry_tables(ministry):
    assert [(t.table_kind, t.pages) for t in ministry.tables] == [
        ("T1", [5]), ("T2", [6]), ("T3", [7, 8]), ("T4", [9]), ("T5-1", [10, 11]), ("T6", [12, 13]),
        ("T8", [14]), ("T9", [15]), ("T7", [16])]


@pytest.mark.parametrize(
    "kind, row, column, printed, page",
    [
        ("T1", "income:other", "预算数", "31,888.00", 5),
        ("T1", "income_carryover", "预算数", "2,254.12", 5),
        ("T1", "205", "预算数", "118.01", 5),
        ("T2", "total", "本年收入/一般公共预算", "16,474.82", 6),
        ("T3", "total", "合计", "50,616.94", 8),  # the 合计 row closes the table on its second page
        ("T3", "2080505", "合计", "657.51", 8),
        ("T4", "carryover:general_budget", "预算数", "2,254.12", 9),
        ("T5-1", "2014099", "合计", "3,623.98", 10),
        ("T6", "30217", "公用经费", "5.51", 13),
        ("T7", "total", "因公出国（境）费", "68.50", 16),
    ],
)
def test_ministry_facts(ministry, kind, row, column, printed, page):
    hits = [f for f in ministry.facts if (f.table_kind, f.row_code, f.column_label) == (kind, row, column)]
    assert [(f.printed_value, f.page) for f in hits] == [(printed, page)]
    assert hits[0].amount_wan == Decimal(printed.replace(",", ""))


def test_ministry_unmapped_comparison_columns_are_noted(ministry):
    t5 = next(t for t in ministry.tables if t.table_kind == "T5-1")
    assert "未映射列：2025年执行数/执行数" in t5.note


@pytest.mark.parametrize(
    "kind, subject, field, value",
    [
        ("amount", "total", "amount_wan", "50616.94"),
        ("amount", "sangong:total", "amount_wan", "112.61"),
        ("amount", "sangong:abroad", "amount_wan", "68.50"),
        ("amount", "procurement:works", "amount_wan", "417.8"),
        ("amount", "admin_operating", "amount_wan", "2376.26"),
        ("yoy", "admin_operating", "delta_wan", "222.33"),
        ("yoy", "admin_operating", "percent", "10.32"),
        ("share", "basic", "percent", "21.84"),
    ],
)
def test_ministry_claims(ministry, kind, subject, field, value):
    hits = [c for c in ministry.claims if c.kind == kind and c.subject == subject]
    assert hits and str(getattr(hits[0], field)) == value


SHENZHEN = ("cities/003_深圳/2026年深圳市信访局部门预算.pdf",
            "4dc4cd8aabf06e6aa476adbbe270920ee68ced5f7367e0f047e52529cd361133")


def test_shenzhen_repeated_titles_and_unknown_tables():
    """深圳 repeats "表 1 收支总表" on the continuation page and numbers tables the profile
    does not know (表 4 基本支出总表): the first must continue T1, the second must not be
    swallowed by the open 支出总表."""
    ex = extract_file(corpus_file(*SHENZHEN), SHENZHEN[1])
    assert ex.outcome == "ok" and ex.meta.fiscal_year == 2026 and ex.meta.department == "深圳市信访局"
    pages = {t.table_kind: t.pages for t in ex.tables}
    assert (pages["T1"], pages["T3"]) == ([15, 16], [18, 19, 20])
    got = {(f.table_kind, f.row_code, f.column_label): (f.printed_value, f.page) for f in ex.facts}
    assert got[("T1", "expenditure_total", "预算数")] == ("4,684.30", 16)
    assert got[("T1", "201", "预算数")] == ("3,459.13", 15)
    assert got[("T3", "total", "合计")] == ("4,684.30", 18)
    assert got[("T3", "2210203", "基本支出")] == ("553.33", 20)


SHENZHEN_STATS = ("cities/003_深圳/2026年深圳市统计局部门预算.pdf",
                  "12a61b5a9e7ce3861880caedc0a1a54be221bab1c80a16a37394e2539ee45dcb")


@pytest.fixture(scope="module")
def shenzhen_stats():
    return extract_file(corpus_file(*SHENZHEN_STATS), SHENZHEN_STATS[1])


@pytest.mark.parametrize(
    "kind, row, column, printed, page",
    [
        # 收入总表 of a one-unit department: the unit's row is the total; 收入总计 first, the funds
        # grouped under 财政拨款 / 单位资金, 上年结余、结转 last, no 本年收入 小计 column
        ("T2", "total", "合计", "5,417.80", 18),
        ("T2", "total", "本年收入/小计", "5,417.80", 18),
        ("T2", "total", "本年收入/一般公共预算", "5,417.80", 18),
        ("T2", "total", "本年收入/政府性基金预算", "0.00", 18),
        ("T2", "total", "本年收入/财政专户管理资金", "0.00", 18),
        ("T2", "total", "本年收入/事业收入", "0.00", 18),
        ("T2", "total", "上年结转结余/小计", "0.00", 18),
        # "上年结余、结转" is the carry-over row of 收支总表 and 财政拨款收支总表
        ("T1", "income_carryover", "预算数", "0.00", 17),
        ("T4", "income_carryover", "预算数", "0.00", 26),
        ("T4", "carryover:general_budget", "预算数", "0.00", 26),
        # 三公 by fund and year: this year's row, 一般公共预算 column (2025年 prints 59.62 / 43.87)
        ("T7", "total", "合计", "32.56", 32),
        ("T7", "total", "因公出国（境）费", "16.80", 32),
        ("T7", "total", "公务接待费", "11.56", 32),
    ],
)
def test_shenzhen_one_unit_income_table_carryover_and_sangong(shenzhen_stats, kind, row, column, printed, page):
    hits = [f for f in shenzhen_stats.facts if (f.table_kind, f.row_code, f.column_label) == (kind, row, column)]
    assert [(f.printed_value, f.page) for f in hits] == [(printed, page)]
    assert hits[0].amount_wan == Decimal(printed.replace(",", ""))


SUZHOU = ("cities/006_苏州/2026年苏州市交通运输局部门预算.pdf",
          "bfdf55f4c2ff2694b49082debb19ed4317cce38943a51845ab903bdb15105515")


def test_suzhou_profile_and_sangong_with_meeting_and_training():
    """苏州 numbers its tables "公开 01 表" above the title and prints 会议费 / 培训费 in the 三公 table."""
    ex = extract_file(corpus_file(*SUZHOU), SUZHOU[1])
    assert (ex.outcome, ex.meta.template, ex.meta.department, ex.meta.fiscal_year) == (
        "ok", "suzhou-budget", "苏州市交通运输局", 2026)
    assert [(t.table_kind, t.pages) for t in ex.tables] == [
        ("T1", [8]), ("T2", [9]), ("T3", [10, 11]), ("T4", [12, 13]), ("T5-1", [18, 19]), ("T6", [20, 21]),
        ("T7", [22]), ("T8", [23]), ("T9", [24])]
    t7 = {f.column_label: (f.printed_value, f.page) for f in ex.facts if f.table_kind == "T7" and f.row_code == "total"}
    assert t7 == {"合计": ("345.63", 22), "因公出国（境）费": ("0.00", 22), "公务用车购置及运行费/小计": ("299.12", 22),
                  "公务用车购置及运行费/公务用车购置费": ("154.97", 22), "公务用车购置及运行费/公务用车运行费": ("144.15", 22),
                  "公务接待费": ("46.51", 22), "会议费": ("45.12", 22), "培训费": ("305.79", 22)}


SHENZHEN_WATER = ("cities/003_深圳/2026年深圳市水务局部门预算.pdf",
                  "33d95084cb1cf163153d73121485b84e17ba393ebb4c31ca54affba05199c8ea")


@pytest.fixture(scope="module")
def shenzhen_water():
    return extract_file(corpus_file(*SHENZHEN_WATER), SHENZHEN_WATER[1])


@pytest.mark.parametrize(
    "kind, row, column, printed, page",
    [
        # 13 units under a 预算单位 column: the department's own row is the total ...
        ("T2", "total", "合计", "857,808.76", 61),
        ("T2", "total", "本年收入/政府性基金预算", "134,022.00", 61),
        ("T2", "total", "上年结转结余/小计", "298.06", 61),
        ("T3", "total", "合计", "857,808.76", 63),
        ("T3", "total", "项目支出", "811,669.97", 63),
        ("T7", "total", "合计", "469.17", 180),
        ("T7", "total", "因公出国（境）费", "71.20", 180),
        # ... a unit's row is keyed by its name, and its 科目 rows by unit and code
        ("T2", "深圳市水务局(本级)", "合计", "178,214.28", 61),
        ("T3", "深圳市水务局(本级)", "基本支出", "7,823.97", 63),
        ("T3", "深圳市水务局(本级)/205", "合计", "53.60", 63),
        ("T7", "深圳市水务局(本级)", "合计", "146.77", 180),
    ],
)
def test_shenzhen_tables_printed_unit_by_unit(shenzhen_water, kind, row, column, printed, page):
    hits = [f for f in shenzhen_water.facts if (f.table_kind, f.row_code, f.column_label) == (kind, row, column)]
    assert [(f.printed_value, f.page) for f in hits] == [(printed, page)]
    assert hits[0].amount_wan == Decimal(printed.replace(",", ""))


def test_shenzhen_unit_by_unit_has_no_department_level_code_rows(shenzhen_water):
    """The department's own 科目 rows are not printed: no bare code may stand for one unit's row."""
    t3_codes = {f.row_code for f in shenzhen_water.facts if f.table_kind == "T3"}
    assert not {c for c in t3_codes if c.isdigit()}
    assert "深圳市水务工程质量安全监督站/205" in t3_codes


WANLI_2025 = ("putuo/上海市普陀区人民政府万里街道办事处25年预算.pdf",
              "80009d59316549fb20db41e05b4f1eb15491e8be1661d5669bd0e5b1fd88d8cd")


def test_putuo_total_row_alone_on_the_last_page():
    """The 支出预算总表 ends on a page holding only its 合计 row, whose 类|款|项|名称 cells
    pdfplumber reads as one: its three amounts are the table's 合计 / 基本支出 / 项目支出."""
    ex = extract_file(corpus_file(*WANLI_2025), WANLI_2025[1])
    t3 = next(t for t in ex.tables if t.table_kind == "T3")
    assert t3.pages == [14, 15, 16, 17, 18] and "续表列数不同" not in t3.note
    got = {f.column_label: (f.printed_value, f.printed_unit, f.amount_wan, f.page)
           for f in ex.facts if (f.table_kind, f.row_code) == ("T3", "total")}
    assert got == {
        "合计": ("189,767,551", "元", Decimal("18976.7551"), 18),
        "基本支出": ("101,341,746", "元", Decimal("10134.1746"), 18),
        "项目支出": ("88,425,805", "元", Decimal("8842.5805"), 18),
    }


JIANGSU_CPPCC_2017 = ("jiangsu/江苏省政协办公厅/2017年度部门预算公开表.pdf",
                      "42d4fd889f7a012fe7e40cda74d0c5fe6c9ef22db64c2c81da0182b32ee7e9c8")


def test_jiangsu_summary_rows_and_old_class_names():
    """江苏 2017: 当年收入小计 / 当年支出小计 are this year's totals and the closing 收入合计 /
    支出合计 the grand totals; 其他资金 is other income; pre-2019 类 names resolve to their codes."""
    ex = extract_file(corpus_file(*JIANGSU_CPPCC_2017), JIANGSU_CPPCC_2017[1])
    t1 = {f.row_code: (f.row_label, f.printed_value) for f in ex.facts if f.table_kind == "T1"}
    assert {k: t1[k] for k in ("income_current", "expenditure_current", "income_total", "expenditure_total",
                               "income:other", "income:general_budget", "201", "208", "221")} == {
        "income_current": ("当年收入小计", "9,146.79"),
        "expenditure_current": ("当年支出小计", "9,146.79"),
        "income_total": ("收入合计", "9,146.79"),
        "expenditure_total": ("支出合计", "9,146.79"),
        "income:other": ("三、其他资金", "80.00"),
        "income:general_budget": ("1.一般公共预算", "9,066.79"),
        "201": ("一、一般公共服务支出", "6,543.55"),
        "208": ("八、社会保障和就业支出", "1,509.72"),
        "221": ("十八、住房保障支出", "1,093.52"),
    }
    note = next(t.note for t in ex.tables if t.table_kind == "T1")
    assert "文化体育与传媒支出" not in note and "当年收入小计" not in note


SHANGHAI_HRSS = ("cities/001_上海/2026年上海市人力资源和社会保障局_部门预算.pdf",
                 "5a6912a51c4b7a4b1925dde40991f476330232d8db073496c94991ab1d14d430")


def test_shanghai_amounts_missing_their_first_thousands_separator():
    """This export prints 120,258,600 as "120258,600": still one amount, in 元."""
    ex = extract_file(corpus_file(*SHANGHAI_HRSS), SHANGHAI_HRSS[1])
    assert ex.outcome == "ok"
    got = {f.row_code: (f.printed_value, f.amount_wan, f.page)
           for f in ex.facts if f.table_kind == "T1" and f.column_label == "预算数"}
    assert {k: got[k] for k in ("income:general_budget", "income:other", "income_total", "208")} == {
        "income:general_budget": ("120258,600", Decimal("12025.86"), 7),
        "income:other": ("7880,000", Decimal("788"), 7),
        "income_total": ("128138,600", Decimal("12813.86"), 7),
        "208": ("125360,898", Decimal("12536.0898"), 7),
    }
