"""Identities on real filings whose tables we used to read wrong (issue 4).

Each file is pinned to its sha256 and read in place from ../shared/corpus/real (skipped when
absent). The figures asserted were read off the PDF pages by eye.
"""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.corpus import corpus_extraction, corpus_file
from warehouse.checks import run_checks
from warehouse.db import connect
from warehouse.load import load_extraction

pytestmark = pytest.mark.corpus

HUZHOU = {
    # file: (sha256, printed 支出预算总表 合计 row: 人员支出, 公用经费)
    "cities/079_湖州/2026年湖州市财政局部门预算.pdf":
        ("638d83aa857f823210b8bb37263f2b80e92c27a366714898f7c5133943765353", "4944.99", "626.67"),
    "cities/079_湖州/2026年湖州市退役军人事务局部门预算.pdf":
        ("914fa90d9f3efa6cc9bebc2db6902ae23d12ccd32c8e65321b35b318bbd42564", "1487.48", "116.93"),
    "cities/079_湖州/2026年湖州市交通运输局部门预算.pdf":
        ("8775f0cc5f8abb289c15e9a8d4686b5fedad15f7c3b581340e6a41d8917e9102", "26435.02", "3388.68"),
    "cities/079_湖州/2026年湖州市卫生健康委员会部门预算.pdf":
        ("8369e431c4ed0d14948f2da23e2540dec082b93ff149cf3cd3cbbde7598aaed4", "212605.27", "250851.67"),
}
# 深圳 口岸办: 财政拨款 subtotal row above its three kinds; 五、其他支出 with a 款 and a 项 of the same name
KOUAN = ("cities/003_深圳/2026年深圳市人民政府口岸办公室部门预算.pdf",
         "60bb8d512d90e15131991d83d1409d3177bc8358915106e3ef921de722a44024")
# 深圳 建筑工务署: 援助其他地区支出 has a 款 住房保障; 支出总表 printed unit by unit
GONGWUSHU = ("cities/003_深圳/2026年深圳市建筑工务署部门预算.pdf",
             "b03dee1eff12838c44dfa6f844968310ef9039b68333cf8e5f0457b3f4728413")
# 上海 医疗保障局: 收入预算总表 prints one 财政拨款收入 column
SH_YIBAO = ("cities/001_上海/2026年上海市医疗保障局_部门预算.pdf",
            "0c14414ad0ff71530a17e6146fc72c0eab03f4876738572848e6db59a91bdf0c")
# 普陀 财政局 决算: 收支决算总表 prints the funds only, 收入决算表 one 财政拨款收入 column
PT_CAIZHENG = ("putuo/上海市普陀区财政局2024年度部门决算.pdf",
               "d45e923176f9fe4b6533829d3a2fe67f8cbcd55d07099dabf73aca62701f8eb5")
# 福州 民政局: 收入预算总表 without a 本年收入 小计 column, with a carry-over beside it
FZ_MINZHENG = ("cities/017_福州/2026年福州市民政局部门预算.pdf",
               "341c9dd0aa8e6d23642580f52c6761906fb5f09de9e2a9d4927328811938652e")

_DBS: dict[str, object] = {}


def checked(rel: str, sha256: str):
    """The file extracted, loaded and checked in its own in-memory warehouse (once per run)."""
    if rel not in _DBS:
        path = corpus_file(rel, sha256)
        con = connect(":memory:")
        load_extraction(con, corpus_extraction(rel, sha256), {"source_url": path.as_uri()})
        run_checks(con)
        _DBS[rel] = con
    return _DBS[rel]


def finding(con, rule: str, subject: str) -> tuple:
    rows = con.execute("SELECT outcome, expected, actual, message, evidence FROM findings "
                       "WHERE rule_id = ? AND subject = ?", [rule, subject]).fetchall()
    assert len(rows) == 1, (rule, subject, rows)
    return rows[0]


@pytest.fixture(scope="module", autouse=True)
def _close():
    yield
    for con in _DBS.values():
        con.close()
    _DBS.clear()


