"""Readings that prove themselves (issue 13): each table checked against its own sums before its
facts are emitted, and the reading whose sums hold kept among the alternatives.

Small HTML tables built here go through the whole extractor (extract_file: title, unit, header,
rows, readings, self-check), so what is asserted is what the warehouse would load.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors import extract_file
from extractors.model import Fact
from extractors.selfcheck import Identity, check_table, identities, is_misreading

HEAD = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>示例中心2026年部门预算</title></head>
<body><p>示例中心2026年部门预算已经区人民代表大会审查批准，现予以公开。</p>"""

# 支出预算总表, consistent: per row 合计 = 基本 + 项目; 201 = 20101 + 20103; 20101 = 2010101 + 2010102;
# 合计 = 201 + 208.
T3_ROWS = [
    ("", "合计", "1,000.00", "700.00", "300.00"),
    ("201", "一般公共服务支出", "800.00", "600.00", "200.00"),
    ("20101", "人大事务", "500.00", "400.00", "100.00"),
    ("2010101", "行政运行", "400.00", "400.00", "0.00"),
    ("2010102", "一般行政管理事务", "100.00", "", "100.00"),
    ("20103", "政府办公厅（室）及相关机构事务", "300.00", "200.00", "100.00"),
    ("2010350", "事业运行", "300.00", "200.00", "100.00"),
    ("208", "社会保障和就业支出", "200.00", "100.00", "100.00"),
    ("20805", "行政事业单位养老支出", "200.00", "100.00", "100.00"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "200.00", "100.00", "100.00"),
]


def _table(title: str, header: str, rows: list[tuple[str, ...]], unit: str = "万元") -> str:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<h3>{title}</h3><p>部门/单位：示例中心<span>单位：{unit}</span></p>'
            f'<table border="1">{header}{body}</table>')


T3_HEADER = ('<tr><th colspan="2">功能分类科目</th><th rowspan="2">合计</th><th rowspan="2">基本支出</th>'
             '<th rowspan="2">项目支出</th></tr><tr><th>科目编码</th><th>科目名称</th></tr>')


def _extract(tmp_path, *tables: str):
    path = tmp_path / "filing.html"
    path.write_text(HEAD + "".join(tables) + "</body></html>", encoding="utf-8")
    ex = extract_file(path)
    assert ex.outcome in ("ok", "parse_error"), ex.outcome_detail
    return ex


def _cell(ex, kind: str, row: str, column: str) -> Fact:
    hits = [f for f in ex.facts if (f.table_kind, f.row_code, f.column_label) == (kind, row, column)]
    assert len(hits) == 1, hits
    return hits[0]


def _t3(ex):
    (t,) = [t for t in ex.tables if t.table_kind == "T3"]
    return t


def test_consistent_table_passes_and_every_fact_says_how_it_was_read(tmp_path):
    ex = _extract(tmp_path, _table("表 3.支出预算总表", T3_HEADER, T3_ROWS))
    t = _t3(ex)
    # 10 rows: 合计 = 基本 + 项目; each of 3 columns: 201, 20101, 20103, 208, 20805 = Σ children, 合计 = Σ 类
    assert (t.read_method, t.self_check, t.self_check_detail) == (
        "profile:wuhan-2026-budget", "pass", "28 项恒等关系全部成立")
    assert {(f.read_method, f.table_check) for f in ex.facts if f.table_kind == "T3"} == {
        ("profile:wuhan-2026-budget", "pass")}


@pytest.mark.parametrize("row, column, printed", [
    ("2010350", "合计", "300.10"),   # a 项 row's 合计: its row and its 款 break, one cell explains both
    ("20805", "基本支出", "100.50"),  # a 款's part: its row and two column sums break
])
def test_one_genuine_error_passes_the_reading_and_keeps_the_printed_cell(tmp_path, row, column, printed):
    col = {"合计": 2, "基本支出": 3, "项目支出": 4}[column]
    rows = [tuple(printed if (r[0] == row and j == col) else c for j, c in enumerate(r)) for r in T3_ROWS]
    ex = _extract(tmp_path, _table("表 3.支出预算总表", T3_HEADER, rows))
    t = _t3(ex)
    assert t.self_check == "pass"
    assert t.self_check_detail.startswith("28 项恒等关系中 ")
    assert "个别差异，按原表照录" in t.self_check_detail
    f = _cell(ex, "T3", row, column)
    assert (f.printed_value, f.amount_wan, f.table_check) == (printed, Decimal(printed), "pass")
    assert "读法" not in t.note  # no other reading tried on a consistent table


