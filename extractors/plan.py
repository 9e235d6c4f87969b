"""Which pages go to pdfplumber, decided from pypdfium2's text before any expensive parsing.

pdfplumber costs ~50 ms a page (domain.md, "PDF facts"); pypdfium2's text costs ~1 ms.
The same title aliases that ``locate`` applies to pdfplumber's lines are applied here to
pypdfium2's lines, page by page: a page is read when it carries a known table title, or
when a known table is still open at its top (a continuation). Pages of tables the profile
does not know (深圳's 基本支出总表 by unit, 40 pages) and documents with no budget table
at all (a drug catalogue published under a budget link) are never handed to pdfplumber.
"""
from __future__ import annotations

from .locate import _NUMBERED_RE, _PART_RE
from .prescreen import PageInfo
from .profiles import Profile, norm


def page_plan(pages: list[PageInfo], profile: Profile, fiscal_year: int | None) -> tuple[list[int], int]:
    """(1-based page numbers to read with pdfplumber, number of pages with a known title)."""
    wanted: list[int] = []
    titled = 0
    open_kind: str | None = None
    for p in pages:
        if not p.maybe_table:
            open_kind = None  # a table continues only onto the next page, never across text pages
            continue
        events: list[str | None] = []
        for line in p.text.splitlines():
            text = norm(line)
            if not text:
                continue
            kind = profile.match_title(text, fiscal_year)
            if kind is None and profile.is_title_fragment(text, fiscal_year):
                kind = "?"  # read the page: pdfplumber's lines will tell which table it is
            if kind:
                events.append(kind)
            elif _PART_RE.match(text) or _NUMBERED_RE.match(text) or profile.is_other_title(text, fiscal_year):
                events.append(None)
        has_title = any(events)
        if has_title:
            titled += 1
        if has_title or open_kind:
            wanted.append(p.number)
        if events:
            # pypdfium2's line order is content-stream order, not always top to bottom: a
            # known title anywhere on the page keeps the table open for the next page.
            known = [e for e in events if e]
            open_kind = known[-1] if known else None
    return wanted, titled
