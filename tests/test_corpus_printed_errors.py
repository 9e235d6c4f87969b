"""Findings labelled false as misreadings that are in fact printed so (checked on the page images):
the reading is pinned here, so that nobody "fixes" an office's own error away."""
from decimal import Decimal

import pytest

from corpus import corpus_extraction

pytestmark = pytest.mark.corpus

PUTUO_SFJ = ("putuo/上海市普陀区司法局2026年单位预算.pdf",
             "ad92f2d01b2ae866806648e822aa53881582f3ba11ad07601a50fd59ca9ee58f")


@pytest.mark.parametrize("kind, column, printed, wan, page", [
    # 元 table: 2040601 行政运行 prints 合计 = 基本支出 and, in 项目支出, the 20406 款's 64,840,547.00
    ("T3", "合计", "14,348,853.34", "1434.885334", 11),
    ("T3", "基本支出", "14,348,853.34", "1434.885334", 11),
    ("T3", "项目支出", "64,840,547.00", "6484.0547", 11),
    ("T5-1", "合计", "14,348,853.34", "1434.885334", 14),
    ("T5-1", "项目支出", "64,840,547.00", "6484.0547", 14),
])
def test_putuo_justice_bureau_prints_the_project_total_on_its_admin_row(kind, column, printed, wan, page):
    ex = corpus_extraction(*PUTUO_SFJ)
    got = [(f.printed_value, f.amount_wan, f.printed_unit, f.page) for f in ex.facts
           if (f.table_kind, f.row_code, f.column_label) == (kind, "2040601", column)]
    assert got == [(printed, Decimal(wan), "元", page)]


@pytest.mark.parametrize("rel, sha, classes, total", [
    # 表4's expenditure side has one 预算数 column; its class rows include the bond-funded spending
    # that its 支出总计 (and its income side) leave out
    ("cities/079_湖州/2026年湖州市卫生健康委员会部门预算.pdf",
     "8369e431c4ed0d14948f2da23e2540dec082b93ff149cf3cd3cbbde7598aaed4", "64618.76", "38191.21"),
    ("cities/079_湖州/2026年湖州市交通运输局部门预算.pdf",
     "8775f0cc5f8abb289c15e9a8d4686b5fedad15f7c3b581340e6a41d8917e9102", "192207.76", "42673.03"),
])
def test_huzhou_t4_class_rows_and_total_as_printed(rel, sha, classes, total):
    t4 = [f for f in corpus_extraction(rel, sha).facts if f.table_kind == "T4"]
    assert {f.column_label for f in t4} == {"预算数"}
    assert sum(f.amount_wan for f in t4 if len(f.row_code) == 3 and f.row_code.isdigit()) == Decimal(classes)
    assert {f.row_code: f.printed_value for f in t4 if f.row_code in ("expenditure_total", "income_total")} == {
        "expenditure_total": total, "income_total": total}


def test_huzhou_veterans_sangong_sentence_as_printed():
    """p9: "“三公”经费预算数为 1.10 万元，比上年预算数减少 25 万元，下降 95.0%": one sentence,
    read whole; 25 / 26.10 is 95.8 %, so the printed rate disagrees with the printed amounts."""
    ex = corpus_extraction("cities/079_湖州/2026年湖州市退役军人事务局部门预算.pdf",
                           "914fa90d9f3efa6cc9bebc2db6902ae23d12ccd32c8e65321b35b318bbd42564")
    got = [(c.amount_wan, c.delta_wan, c.percent, c.direction, c.page) for c in ex.claims
           if (c.kind, c.subject) == ("yoy", "sangong:total")]
    assert got == [(Decimal("1.10"), Decimal("-25"), Decimal("-95.0"), "减少", 9)]
