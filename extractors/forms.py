"""Facts from the two form-like tables: T11 部门整体支出绩效目标表 and T12 项目申报表.

These are not grids of amounts but forms: labelled cells with amounts beside
them. So they are read by label, not by column header, and each amount is
taken in reading order after its label (the forms' merged cells shift column
positions from one project to the next).
"""
from __future__ import annotations

import re

from .amounts import normalize_cell, parse_amount, parse_percent, to_wan
from .grid import Cell
from .locate import Region
from .model import Fact, TableInstance

_YEAR_RE = re.compile(r"^(20\d\d)年$")
_UNIT_IN_CELL_RE = re.compile(r"(?:单位[:：]?|[(（])(万元|元)[)）]?")

T11_LABELS = {
    "财政拨款": "t11:income:fiscal",
    "其他资金": "t11:income:other",
    "基本支出": "t11:exp:basic",
    "项目支出": "t11:exp:project",
}


def _amount_cells(cells: list[Cell]) -> list[Cell]:
    return [c for c in cells if parse_amount(c.text) is not None and parse_percent(c.text) is None]


def _fact(kind, row_code, row_label, column, cell: Cell, unit, page) -> Fact:
    return Fact(
        table_kind=kind, row_code=row_code, row_label=row_label, column_label=column,
        amount_wan=to_wan(parse_amount(cell.text), unit), printed_value=cell.text.strip(),
        printed_unit=unit, page=page, bbox=tuple(round(v, 2) for v in cell.bbox) if cell.bbox else None,
    )


def t11_facts(region: Region) -> tuple[list[Fact], list[str]]:
    facts: list[Fact] = []
    notes: list[str] = []
    unit = region.unit
    years: list[str] = []
    section = None
    for grid in region.grids:
        for row in grid.raw_rows:
            texts = [c.norm for c in row]
            if "部门职能概述" in texts:
                return facts, notes
            if unit is None:
                for t in texts:
                    m = _UNIT_IN_CELL_RE.search(t)
                    if m:
                        unit = m.group(1)
                        break
            row_years = [m.group(1) for t in texts if (m := _YEAR_RE.match(t))]
            if row_years:
                years = row_years
            if "收入构成" in texts:
                section = "income"
            elif "支出构成" in texts:
                section = "exp"
            label_idx = next((i for i, t in enumerate(texts) if t in T11_LABELS or t == "合计"), None)
            if label_idx is None:
                continue
            label = texts[label_idx]
            if label == "合计":
                code = "t11:income_total" if section == "income" else "t11:expenditure_total"
            else:
                code = T11_LABELS[label]
            if unit is None:
                notes.append("整体支出绩效目标表未印单位，金额未读取")
                return [], notes
            amounts = _amount_cells(row[label_idx + 1:])
            columns = ["当年预算"] + [f"近两年/{y}" for y in years]
            for column, cell in zip(columns, amounts):
                facts.append(_fact("T11", code, label, column, cell, unit, grid.page))
    return facts, notes


def t12_projects(region: Region) -> tuple[list[Fact], list[TableInstance], list[str]]:
    """One 项目申报表 per project: budget totals, the two prior years, the funding sources."""
    facts: list[Fact] = []
    instances: list[TableInstance] = []
    notes: list[str] = []
    unit = region.unit
    project = None
    block = None
    for grid in region.grids:
        for row in grid.raw_rows:
            texts = [c.norm for c in row]
            filled = [(i, t) for i, t in enumerate(texts) if t]
            if not filled:
                continue
            first = filled[0][1]
            if first == "项目名称" and len(filled) > 1:
                project = filled[1][1]
                block = None
                instances.append(TableInstance("T12", "项目申报表", unit or "", [grid.page],
                                               note="单位取自模板配置（表内未印单位）" if region.unit_from_profile else ""))
                continue
            if project is None:
                continue
            inst = instances[-1]
            if grid.page not in inst.pages:
                inst.pages.append(grid.page)
            code = f"project:{project}"
            if first in ("项目前两年预算情况", "项目资金来源"):
                block = first
            elif first in ("项目支出明细测算", "项目任务明细", "项目采购", "项目绩效总目标"):
                block = None
            if any(t in ("项目总预算", "项目当年预算") for _, t in filled):
                for k, (i, t) in enumerate(filled):
                    if t in ("项目总预算", "项目当年预算") and k + 1 < len(filled):
                        cell = row[filled[k + 1][0]]
                        if parse_amount(cell.text) is not None:
                            facts.append(_fact("T12", code, project, t, cell, unit, grid.page))
                            inst.n_facts += 1
                continue
            if block == "项目前两年预算情况":
                year = next((t for _, t in filled if _YEAR_RE.match(t)), None)
                if year:
                    amounts = _amount_cells(row)
                    for column, cell in zip(("预算数", "执行数"), [c for c in amounts if normalize_cell(c.text) != year]):
                        facts.append(_fact("T12", code, project, f"前两年/{year}/{column}", cell, unit, grid.page))
                        inst.n_facts += 1
            elif block == "项目资金来源":
                labels = [t for _, t in filled if parse_amount(t) is None and t not in ("项目资金来源", "来源项目", "金额")]
                amounts = _amount_cells(row)
                if labels and amounts:
                    facts.append(_fact("T12", code, project, f"资金来源/{labels[0]}", amounts[-1], unit, grid.page))
                    inst.n_facts += 1
    return facts, instances, notes
