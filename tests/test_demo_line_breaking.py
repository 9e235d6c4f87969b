"""Narrative line breaking: amounts and the spaces around them are never cut."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demo.line_breaking import break_lines, can_break
from demo.render_pdf import FONT, register_font

register_font()


@pytest.mark.parametrize(
    "text, i, ok",
    [
        ("预算减少", 2, True),        # between two Han characters
        ("564.25 万元", 3, False),     # inside an amount
        ("564.25 万元", 6, False),     # before the space
        ("564.25 万元", 7, False),     # after the space
        ("万元，降低", 2, False),      # no line starts with '，'
        ("（一）基本", 1, False),      # no line ends with '（'
        ("80.59%；项目", 5, False),    # '%' stays with its number
        ("T000000100", 4, False),     # inside a project code
        ("109.5 万元，", 7, False),    # inside the unit 万元
    ],
)
def test_can_break(text, i, ok):
    assert can_break(text, i) is ok


def test_real_sentence_keeps_amounts_whole():
    text = "2026 年部门收支总预算 564.25 万元。比 2025 年预算减少 20.28 万元，降低 3.5%，主要是严格执行相关规定，压减经费支出原因。"
    lines = break_lines(text, FONT, 11, 120)
    assert "".join(lines) == text
    assert len(lines) > 5
    assert all(" " not in (line[0], line[-1]) for line in lines)
    assert any("564.25 万元。" in line for line in lines)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="预算支出万元年，。（）% .0123456789", min_size=1, max_size=120),
       st.floats(min_value=20, max_value=300))
def test_lines_rejoin_to_the_text_and_break_only_where_allowed(text, width):
    lines = break_lines(text, FONT, 11, width)
    assert "".join(lines) == text
    pos = 0
    for line in lines[:-1]:
        pos += len(line)
        # a forced break (no allowed point on an over-long run) is the only exception
        assert can_break(text, pos) or not any(can_break(text, k) for k in range(pos - len(line) + 1, pos))
