"""Facts from the amount tables (T1–T10): one Fact per printed, non-blank amount cell."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import canon
from .amounts import is_amount, normalize_cell, parse_amount, to_wan
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
    # All code columns, left to right: one ('2010350') or three (上海: 类 '201' | 款 '03' | 项 '50').
    codes: list[int] = field(default_factory=list)
    unit: int | None = None  # a 预算单位 column (深圳): the name of the unit each row belongs to
    # A 项目名称 column beside the 单位名称 one (项目支出表 without project codes, 湖州): the row is
    # a project, not its unit.
    project: int | None = None


_CODE_PART_LEAVES = {"类", "款", "项"}


def map_columns(grid: Grid, kind: str, profile: Profile, fiscal_year: int | None) -> Columns:
    labels: list[str | None] = []
    code = name = None
    codes: list[int] = []
    unit = project = None
    unmapped = []
    has_name = any("名称" in norm(p) for path in grid.header_paths for p in path)
    for j, path in enumerate(grid.header_paths):
        joined = "/".join(norm(p) for p in path)
        leaf = norm(path[-1]) if path else ""
        is_code_col = "编码" in joined or "代码" in joined or leaf in _CODE_PART_LEAVES
        if is_code_col and (code is None or (codes and codes[-1] == j - 1)):
            code = j if code is None else code
            codes.append(j)
            labels.append(None)
            continue
        if joined == "预算单位" and unit is None:
            unit = j
            if not has_name and name is None:
                name = j
            labels.append(None)
            continue
        if name is None and ("名称" in joined or joined.endswith("项目")):
            name = j
            labels.append(None)
            continue
        if kind == "T10" and project is None and leaf == "项目名称":
            project = j
            labels.append(None)
            continue
        label = profile.column_label(kind, path, fiscal_year)
        labels.append(label)
        if label is None and joined and not joined.endswith(("单位", "项目单位")):
            unmapped.append(joined)
    labels = profile.settle_columns(kind, grid.header_paths, labels)
    return Columns(labels, code, name, unmapped, codes, unit, project)


def _project_row_code(unit: str, project: str, seen: dict[str, int]) -> tuple[str, str]:
    """Row code and label of a project row that prints no project code: 'project:<单位>/<项目>'.
    A unit prints many projects, so the unit's name alone would merge them. A name printed
    twice gets '#2', '#3', ..."""
    key = f"project:{unit}/{project}"
    seen[key] = seen.get(key, 0) + 1
    return (key if seen[key] == 1 else f"{key}#{seen[key]}"), project


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


def shifted(cols: Columns, shift: int) -> Columns:
    """The amount labels moved ``shift`` columns right (negative: left), as when a header cell
    spanning two rows stands over the wrong data column; code and name columns stay put."""
    fixed = set(cols.codes) | {cols.name, cols.unit}
    labels: list[str | None] = [None] * len(cols.labels)
    for j, label in enumerate(cols.labels):
        k = j + shift
        if label is not None and 0 <= k < len(labels) and k not in fixed:
            labels[k] = label
    return Columns(labels, cols.code, cols.name, cols.unmapped, cols.codes, cols.unit, cols.project)


def _split_code(parts: list[str], last: list[str]) -> str:
    """类 | 款 | 项 printed in three columns where a row prints only its own level's digits
    ('' | '01' | '' under 201): the levels above come from the rows before it."""
    last += [""] * (len(parts) - len(last))
    level = next((i for i, p in enumerate(parts) if p), None)
    if level is None or not all(p.isdigit() for p in parts if p):
        return "".join(parts)
    filled = last[:level] + parts[level:]
    if not all(filled[:level]):
        return "".join(parts)
    # a row's own level ends the code: 款 rows have no 项
    depth = max(i for i, p in enumerate(parts) if p) + 1
    last[:] = filled[:depth] + [""] * (len(parts) - depth)
    return "".join(filled[:depth])


def coded_table_facts(region: Region, profile: Profile, fiscal_year: int | None, *,
                      carry_codes: bool = False, shift: int = 0) -> tuple[list[Fact], list[str]]:
    """``carry_codes`` and ``shift`` give the alternative readings ``readings`` tries: split codes
    completed from the rows above, amount labels moved by a column."""
    if region.kind == "T2" and not shift:
        vertical = vertical_t2_facts(region, profile, fiscal_year)
        if vertical:
            return vertical
    facts: list[Fact] = []
    notes: list[str] = []
    cols: Columns | None = None
    last_unit = ""
    unit_of: list[str] = []  # per fact: the 预算单位 its row belongs to (深圳), else ""
    last_code: list[str] = []  # 类 | 款 | 项 of the row above, for carry_codes
    project_unit = ""  # the 单位名称 of the last project row that printed one
    projects_seen: dict[str, int] = {}
    for grid in region.grids:
        if any(grid.header_paths) or cols is None or len(cols.labels) != grid.n_cols:
            if not any(grid.header_paths) and cols is not None:
                tail = _total_row_tail(region, grid, cols)
                if tail:
                    facts += tail
                    unit_of += [last_unit if cols.unit is not None else ""] * len(tail)
                    notes.append(f"第{grid.page}页合计行单独成表（编码与名称合并为一格），金额列按右对齐读取")
                else:
                    notes.append(f"第{grid.page}页续表列数不同，已跳过")
                continue
            cols = map_columns(grid, region.kind, profile, fiscal_year)
            if shift:
                cols = shifted(cols, shift)
            for u in cols.unmapped:
                if u not in " ".join(notes):
                    notes.append(f"未映射列：{u}")
        year_col = next((j for j, p in enumerate(grid.header_paths) if p and norm(p[-1]) == "年度"), None)
        for row in grid.rows:
            parts = [row[j].norm for j in cols.codes]
            if len(parts) > 1 and (parts[0] or carry_codes):
                # 普陀 prints a 款 of 301 as '2' for '02' (津贴补贴) beside '01' and '08'
                parts = parts[:1] + [p.zfill(2) if p.isdigit() and len(p) == 1 else p for p in parts[1:]]
            code = _split_code(parts, last_code) if carry_codes and len(parts) > 1 else "".join(parts)
            label = row[cols.name].norm if cols.name is not None else ""
            if cols.unit is not None and cols.unit != cols.name and row[cols.unit].norm:
                last_unit = row[cols.unit].norm  # a unit's own row; its 科目 rows follow
            if year_col is not None:
                # 深圳's 三公 table: per unit, a row for last year, this year and the change.
                # The unit's name is printed on its first row only.
                if label:
                    last_unit = label
                label = label or last_unit
                if row[year_col].norm != f"{fiscal_year}年":
                    continue
            if cols.unit is not None and cols.unit == cols.name and label:
                last_unit = label  # one row per unit (收入总表)
            if code and not is_code(code) and not label:
                code, label = "", code  # a label printed in the code column ("合 计")
            project = row[cols.project].norm if cols.project is not None else ""
            if code and is_code(code):
                row_code = code
            elif project and not is_total_label(project) and not is_total_label(label):
                project_unit = label or project_unit  # some layouts print a unit on its first row only
                row_code, label = _project_row_code(project_unit, project, projects_seen)
            elif is_total_label(label) or is_total_label(code) or is_total_label(project) or not label:
                row_code = canon.TOTAL
            else:
                row_code = label
            for j, column in enumerate(cols.labels):
                if column is None:
                    continue
                f = _fact(region.kind, row_code, label, column, row[j], region.unit, grid.page)
                if f:
                    facts.append(f)
                    unit_of.append(last_unit if cols.unit is not None else "")
    if any(unit_of):
        facts, note = _by_unit(facts, unit_of, cols)
        notes += note
    units = {f.row_code for f in facts}
    if (len(units) == 1 and canon.TOTAL not in units
            and (region.kind == "T7" or (region.kind == "T2" and not cols.codes))):
        # One unit and no 合计 row (the 三公 table of a one-unit department, 深圳's 收入总表):
        # that unit's row is the department's total.
        facts = [Fact(**{**f.__dict__, "row_code": canon.TOTAL}) for f in facts]
        notes.append(f"仅一个单位（{facts[0].row_label}），其行即合计")
    if region.kind == "T2":
        facts, note = _income_subtotal_printed_once(facts)
        notes += note
    return facts, notes


def _total_row_tail(region: Region, grid: Grid, cols: Columns) -> list[Fact]:
    """普陀: the last page of a long table holds only its 合计 row, and pdfplumber merges the
    类 | 款 | 项 | 名称 cells into one: the remaining cells are the table's last amount columns."""
    k = grid.n_cols - 1
    targets = cols.labels[-k:] if k >= 1 else []
    if not grid.rows or not targets or not all(targets) or k >= len(cols.labels):
        return []
    if not all(is_total_label(row[0].norm) for row in grid.rows):
        return []
    out = []
    for row in grid.rows:
        for j, column in enumerate(targets, start=1):
            f = _fact(region.kind, canon.TOTAL, row[0].norm, column, row[j], region.unit, grid.page)
            if f:
                out.append(f)
    return out