@pytest.mark.parametrize("rel", sorted(HUZHOU))
def test_huzhou_basic_expenditure_is_the_sum_of_its_printed_parts(rel):
    sha, personnel, public = HUZHOU[rel]
    con = checked(rel, sha)
    # the facts stay as printed: two parts, no 基本支出 column
    cols = {r[0] for r in con.execute("SELECT DISTINCT column_label FROM facts WHERE table_kind = 'T3'").fetchall()}
    assert "基本支出" not in cols and {"基本支出/人员经费", "基本支出/公用经费"} <= cols
    basic = con.execute("SELECT basic_expenditure FROM filing_totals").fetchone()[0]
    assert basic == Decimal(personnel) + Decimal(public)
    # every row of 表3 adds up once the parts stand for 基本支出
    outcomes = dict(con.execute("SELECT outcome, count(*) FROM findings WHERE rule_id = 'A3' GROUP BY 1").fetchall())
    assert set(outcomes) == {"pass"}, outcomes
    outcome, expected, actual, message, _ = finding(con, "A3", "T3:total")
    assert outcome == "pass" and expected == actual
    assert "基本支出（人员经费 + 公用经费）" in message


def test_huzhou_fiscal_subtotal_row_is_not_added_to_its_kinds():
    rel = "cities/079_湖州/2026年湖州市财政局部门预算.pdf"
    con = checked(rel, HUZHOU[rel][0])
    outcome, expected, actual, *_ = finding(con, "A5", "T4:income_current:预算数")
    assert (outcome, expected, actual) == ("pass", Decimal("6838.41"), Decimal("6838.41"))
    outcome, expected, actual, *_ = finding(con, "A5", "T4:income_fiscal:预算数")
    assert (outcome, expected, actual) == ("pass", Decimal("6838.41"), Decimal("6838.41"))


def test_huzhou_expenditure_side_that_does_not_add_up_stays_a_fail():
    # 卫生健康委员会 表04 (pp. 33-35): the 类 rows printed sum to 64618.76 against a printed
    # 支出总计 of 38191.21 (its 政府性基金 and 专项债券 lines exceed the 财政拨款 income):
    # the office's arithmetic, not our reading.
    rel = "cities/079_湖州/2026年湖州市卫生健康委员会部门预算.pdf"
    con = checked(rel, HUZHOU[rel][0])
    outcome, expected, actual, *_ = finding(con, "A5", "T4:expenditure_current:预算数")
    assert (outcome, expected, actual) == ("fail", Decimal("38191.21"), Decimal("64618.76"))


def test_shenzhen_fiscal_subtotal_and_same_named_rows():
    con = checked(*KOUAN)
    outcome, expected, actual, *_ = finding(con, "A5", "T4:income_current:预算数")
    assert (outcome, expected, actual) == ("pass", Decimal("55131.54"), Decimal("55131.54"))
    outcome, expected, actual, *_ = finding(con, "A5", "T4:income_fiscal:预算数")
    assert (outcome, expected, actual) == ("pass", Decimal("55131.54"), Decimal("55131.54"))
    # 五、其他支出 7,647.43 is the 类; the 款 and 项 printed 其他支出 below it are not added again
    outcome, expected, actual, *_ = finding(con, "A5", "T4:expenditure_current:预算数")
    assert (outcome, expected, actual) == ("pass", Decimal("55884.67"), Decimal("55884.68"))
    assert con.execute("SELECT count(*) FROM findings WHERE outcome = 'error'").fetchone()[0] == 0
    # 收入总表 has no 本年收入 小计 column: 本年收入合计 against the sum of its 本年收入 columns
    outcome, expected, actual, *_ = finding(con, "B1", "income_current")
    assert (outcome, expected, actual) == ("pass", Decimal("55131.54"), Decimal("55131.54"))


