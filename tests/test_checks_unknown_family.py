"""Rules that cannot know what an unknown template family requires say not_applicable (issue 13):
a filing read by the generic national-family profile alone has no table list or order of its own."""
from __future__ import annotations

import dataclasses

import pytest

from test_checks import SEED_X, checked, with_fact, without_table


def f2(template: str, drop: str | None):
    x = dataclasses.replace(SEED_X, meta=dataclasses.replace(SEED_X.meta, template=template))
    if drop:
        x = without_table(x, drop)
    con = checked(x)
    try:
        return dict(con.execute("SELECT subject, outcome FROM findings WHERE rule_id = 'F2'").fetchall())
    finally:
        con.close()


@pytest.mark.parametrize("template, drop, expected", [
    # the seed's own template: a missing 支出预算总表 is a finding
    (SEED_X.meta.template, "T3", {"missing": "fail", "duplicate": "pass", "order": "pass", "empty": "pass"}),
    (SEED_X.meta.template, None, {"missing": "pass", "duplicate": "pass", "order": "pass", "empty": "pass"}),
    # the generic reading: which tables are due, and their order, are unknown
    ("generic", "T3", {"missing": "not_applicable", "duplicate": "pass", "order": "not_applicable", "empty": "pass"}),
])
def test_f2_expects_only_what_the_family_is_known_to_print(template, drop, expected):
    assert f2(template, drop) == expected


def f2_empty(t8_note: str, t8_check: str):
    """F2's empty-table aspect when 表8 has no amount read, with the note and self-check given (the
    narrative's own "no fund" statement removed, so only the table can explain itself)."""
    x = without_table(SEED_X, "T8")
    x = dataclasses.replace(x, claims=[c for c in x.claims if (c.kind, c.subject) != ("no_fund", "gov_fund")])
    x.tables.append(dataclasses.replace(next(t for t in SEED_X.tables if t.table_kind == "T8"), n_facts=0,
                                        note=t8_note, self_check=t8_check))
    con = checked(x)
    try:
        return con.execute("SELECT outcome FROM findings WHERE rule_id = 'F2' AND subject = 'empty'").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("note, check, outcome", [
    ("本单位 2026 年无政府性基金预算", "unchecked", "pass"),
    ("", "unchecked", "fail"),  # empty and nothing says why
    # amounts printed but none read: not known to be empty, so nothing to claim
    ("", "fail", "insufficient_data"),
])
def test_f2_an_unread_table_is_not_an_empty_one(note, check, outcome):
    assert f2_empty(note, check) == [(outcome,)]


@pytest.mark.parametrize("t1_gov_fund, outcome", [
    (None, "pass"),  # the seed: all of 表4's one column is 一般公共预算 money
    ("12.5", "insufficient_data"),  # 表1 shows fund income 表4's fund rows did not give: no caliber
])
def test_b4_one_column_t4_compares_only_when_t1_shows_no_other_funds(t1_gov_fund, outcome):
    x = SEED_X if t1_gov_fund is None else with_fact(SEED_X, "T1", "income:gov_fund", "预算数", t1_gov_fund)
    con = checked(x)
    try:
        got = con.execute("SELECT DISTINCT outcome FROM findings WHERE rule_id = 'B4'").fetchall()
    finally:
        con.close()
    assert got == [(outcome,)]