def _by_unit(facts: list[Fact], unit_of: list[str], cols: Columns) -> tuple[list[Fact], list[str]]:
    """深圳 prints its multi-unit tables unit by unit under a 预算单位 column: the department's
    row first ("深圳市水务局"), then each unit's row ("深圳市水务局（本级）", …), each followed by
    that unit's 科目 rows (支出总表) or year rows (三公). The department's row is the total; a
    unit's row is keyed by the unit's name; a 科目 row keeps its code when the department has one
    unit, else it is keyed "<unit>/<code>" (the department's own 科目 rows are not printed)."""
    units = list(dict.fromkeys(u for u in unit_of if u))
    dept = units[0] if len(units) >= 2 and units[1].startswith(units[0]) else None
    if dept is None:
        return facts, []
    members = [u for u in units if u != dept]
    out = []
    for f, u in zip(facts, unit_of):
        own_row = f.row_code == canon.TOTAL or f.row_code == u  # the unit's (or department's) own row
        if own_row:
            key = canon.TOTAL if u == dept else u
        elif len(members) == 1 or u == dept:
            key = f.row_code
        else:
            key = f"{u}/{f.row_code}"
        out.append(Fact(**{**f.__dict__, "row_code": key, "row_label": f.row_label or u}))
    return out, [f"按预算单位分列：{dept}一行即合计，{len(members)} 个单位"]