# 一般公共预算支出表 with its amount columns printed in another order than its header names them
# (项目, 基本小计, 人员, 公用 under 基本小计, 人员, 公用, 项目): no reading of columns the
# reader tries (one column's label moved, 合计 or a subtotal exchanged with another) puts it right.
T5_HEADER = ('<tr><th colspan="2">功能分类科目</th><th rowspan="2">合计</th><th colspan="3">基本支出</th>'
             '<th rowspan="2">项目支出</th></tr><tr><th>科目编码</th><th>科目名称</th><th>小计</th>'
             '<th>人员经费</th><th>公用经费</th></tr>')
T5_TRUE = [  # code, name, 合计, 基本小计, 人员, 公用, 项目
    ("", "合计", "1,000.00", "700.00", "500.00", "200.00", "300.00"),
    ("201", "一般公共服务支出", "800.00", "600.00", "450.00", "150.00", "200.00"),
    ("20101", "人大事务", "800.00", "600.00", "450.00", "150.00", "200.00"),
    ("2010101", "行政运行", "620.00", "600.00", "450.00", "150.00", "20.00"),
    ("2010102", "一般行政管理事务", "180.00", "", "", "", "180.00"),
    ("208", "社会保障和就业支出", "200.00", "100.00", "50.00", "50.00", "100.00"),
    ("20805", "行政事业单位养老支出", "200.00", "100.00", "50.00", "50.00", "100.00"),
]


def test_misread_table_fails_its_self_check(tmp_path):
    scrambled = [(c, n, t, p, b, pe, pu) for c, n, t, b, pe, pu, p in T5_TRUE]
    ex = _extract(tmp_path, _table("表 5-1.一般公共预算支出表（分功能科目）", T5_HEADER, scrambled))
    (t,) = [t for t in ex.tables if t.table_kind == "T5-1"]
    assert t.self_check == "fail", t.self_check_detail
    assert "表格可能读错" in t.self_check_detail
    assert {f.table_check for f in ex.facts if f.table_kind == "T5-1"} == {"fail"}


def test_true_order_of_the_same_table_passes(tmp_path):
    ex = _extract(tmp_path, _table("表 5-1.一般公共预算支出表（分功能科目）", T5_HEADER, T5_TRUE))
    (t,) = [t for t in ex.tables if t.table_kind == "T5-1"]
    # rows: 7 合计 = 小计 + 项目, 6 小计 = 人员 + 公用; each of 5 columns: 201, 20101, 208, 合计 = Σ 类
    assert (t.self_check, t.self_check_detail) == ("pass", "33 项恒等关系全部成立")


def test_swapped_total_column_is_read_by_its_sums(tmp_path):
    """支出总表 printing 基本 | 项目 | 合计 under a header that says 合计 | 基本 | 项目: the reading that
    exchanges the labels is the one whose sums hold; it is kept and named in the note."""
    rows = [(c, n, b, p, t) for c, n, t, b, p in T3_ROWS]
    ex = _extract(tmp_path, _table("表 3.支出预算总表", T3_HEADER, rows))
    t = _t3(ex)
    assert t.self_check == "pass", t.self_check_detail
    assert "读法：“合计”与“项目支出”两列互换" in t.note
    assert [_cell(ex, "T3", "total", c).printed_value for c in ("合计", "基本支出", "项目支出")] == [
        "1,000.00", "300.00", "700.00"]


# 类 | 款 | 项 in three narrow columns, each row printing only its own level's digits.
SPLIT_HEADER = ('<tr><th colspan="3">科目编码</th><th rowspan="2">科目名称</th><th rowspan="2">合计</th>'
                '<th rowspan="2">基本支出</th><th rowspan="2">项目支出</th></tr>'
                '<tr><th>类</th><th>款</th><th>项</th></tr>')
