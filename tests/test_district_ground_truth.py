"""The checks against the sample district's ground truth (issue 3).

Every expected finding of ``ground_truth.jsonl`` must be a ``fail`` finding of its rule on
a filing with the same department code, year, kind and unit scope (recall 100%), and at
most 1% of all ``fail`` findings may be outside the ground truth (entries marked
``arguable`` are tolerated there, never required). A rule the warehouse does not
implement yet (``rules.implemented`` false) is an expected failure of its recall test,
decided from the warehouse itself so the list cannot go stale.
"""
from __future__ import annotations

from collections import Counter

import duckdb
import pytest

from district_run import ground_truth

pytestmark = pytest.mark.e2e

RULES = [f"A{i}" for i in range(1, 11)] + [f"B{i}" for i in range(1, 12)] + [f"C{i}" for i in range(1, 6)] \
    + [f"D{i}" for i in range(1, 5)] + [f"E{i}" for i in range(1, 7)] + [f"F{i}" for i in range(1, 6)]
KEY = ("department_code", "fiscal_year", "kind", "unit_scope", "rule_id")


@pytest.fixture(scope="module")
def run(district_run):
    site, db = district_run
    con = duckdb.connect(str(db), read_only=True)
    fails = con.execute("""
        SELECT fl.department_code, fl.fiscal_year, fl.kind, fl.unit_scope, x.rule_id, x.message
        FROM findings x JOIN filings fl USING (filing_id)
        WHERE x.outcome = 'fail'""").fetchall()
    implemented = {r for (r,) in con.execute("SELECT rule_id FROM rules WHERE implemented").fetchall()}
    con.close()
    return ground_truth(site), fails, implemented


def _key(row: dict) -> tuple:
    return tuple(row[k] for k in KEY)


def test_ground_truth_names_only_catalogue_rules(run):
    truth, _, _ = run
    assert {t["rule_id"] for t in truth} <= set(RULES)
    families = Counter(t["rule_id"][0] for t in truth if not t.get("arguable"))
    assert all(families[f] >= 3 for f in "ABCDEF"), families


@pytest.mark.parametrize("rule", sorted({*RULES}, key=lambda r: (r[0], int(r[1:]))))
def test_every_expected_finding_is_found(run, rule):
    truth, fails, implemented = run
    expected = {_key(t) for t in truth if t["rule_id"] == rule and not t.get("arguable")}
    if not expected:
        pytest.skip(f"no injected fault for {rule}")
    found = {tuple(f[:5]) for f in fails}
    missing = sorted(expected - found)
    if missing and rule not in implemented:
        pytest.xfail(f"{rule} is not implemented by the warehouse yet; missing {len(missing)}/{len(expected)}")
    assert not missing, f"{rule}: expected fails not reported: {missing}"


def test_at_most_one_percent_of_fails_are_outside_the_ground_truth(run):
    truth, fails, _ = run
    known = {_key(t) for t in truth}
    extra = [f for f in fails if tuple(f[:5]) not in known]
    by_rule = Counter(f[4] for f in extra)
    examples = {}
    for f in extra:
        examples.setdefault(f[4], f"{f[0]}/{f[1]}/{f[3]}: {f[5][:120]}")
    assert len(extra) <= 0.01 * len(fails), (
        f"{len(extra)} of {len(fails)} fail findings are not in the ground truth: {dict(by_rule)}; e.g. {examples}")
