"""江苏's 收入预算总表 is printed vertically (项目名称 | 金额: one row per kind of income, the kind
in a merged cell beside its 小计 and items). Its amounts are the department's total row of the
horizontal T2, under the same column labels, so B1 (表1 = 表2) can run on 江苏 filings.

Each file is pinned to its sha256 and read in place from ../shared/corpus/real (skipped when
absent). The figures asserted were read off the PDF pages by eye.
"""
from __future__ import annotations

import pytest

from tests.corpus import corpus_extraction, corpus_file
from warehouse.checks import run_checks
from warehouse.db import connect
from warehouse.load import load_extraction

pytestmark = pytest.mark.corpus

# 省检察院 2017, p11: 收入总计 17,996.68; 一般公共预算资金 小计 17,981.68 (公共财政拨款(补助)资金
# 17,981.68); 其他资金 小计 15.00 (其他收入 15.00); every other row blank. 表1 (p10) prints
# 财政拨款 / 一般公共预算 17,981.68, 其他资金 15.00, 当年收入小计 and 收入合计 17,996.68.
JCY_2017 = ("jiangsu/江苏省人民检察院/2017年省检察院部门预算.pdf",
            "cc051e34039b407b82a785aabddc0e2b650297e56012a2388168e212ec13aca0")
# 省委办公厅 2017 公开表格, p2: 收入总计 20,849.45; 一般公共预算资金 小计 20,702.25; 财政专户管理资金
# 小计 147.20 (其他非税收入 147.20). 表1 (p1): 财政专户管理资金 147.20.
WB_2017 = ("jiangsu/江苏省委办公厅/江苏省委办公厅2017年预算公开表格.pdf",
           "a59d3e87fad5e3ebb9ef3a7a04ddd0a6956f71be887af24b11d50b7cf52f37be")
# 省人大办公厅 2017: the table starts on p9 (收入总计 13,649.07, 一般公共预算资金 小计 13,649.07) and
# runs on to p10 with 财政专户管理资金's 其他非税收入 first, its kind printed on p9 only; p10 is blank.
RD_2017 = ("jiangsu/江苏省人大办公厅/江苏省人大办公厅2017年度预算公开.pdf",
           "520fa5c58e1f8aa41a801835525ad885d6169d4c851309498e2e008792dc3206")
# 省政协 2017 公开表, p2: 收入总计 9,146.79, 一般公共预算资金 小计 9,066.79, 其他资金 小计 80.00
# (其他收入 80.00); its 财政转专户管理资金 (sic) is blank.
ZX_2017 = ("jiangsu/江苏省政协办公厅/2017年度部门预算公开表.pdf",
           "42d4fd889f7a012fe7e40cda74d0c5fe6c9ef22db64c2c81da0182b32ee7e9c8")

extracted = corpus_extraction


def t2(rel: str, sha256: str) -> dict[str, tuple[str, str, str, int]]:
    facts = [f for f in extracted(rel, sha256).facts if f.table_kind == "T2"]
    assert {f.row_code for f in facts} == {"total"}
    by_column = {f.column_label: (f.printed_value, str(f.amount_wan), f.row_label, f.page) for f in facts}
    assert len(by_column) == len(facts)
    return by_column


def b1(rel: str, sha256: str) -> dict[str, str]:
    con = connect(":memory:")
    path = corpus_file(rel, sha256)
    load_extraction(con, extracted(rel, sha256), {"source_url": path.as_uri()})
    run_checks(con)
    return dict(con.execute("SELECT subject, outcome FROM finding WHERE rule_id = 'B1'").fetchall())


def test_jcy_2017_other_income_is_read_from_its_item_row():
    assert t2(*JCY_2017) == {
        "合计": ("17,996.68", "17996.68", "收入总计", 11),
        "本年收入/一般公共预算": ("17,981.68", "17981.68", "一般公共预算资金/小计", 11),
        "本年收入/其他收入": ("15.00", "15.00", "其他资金/其他收入", 11),
        # no 上年结转 amount: the 收入总计 cell is also this year's income
        "本年收入/小计": ("17,996.68", "17996.68", "收入总计", 11),
    }
    table = next(t for t in extracted(*JCY_2017).tables if t.table_kind == "T2")
    assert table.n_facts == 4 and "未映射" not in table.note


def test_jcy_2017_b1_passes_row_by_row():
    assert b1(*JCY_2017) == {"income_total": "pass", "income_current": "pass",
                             "income:general_budget": "pass", "income:other": "pass"}


def test_wb_2017_special_account_subtotal_not_its_part():
    got = t2(*WB_2017)
    assert got["本年收入/财政专户管理资金"] == ("147.20", "147.20", "财政专户管理资金/小计", 2)
    assert got["合计"][:2] == ("20,849.45", "20849.45")
    assert got["本年收入/一般公共预算"][:2] == ("20,702.25", "20702.25")
    assert set(got) == {"合计", "本年收入/小计", "本年收入/一般公共预算", "本年收入/财政专户管理资金"}
    assert b1(*WB_2017)["income:special_account"] == "pass"


def test_rd_2017_table_over_two_pages():
    assert t2(*RD_2017) == {
        "合计": ("13,649.07", "13649.07", "收入总计", 9),
        "本年收入/一般公共预算": ("13,649.07", "13649.07", "一般公共预算资金/小计", 9),
        "本年收入/小计": ("13,649.07", "13649.07", "收入总计", 9),
    }
    assert set(b1(*RD_2017).values()) == {"pass"}


def test_zx_2017_other_funds():
    got = t2(*ZX_2017)
    assert got["合计"][:2] == ("9,146.79", "9146.79")
    assert got["本年收入/一般公共预算"][:2] == ("9,066.79", "9066.79")
    assert got["本年收入/其他收入"] == ("80.00", "80.00", "其他资金/其他收入", 2)
    assert set(got) == {"合计", "本年收入/小计", "本年收入/一般公共预算", "本年收入/其他收入"}
    assert b1(*ZX_2017) == {"income_total": "pass", "income_current": "pass",
                            "income:general_budget": "pass", "income:other": "pass"}
