"""Amount parsing: blank is not zero, marks before NFKC, units converted exactly."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.amounts import normalize_cell, parse_amount, parse_percent, to_wan


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("564.25", Decimal("564.25")),
        ("0.00", Decimal("0.00")),
        ("0", Decimal("0")),
        ("1,027,000", Decimal("1027000")),
        ("16,474.82", Decimal("16474.82")),
        ("５６４．２５", Decimal("564.25")),  # full-width digits
        ("(3.50)", Decimal("-3.50")),  # parenthesised negative
        ("（20.28）", Decimal("-20.28")),  # full-width parentheses
        ("-218.91", Decimal("-218.91")),
        ("43.2①", Decimal("43.2")),  # footnote mark stripped, not read as a digit 1
        ("①43.2", Decimal("43.2")),
        ("  109.5\n", Decimal("109.5")),
        ("45 4.75", Decimal("454.75")),  # a number wrapped inside its cell
        ("120258,600", Decimal("120258600")),  # a thousands separator lost in the export (上海 人社)
    ],
)
def test_parse_amount_values(printed, expected):
    value = parse_amount(printed)
    assert value == expected
    assert str(value) == str(expected)


@pytest.mark.parametrize("printed", ["", None, "-", "—", "－", "——", "80.59%", "无", "2026 年", "合计", "1.2.3", "12,34", "1234,56", "1,2345"])
def test_parse_amount_blank_or_not_a_number(printed):
    assert parse_amount(printed) is None


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        ("68000", "元", "6.8"),
        ("1027000", "元", "102.7"),
        ("1712000", "元", "171.2"),
        ("1000000", "元", "100"),
        ("0", "元", "0"),
        ("564.25", "万元", "564.25"),
        ("0.00", "万元", "0.00"),
        ("1.5", "亿元", "15000"),
    ],
)
def test_to_wan(value, unit, expected):
    assert str(to_wan(Decimal(value), unit)) == expected


def test_to_wan_keeps_none():
    assert to_wan(None, "元") is None


@pytest.mark.parametrize("printed, expected", [("80.59%", Decimal("80.59")), ("100%", Decimal("100")),
                                               ("１９．４１％", Decimal("19.41")), ("564.25", None)])
def test_parse_percent(printed, expected):
    assert parse_percent(printed) == expected


def test_normalize_cell_strips_marks_before_nfkc():
    assert normalize_cell("合 计②") == "合计"


@given(st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2))
def test_round_trip_with_thousands_separators(value):
    printed = f"{value:,.2f}"
    if value < 0:
        printed = f"({-value:,.2f})"
    assert parse_amount(printed) == value
    # the same number in full-width digits reads the same
    full = printed.translate(str.maketrans("0123456789.,()", "０１２３４５６７８９．，（）"))
    assert parse_amount(full) == value


@given(st.integers(min_value=0, max_value=10**10))
def test_yuan_to_wan_is_exact(yuan):
    assert to_wan(Decimal(yuan), "元") * 10000 == yuan
