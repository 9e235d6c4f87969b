"""Property tests (hypothesis) of the amount parser: what must hold for every printed cell.

The parametrized cases and the round trip with thousands separators are in
tests/test_extract_amounts.py; these add the parser's totality and its invariances.
"""
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.amounts import parse_amount, parse_percent, to_wan

AMOUNTS = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999999.99"), places=2)
MARKS = st.sampled_from("①②③④⑤⑥⑦⑧⑨⑩")
SPACE = st.text(" \t\n\u3000", max_size=3)


@settings(max_examples=200)
@given(st.text(max_size=40))
def test_any_text_parses_to_a_number_or_none_and_never_raises(text):
    value = parse_amount(text)
    assert value is None or isinstance(value, Decimal)
    pct = parse_percent(text)
    assert pct is None or isinstance(pct, Decimal)


@given(AMOUNTS, SPACE, SPACE)
def test_surrounding_white_space_changes_nothing(value, before, after):
    assert parse_amount(f"{before}{value}{after}") == value


@given(AMOUNTS, MARKS)
def test_a_footnote_mark_is_not_a_digit(value, mark):
    assert parse_amount(f"{value}{mark}") == value
    assert parse_amount(f"{mark}{value}") == value


@given(AMOUNTS.filter(lambda v: v > 0))
def test_the_three_ways_of_printing_a_negative_agree(value):
    assert parse_amount(f"-{value}") == parse_amount(f"({value})") == parse_amount(f"（{value}）") == -value


@given(AMOUNTS)
def test_a_percentage_is_never_an_amount(value):
    assert parse_amount(f"{value}%") is None
    assert parse_percent(f"{value}%") == value


@given(AMOUNTS)
def test_units_convert_exactly(value):
    assert to_wan(value, "万元") == value
    assert to_wan(value, "元") * 10000 == value
    assert to_wan(value, "亿元") == value * 10000