def test_shenzhen_class_rows_by_unit_and_a_kuan_named_like_a_class():
    con = checked(*GONGWUSHU)
    # 六、住房保障支出 4,158.57 is class 221; 住房保障 5,231.12 is a 款 of 援助其他地区支出
    outcome, expected, actual, *_ = finding(con, "A5", "T4:expenditure_current:预算数")
    assert (outcome, expected) == ("pass", Decimal("33934.54"))
    outcome, expected, actual, *_ = finding(con, "B2", "class:221")
    assert (outcome, expected, actual) == ("pass", Decimal("4158.57"), Decimal("4158.57"))
    outcome, expected, actual, *_ = finding(con, "B2", "class:219")
    assert (outcome, expected, actual) == ("pass", Decimal("5231.12"), Decimal("5231.12"))
    fails = con.execute("SELECT subject FROM findings WHERE rule_id = 'B2' AND outcome <> 'pass'").fetchall()
    assert fails == []


def test_shanghai_single_fiscal_column_is_compared_as_one_figure():
    con = checked(*SH_YIBAO)
    outcome, expected, actual, *_ = finding(con, "B1", "income:fiscal")
    assert (outcome, expected, actual) == ("pass", Decimal("19301.8"), Decimal("19301.8"))
    outcome, expected, actual, message, _ = finding(con, "B1", "income:general_budget")
    assert outcome == "not_applicable" and expected is None
    assert "表2 只印“财政拨款收入”一列" in message
    assert con.execute("SELECT count(*) FROM findings WHERE rule_id = 'B1' AND outcome = 'fail'").fetchone()[0] == 0


def test_final_account_fiscal_income_against_the_funds_of_table_1():
    con = checked(*PT_CAIZHENG)
    outcome, expected, actual, message, evidence = finding(con, "B1", "income:fiscal")
    assert (outcome, expected, actual) == ("pass", Decimal("2940.05"), Decimal("2940.05"))
    ev = json.loads(evidence)
    assert ev["expected"]["column"] == "本年收入/财政拨款收入"
    assert [t["row"] for t in ev["actual"]] == ["income:general_budget"]


def test_income_table_without_a_current_year_subtotal_column():
    # 表2 prints 合计 2249.92 = 一般公共预算 2144.92 + 政府性基金 75.00 + 上年结转结余 30.00
    con = checked(*FZ_MINZHENG)
    outcome, expected, actual, message, _ = finding(con, "B1", "income_current")
    assert (outcome, expected, actual) == ("pass", Decimal("2219.92"), Decimal("2219.92"))
    assert "表2 合计行本年收入各列之和" in message


# 江苏 省委办公厅 2017: 支出预算总表 is one row, 合计 20,849.45 = 基本 9,964.07 + 项目 10,688.66
# + 单位预留机动经费 196.72 (p. 3); 三公 table headed 公务用车购置及运行维护费 (p. 11).
JS_WEIBAN = ("jiangsu/江苏省委办公厅/江苏省委办公厅2017年预算公开表格.pdf",
             "a59d3e87fad5e3ebb9ef3a7a04ddd0a6956f71be887af24b11d50b7cf52f37be")


def test_jiangsu_expenditure_table_with_its_unallocated_reserve():
    con = checked(*JS_WEIBAN)
    reserve = con.execute("SELECT amount_wan FROM facts WHERE table_kind = 'T3' AND row_code = 'total' "
                          "AND column_label = '单位预留机动经费'").fetchall()
    assert reserve == [(Decimal("196.72"),)]
    outcome, expected, actual, message, _ = finding(con, "A3", "T3:total")
    assert (outcome, expected, actual) == ("pass", Decimal("20849.45"), Decimal("20849.45"))
    assert message.endswith("一致。") and "单位预留机动经费" in message
    # no class rows in 表3: the classes of 表1 are not compared with nothing
    assert con.execute("SELECT count(*) FROM findings WHERE rule_id = 'B2' AND subject LIKE 'class:%'").fetchone()[0] == 0
    outcome, *_ = finding(con, "B2", "classes")
    assert outcome == "not_applicable"
    outcome, expected, actual, *_ = finding(con, "B2", "total")
    assert (outcome, expected, actual) == ("pass", Decimal("20849.45"), Decimal("20849.45"))