SPLIT_ROWS = [
    ("", "", "", "合计", "1,000.00", "700.00", "300.00"),
    ("201", "", "", "一般公共服务支出", "800.00", "600.00", "200.00"),
    ("", "01", "", "人大事务", "500.00", "400.00", "100.00"),
    ("", "", "01", "行政运行", "400.00", "400.00", "0.00"),
    ("", "", "02", "一般行政管理事务", "100.00", "", "100.00"),
    ("", "03", "", "政府办公厅（室）及相关机构事务", "300.00", "200.00", "100.00"),
    ("", "", "50", "事业运行", "300.00", "200.00", "100.00"),
    ("208", "", "", "社会保障和就业支出", "200.00", "100.00", "100.00"),
    ("", "05", "", "行政事业单位养老支出", "200.00", "100.00", "100.00"),
    ("", "", "05", "机关事业单位基本养老保险缴费支出", "200.00", "100.00", "100.00"),
]


def test_three_column_codes_printing_only_their_own_level_read_to_full_codes(tmp_path):
    ex = _extract(tmp_path, _table("表 3.支出预算总表", SPLIT_HEADER, SPLIT_ROWS))
    codes = list(dict.fromkeys(f.row_code for f in ex.facts if f.table_kind == "T3"))
    assert codes == ["total", "201", "20101", "2010101", "2010102", "20103", "2010350", "208", "20805", "2080505"]
    t = _t3(ex)
    assert (t.self_check, t.self_check_detail) == ("pass", "28 项恒等关系全部成立")
    assert "读法：科目编码按类/款/项分列补全（本行只印本级编码）" in t.note


def test_three_column_codes_printed_in_full_are_unchanged(tmp_path):
    full = [("201", "01", "01", "行政运行", "400.00", "400.00", "0.00"),
            ("201", "01", "02", "一般行政管理事务", "100.00", "", "100.00")]
    ex = _extract(tmp_path, _table("表 3.支出预算总表", SPLIT_HEADER, full))
    assert [f.row_code for f in ex.facts if f.column_label == "合计"] == ["2010101", "2010102"]
    assert "读法" not in _t3(ex).note


def test_code_and_name_in_one_cell_are_split(tmp_path):
    header = ('<tr><th>功能分类科目</th><th>合计</th><th>基本支出</th><th>项目支出</th></tr>')
    rows = [(f"{c} {n}" if c else n, t, b, p) for c, n, t, b, p in T3_ROWS]
    ex = _extract(tmp_path, _table("表 3.支出预算总表", header, rows))
    f = _cell(ex, "T3", "2010350", "合计")
    assert (f.row_label, f.printed_value) == ("事业运行", "300.00")
    assert (_t3(ex).self_check, _t3(ex).self_check_detail) == ("pass", "28 项恒等关系全部成立")


def test_blank_total_is_not_printed_never_zero(tmp_path):
    rows = [r if r[0] != "2010350" else (r[0], r[1], "", r[3], r[4]) for r in T3_ROWS]
    ex = _extract(tmp_path, _table("表 3.支出预算总表", T3_HEADER, rows))
    assert [f for f in ex.facts if (f.row_code, f.column_label) == ("2010350", "合计")] == []
    assert _cell(ex, "T3", "2010350", "基本支出").amount_wan == Decimal("200.00")
    # the blank 合计 tests nothing: one row identity and the 20103 合计 column sum fewer
    assert (_t3(ex).self_check, _t3(ex).self_check_detail) == ("pass", "26 项恒等关系全部成立")


def _fact(row: str, column: str, printed: str, unit: str = "万元") -> Fact:
    return Fact("T6", row, row, column, Decimal(printed) * (Decimal("0.0001") if unit == "元" else 1),
                printed, unit, 1, None)


@pytest.mark.parametrize("total, personnel, public, unit, outcome, n_failed", [
    ("10.00", "6.00", "4.00", "万元", "pass", 0),
    ("10.00", "6.00", "4.01", "万元", "pass", 0),    # 0.01 within 3 × 0.005
    ("10.00", "6.00", "4.02", "万元", "pass", 1),    # one failing identity only: a pass of the reading
    ("10.0", "6.0", "4.1", "万元", "pass", 0),       # one decimal printed: 3 × 0.05
    ("100000", "60000", "40001", "元", "pass", 0),   # 1 元 within 3 × 0.5 元
    ("100000", "60000", "40002", "元", "pass", 1),
    ("", "6.00", "4.00", "万元", "unchecked", 0),    # a blank 合计 tests nothing
])
def test_tolerance_and_outcome_on_one_row(total, personnel, public, unit, outcome, n_failed):
    facts = [_fact("30101", c, v, unit) for c, v in (("合计", total), ("人员经费", personnel), ("公用经费", public)) if v]
    verdict = check_table("T6", facts)
    assert (verdict.outcome, len(verdict.failed)) == (outcome, n_failed)