def _income_subtotal_printed_once(facts: list[Fact]) -> tuple[list[Fact], list[str]]:
    """收入总表 without a 本年收入 小计 column (上海, 深圳, 福州): with no carry-over amount in its
    total row, the 合计 is also this year's income; the same printed cell stands for both."""
    total = {f.column_label: f for f in facts if f.row_code == canon.TOTAL}
    if "合计" not in total or "本年收入/小计" in total:
        return facts, []
    if any(c.startswith("上年结转结余/") and f.amount_wan for c, f in total.items()):
        return facts, []
    f = total["合计"]
    return facts + [Fact(**{**f.__dict__, "column_label": "本年收入/小计"})], ["合计即本年收入小计（未印本年收入小计列，无上年结转）"]


def summary_table_facts(region: Region, profile: Profile, fiscal_year: int | None) -> tuple[list[Fact], list[str]]:
    """T1 / T4: side by side (label, amount) pairs; T4 may add per-fund columns."""
    facts: list[Fact] = []
    notes: list[str] = []
    prev_labels: list[str | None] | None = None
    # The 本年…合计 codes met on earlier pages: 江苏 2017 prints 当年支出小计 on one page and
    # 支出合计 on the next, in a narrower table.
    seen_before: set[str] = set()
    for grid in region.grids:
        # The side headers (收入 / 支出) sit above the amount columns; the leaf alone decides.
        labels = [profile.column_label(region.kind, p, fiscal_year)
                  or profile.column_label(region.kind, p[-1:], fiscal_year) for p in grid.header_paths]
        rows = grid.rows
        if not any(labels) and prev_labels and len(prev_labels) == len(labels):
            # A continuation page without the header (上海 决算): its first rows were taken
            # for a header; they are data under the previous page's columns.
            labels, rows = prev_labels, grid.raw_rows
        elif not any(labels) and prev_labels and any(prev_labels):
            # ... with fewer columns than the page before (江苏 2017: the last rows, 上年结转 /
            # 收入合计 / 支出合计, drawn as label | amount | label | amount): a column whose cells
            # are all amounts is an amount column, the one amount label the table has.
            amount_labels = set(filter(None, prev_labels))
            only = next(iter(amount_labels)) if len(amount_labels) == 1 else None
            if only is not None:
                cols = list(zip(*[[c.norm for c in r] for r in grid.raw_rows])) if grid.raw_rows else []
                guessed = [only if any(col) and all(not t or is_amount(t) for t in col) else None for col in cols]
                if any(guessed) and guessed[0] is None:
                    labels, rows = guessed, grid.raw_rows
        prev_labels = labels
        # Each amount column belongs to the nearest label column on its left.
        pairs: list[tuple[int, list[int]]] = []
        for j, label in enumerate(labels):
            leaf = norm(grid.header_paths[j][-1]) if grid.header_paths[j] else ""
            if leaf in ("行次", "栏次"):
                continue  # the 决算 row-number column is neither a label nor an amount
            if label is None:
                pairs.append((j, []))
            elif pairs:
                pairs[-1][1].append(j)
        sections: dict[int, str | None] = {}
        seen_codes: dict[int, set[str]] = {}
        for row in rows:
            last_label = None
            for pair_index, (label_col, amount_cols) in enumerate(p for p in pairs if p[1]):
                label = row[label_col].norm
                if not label and last_label and any(row[j].norm for j in amount_cols):
                    # 江苏: "支出合计" spans the two expenditure blocks; its amount sits under the second
                    label, label_col, pair_index = last_label
                if not label:
                    continue
                last_label = (label, label_col, pair_index)
                text = strip_ordinal(label)
                if text in ("本年收入", "本年收入合计"):
                    sections[label_col] = "current"
                elif text in ("上年结转", "上年结转结余") or summary_row_code(label, None, profile) == "income_carryover":
                    # 决算 T4 opens the block with 年初财政拨款结转和结余 and repeats the funds under it
                    sections[label_col] = "carryover"
                code = summary_row_code(label, sections.get(label_col), profile)
                seen = seen_codes.setdefault(label_col, set())
                # 福州 closes each side with 收入合计 / 支出合计 after 本年…合计 and the carry-over:
                # there it is the grand total.
                if code == "income_current" and "income_current" in seen | seen_before and text == "收入合计":
                    code = "income_total"
                elif code == "expenditure_current" and "expenditure_current" in seen | seen_before and text == "支出合计":
                    code = "expenditure_total"
                if code is None and text in ("总计", "合计"):
                    # 决算 and 上海 print a bare 总计 on both sides: the side decides
                    code = "income_total" if pair_index == 0 else "expenditure_total"
                if code is None:
                    code = text
                    if f"未识别行：{label}" not in notes:
                        notes.append(f"未识别行：{label}")
                for j in amount_cols:
                    f = _fact(region.kind, code, label, labels[j], row[j], region.unit, grid.page)
                    if f:
                        facts.append(f)
                        seen.add(code)
        seen_before.update(*seen_codes.values())
    # A side printed with only one of its two totals stands for both, the same printed cells
    # under both row keys: no 总计 row (江苏, 福州 单位 files) when no carry-over amount is
    # printed; no 本年…合计 row (上海) when no carry-over row is printed at all.
    def row_of(code: str) -> list[Fact]:
        rows = [f for f in facts if f.row_code == code]
        return [f for f in rows if (f.page, f.row_label) == (rows[-1].page, rows[-1].row_label)] if rows else []

    for current, carry, total in (("income_current", "income_carryover", "income_total"),
                                  ("expenditure_current", "expenditure_carryover", "expenditure_total")):
        have = {f.row_code for f in facts}
        carried = [f for f in facts if f.row_code == carry]
        if total not in have and current in have and not any(f.amount_wan for f in carried):
            src, key = row_of(current), total
        elif current not in have and total in have and not carried:
            src, key = row_of(total), current
        else:
            continue
        facts.extend(Fact(**{**f.__dict__, "row_code": key}) for f in src)
        notes.append(f"“{src[0].row_label}”一行同时是{canon.ROW_KEYS[key]}（未印另一合计行）")
    return facts, notes


