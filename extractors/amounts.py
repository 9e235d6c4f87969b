"""Parsing printed amount cells and converting them to 万元.

Kept apart from table logic because every extractor (PDF, XLSX, HTML) and the
narrative parser share it, and because its edge cases are the ones a reviewer
checks first: blank is not zero, footnote marks must go *before* NFKC (NFKC
turns ① into the digit 1), and a parenthesised amount is negative.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Marks that mean "nothing printed here" rather than zero.
_BLANKS = {"", "-", "—", "–", "--", "——", "/", "－", "―", "…"}

# Circled / parenthesised / superscript footnote marks; NFKC would turn them into digits.
_FOOTNOTE_RE = re.compile(
    "[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf\u00b9\u00b2\u00b3\u2070-\u2079*※＊†‡]"
)
# A leading group longer than three digits ("120258,600", 上海 人社) is a separator lost in the
# export, not another number: the groups after it still come in threes.
_NUMBER_RE = re.compile(r"^[+-]?(\d+(,\d{3})+|\d+)(\.\d+)?$")

UNIT_FACTORS: dict[str, Decimal] = {
    "万元": Decimal(1),
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "亿元": Decimal(10000),
}


_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=65536)  # a filing prints the same labels, codes and amounts cell after cell
def normalize_cell(text: str | None) -> str:
    """Footnote marks stripped, then NFKC, then all whitespace removed."""
    if text is None:
        return ""
    text = _FOOTNOTE_RE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    return _SPACE_RE.sub("", text)


def parse_amount(text: str | None) -> Decimal | None:
    """The number printed in a cell, in the cell's own unit; None when nothing numeric is printed.

    '0.00' is Decimal('0.00') (printed zero), '' / '-' / '—' are None (blank).
    """
    s = normalize_cell(text)
    if s in _BLANKS:
        return None
    negative = False
    if len(s) >= 2 and s[0] == "(" and s[-1] == ")":
        negative, s = True, s[1:-1]
    s = s.replace("−", "-")
    if not _NUMBER_RE.match(s):
        return None
    try:
        value = Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        return None
    return -value if negative else value


def is_amount(text: str | None) -> bool:
    return parse_amount(text) is not None


def to_wan(value: Decimal | None, unit: str) -> Decimal | None:
    """Convert a printed value in ``unit`` to 万元, exactly (no rounding)."""
    if value is None:
        return None
    factor = UNIT_FACTORS[unit]
    if factor == 1:
        return value
    out = value * factor
    # Drop the trailing zeros the factor adds (68000 元 -> 6.8, not 6.8000), without
    # turning 100 into 1E+2 as a bare normalize() would.
    if out == out.to_integral_value():
        return out.quantize(Decimal(1))
    return out.normalize()


def parse_percent(text: str | None) -> Decimal | None:
    """'80.59%' -> Decimal('80.59'); None when the cell is not a percentage."""
    s = normalize_cell(text)
    if not s.endswith("%"):
        return None
    return parse_amount(s[:-1])
