"""extractors/cell_text.py: a cell's text as pdfplumber's extract_text reads it, on made-up chars
that exercise each rule and on every cell of real filings' tables."""
from __future__ import annotations

import pytest
from pdfplumber.utils import extract_text

from extractors.cell_text import cell_text
from extractors.table_finder import find_tables
from tests.corpus import FAST_PATH_FILES, corpus_file, table_pages


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




@pytest.mark.slow  # every cell of every table page of three filings, both ways
@pytest.mark.parametrize("rel,sha", FAST_PATH_FILES, ids=[f[0].split("/")[1] for f in FAST_PATH_FILES])
def test_every_cell_of_real_tables(rel, sha):
    n_cells = 0
    for page in table_pages(corpus_file(rel, sha)):
        for table in find_tables(page):
            for row in table.rows:
                for cell in row.cells:
                    if cell is None:
                        continue
                    chars = page.crop(cell).chars  # more chars than the midpoint rule picks: harder
                    want = extract_text(chars)
                    assert cell_text(chars) == want, (page.page_number, cell)
                    n_cells += 1
    assert n_cells > 200
