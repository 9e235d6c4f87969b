"""Facts from the amount tables (T1–T10): one Fact per printed, non-blank amount cell."""
from __future__ import annotations

from dataclasses import dataclass

from . import canon
from .amounts import normalize_cell, parse_amount, to_wan
from .grid import Cell, Grid
from .locate import Region
from .model import Fact
from .profiles import Profile, norm
from .rows import is_code, is_total_label, strip_ordinal, summary_row_code


@dataclass
class Columns:
    labels: list[str | None]  # canonical label per column, None for non-amount columns
    code: int | None
    name: int | None
    unmapped: list[str]


def map_columns(grid: Grid, kind: str, profile: Profile, fiscal_year: int | None) -> Columns:
    labels: list[str | None] = []
    code = name = None
    unmapped = []
    for j, path in enumerate(grid.header_paths):
        joined = "/".join(norm(p) for p in path)
        if code is None and ("编码" in joined or "代码" in joined):
            code = j
            labels.append(None)
            continue
        if name is None and ("名称" in joined or joined.endswith("项目")):
            name = j
            labels.append(None)
            continue
        label = profile.column_label(kind, path, fiscal_year)
        labels.append(label)
        if label is None and joined and not joined.endswith(("单位", "项目单位")):
            unmapped.append(joined)
    return Columns(labels, code, name, unmapped)


def _fact(kind: str, row_code: str, row_label: str, column: str, cell: Cell, unit: str, page: int) -> Fact | None:
    printed = cell.text.strip()
    if not normalize_cell(printed):
        return None  # blank is not zero: no fact
    value = parse_amount(printed)
    return Fact(
        table_kind=kind, row_code=row_code, row_label=row_label, column_label=column,
        amount_wan=to_wan(value, unit), printed_value=printed, printed_unit=unit,
        page=page, bbox=tuple(round(v, 2) for v in cell.bbox) if cell.bbox else None,
    )


def coded_table_facts(region: Region, profile: Profile, fiscal_year: int | None) -> tuple[list[Fact], list[str]]:
    facts: list[Fact] = []
    notes: list[str] = []
    cols: Columns | None = None
    for grid in region.grids:
        if any(grid.header_paths) or cols is None or len(cols.labels) != grid.n_cols:
            if not any(grid.header_paths) and cols is not None:
                notes.append(f"第{grid.page}页续表列数不同，已跳过")
                continue
            cols = map_columns(grid, region.kind, profile, fiscal_year)
            for u in cols.unmapped:
                if u not in " ".join(notes):
                    notes.append(f"未映射列：{u}")
        for row in grid.rows:
            code = row[cols.code].norm if cols.code is not None else ""
            label = row[cols.name].norm if cols.name is not None else ""
            if code and not is_code(code) and not label:
                code, label = "", code  # a label printed in the code column ("合 计")
            if code and is_code(code):
                row_code = code
            elif is_total_label(label) or is_total_label(code) or not label:
                row_code = canon.TOTAL
            else:
                row_code = label
            for j, column in enumerate(cols.labels):
                if column is None:
                    continue
                f = _fact(region.kind, row_code, label, column, row[j], region.unit, grid.page)
                if f:
                    facts.append(f)
    return facts, notes


def summary_table_facts(region: Region, profile: Profile, fiscal_year: int | None) -> tuple[list[Fact], list[str]]:
    """T1 / T4: side by side (label, amount) pairs; T4 may add per-fund columns."""
    facts: list[Fact] = []
    notes: list[str] = []
    for grid in region.grids:
        # The side headers (收入 / 支出) sit above the amount columns; the leaf alone decides.
        labels = [profile.column_label(region.kind, p, fiscal_year)
                  or profile.column_label(region.kind, p[-1:], fiscal_year) for p in grid.header_paths]
        # Each amount column belongs to the nearest label column on its left.
        pairs: list[tuple[int, list[int]]] = []
        for j, label in enumerate(labels):
            if label is None:
                pairs.append((j, []))
            elif pairs:
                pairs[-1][1].append(j)
        sections: dict[int, str | None] = {}
        for row in grid.rows:
            for label_col, amount_cols in pairs:
                if not amount_cols:
                    continue
                label = row[label_col].norm
                if not label:
                    continue
                text = strip_ordinal(label)
                if text in ("本年收入", "本年收入合计"):
                    sections[label_col] = "current"
                elif text in ("上年结转", "上年结转结余"):
                    sections[label_col] = "carryover"
                code = summary_row_code(label, sections.get(label_col))
                if code is None:
                    code = text
                    if f"未识别行：{label}" not in notes:
                        notes.append(f"未识别行：{label}")
                for j in amount_cols:
                    f = _fact(region.kind, code, label, labels[j], row[j], region.unit, grid.page)
                    if f:
                        facts.append(f)
    return facts, notes
