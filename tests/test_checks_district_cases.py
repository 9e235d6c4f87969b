"""Rule checks on shapes the sample district showed and the seed does not have: two units'
projects under one name (B10, A10), the full and short name of a 中共 department (D4), a
per-code amount quoted for its 基本支出 part (C1), a template printed in another official
order (F2)."""
from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

import pytest

from fixtures.warehouse.seed_extraction import SEED_SOURCE, seed_extraction
from test_checks import checked, outcome, with_fact
from warehouse.checks import run_checks
from warehouse.db import connect, template_orders
from warehouse.load import load_extraction

SEED_X = seed_extraction()
D = Decimal
NAME = "聘用人员经费"


def with_twin_projects(x, second_form_delta_yuan: int = 0):
    """Two units' projects named 聘用人员经费: T10 rows under two codes, two 项目申报表."""
    x = copy.deepcopy(x)
    t10 = next(f for f in x.facts if f.table_kind == "T10")
    t12 = next(f for f in x.facts if f.table_kind == "T12")
    for code, wan in (("42010426118T000000200", "7.05"), ("42010426118T000000500", "38.62")):
        x.facts.append(dataclasses.replace(t10, row_code=code, row_label=NAME, column_label="合计",
                                           printed_value=wan, amount_wan=D(wan)))
    for yuan, delta in ((70500, 0), (386200, second_form_delta_yuan)):
        for column, value in (("项目总预算", yuan), ("项目当年预算", yuan + delta), ("资金来源/合计", yuan),
                              ("资金来源/一般公共预算财政拨款", yuan)):
            x.facts.append(dataclasses.replace(t12, row_code=f"project:{NAME}", row_label=NAME, column_label=column,
                                               printed_value=str(value), amount_wan=D(value) / 10000))
    return x


def test_same_named_projects_are_two_subjects_each_matched_to_its_row():
    con = checked(with_twin_projects(SEED_X))
    assert con.execute("SELECT count(*) FROM findings WHERE rule_id = 'B10' AND outcome = 'error'").fetchone()[0] == 0
    assert outcome(con, "B10", f"project:{NAME}") == "pass"
    assert outcome(con, "B10", f"project:{NAME}#2") == "pass"
    assert outcome(con, "A10", f"T12:project:{NAME}:资金来源") == "pass"
    assert outcome(con, "A10", f"T12:project:{NAME}#2:资金来源") == "pass"


def test_a_fault_in_the_second_same_named_form_is_reported_on_it():
    con = checked(with_twin_projects(SEED_X, second_form_delta_yuan=1000))
    assert outcome(con, "B10", f"project:{NAME}") == "pass"
    assert outcome(con, "B10", f"project:{NAME}#2") == "fail"
    assert outcome(con, "A10", f"T12:project:{NAME}:当年预算=资金来源") == "pass"
    assert outcome(con, "A10", f"T12:project:{NAME}#2:当年预算=资金来源") == "fail"


@pytest.mark.parametrize("names, expected", [
    (["中共武汉市硚口区委党校", "武汉市硚口区委党校"], "pass"),
    (["中共武汉市硚口区委党校", "硚口区委党校"], "pass"),
    (["中共武汉市硚口区委党校", "中共武汉市硌口区委党校"], "fail"),
    (["中共武汉市硚口区委党校", "武汉市硚口区委党校办公室"], "fail"),
])
def test_d4_full_and_short_name_of_a_party_department(names, expected):
    x = copy.deepcopy(SEED_X)
    x.meta.names_seen = names
    assert outcome(checked(x), "D4", "name") == expected


def _quoted(x, subject, amount):
    x = copy.deepcopy(x)
    c = next(c for c in x.claims if c.kind == "yoy" and c.subject == "general_budget")
    x.claims.append(dataclasses.replace(c, kind="amount", subject=subject, label="事业运行", amount_wan=D(amount),
                                        delta_wan=None, percent=None, direction=None))
    return x


@pytest.mark.parametrize("said, expected", [("306.25", "pass"), ("296.25", "pass"), ("10", "pass"), ("300", "fail")])
def test_c1_per_code_amount_may_be_its_basic_or_project_part(said, expected):
    """2010350 with 296.25 basic and 10.00 project spending: the narrative lists the basic
    part under 基本支出 and the project part under 项目支出; another figure is a finding."""
    x = with_fact(SEED_X, "T5-1", "2010350", "合计", "306.25")
    x = with_fact(x, "T5-1", "2010350", "项目支出", "10")
    con = checked(_quoted(x, "func:2010350", said))
    assert outcome(con, "C1", "amount:func:2010350") == expected


def test_f2_accepts_every_official_order_of_a_template():
    """The 决算 profile prints 三公 (T7) before the fund tables (上海); central departments
    print it last. Both are in order; a table out of both orders is not."""
    assert ["T1", "T2", "T3", "T4", "T5-1", "T6", "T8", "T9", "T7"] in template_orders()["final"]
    con = connect(":memory:")
    load_extraction(con, SEED_X, SEED_SOURCE)
    fid = con.execute("SELECT filing_id FROM filing").fetchone()[0]
    con.execute("DELETE FROM template_order WHERE template = 'wuhan-2026-budget'")
    base = ["T1", "T2", "T3", "T4", "T5-1", "T5-2", "T6", "T7", "T8", "T9", "T10", "T11", "T12"]
    other = ["T1", "T2", "T3", "T4", "T5-1", "T5-2", "T6", "T8", "T9", "T7", "T10", "T11", "T12"]
    for v, kinds in enumerate((base, other)):
        con.executemany("INSERT INTO template_order VALUES ('wuhan-2026-budget', ?, ?, ?)",
                        [(v, k, i) for i, k in enumerate(kinds)])

    def order_outcome(pages: dict[str, int]) -> str:
        for kind, page in pages.items():
            con.execute("UPDATE filing_table SET pages = [?] WHERE filing_id = ? AND table_kind = ?", [page, fid, kind])
        run_checks(con)
        return outcome(con, "F2", "order")

    assert order_outcome({}) == "pass"
    assert order_outcome({"T7": 13, "T8": 11, "T9": 12}) == "pass"  # 三公 after the fund tables
    assert order_outcome({"T7": 13, "T8": 12, "T9": 11}) == "fail"  # T9 before T8: in neither order


@pytest.mark.parametrize("narrative_says_none, expected", [(True, "pass"), (False, "fail")])
def test_f2_an_empty_fund_table_is_explained_by_its_statement_or_the_narratives(narrative_says_none, expected):
    """T8 printed empty and its statement not read (a statement wrapped over two lines): the
    情况说明's 没有使用政府性基金预算安排的支出 still explains it; with neither it is a finding."""
    x = copy.deepcopy(SEED_X)
    x.tables = [dataclasses.replace(t, note="") if t.table_kind == "T8" else t for t in x.tables]
    if not narrative_says_none:
        x.claims = [c for c in x.claims if not (c.kind == "no_fund" and c.subject == "gov_fund")]
    assert outcome(checked(x), "F2", "empty") == expected