def _item_key(label: str) -> str:
    # 福州 numbers the vehicle parts after the 其中: "其中：（1）公务用车购置费"
    text = strip_ordinal(strip_ordinal(norm(label).removeprefix("其中:")))
    return re.sub(r"^\(\d+\)", "", text).replace("“", "").replace("”", "").replace('"', "")


def vertical_t7_facts(region: Region, profile: Profile | None = None) -> tuple[list[Fact], list[str]] | None:
    """A 三公 table printed as one row per item (福州, 江苏), or None when it is not one."""
    items = {_item_key(k): v for k, v in {**canon.T7_ITEM_LABELS, **(profile.t7_items if profile else {})}.items()}
    facts: list[Fact] = []
    seen: set[str] = set()
    for grid in region.grids:
        for row in grid.raw_rows:
            texts = [c.norm for c in row]
            label_j = next((j for j, t in enumerate(texts) if t and not is_amount(t)), None)
            if label_j is None:
                continue
            column = items.get(_item_key(texts[label_j]))
            amount_j = next((j for j in range(label_j + 1, len(row)) if is_amount(texts[j])), None)
            if column is None or amount_j is None or column in seen:
                continue
            seen.add(column)
            f = _fact(region.kind, canon.TOTAL, texts[label_j], column, row[amount_j], region.unit, grid.page)
            if f:
                facts.append(f)
    if "合计" not in seen or len(seen) < 2:
        return None
    return facts, ["竖排三公表：每行一个项目"]


