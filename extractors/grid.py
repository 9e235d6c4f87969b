"""A pdfplumber table as a grid: header paths per column and data rows of cells with bboxes.

pdfplumber's ``Table.extract()`` returns None for the positions a merged cell
spans. Header paths are therefore built geometrically: a header cell belongs to
every column whose centre lies inside the cell's horizontal extent, which gives
"基本支出/人员经费" for a two-row header and "合计" for a cell spanning both rows.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from .amounts import is_amount, normalize_cell, parse_percent
from .cell_text import cell_text

BBox = tuple[float, float, float, float]


@dataclass
class Cell:
    text: str  # as printed by pdfplumber (line breaks kept)
    bbox: BBox | None

    @property
    def norm(self) -> str:
        return normalize_cell(self.text)


@dataclass
class Grid:
    page: int
    bbox: BBox
    header_paths: list[list[str]]  # per column, header cell texts top to bottom
    rows: list[list[Cell]]  # data rows, one Cell per column (blank Cell for merged positions)
    raw_rows: list[list[Cell]] = field(default_factory=list)  # all rows incl. header, for forms (T11/T12)

    @property
    def n_cols(self) -> int:
        return len(self.header_paths)


def _is_data_row(texts: list[str | None]) -> bool:
    return any(t is not None and is_amount(t) and parse_percent(t) is None for t in texts)


def _is_column_number_row(texts: list[str | None]) -> bool:
    vals = [v for v in (normalize_cell(t) for t in texts) if v]
    if any(v in ("栏次", "行次") for v in vals):
        return True
    # "** | ** | 1 | 2": the 栏次 row marks its label columns with asterisks (湖州), so even a
    # table of one amount column ("** | ** | 1") prints a column number that is no amount
    starred = any(re.fullmatch(r"\s*\*+\s*", t or "") for t in texts)
    if len(vals) < (1 if starred else 3) or not all(v.isdigit() for v in vals):
        return False
    nums = [int(v) for v in vals]
    return nums == list(range(nums[0], nums[0] + len(nums))) and nums[0] <= 2


# "[30101]基本工资": the 科目 code printed in brackets at the head of the name cell (珠海).
_BRACKET_CODE_RE = re.compile(r"^\s*[\[［【](\d{3,})[\]］】]\s*(.*)$", re.S)
# "2010350 事业运行" / "201一般公共服务支出": a 功能/经济分类 code (3, 5 or 7 digits) and its name in
# one cell, as templates print them that have no 编码 column. The name must start with a CJK
# character, so an amount or a year ("2026年") never matches.
_PLAIN_CODE_RE = re.compile(r"^\s*(\d{3}(?:\d{2}){0,2})(?!\d)\s*([\u4e00-\u9fff].*)$", re.S)


def _split_bracket_codes(grid: Grid) -> Grid:
    """A name column whose cells lead with a bracketed 科目 code becomes a 编码 and a 名称 column,
    so the coded-table reader sees the same columns as in the templates that print them apart."""
    for j, path in enumerate(grid.header_paths):
        cells = [row[j].norm for row in grid.rows if row[j].norm]
        for code_re in (_BRACKET_CODE_RE, _PLAIN_CODE_RE):
            coded = sum(1 for c in cells if code_re.match(c))
            if coded >= 2 and coded >= 0.6 * len(cells):
                break
        else:
            continue

        def split(row: list[Cell], header: bool) -> list[Cell]:
            cell = row[j]
            m = None if header else code_re.match(cell.text)
            code = Cell(m.group(1) if m else "", cell.bbox)
            name = Cell(m.group(2) if m else cell.text, cell.bbox)
            return row[:j] + [code, name] + row[j + 1:]

        n_header = len(grid.raw_rows) - len(grid.rows)
        return Grid(
            page=grid.page, bbox=grid.bbox,
            # A continuation page without a header keeps empty paths: its columns are the previous page's.
            header_paths=grid.header_paths[:j] + ([path + ["编码"], path + ["名称"]] if path else [[], []])
            + grid.header_paths[j + 1:],
            rows=[split(r, False) for r in grid.rows],
            raw_rows=[split(r, i < n_header) for i, r in enumerate(grid.raw_rows)],
        )
    return grid


def table_texts(table, rows) -> list[list[str | None]]:
    """``Table.extract()``, the same texts, without testing every char of the page against every
    row: a char is tested against the rows whose vertical span holds its midpoint only.
    Chars keep their page order within a row, so each cell's text is what pdfplumber reads."""
    chars = table.page.chars
    mids = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
    keys = [m[0] for m in mids]
    out = []
    for row in rows:
        x0, top, x1, bottom = row.bbox
        picked = sorted(i for _, i in mids[bisect_left(keys, top):bisect_left(keys, bottom)])
        # each char's midpoint once a row, not once a cell: a row of 8 cells tests its chars 8 times
        row_chars = []
        for i in picked:
            c = chars[i]
            mx = (c["x0"] + c["x1"]) / 2
            if x0 <= mx < x1:
                row_chars.append((mx, (c["top"] + c["bottom"]) / 2, c))
        arr = []
        for cell in row.cells:
            if cell is None:
                arr.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            arr.append(cell_text([c for mx, my, c in row_chars if cx0 <= mx < cx1 and ctop <= my < cbottom]))
        out.append(arr)
    return out


def grid_from_table(table, page_number: int) -> Grid:
    rows = table.rows  # a property that regroups the cells on every access
    texts = table_texts(table, rows)
    n_cols = max((len(r) for r in texts), default=0)
    # Column x-extents: the narrowest cell seen starting at each column index.
    col_x: list[tuple[float, float] | None] = [None] * n_cols
    for row in rows:
        for j, c in enumerate(row.cells):
            if c is None:
                continue
            if col_x[j] is None or (c[2] - c[0]) < (col_x[j][1] - col_x[j][0]):
                col_x[j] = (c[0], c[2])
    centres = [None if x is None else (x[0] + x[1]) / 2 for x in col_x]

    raw_rows: list[list[Cell]] = []
    for row, row_texts in zip(rows, texts):
        cells = []
        for j in range(n_cols):
            bbox = row.cells[j] if j < len(row.cells) else None
            text = row_texts[j] if j < len(row_texts) else None
            cells.append(Cell(text or "", tuple(bbox) if bbox else None))
        raw_rows.append(cells)

    n_header = 0
    for row_texts in texts:
        if _is_data_row(row_texts):
            break
        n_header += 1
    if n_header == len(texts):  # no amounts at all: treat every row as data (forms, empty tables)
        n_header = 0
    # The Ministry's 决算 tables print a 栏次 row of column numbers (1, 2, 3 …) under the header:
    # not amounts. Skip it, and do not let it end the header early.
    first_data = n_header
    while first_data < len(texts) and _is_column_number_row(texts[first_data]):
        first_data += 1
        while first_data < len(texts) and not _is_data_row(texts[first_data]) and n_header:
            first_data += 1

    header_paths: list[list[str]] = [[] for _ in range(n_cols)]
    for row in raw_rows[:n_header]:
        for cell in row:
            if cell.bbox is None or not cell.norm:
                continue
            x0, x1 = cell.bbox[0], cell.bbox[2]
            for j, cx in enumerate(centres):
                if cx is not None and x0 <= cx <= x1 and cell.text not in header_paths[j]:
                    header_paths[j].append(cell.text)
    return _split_bracket_codes(Grid(
        page=page_number,
        bbox=tuple(table.bbox),
        header_paths=header_paths,
        rows=raw_rows[first_data:],
        raw_rows=raw_rows,
    ))