def _row_failure(i: int):
    # each off by a different amount (9, 8, 7 …), as a misreading is
    return check_table("T6", [_fact(f"3010{i}", "合计", "10.00"), _fact(f"3010{i}", "人员经费", f"{i + 1}.00")]).failed[0]


def _holding(family: str) -> list[Identity]:
    (i,) = identities("T6", [_fact("30199", "合计", "1.00"), _fact("30199", "人员经费", "1.00")])
    return [Identity(i.what, i.total, i.terms, family)]


@pytest.mark.parametrize("rows_held, columns_held, n_failed, misread", [
    (8, 0, 2, False),    # two identities may be an office's arithmetic
    (7, 0, 3, True),
    (16, 0, 4, False),   # not more than a fifth
    (15, 0, 5, True),
    (7, 40, 3, True),    # column sums that hold do not dilute failing row sums
    (0, 0, 0, False),
])
def test_misreading_threshold(rows_held, columns_held, n_failed, misread):
    # failing identities that share no cell: no single wrong figure explains them
    failed = [_row_failure(i) for i in range(n_failed)]
    tested = failed + _holding("row") * rows_held + _holding("column") * columns_held
    assert is_misreading(tested, failed) is misread


def test_failures_one_cell_explains_are_not_a_misreading():
    # 30101's 合计 printed 9.00 for 10.00: its row, its parent's sum and its own children's sum
    # break (3 of 10, more than a fifth), and that one cell is in all three.
    rows = [("total", "10.00", None, None), ("301", "10.00", "6.00", "4.00"), ("30101", "9.00", "6.00", "4.00"),
            ("3010101", "10.00", "6.00", "4.00")]
    facts = [_fact(r, c, v) for r, *vals in rows for c, v in zip(("合计", "人员经费", "公用经费"), vals) if v]
    verdict = check_table("T6", facts)
    assert (verdict.tested, len(verdict.failed), verdict.outcome) == (10, 3, "pass")
    facts[-2] = _fact("3010101", "人员经费", "4.00")  # a second wrong cell, off by another amount
    verdict = check_table("T6", facts)
    assert (len(verdict.failed), verdict.outcome) == (5, "fail")


@pytest.mark.parametrize("header_cell, unit, amount", [
    ("合计（元）", "元", Decimal("0.07")),
    ("合计(千元)", "千元", Decimal("70.0")),
    ("合计（万元）", "万元", Decimal("700.00")),
])
def test_unit_printed_in_the_header_when_no_unit_line(tmp_path, header_cell, unit, amount):
    header = (f'<tr><th colspan="2">功能分类科目</th><th rowspan="2">{header_cell}</th><th rowspan="2">基本支出</th>'
              '<th rowspan="2">项目支出</th></tr><tr><th>科目编码</th><th>科目名称</th></tr>')
    table = _table("表 3.支出预算总表", header, T3_ROWS).replace("<span>单位：万元</span>", "")
    ex = _extract(tmp_path, table)
    f = _cell(ex, "T3", "total", "基本支出")  # printed 700.00
    assert (_t3(ex).unit, f.printed_unit, f.amount_wan) == (unit, unit, amount)
    assert f"单位取自表头（{unit}）" in _t3(ex).note


# Real filings, read in place and pinned (tests/corpus.py).
FUZHOU = ("cities/017_福州/公安局_2026年度福州市公安局巡特警支队单位预算.pdf.pdf",
          "1881fe43526f1ddf669b85685e562a28d7a5d86039c461ca641ae80869963b5b")
