"""F3 expects the narrative parts of the filing's own template family (warehouse/
template_sections.yaml), or the national minimum of 财预〔2016〕143号 for a family not listed."""
from __future__ import annotations

import copy
import dataclasses

import pytest

from extractors.model import Claim
from fixtures.warehouse.seed_extraction import seed_extraction
from test_checks import checked

PARTS = ("functions", "units", "staff", "changes", "sangong", "admin_operating", "procurement", "assets",
         "performance", "glossary")
# the hand-built seed with the ten headings its PDF prints (the extracted seed's, see
# test_warehouse_extracted_seed.py)
SEED_X = seed_extraction()
SEED_X = dataclasses.replace(SEED_X, claims=SEED_X.claims + [
    Claim(kind="section", subject=f"section:{p}", label=p, page=20 + i, text=p) for i, p in enumerate(PARTS)])
CAR = ("sangong:vehicle_purchase", "sangong:vehicle_operation")


def with_template(x, template):
    return dataclasses.replace(x, meta=dataclasses.replace(x.meta, template=template))


def without_claims(x, keep):
    x = copy.deepcopy(x)
    x.claims = [c for c in x.claims if keep(c)]
    return x


def f3(con):
    return dict(con.execute("SELECT subject, outcome FROM findings WHERE rule_id = 'F3' ORDER BY 1").fetchall())


def test_the_seed_is_wuhan_and_prints_all_ten_parts():
    assert SEED_X.meta.template == "wuhan-2026-budget"
    got = f3(checked(SEED_X))
    assert len(got) == 10 and set(got.values()) == {"pass"}


@pytest.mark.parametrize("template", ["shanghai-budget", "jiangsu-budget", None])
def test_another_family_is_held_to_the_national_minimum(template):
    # no 人员构成 and no car split in its 情况说明: neither is asked of it
    x = without_claims(with_template(SEED_X, template),
                       lambda c: c.subject != "section:staff" and c.subject not in CAR)
    con = checked(x)
    got = f3(con)
    assert "section:staff" not in got
    assert set(got.values()) == {"pass"} and len(got) == 9
    msg = con.execute("SELECT message FROM findings WHERE rule_id = 'F3' AND subject = 'section:sangong'").fetchone()[0]
    assert msg.endswith("（按全国最低要求，财预〔2016〕143号）")


@pytest.mark.parametrize("template, subject, outcome", [
    ("wuhan-2026-budget", "section:staff", "fail"),
    ("shanghai-budget", "section:glossary", "fail"),
])
def test_a_part_the_family_requires_still_fails_when_missing(template, subject, outcome):
    x = without_claims(with_template(SEED_X, template), lambda c: c.subject != subject)
    assert f3(checked(x))[subject] == outcome


def test_wuhan_still_requires_the_car_split():
    x = without_claims(SEED_X, lambda c: c.subject not in CAR)
    assert f3(checked(x))["section:sangong"] == "fail"


@pytest.mark.parametrize("dropped, outcome", [
    ({"section:changes"}, "pass"),  # the 收支增减 sentence is there: an unrecognised heading
    ({"section:changes", "total", "general_budget"}, "fail"),
])
def test_a_part_whose_content_is_stated_is_not_missing(dropped, outcome):
    x = without_claims(SEED_X, lambda c: c.subject not in dropped)
    assert f3(checked(x))["section:changes"] == outcome
