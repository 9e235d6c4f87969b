"""Rules that cannot know what an unknown template family requires say not_applicable (issue 13):
a filing read by the generic national-family profile alone has no table list or order of its own."""
from __future__ import annotations

import dataclasses

import pytest

from test_checks import SEED_X, checked, without_table


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
