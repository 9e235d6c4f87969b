"""B4 when 表5-1 is printed on the current-appropriation caliber and 表4's 本年支出 also spends
the carry-over (财政部 and 武汉 2026 layouts; 2026年武汉市信访局 printed 表4 18,728.94 = 16,474.82
本年拨款 + 2,254.12 上年结转 against 表5-1 16,474.82)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from test_checks import SEED_X, checked, with_fact

D = Decimal


def spends_carryover(t5_total="564.25"):
    """The seed with 10 万元 of 上年结转 in 表4, spent on class 201; 表5-1 as given."""
    x = SEED_X
    for row, printed in [("carryover:general_budget", "10"), ("income_carryover", "10"), ("expenditure_current", "574.25"),
                         ("201", "415.75"), ("income_total", "574.25"), ("expenditure_total", "574.25")]:
        x = with_fact(x, "T4", row, "预算数", printed)
    return with_fact(x, "T5-1", "total", "合计", t5_total)


def b4(con):
    return {s: (o, e, a) for s, o, e, a in con.execute(
        "SELECT subject, outcome, expected, actual FROM findings WHERE rule_id = 'B4' ORDER BY subject").fetchall()}


def test_current_caliber_checks_the_total_on_that_caliber_and_not_the_classes():
    found = b4(checked(spends_carryover()))
    assert found == {"total": ("pass", D("564.25"), D("564.25")), "classes": ("not_applicable", None, None)}


def test_current_caliber_message_names_the_carryover():
    con = checked(spends_carryover())
    msg = con.execute("SELECT message FROM findings WHERE rule_id = 'B4' AND subject = 'classes'").fetchone()[0]
    assert "表4 本年支出另含上年结转 10 万元安排的支出" in msg


@pytest.mark.parametrize("t5_total", ["560.25", "570.25"])
def test_a_total_on_neither_caliber_still_fails_against_the_whole_year(t5_total):
    found = b4(checked(spends_carryover(t5_total)))
    assert found["total"] == ("fail", D("574.25"), D(t5_total))
    assert "classes" not in found and found["class:201"][0] == "fail"


def test_without_carryover_the_classes_are_compared_as_before():
    found = b4(checked())
    assert found["total"][0] == "pass" and found["class:201"][0] == "pass" and "classes" not in found


def test_a_row_printed_twice_still_gives_one_verdict():
    """表4 over two pages can repeat a row: one B4 'classes' finding, never an error."""
    import copy
    import dataclasses

    x = copy.deepcopy(spends_carryover())
    row = next(f for f in x.facts if (f.table_kind, f.row_code) == ("T4", "carryover:general_budget"))
    x.facts.append(dataclasses.replace(row, page=row.page + 1))
    found = b4(checked(x))
    assert found == {"total": ("pass", D("564.25"), D("564.25")), "classes": ("not_applicable", None, None)}
