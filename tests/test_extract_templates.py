"""One regression test per real-document template quirk, each file pinned to its sha256.

Read in place from ../shared/corpus/real/; skipped when ../shared is absent.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.corpus import corpus_extraction

pytestmark = pytest.mark.corpus

FILES = {
    "shanghai": ("cities/001_上海/2026年上海市信访局_部门预算.pdf",
                 "a4e315d795f5baa90e3471eabbee9ad241f4799bb33ba66a0e18826e105ffa2c"),
    "ministry_final": ("cities/009_武汉/信访局_国家信访局2024年度部门决算公开.pdf",
                       "b50c5c76deb5913253271042061f488d53e8cb9a47e3ea1bc521a9d1c01fc3e0"),
    "putuo_final": ("putuo/上海市普陀区财政局2024年度部门决算.pdf",
                    "d45e923176f9fe4b6533829d3a2fe67f8cbcd55d07099dabf73aca62701f8eb5"),
    "fuzhou": ("cities/017_福州/2026年福州市公安局部门预算.pdf",
               "2ba46bba3ef797661ffba916d0c527a96d7e7c42038deb19ed259d3edcf4d365"),
    "huzhou": ("cities/079_湖州/2026年湖州市财政局部门预算.pdf",
               "638d83aa857f823210b8bb37263f2b80e92c27a366714898f7c5133943765353"),
}


def extraction(name: str):
    return corpus_extraction(*FILES[name])


def one(ex, kind, row, column):
    hits = [f for f in ex.facts if (f.table_kind, f.row_code, f.column_label) == (kind, row, column)]
    assert len(hits) == 1, hits
    return hits[0]


@pytest.mark.parametrize(
    "name, template, department, year, kind, scope, region",
    [
        ("shanghai", "shanghai-budget", "上海市信访办公室", 2026, "预算", "单位", "310000"),
        ("ministry_final", "final", "国家信访局", 2024, "决算", "部门", None),
        ("putuo_final", "final", "上海市普陀区财政局", 2024, "决算", "部门", "310107"),
        ("fuzhou", "fuzhou-budget", "福州市公安局治安管理支队", 2026, "预算", "单位", "350100"),
        ("huzhou", "huzhou-budget", "湖州市财政局", 2026, "预算", "部门", "330500"),
    ],
)
def test_template_outcome_and_meta(name, template, department, year, kind, scope, region):
    ex = extraction(name)
    m = ex.meta
    assert ex.outcome == "ok", ex.outcome_detail
    assert (m.template, m.department, m.fiscal_year, m.kind, m.unit_scope, m.region_code) == (
        template, department, year, kind, scope, region)


def test_shanghai_tables_in_yuan_and_three_code_columns():
    """上海: every table but 三公 in 元; 类 | 款 | 项 in three columns; header repeated on continuations."""
    ex = extraction("shanghai")
    assert [(t.table_kind, t.pages, t.unit) for t in ex.tables] == [
        ("T1", [7], "元"), ("T2", [8, 9], "元"), ("T3", [10, 11], "元"), ("T4", [12], "元"),
        ("T5-1", [13, 14], "元"), ("T8", [15], "元"), ("T9", [16], "元"), ("T6", [17, 18], "元"),
        ("T7", [19], "万元")]
    f = one(ex, "T3", "2014001", "基本支出")  # printed 201 | 40 | 01
    assert (f.printed_value, f.printed_unit, f.amount_wan, f.page) == ("39,590,540", "元", Decimal("3959.054"), 10)
    assert one(ex, "T3", "20140", "合计").printed_value == "267,027,339"
    assert one(ex, "T2", "2101101", "合计").page == 9  # continuation page with the header repeated
    assert one(ex, "T1", "expenditure_total", "预算数").amount_wan == Decimal("28828.0739")
    assert one(ex, "T1", "expenditure_total", "项目支出").printed_value == "228,233,799"
    assert one(ex, "T6", "total", "公用经费").amount_wan == Decimal("1067.9246")


def test_shanghai_sangong_and_admin_operating_in_one_table():
    ex = extraction("shanghai")
    got = {f.column_label: f.printed_value for f in ex.facts if f.table_kind == "T7"}
    assert got == {"合计": "84.00", "因公出国（境）费": "30.00", "公务接待费": "5.00",
                   "公务用车购置及运行费/小计": "49.00", "公务用车购置及运行费/公务用车运行费": "49.00",
                   "机关运行经费": "1,067.92"}


def test_ministry_final_column_number_row_and_actual_columns():
    """决算: the 栏次 row (1, 2, 3 …) is not data; 三公 prints 预算数 beside 决算数."""
    ex = extraction("ministry_final")
    assert not [f for f in ex.facts if f.row_code in ("栏次", "行次")]
    assert one(ex, "T1", "income_total", "决算数").printed_value == "22,066.59"
    assert one(ex, "T1", "expenditure_current", "决算数").printed_value == "14,572.53"
    assert one(ex, "T3", "total", "基本支出").printed_value == "11,073.11"
    assert one(ex, "T7", "total", "合计").printed_value == "46.21"
    assert one(ex, "T7", "total", "年初预算数/合计").printed_value == "76.43"
    assert [f.printed_value for f in ex.facts if f.table_kind == "T7" and f.column_label == "合计"] == ["46.21"]


def test_putuo_final_continuation_without_header():
    """普陀 决算: 收入支出决算总表's last rows (结转, 总计) are on a page with no header."""
    ex = extraction("putuo_final")
    assert one(ex, "T1", "income_total", "决算数").printed_value == "2,995.39"
    assert one(ex, "T1", "expenditure_carryover", "决算数").printed_value == "55.34"
    assert one(ex, "T1", "income_total", "决算数").page == 7
    assert one(ex, "T3", "total", "项目支出").printed_value == "603.14"


def test_fuzhou_vertical_sangong_and_grand_total():
    """福州: 三公 as one row per item; 收入合计 after 本年收入合计 and 上年结转 is the grand total."""
    ex = extraction("fuzhou")
    got = {f.column_label: f.printed_value for f in ex.facts if f.table_kind == "T7"}
    # the parts are printed "其中：（1）公务用车购置费 0.00", "（2）公务用车运行费 25.31"
    assert got == {"合计": "27.31", "因公出国（境）费": "0.00", "公务接待费": "2.00",
                   "公务用车购置及运行费/小计": "25.31", "公务用车购置及运行费/公务用车购置费": "0.00",
                   "公务用车购置及运行费/公务用车运行费": "25.31"}
    assert one(ex, "T1", "income_total", "预算数").printed_value == "2796.14"
    assert one(ex, "T1", "income_current", "预算数").printed_value == "2796.14"


def test_huzhou_split_basic_columns():
    ex = extraction("huzhou")
    assert one(ex, "T3", "total", "基本支出/人员经费").printed_value == "4944.99"
    assert one(ex, "T3", "total", "基本支出/公用经费").printed_value == "626.67"
    assert one(ex, "T7", "total", "合计").printed_value == "9.30"


def test_document_without_budget_tables_is_not_budget():
    """A 328-page drug catalogue saved under a 部门预算 name: no table title, so not a budget."""
    rel, sha = ("cities/077_珠海/医疗保障局_2026年部门预算.pdf",
                "177a10172d4f58c1ab4b53f1357c69ab68e132a807f71bcadfd4a5addb11c960")
    ex = corpus_extraction(rel, sha)
    assert (ex.outcome, ex.pages, ex.tables, ex.facts) == ("not_budget", 328, [], [])
