"""The tolerance policy as a property: rounding alone never fails a sum; more than the envelope does."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warehouse.db import connect

CENT = Decimal("0.01")
SQL = """
WITH terms AS (
    SELECT 'f' AS filing_id, 'X' AS rule_id, 's' AS subject, t.role, t.amount_wan,
           half_unit_wan(printed_decimals(t.printed), '万元') AS half_unit, NULL AS ev, false AS required,
           true AS inputs_ok, '' AS what, '' AS lhs_zh, '' AS rhs_zh, t.ord
    FROM (SELECT unnest(?::VARCHAR[]) AS role, unnest(?::DECIMAL(20, 6)[]) AS amount_wan,
                 unnest(?::VARCHAR[]) AS printed, unnest(range(len(?::VARCHAR[]))) AS ord) t
)
SELECT outcome, tolerance FROM sum_identity(terms)
"""


@pytest.fixture(scope="module")
def con():
    c = connect(":memory:")
    yield c
    c.close()


def judge(con, total: Decimal, terms: list[Decimal]) -> tuple[str, Decimal]:
    roles = ["total"] + ["term"] * len(terms)
    amounts = [total, *terms]
    printed = [f"{a:.2f}" for a in amounts]
    return con.execute(SQL, [roles, amounts, printed, roles]).fetchone()


def r2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


exact = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999"), places=4)


@settings(max_examples=60, deadline=None)
@given(st.lists(exact, min_size=1, max_size=12))
def test_rounding_alone_passes(con, values):
    outcome, tol = judge(con, r2(sum(values)), [r2(v) for v in values])
    assert outcome == "pass"
    assert tol == Decimal("0.005") * (len(values) + 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(exact, min_size=1, max_size=12), st.integers(min_value=1, max_value=50))
def test_beyond_the_envelope_fails(con, values, extra_cents):
    terms = [r2(v) for v in values]
    envelope = Decimal("0.005") * (len(values) + 1)
    total = sum(terms) + r2(envelope) + CENT * extra_cents
    assert judge(con, total, terms)[0] == "fail"
