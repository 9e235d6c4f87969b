"""The narrative rules read a sentence as its office meant it (issue 13, item 5): a 决算's totals
against the 决算数 column (C1), a 机关运行经费 scoped to the 行政单位 (C3), a fund table that says
it is empty (C5), 增加 0 万元 (D1), and a name's full and short forms (D4). Each case is the seed
filing with one statement changed."""
from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

import pytest

from fixtures.warehouse.seed_extraction import SEED_SOURCE, seed_extraction
from warehouse.checks import run_checks
from warehouse.db import connect
from warehouse.load import load_extraction
from test_checks import with_claim

SEED_X = seed_extraction()
D = Decimal


def checked(x):
    con = connect(":memory:")
    load_extraction(con, x, SEED_SOURCE)
    run_checks(con)
    return con


def finding(con, rule_id, subject):
    rows = con.execute("SELECT outcome, message FROM findings WHERE rule_id = ? AND subject = ?",
                       [rule_id, subject]).fetchall()
    assert len(rows) == 1, (rule_id, subject, rows)
    return rows[0]


def as_final_account(x):
    """The seed as a 决算 prints it: T1's and T4's amounts in a 决算数 column."""
    x = copy.deepcopy(x)
    x.meta.kind = "决算"
    for f in x.facts:
        if f.table_kind in ("T1", "T4") and f.column_label == "预算数":
            f.column_label = "决算数"
    return x


@pytest.mark.parametrize("said, outcome", [("564.25", "pass"), ("0.3", "fail")])
def test_c1_final_account_total_against_the_final_column(said, outcome):
    x = as_final_account(SEED_X)
    assert not [c for c in x.claims if c.kind == "amount" and c.subject == "total"]
    x.claims.append(dataclasses.replace(next(c for c in x.claims if c.kind == "yoy" and c.subject == "total"),
                                        kind="amount", amount_wan=D(said), delta_wan=None, percent=None,
                                        direction="", prior_year=None))
    got, message = finding(checked(x), "C1", "amount:total")
    assert got == outcome
    assert "564.25" in message


def test_c1_checks_a_change_repeating_an_amount_once():
    x = copy.deepcopy(SEED_X)
    x.claims.append(dataclasses.replace(next(c for c in x.claims if c.kind == "yoy" and c.subject == "total"),
                                        kind="amount", delta_wan=None, percent=None, direction="", prior_year=None))
    con = checked(x)
    assert con.execute("SELECT subject FROM findings WHERE rule_id = 'C1' AND subject LIKE '%:total%' "
                       "ORDER BY subject").fetchall() == [("amount:total",)]


@pytest.mark.parametrize("said, text, outcome", [
    ("20.00", "2026年本级1家行政单位的机关运行经费财政拨款预算 20.00 万元", "insufficient_data"),
    ("30.00", "2026年本级1家行政单位的机关运行经费财政拨款预算 30.00 万元", "fail"),  # above T6: impossible
    ("20.00", "2026 年本部门及下属单位的机关运行经费 20.00 万元", "fail"),           # no scope stated
    ("22.79", "2026年本级1家行政单位的机关运行经费财政拨款预算 22.79 万元", "pass"),
])
def test_c3_admin_operating_scoped_to_the_administrative_units(said, text, outcome):
    x = with_claim(SEED_X, "amount", "admin_operating", amount_wan=D(said), text=text)
    assert finding(checked(x), "C3", "admin_operating")[0] == outcome


@pytest.mark.parametrize("note, outcome", [
    ("注:某局2026年没有使用国有资本经营预算拨款安排的支出,故本表无数据", "pass"),
    ("", "fail"),
])
def test_c5_a_table_that_says_it_is_empty(note, outcome):
    x = copy.deepcopy(SEED_X)
    t9 = next(t for t in x.tables if t.table_kind == "T9")
    t9.note = note
    # the column-number row "1" of an empty table read as an amount
    template = next(f for f in x.facts if f.table_kind == "T7")
    x.facts.append(dataclasses.replace(template, table_kind="T9", row_code="total", row_label="", column_label="项目支出",
                                       printed_value="1", amount_wan=D("1"), page=t9.pages[0]))
    assert finding(checked(x), "C5", "state_capital")[0] == outcome


@pytest.mark.parametrize("delta, direction, percent, outcome", [
    ("0", "增加", "0", "pass"),       # "比上年增加 0 万元，增长 0%": nothing changed
    ("0", "增加", None, "pass"),
    ("0", "增加", "5", "fail"),       # a change of nothing cannot be 5 %
    ("0", "持平", None, "pass"),
])
def test_d1_a_change_of_nothing(delta, direction, percent, outcome):
    x = with_claim(SEED_X, "yoy", "admin_operating", amount_wan=D("0"), delta_wan=D(delta), direction=direction,
                   percent=None if percent is None else D(percent))
    assert finding(checked(x), "D1", "yoy:admin_operating")[0] == outcome


@pytest.mark.parametrize("spellings, outcome", [
    (["1江苏省人民检察院", "江苏省人民检察院"], "pass"),              # a footnote digit read before the name
    (["中国共产党江苏省委员会办公厅", "江苏省委办公厅"], "pass"),       # full and usual short form
    (["江苏省人民检察院", "江苏省人民法院"], "fail"),
])
def test_d4_full_and_short_forms(spellings, outcome):
    x = copy.deepcopy(SEED_X)
    x.meta.names_seen = spellings
    assert finding(checked(x), "D4", "name")[0] == outcome


@pytest.mark.parametrize("actual, percent, outcome", [
    ("0.2", "100", "pass"),     # the seed's T7 年初预算 is read from its budget: 0.2 of 0.2
    ("0.1", "50", "pass"),
    ("0.1", "60", "fail"),
])
def test_d2_final_account_completion_against_the_t7_budget_column(actual, percent, outcome):
    x = copy.deepcopy(SEED_X)
    reception = next(f for f in x.facts if f.table_kind == "T7" and f.row_code == "total"
                     and f.column_label == "公务接待费")
    x.facts.append(dataclasses.replace(reception, column_label="年初预算数/公务接待费"))
    x.claims.append(dataclasses.replace(next(c for c in x.claims if c.kind == "amount" and c.subject == "sangong:reception"),
                                        kind="completion", amount_wan=D(actual), percent=D(percent)))
    assert finding(checked(x), "D2", "completion:sangong:reception")[0] == outcome