def vertical_t2_facts(region: Region, profile: Profile, fiscal_year: int | None) -> tuple[list[Fact], list[str]] | None:
    """A 收入总表 printed as one row per kind of income (江苏: 项目名称 | 金额), or None when it is
    not one. The row names play the part of the horizontal table's column headers: a kind of
    income and its 小计 or item ("一般公共预算资金" / "小计") map through the profile's T2 header
    aliases onto the same column labels, every amount on the department's total row."""
    heads = [g for g in region.grids if any(g.header_paths)]
    if not heads or any(any(map_columns(g, region.kind, profile, fiscal_year).labels) for g in heads):
        return None  # a header names amount columns: the usual one-row-per-unit layout
    facts: list[Fact] = []
    notes: list[str] = []
    seen: set[str] = set()
    read_groups: set[str] = set()  # kinds whose 小计 is read: their items are parts of it
    group = ""
    for grid in region.grids:
        amount_j = grid.n_cols - 1
        if amount_j < 1:
            return None
        for row in grid.raw_rows:
            texts = [c.norm for c in row]
            if texts[0]:
                group = texts[0]  # the kind of income, printed on its first row only
            parts = [group] + [t for t in texts[1:amount_j] if t]
            column = profile.column_label(region.kind, parts, fiscal_year)
            printed = texts[amount_j]
            if column is None:
                # An amount no column holds, unless it is part of a 小计 that is read, or a 小计
                # whose items are read one by one (其他资金: 事业收入, 经营收入, 其他收入).
                if (printed and is_amount(printed) and parse_amount(printed) and group not in read_groups
                        and parts[-1] != "小计"):
                    notes.append(f"未映射行：{'/'.join(parts)}（{printed}）")
                continue
            if parts[-1] == "小计":
                read_groups.add(group)
            if column in seen:
                continue
            seen.add(column)
            f = _fact(region.kind, canon.TOTAL, "/".join(parts), column, row[amount_j], region.unit, grid.page)
            if f:
                facts.append(f)
    if "合计" not in seen or len(seen) < 2:
        return None
    facts, note = _income_subtotal_printed_once(facts)
    return facts, ["竖排收入总表：每行一种收入，金额均在合计行"] + notes + note
