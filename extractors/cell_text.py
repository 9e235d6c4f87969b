"""A table cell's text as ``pdfplumber.utils.extract_text(chars)`` reads it, in one pass.

A budget table has hundreds of cells a page, most holding one short line; pdfplumber builds a
``WordExtractor``, clusters the chars into lines, the lines into words, merges each word into
a dict, clusters the words into lines again and renders a ``TextMap`` for every one of them,
~1.5 ms per table page of extraction CPU. ``cell_text`` does the same steps with pdfplumber's
default settings (x and y tolerance 3, blanks dropped, left to right, top to bottom, ligatures
expanded) on plain values. It reads upright text only; any other cell (turned chars, a char with
empty text) goes to pdfplumber's own function. tests/test_cell_text.py compares both on every
cell of real filings' tables.
"""
from __future__ import annotations

from itertools import groupby

from pdfplumber.utils import extract_text
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES


def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """pdfplumber's ``make_cluster_dict``: sorted distinct values, a new cluster where a value
    is more than ``tolerance`` above the one before it."""
    index: dict[float, int] = {}
    n = -1
    last = None
    for v in sorted(set(values)):
        if last is None or v > last + tolerance:
            n += 1
        index[v] = n
        last = v
    return index


def _by_cluster(items: list, keys: list[float], tolerance: float) -> list[list]:
    """pdfplumber's ``cluster_objects``: the items grouped by cluster, clusters in order, items
    in their given order within a cluster (a stable sort)."""
    if max(keys) - min(keys) <= tolerance:  # no gap wider than the tolerance: one cluster, as given
        return [list(items)]
    index = _clusters(keys, tolerance)
    tagged = sorted(((index[k], i) for i, k in enumerate(keys)))
    return [[items[i] for _, i in group] for _, group in groupby(tagged, key=lambda t: t[0])]


def cell_text(chars: list[dict]) -> str:
    if not chars:
        return ""
    upright = chars[0]["upright"]
    if not upright or any(c["upright"] != upright or not c["text"] for c in chars):
        return extract_text(chars)
    x_tol, y_tol = DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE
    words: list[tuple[float, str]] = []  # (top, text) in pdfplumber's word order
    for line in _by_cluster(chars, [c["top"] for c in chars], y_tol):
        line.sort(key=lambda c: c["x0"])
        current: list[dict] = []
        for c in line + [None]:  # None: the end of the line closes the last word
            if c is not None and current and not c["text"].isspace():
                prev = current[-1]
                if not (c["x0"] < prev["x0"] or c["x0"] > prev["x1"] + x_tol or abs(c["top"] - prev["top"]) > y_tol):
                    current.append(c)
                    continue
            if current:
                words.append((min(w["top"] for w in current),
                               "".join(LIGATURES.get(w["text"], w["text"]) for w in current)))
            current = [c] if c is not None and not c["text"].isspace() else []
    if len(words) < 2:  # most cells: one word
        return words[0][1] if words else ""
    lines = _by_cluster(words, [w[0] for w in words], y_tol)
    return "\n".join(" ".join(text for _, text in line) for line in lines)
