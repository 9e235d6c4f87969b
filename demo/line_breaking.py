"""Line breaking for Chinese narrative paragraphs.

reportlab's CJK wrapping may break anywhere, e.g. between '109.5 万' and '元', and a break
at a space drops that space from the text layer ('564.25\\n万元' reads back as '564.25万元').
The narrative's amounts are what the checks read (rules C1/D1/D2), so we break lines
ourselves: never next to a space, never inside a run of digits/Latin letters, and with
the usual kinsoku rules (no line starts with closing punctuation, none ends with an
opening one).
"""
from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

NO_LINE_START = set("，。、；：？！）)》」』】〕”’%．,.;:?!…·")
NO_LINE_END = set("（(《「『【〔“‘")
UNIT_WORDS = {"万元", "亿元"}  # '109.5 万 / 元' would split the amount's unit
ASCII_WORD = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,%-+/")


def can_break(text: str, i: int) -> bool:
    """May a line end between text[i-1] and text[i]?"""
    a, b = text[i - 1], text[i]
    if a == " " or b == " ":
        return False
    if a in ASCII_WORD and b in ASCII_WORD:
        return False
    if b in NO_LINE_START or a in NO_LINE_END:
        return False
    if a + b in UNIT_WORDS:
        return False
    return True


def break_lines(text: str, font: str, size: float, width: float, first_width: float | None = None) -> list[str]:
    """Greedy fill: each line as wide as fits, broken only where ``can_break`` allows."""
    lines: list[str] = []
    start = 0
    limit = first_width if first_width is not None else width
    while start < len(text):
        end, last_ok, w = start, None, 0.0
        while end < len(text):
            w += stringWidth(text[end], font, size)
            if w > limit:
                break
            end += 1
            if end < len(text) and can_break(text, end):
                last_ok = end
        if end >= len(text):
            lines.append(text[start:])
            break
        cut = last_ok if last_ok and last_ok > start else max(end, start + 1)
        lines.append(text[start:cut])
        start = cut
        limit = width
    return lines
