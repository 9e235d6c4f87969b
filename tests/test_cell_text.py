"""extractors/cell_text.py: a cell's text as pdfplumber's extract_text reads it, on made-up chars
that exercise each rule and on every cell of real filings' tables."""
from __future__ import annotations

import pytest
from pdfplumber.utils import extract_text

from extractors.cell_text import cell_text
from extractors.page_source import PageSource
from extractors.prescreen import prescreen
from extractors.table_finder import find_tables
from tests.corpus import corpus_file


def _char(text: str, x0: float, top: float, width: float = 5, upright=True) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 10, "doctop": 1000 + top,
            "upright": upright, "size": 10}


CASES = [
    ("one word", [_char("合", 0, 0), _char("计", 5, 0)], "合计"),
    ("printed out of order", [_char("计", 5, 0), _char("合", 0, 0)], "合计"),
    ("a gap over 3 pt splits words", [_char("1", 0, 0), _char("2", 8.5, 0)], "1 2"),
    ("a gap of 3 pt does not", [_char("1", 0, 0), _char("2", 8, 0)], "12"),
    ("overlapping chars sorted by x0, one word", [_char("a", 10, 0), _char("b", 9, 1)], "ba"),
    ("a blank ends a word", [_char("a", 0, 0), _char(" ", 5, 0), _char("b", 10, 0)], "a b"),
    ("tops within 3 pt: one line", [_char("a", 0, 0), _char("b", 5, 2.9)], "ab"),
    ("tops 3.5 pt apart: two lines", [_char("a", 0, 0), _char("b", 5, 3.5)], "a\nb"),
    ("a chain of close tops is one line", [_char("a", 0, 0), _char("b", 10, 2.5), _char("c", 20, 5)], "a b c"),
    ("ligature expanded", [_char("ﬁ", 0, 0), _char("x", 5, 0)], "fix"),
    ("two lines, each two words", [_char("b", 20, 12), _char("a", 0, 12), _char("d", 20, 0), _char("c", 0, 0)],
     "c d\na b"),
    ("blank chars only", [_char(" ", 0, 0), _char(" ", 5, 0)], ""),
    ("turned chars go to pdfplumber", [_char("a", 0, 0, upright=False), _char("b", 0, 6, upright=False)], "ab"),
    ("mixed uprightness goes to pdfplumber", [_char("a", 0, 0), _char("b", 5, 0, upright=False)], "a b"),
    ("nothing", [], ""),
]


@pytest.mark.parametrize("chars,want", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cell_text_cases(chars, want):
    assert cell_text(chars) == want
    assert extract_text(chars) == want  # the case says what pdfplumber does


FILES = [
    ("cities/001_上海/2026年上海市交通运输局_部门预算.pdf",
     "34775480bd3e3bf88585b2d25b4a3f3203e9bce27e001f9e74fa9b2ec64f85a5"),
    ("cities/003_深圳/2026年深圳市交通运输局部门预算.pdf",
     "ba91de610d1e3685df24d85d46797d6adcc2ab5b4957eec86e18df6adcc495eb"),
    ("jiangsu/江苏省高级人民法院/省法院2017年度部门预算公开.pdf",
     "324795c7efce9893ca94dcfcc6bd8e1e4573b46ceeaa3042185cd44464aeedb0"),
]


@pytest.mark.slow  # every cell of every table page of three filings, both ways
@pytest.mark.parametrize("rel,sha", FILES, ids=[f[0].split("/")[1] for f in FILES])
def test_every_cell_of_real_tables(rel, sha):
    path = corpus_file(rel, sha)
    n_cells = 0
    with PageSource(path, "pdfium") as source:
        for number in [p.number for p in prescreen(path) if p.maybe_table]:
            page = source.page(number)
            for table in find_tables(page):
                for row in table.rows:
                    for cell in row.cells:
                        if cell is None:
                            continue
                        chars = page.crop(cell).chars  # more chars than the midpoint rule picks: harder
                        want = extract_text(chars)
                        assert cell_text(chars) == want, (number, cell)
                        n_cells += 1
            source.release(page)
    assert n_cells > 200