def test_jiangsu_sangong_vehicle_columns_headed_yunxing_weihu():
    con = checked(*JS_WEIBAN)
    t = dict(con.execute("SELECT column_label, amount_wan FROM facts WHERE table_kind = 'T7' AND row_code = 'total'").fetchall())
    assert t["公务用车购置及运行费/小计"] == Decimal("411.20")
    assert t["公务用车购置及运行费/公务用车运行费"] == Decimal("411.20")
    outcome, expected, actual, *_ = finding(con, "A8", "total")
    assert (outcome, expected, actual) == ("pass", Decimal("509.20"), Decimal("509.20"))
    outcome, expected, actual, *_ = finding(con, "A8", "vehicle")
    assert (outcome, expected, actual) == ("pass", Decimal("411.20"), Decimal("411.20"))


# 福州 公安局巡特警支队: vertical 三公 table, parts printed "其中：（1）公务用车购置费 200.00",
# "（2）公务用车运行费 226.75" under 公务用车购置及运行费 426.75 (p. 19)
FZ_XUNTE = ("cities/017_福州/公安局_2026年度福州市公安局巡特警支队单位预算.pdf.pdf",
            "1881fe43526f1ddf669b85685e562a28d7a5d86039c461ca641ae80869963b5b")


def test_fuzhou_numbered_vehicle_parts_of_a_vertical_sangong_table():
    con = checked(*FZ_XUNTE)
    t = dict(con.execute("SELECT column_label, amount_wan FROM facts WHERE table_kind = 'T7' AND row_code = 'total'").fetchall())
    assert t["公务用车购置及运行费/公务用车购置费"] == Decimal("200.00")
    assert t["公务用车购置及运行费/公务用车运行费"] == Decimal("226.75")
    outcome, expected, actual, *_ = finding(con, "A8", "vehicle")
    assert (outcome, expected, actual) == ("pass", Decimal("426.75"), Decimal("426.75"))
    outcome, expected, actual, *_ = finding(con, "A8", "total")
    assert (outcome, expected, actual) == ("pass", Decimal("430.87"), Decimal("430.87"))


def test_final_account_carryover_block_repeats_the_funds():
    # 财政拨款收入支出决算总表 (pp. 12-13): 年初财政拨款结转和结余 21.63, then
    # 一、一般公共预算财政拨款 21.63 under it; 本年收入合计 2,940.05 is the first 一般公共预算 row alone
    con = checked(*PT_CAIZHENG)
    rows = con.execute("SELECT row_code, amount_wan FROM facts WHERE table_kind = 'T4' AND column_label = '决算数' "
                       "AND row_code LIKE '%:general_budget' ORDER BY row_code").fetchall()
    assert rows == [("carryover:general_budget", Decimal("21.63")), ("income:general_budget", Decimal("2940.05"))]
    outcome, expected, actual, *_ = finding(con, "A5", "T4:income_current:决算数")
    assert (outcome, expected, actual) == ("pass", Decimal("2940.05"), Decimal("2940.05"))
    outcome, expected, actual, *_ = finding(con, "A5", "T4:income:决算数")
    assert (outcome, expected, actual) == ("pass", Decimal("2961.68"), Decimal("2961.68"))


# 普陀 万里街道 2024: 基本支出表 prints the 款 of 301 as '2' and '7' (津贴补贴, 绩效工资) beside
# '01', '08' (p. 29); 301 工资福利支出 88,282,511 元 is the sum of all nine 款
PT_WANLI24 = ("putuo/上海市普陀区人民政府万里街道办事处24年预算.pdf",
              "9cf8afd0f960aea9377ec2d80d8573bb96747e42f0c64046a81f63a2e4af7ce8")
# 普陀 司法局 单位 2026: 支出总表 合计 row prints 基本支出 22,118,861 (rounded to 元) beside
# 合计 86,959,408.34 and 项目支出 64,840,547.00 (p. 12)
PT_SIFA_UNIT = ("putuo/上海市普陀区司法局2026年单位预算.pdf",
                "ad92f2d01b2ae866806648e822aa53881582f3ba11ad07601a50fd59ca9ee58f")


