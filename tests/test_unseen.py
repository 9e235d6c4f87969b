"""benchmarks.unseen: grouping by template family and the figures it prints."""
from decimal import Decimal

import pytest

from benchmarks.unseen import NO_FAMILY, Measure, families, totals_equal
from extractors.model import Extraction, FilingMeta

FULL = {"income_total": Decimal("10"), "expenditure_total": Decimal("10"), "basic_expenditure": Decimal("6"),
        "project_expenditure": Decimal("4"), "sangong_total": Decimal("1")}


@pytest.mark.parametrize(
    "profiled, other, expected",
    [
        (FULL, FULL, (5, 5)),
        (FULL, None, (0, 5)),  # the file loaded no filing
        (FULL, {**FULL, "sangong_total": None}, (4, 5)),
        (FULL, {**FULL, "basic_expenditure": Decimal("6.01")}, (4, 5)),
        ({**FULL, "sangong_total": None}, FULL, (4, 4)),  # only what the profiled run has counts
    ],
)
def test_totals_equal(profiled, other, expected):
    assert totals_equal(profiled, other) == expected


def _ex(template):
    return Extraction(sha256="0" * 64, outcome="ok", meta=FilingMeta(template=template))


def test_families_group_by_the_profile_that_read_each_file():
    rows = [{"path": "a"}, {"path": "b"}, {"path": "c"}, {"path": "d"}]
    profiled = {"a": _ex("jiangsu-budget"), "b": _ex("final"), "c": _ex("jiangsu-budget"),
                "d": Extraction(sha256="1" * 64, outcome="scanned")}
    got = families(rows, profiled)
    assert {k: [r["path"] for r in v] for k, v in got.items()} == {
        NO_FAMILY: ["d"], "final": ["b"], "jiangsu-budget": ["a", "c"]}


def test_measure_rates_and_row():
    m = Measure(files=4, ok=3, filings=4, five=2, ident_pass=99, ident_eval=100, equal=18, equal_of=20, fails=6)
    m.add(Measure(files=1, ok=1, filings=1, five=1, ident_pass=1, ident_eval=1, equal=1, equal_of=1, fails=0))
    assert m.rates() == {"ok": 0.8, "five": 0.6, "identity": 100 / 101, "equal": 19 / 21, "fails_per_filing": 1.2}
    assert m.row("x") == ["x", "5", "4/5 (80.0%)", "3/5 (60.0%)", "100/101 (99.0%)", "19/21 (90.5%)", "1.20"]