SHANGHAI = ("cities/001_上海/2026年上海市信访局_部门预算.pdf",
            "a4e315d795f5baa90e3471eabbee9ad241f4799bb33ba66a0e18826e105ffa2c")


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_office_gap_passes_the_reading_and_keeps_the_printed_cell():
    """福州市公安局巡特警支队 2026, p. 10: 20402 公安 prints 7,927.40 (项目 1,370.70) over 项 rows
    2040201 6,556.70 and 2040299 1,051.46 (项目 1,051.46): a 项 row of 319.24 is not printed. Two
    column sums fail in an otherwise consistent table: the office's gap, not a misreading."""
    from tests.corpus import corpus_extraction

    ex = corpus_extraction(*FUZHOU)
    (t,) = [t for t in ex.tables if t.table_kind == "T3"]
    assert (t.pages, t.self_check) == ([10], "pass")
    assert t.self_check_detail.startswith("32 项恒等关系中 2 项不成立（个别差异，按原表照录，由核对规则报告）；"
                                          "例：「合计」列：20402 公安 = 其下各级科目之和，相差 -319.24 万元")
    f = _cell(ex, "T3", "20402", "合计")
    assert (f.printed_value, f.amount_wan, f.table_check) == ("7,927.40", Decimal("7927.40"), "pass")


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("kind, unit, detail", [
    ("T2", "元", "45 项恒等关系全部成立"),
    ("T3", "元", "50 项恒等关系全部成立"),   # 类 | 款 | 项 in three columns
    ("T5-1", "元", "50 项恒等关系全部成立"),
    ("T6", "元", "46 项恒等关系全部成立"),
    ("T7", "万元", "2 项恒等关系全部成立"),
    ("T8", "元", "没有可核对的恒等关系（表内无合计或无分项）"),
])
def test_corpus_shanghai_tables_prove_themselves(kind, unit, detail):
    from tests.corpus import corpus_extraction

    ex = corpus_extraction(*SHANGHAI)
    (t,) = [t for t in ex.tables if t.table_kind == kind]
    assert (t.read_method, t.unit, t.self_check_detail) == ("profile:shanghai-budget", unit, detail)
    assert {f.table_check for f in ex.facts if f.table_kind == kind} <= {"unchecked" if "没有" in detail else "pass"}


def _summary(rows: list[tuple[str, str]]) -> list[Fact]:
    return [Fact("T1", code, code, "预算数", Decimal(v), v, "万元", 1, None) for code, v in rows]


@pytest.mark.parametrize("carry, expenditure_total, detail", [
    ("10.00", "110.00", "3 项恒等关系全部成立"),   # 收入 / 支出 总计 = 本年 + 结转; 收入总计 = 支出总计
    ("10.00", "111.00", "3 项恒等关系中 2 项不成立（个别差异，按原表照录，由核对规则报告）；"
                        "例：「预算数」列：支出总计 = 本年支出合计 + 结转，相差 -1 万元"),
    # no carry-over row printed: the 10.00 between 本年 and 总计 is read nowhere
    (None, "110.00", "3 项恒等关系中 1 项不成立（个别差异，按原表照录，由核对规则报告）；"
                     "例：「预算数」列：收入总计 = 本年收入合计 + 结转，相差 -10 万元"),
])
def test_summary_table_totals(carry, expenditure_total, detail):
    rows = [("income_current", "100.00"), ("income_total", "110.00"), ("expenditure_current", "100.00"),
            ("expenditure_carryover", "10.00"), ("expenditure_total", expenditure_total)]
    if carry:
        rows.append(("income_carryover", carry))
    assert check_table("T1", _summary(rows)).detail == detail


def test_project_table_rows_add_their_funding():
    facts = [Fact("T10", "P1", "项目一", c, Decimal(v), v, "万元", 1, None) for c, v in (
        ("合计", "30.00"), ("本年拨款/一般公共预算", "20.00"), ("财政拨款结转结余/一般公共预算", "5.00"),
        ("单位资金", "5.00"))]
    assert check_table("T10", facts).detail == "1 项恒等关系全部成立"
    facts[0] = Fact("T10", "P1", "项目一", "合计", Decimal("31.00"), "31.00", "万元", 1, None)
    assert check_table("T10", facts).failed[0].difference() == Decimal("-1.00")


