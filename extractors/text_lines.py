"""A page's text lines as ``page.extract_text_lines(return_chars=False)`` reads them, in one pass.

locate.py reads every table page's lines for titles, units and notes. pdfplumber builds a
``WordExtractor``, a dict per word, a ``TextMap`` of (letter, char) tuples for the whole page
and runs a regular expression over it, ~0.9 ms per sample-district page. With pdfplumber's
default settings (x and y tolerance 3, blanks dropped, left to right, top to bottom, ligatures
expanded, words presorted into the TextMap) on upright text the steps reduce to: the chars
clustered into lines by ``top``, each line sorted by ``x0`` and cut into words (cell_text.py's
rule), the words grouped again by the clusters of their tops, keeping their order (pdfplumber's
``preserve_order``), one line per group. Any other page (a turned char, a char with empty or
multi-letter text) goes to pdfplumber's own method. tests/test_text_lines.py compares both on
real pages.
"""
from __future__ import annotations

from itertools import groupby
from operator import itemgetter

from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

from .cell_text import _by_cluster, _clusters


def text_lines(page) -> list[dict]:
    """``page.extract_text_lines(return_chars=False)``: dicts of text, x0, top, x1, bottom."""
    chars = page.chars
    if not chars:
        return []
    # (x0, x1, top, bottom, text): plain tuples, read a dozen times each below
    rows = [(c["x0"], c["x1"], c["top"], c["bottom"], c["text"]) for c in chars]
    texts = [r[4] for r in rows]
    # one letter each: no text is empty and together they are as long as their count
    if {c["upright"] for c in chars} != {True} or "" in texts or len("".join(texts)) != len(texts):
        return page.extract_text_lines(return_chars=False)
    x_tol, y_tol = DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE
    words: list[tuple[float, list[tuple]]] = []  # (top, chars) in pdfplumber's word order
    for line in _by_cluster(rows, [r[2] for r in rows], y_tol):
        line.sort(key=_X0)
        current: list[tuple] = []
        for r in line:
            if r[4].isspace():
                if current:
                    words.append((min([w[2] for w in current]), current))
                current = []
                continue
            if current:
                px0, px1, ptop = current[-1][:3]
                x0, top = r[0], r[2]
                if not (x0 < px0 or x0 > px1 + x_tol or abs(top - ptop) > y_tol):
                    current.append(r)
                    continue
                words.append((min([w[2] for w in current]), current))
            current = [r]
        if current:
            words.append((min([w[2] for w in current]), current))
    if not words:
        return []
    index = _clusters([w[0] for w in words], y_tol)
    out = []
    for _, grouped in groupby(words, key=lambda w: index[w[0]]):
        group = [word for _, word in grouped]
        line_rows = [r for word in group for r in word]
        text = " ".join(["".join([r[4] for r in word]) for word in group]).translate(_LIGATURES)
        out.append({"text": text, "x0": min([r[0] for r in line_rows]), "top": min([r[2] for r in line_rows]),
                    "x1": max([r[1] for r in line_rows]), "bottom": max([r[3] for r in line_rows])})
    return out


_X0 = itemgetter(0)
_LIGATURES = str.maketrans(LIGATURES)  # one letter to its expansion, as pdfplumber's TextMap spells it
