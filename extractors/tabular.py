"""XLSX workbooks and HTML pages with the tables inline: the same regions, facts and claims as a PDF.

Both formats reduce to a stream of events per "page" (an XLSX sheet, 1-based; an HTML
page is page 1): text lines (titles, ``单位：万元`` lines, statements, narrative) and
tables as cell matrices with their merged spans. The events then go through the same
title aliases, the same column and row mapping and the same fact builders as a PDF
(``extractors.facts``). Provenance: ``page`` is the sheet index (XLSX) or 1 (HTML);
``bbox`` is None, since neither format has page coordinates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .amounts import normalize_cell
from .grid import Cell, Grid, _is_column_number_row, _is_data_row, _split_bracket_codes
from .locate import _NOTE_RE, _NUMBERED_RE, _PART_RE, _UNIT_RE, Region
from .profiles import Profile, norm

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Matrix:
    """A table as rows of cell texts; None marks a position covered by a merged cell."""

    rows: list[list[str | None]]
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # (r, c) -> (r1, c1)


Event = tuple[str, object]  # ('line', str) | ('table', Matrix)


# ---------------------------------------------------------------------------- grids

def grid_from_matrix(m: Matrix, page: int) -> Grid:
    n_cols = max((len(r) for r in m.rows), default=0)
    rows = [r + [None] * (n_cols - len(r)) for r in m.rows]
    n_header = 0
    for r in rows:
        if _is_data_row(r):
            break
        n_header += 1
    if n_header == len(rows):
        n_header = 0
    first_data = n_header
    while first_data < len(rows) and _is_column_number_row(rows[first_data]):
        first_data += 1
    header_paths: list[list[str]] = [[] for _ in range(n_cols)]
    for i in range(n_header):
        for j, text in enumerate(rows[i]):
            if text is None or not normalize_cell(text):
                continue
            _, c1 = m.spans.get((i, j), (i, j))
            for k in range(j, min(c1, n_cols - 1) + 1):
                if text not in header_paths[k]:
                    header_paths[k].append(text)
    raw = [[Cell(t or "", None) for t in r] for r in rows]
    return _split_bracket_codes(Grid(page=page, bbox=(0.0, 0.0, 0.0, 0.0), header_paths=header_paths,
                                     rows=raw[first_data:], raw_rows=raw))


# ---------------------------------------------------------------------------- regions

def locate_events(pages: list[list[Event]], profile: Profile, fiscal_year: int | None) -> list[Region]:
    """The state machine of ``locate.locate`` over text lines and matrices instead of PDF pages."""
    regions: list[Region] = []
    current: Region | None = None
    for number, events in enumerate(pages, 1):
        for what, value in events:
            if what == "line":
                text = norm(value)
                if not text:
                    continue
                kind = profile.match_title(text, fiscal_year)
                if kind:
                    if current and current.kind == kind and not current.grids:
                        continue
                    current = Region(kind=kind, title=text, pages=[number])
                    spec = profile.tables[kind]
                    if spec.default_unit:
                        current.unit, current.unit_from_profile = spec.default_unit, True
                    regions.append(current)
                    continue
                if current is None:
                    continue
                unit = _UNIT_RE.search(text)
                if unit:
                    if not current.grids or current.unit_from_profile:
                        current.unit, current.unit_from_profile = unit.group(1), False
                elif _PART_RE.match(text) or _NUMBERED_RE.match(text):
                    current = None
                elif _NOTE_RE.search(text):
                    current.notes.append(text)
            elif current is not None:
                current.grids.append(grid_from_matrix(value, number))
                if number not in current.pages:
                    current.pages.append(number)
    return regions


def _is_line_row(texts: list[str], profile: Profile, fiscal_year: int | None) -> bool:
    """A worksheet row that is a title, unit, statement or heading line rather than a table row."""
    filled = [t for t in texts if t]
    if not filled:
        return False
    if len(filled) == 1 and len(norm(filled[0])) > 40:
        return True  # a statement under the table
    if len(filled) > 2:
        return False
    for t in filled:
        n = norm(t)
        if (profile.match_title(n, fiscal_year) or _UNIT_RE.search(n) or _PART_RE.match(n)
                or _NUMBERED_RE.match(n) or _NOTE_RE.search(n)):
            return True
    return False


# ---------------------------------------------------------------------------- XLSX

def _xlsx_text(cell) -> str:
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        fmt = cell.number_format or ""
        places = len(fmt.split(".", 1)[1].rstrip("_);%").split(";")[0]) if "." in fmt else None
        if places is not None and places > 0 and fmt.split(".", 1)[1][:places].strip("0") == "":
            return f"{v:,.{places}f}" if "," in fmt else f"{v:.{places}f}"
        d = Decimal(str(v))
        return format(d.normalize() if d == d.to_integral_value() else d, "f")
    return str(v)


def xlsx_events(path: Path, profile_for) -> tuple[list[list[Event]], list[str]]:
    """Per sheet: its events; and every sheet's text (for profile choice and metadata)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    texts_per_sheet: list[list[list[str]]] = []
    spans_per_sheet = []
    for ws in wb.worksheets:
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        covered: set[tuple[int, int]] = set()
        for rng in ws.merged_cells.ranges:
            r0, c0, r1, c1 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
            spans[(r0, c0)] = (r1, c1)
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
        rows = []
        for r, row in enumerate(ws.iter_rows()):
            rows.append([None if (r, c) in covered else _xlsx_text(cell) for c, cell in enumerate(row)])
        texts_per_sheet.append(rows)
        spans_per_sheet.append(spans)
    lines = [t for rows in texts_per_sheet for row in rows for t in row if t]
    profile, fiscal_year = profile_for(lines)
    pages: list[list[Event]] = []
    for rows, spans in zip(texts_per_sheet, spans_per_sheet):
        events: list[Event] = []
        block: list[list[str | None]] = []
        block_spans: dict = {}
        start = 0

        def flush():
            nonlocal block, block_spans
            if block:
                events.append(("table", Matrix(block, block_spans)))
            block, block_spans = [], {}

        for r, row in enumerate(rows):
            texts = [t or "" for t in row]
            if not any(normalize_cell(t) for t in texts):
                flush()
                continue
            if _is_line_row(texts, profile, fiscal_year):
                flush()
                events.extend(("line", t) for t in texts if t)
                continue
            if not block:
                start = r
            block.append(list(row))
            for (r0, c0), (r1, c1) in spans.items():
                if r0 == r:
                    block_spans[(r - start, c0)] = (r1 - start, c1)
        flush()
        pages.append(events)
    return pages, lines


