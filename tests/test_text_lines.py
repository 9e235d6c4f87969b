"""extractors/text_lines.py: a page's lines as pdfplumber's extract_text_lines reads them, on
made-up chars that exercise each rule and on every table page of real filings."""
from __future__ import annotations

import pytest
from pdfplumber.utils.text import chars_to_textmap

from extractors.text_lines import text_lines
from tests.corpus import FAST_PATH_FILES, corpus_file, table_pages


def _char(text: str, x0: float, top: float, width: float = 5, upright=True) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 10, "doctop": 1000 + top,
            "upright": upright, "size": 10}


class _Chars:
    """Just what both readings ask of a page: its chars, and pdfplumber's lines of them."""

    def __init__(self, chars: list[dict]):
        self.chars = chars

    def extract_text_lines(self, return_chars: bool = True) -> list[dict]:
        # layout_bbox as a page passes it: pdfplumber takes the bbox of no chars otherwise
        return chars_to_textmap(self.chars, layout_bbox=(0, 0, 100, 100)).extract_text_lines(return_chars=return_chars)


def _line(text, x0, top, x1, bottom):
    return {"text": text, "x0": x0, "top": top, "x1": x1, "bottom": bottom}


CASES = [
    ("one word", [_char("合", 0, 0), _char("计", 5, 0)], [_line("合计", 0, 0, 10, 10)]),
    ("printed out of order", [_char("计", 5, 0), _char("合", 0, 0)], [_line("合计", 0, 0, 10, 10)]),
    ("a gap over 3 pt: two words", [_char("1", 0, 0), _char("2", 8.5, 0)], [_line("1 2", 0, 0, 13.5, 10)]),
    ("a blank ends a word", [_char("a", 0, 0), _char(" ", 5, 0), _char("b", 10, 0)],
     [_line("a b", 0, 0, 15, 10)]),
    ("tops 3.5 pt apart: two lines, top first", [_char("b", 5, 3.5), _char("a", 0, 0)],
     [_line("a", 0, 0, 5, 10), _line("b", 5, 3.5, 10, 13.5)]),
    ("a chain of close tops is one line", [_char("a", 0, 0), _char("b", 10, 2.5), _char("c", 20, 5)],
     [_line("a b c", 0, 0, 25, 15)]),
    # one line of chars whose words' tops (0 and 4) are two clusters, the words printed
    # 0, 4, 0 left to right: pdfplumber keeps their order and cuts a line at each change
    ("a line of chars split by its words' tops", [_char("a", 0, 0), _char("b", 5, 2), _char("c", 15, 4),
                                                   _char("d", 30, 0)],
     [_line("ab", 0, 0, 10, 12), _line("c", 15, 4, 20, 14), _line("d", 30, 0, 35, 10)]),
    ("ligature expanded", [_char("ﬁ", 0, 0), _char("x", 5, 0)], [_line("fix", 0, 0, 10, 10)]),
    ("blank chars only", [_char(" ", 0, 0), _char(" ", 5, 0)], []),
    ("turned chars go to pdfplumber", [_char("a", 0, 0, upright=False), _char("b", 0, 6, upright=False)],
     [_line("ab", 0, 0, 5, 16)]),
    # pdfplumber splits words at an empty text ("" is in its empty split_at_punctuation)
    ("an empty char text goes to pdfplumber", [_char("a", 0, 0), _char("", 5, 0), _char("b", 10, 0)],
     [_line("a  b", 0, 0, 15, 10)]),
    ("nothing", [], []),
]


@pytest.mark.parametrize("chars,want", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_text_lines_cases(chars, want):
    page = _Chars(chars)
    assert text_lines(page) == want
    assert page.extract_text_lines(return_chars=False) == want  # the case says what pdfplumber does




@pytest.mark.slow  # every table page of three filings, both ways
@pytest.mark.parametrize("rel,sha", FAST_PATH_FILES, ids=[f[0].split("/")[1] for f in FAST_PATH_FILES])
def test_every_table_page_of_real_filings(rel, sha):
    n_lines = 0
    for page in table_pages(corpus_file(rel, sha)):
        want = page.extract_text_lines(return_chars=False)
        assert text_lines(page) == want, page.page_number
        n_lines += len(want)
    assert n_lines > 100