def test_unrecognised_row_that_closes_the_gap_is_read_as_the_carry_over(tmp_path):
    """收支总表 whose carry-over row is worded as no vocabulary has it: the row printed between
    本年收入合计 and 收入总计 whose amount is exactly their difference is the carry-over."""
    header = '<tr><th colspan="2">收 入</th><th colspan="2">支 出</th></tr><tr><th>项 目</th><th>预算数</th><th>项 目</th><th>预算数</th></tr>'
    rows = [("一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "110.00"),
            ("本年收入合计", "100.00", "本年支出合计", "110.00"),
            ("以前年度结余、结转", "10.00", "", ""),
            ("其中：财政拨款结余、结转", "10.00", "", ""),
            ("收入总计", "110.00", "支出总计", "110.00")]
    ex = _extract(tmp_path, _table("表 1.收支预算总表", header, rows))
    (t,) = [t for t in ex.tables if t.table_kind == "T1"]
    assert (t.self_check, t.self_check_detail) == ("pass", "3 项恒等关系全部成立")
    assert "读法：“以前年度结余、结转”10.00 恰为收入总计与本年收入合计之差，读作结转" in t.note
    f = _cell(ex, "T1", "income_carryover", "预算数")
    assert (f.row_label, f.printed_value) == ("以前年度结余、结转", "10.00")


def test_no_carry_over_guessed_when_no_row_closes_the_gap(tmp_path):
    header = '<tr><th colspan="2">收 入</th><th colspan="2">支 出</th></tr><tr><th>项 目</th><th>预算数</th><th>项 目</th><th>预算数</th></tr>'
    rows = [("一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "110.00"),
            ("本年收入合计", "100.00", "本年支出合计", "110.00"),
            ("以前年度结余、结转", "9.00", "", ""),
            ("收入总计", "110.00", "支出总计", "110.00")]
    ex = _extract(tmp_path, _table("表 1.收支预算总表", header, rows))
    (t,) = [t for t in ex.tables if t.table_kind == "T1"]
    assert "读法" not in t.note
    assert not [f for f in ex.facts if f.row_code == "income_carryover"]
    assert t.self_check_detail.startswith("3 项恒等关系中 1 项不成立")


def test_two_columns_read_under_one_label_fail_whatever_the_sums(tmp_path):
    header = T3_HEADER.replace('<th rowspan="2">项目支出</th>', '<th rowspan="2">项目支出</th><th rowspan="2">合计</th>')
    rows = [r + ("1.00",) for r in T3_ROWS]
    ex = _extract(tmp_path, _table("表 3.支出预算总表", header, rows))
    t = _t3(ex)
    assert (t.self_check, t.self_check_detail) == (
        "fail", "表格可能读错（列标题与数据错位）：10 个单元格与同行另一单元格同属“合计”列")


@pytest.mark.parametrize("words, outcome", [(["办公费", "印刷费"], "pass"), (["办公费", "印刷费", "咨询费"], "fail")])
def test_words_in_amount_columns_fail_the_reading(words, outcome):
    facts = [_fact("30101", "合计", "10.00"), _fact("30101", "人员经费", "10.00")]
    facts += [Fact("T6", f"3020{i}", w, "公用经费", None, w, "万元", 1, None) for i, w in enumerate(words, 1)]
    verdict = check_table("T6", facts)
    assert verdict.outcome == outcome
    if outcome == "fail":
        assert verdict.detail == "表格可能读错（列标题与数据错位）：金额列中有 3 个非金额文字（如“办公费”）"


@pytest.mark.parametrize("edit", [
    # the sample district's A3 fault: 1 added to one column of an item, its 款, its 类 and 合计
    {("2010350", 4): "101.00", ("20103", 4): "101.00", ("201", 4): "201.00", ("", 4): "301.00"},
    # one row raised by 3 in every column (the district's A6 fault, on a unit's row)
    {("20805", 2): "203.00", ("20805", 3): "103.00", ("20805", 4): "100.00"},
])
def test_one_figure_carried_into_its_subtotals_is_the_office_not_a_misreading(tmp_path, edit):
    rows = [tuple(edit.get((r[0], j), c) for j, c in enumerate(r)) for r in T3_ROWS]
    ex = _extract(tmp_path, _table("表 3.支出预算总表", T3_HEADER, rows))
    t = _t3(ex)
    assert t.self_check == "pass", t.self_check_detail
    assert "个别差异" in t.self_check_detail