# ---------------------------------------------------------------------------- HTML

_BLOCK_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "caption", "dt", "dd", "pre", "title"}


def _html_matrix(table) -> Matrix:
    rows: list[list[str | None]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    pending: dict[tuple[int, int], bool] = {}  # positions covered by a rowspan from above
    for r, tr in enumerate(t for t in table.iter("tr") if _owner_table(t) is table):
        row: list[str | None] = []
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while pending.pop((r, c), False):
                row.append(None)
                c += 1
            rs = max(1, int(re.sub(r"\D", "", cell.get("rowspan", "1")) or 1))
            cs = max(1, int(re.sub(r"\D", "", cell.get("colspan", "1")) or 1))
            row.append(" ".join(cell.text_content().split()))
            if rs > 1 or cs > 1:
                spans[(r, c)] = (r + rs - 1, c + cs - 1)
            for dr in range(rs):
                for dc in range(cs):
                    if dr or dc:
                        if dr:
                            pending[(r + dr, c + dc)] = True
                        else:
                            row.append(None)
            c += cs
        while pending.pop((r, c), False):
            row.append(None)
            c += 1
        rows.append(row)
    return Matrix(rows, spans)


def _owner_table(el):
    p = el.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def html_events(path: Path) -> tuple[list[Event], list[str]]:
    import lxml.html

    raw = Path(path).read_bytes()
    doc = lxml.html.document_fromstring(raw)
    events: list[Event] = []
    lines: list[str] = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "table":
            if el.find(".//table") is not None:
                continue  # a layout table: its inner tables and text are visited on their own
            if any(a.tag == "table" for a in el.iterancestors()):
                pass  # an inner table: read it
            m = _html_matrix(el)
            if m.rows:
                events.append(("table", m))
        elif el.tag in _BLOCK_TAGS and not any(a.tag == "table" for a in el.iterancestors()):
            text = " ".join(el.text_content().split())
            if text:
                events.append(("line", text))
                lines.append(text)
    return events, lines