def test_putuo_kuan_printed_without_its_leading_zero():
    con = checked(*PT_WANLI24)
    amounts = dict(con.execute("SELECT row_code, amount_wan FROM facts WHERE table_kind = 'T6' "
                               "AND column_label = '合计' AND row_code IN ('30102', '30107')").fetchall())
    assert amounts == {"30102": Decimal("1662.381"), "30107": Decimal("1144.71")}
    for col in ("合计", "人员经费"):
        outcome, expected, actual, *_ = finding(con, "A7", f"T6:301:{col}")
        assert (outcome, expected, actual) == ("pass", Decimal("8828.2511"), Decimal("8828.2511"))


def test_putuo_integer_printed_in_a_table_of_cents_keeps_its_rounding():
    con = checked(*PT_SIFA_UNIT)
    outcome, expected, actual, *_ = finding(con, "A3", "T3:total")
    assert (outcome, expected, actual) == ("pass", Decimal("8695.940834"), Decimal("8695.9408"))
    outcome, *_ = finding(con, "B5", "basic")
    assert outcome == "pass"
    # 行政运行 prints 项目支出 64,840,547.00 beside its 合计 14,348,853.34 (p. 11): the office's slip
    outcome, expected, actual, *_ = finding(con, "A3", "T3:2040601")
    assert (outcome, expected, actual) == ("fail", Decimal("1434.885334"), Decimal("7918.940034"))


JS_RENDA17 = ("jiangsu/江苏省人大办公厅/江苏省人大办公厅2017年度预算公开.pdf",
              "520fa5c58e1f8aa41a801835525ad885d6169d4c851309498e2e008792dc3206")


def test_no_check_errors_on_jiangsu_renda_2017():
    # its 收支总表 runs onto a second page; a total read there as well must not break D2
    con = checked(*JS_RENDA17)
    assert con.execute("SELECT rule_id, subject, message FROM findings WHERE outcome = 'error'").fetchall() == []
    outcome, expected, actual, *_ = finding(con, "D2", "share:project")
    assert (outcome, actual) == ("pass", Decimal("42.89"))


# 普陀 司法局 2026: 收支总表 and 财政拨款收支总表 list 3.国有资本经营预算 / 三、国有资本经营预算 0.00
# on the income side (pp. 7, 10), the appropriation, not class 223 国有资本经营预算支出
PT_SIFA_DEPT = ("putuo/上海市普陀区司法局2026年部门预算.pdf",
                "c8821d984a541c123130e02c834aac8cd09a37c58dc5074950e6f1b8603bd5e8")


def test_state_capital_income_row_is_not_a_class():
    con = checked(*PT_SIFA_DEPT)
    rows = con.execute("SELECT table_kind, row_code FROM facts WHERE row_label LIKE '%国有资本经营预算' "
                       "ORDER BY table_kind").fetchall()
    assert rows == [("T1", "income:state_capital"), ("T4", "income:state_capital")]
    assert con.execute("SELECT count(*) FROM findings WHERE subject = 'class:223'").fetchone()[0] == 0


SH_SHANGWU = ("cities/001_上海/2026年上海市商务局_部门预算.pdf",
              "ccc30116311265e5623404c6d0f847a6add143f748042929be874e7c38608ffe")


def test_shanghai_untitled_table_below_t4_closes_it():
    """表4 ends on p. 10; 单位预算05表 财政拨款支出预算表 (read by no kind) starts p. 11. Its rows used
    to be read as 表4 rows, and A5 failed on each (合计 678.3536 against 0 by fund)."""
    con = checked(*SH_SHANGWU)
    pages = con.execute("SELECT DISTINCT page FROM facts WHERE table_kind = 'T4' ORDER BY page").fetchall()
    assert pages == [(10,)]
    fails = con.execute("SELECT count(*) FROM findings WHERE rule_id = 'A5' AND outcome = 'fail'").fetchone()
    assert fails == (0,)
