"""Alternative readings of one table, kept by their sums (issue 13).

A layout nobody described can be read more than one way: split 类 | 款 | 项 codes as printed or
completed from the rows above, amount labels over their columns or shifted by one (a header cell
spanning two rows), the 合计 column where the header says or where the sums put it. The first
reading is the one the header states; another is taken only when the first fails its own sums
(``selfcheck.is_misreading``) and the other passes: a consistent reading is never second-guessed,
so an office's single wrong figure is never "repaired" by relabelling columns. One exception,
on 收支总表 / 财政拨款收支总表: a row the reader did not recognise, printed where the carry-over
stands and whose amount is exactly the gap between 总计 and 本年合计, is read as the carry-over
(``_carryover_by_sums``): there the evidence is a printed row, not a relabelling.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import canon
from .amounts import normalize_cell

from .facts import coded_table_facts, summary_table_facts, vertical_t7_facts
from .model import Fact
from .selfcheck import ROW_SUMS, Verdict, check_table, half_unit, score


@dataclass
class Reading:
    facts: list[Fact]
    notes: list[str]
    how: str  # Chinese, '' for the reading the header states
    verdict: Verdict


def _has_split_partial_codes(region) -> bool:
    """Some row prints a lower code level with the levels above it blank ('' | '01' | '')."""
    for grid in region.grids:
        code_cols = [j for j, p in enumerate(grid.header_paths)
                     if p and ("编码" in "".join(p) or "代码" in "".join(p) or p[-1].strip() in ("类", "款", "项"))]
        if len(code_cols) < 2:
            continue
        for row in grid.rows:
            parts = [row[j].norm for j in code_cols]
            if not parts[0] and any(parts[1:]):
                return True
    return False


_HEADER_UNIT_RE = re.compile(r"(?:[(（]|单位[:：]?)(万元|千元|亿元|元)(?:[)）]|$)|^(万元|千元|亿元|元)$")


def header_unit(region) -> str | None:
    """The unit printed in the table's own header cells ("金额（万元）", "预算数(元)") when no
    "单位：万元" line is printed above it; None when the header names none or more than one."""
    units = {m.group(1) or m.group(2) for grid in region.grids for path in grid.header_paths for part in path
             if (m := _HEADER_UNIT_RE.search(normalize_cell(part)))}
    return units.pop() if len(units) == 1 else None


def _relabelled(facts: list[Fact], a: str, b: str) -> list[Fact]:
    swap = {a: b, b: a}
    return [Fact(**{**f.__dict__, "column_label": swap.get(f.column_label, f.column_label)}) for f in facts]


def _total_swaps(kind: str, facts: list[Fact]) -> list[tuple[list[Fact], str]]:
    """The 合计 (or a subtotal) label exchanged with another amount column's label."""
    present = list(dict.fromkeys(f.column_label for f in facts))
    out = []
    for total, _ in ROW_SUMS.get(kind, []):
        if total not in present:
            continue
        for other in present:
            if other != total:
                out.append((_relabelled(facts, total, other), f"“{total}”与“{other}”两列互换"))
    return out


_SIDES = {"income": "收入", "expenditure": "支出"}


def _carryover_by_sums(facts: list[Fact]) -> tuple[list[Fact], str] | None:
    """收支总表 / 财政拨款收支总表 with no carry-over row read on a side whose 总计 is not its
    本年合计: a row printed between the two, in the same column of the same side, whose label
    the reader did not recognise ("上年结余、结转") and whose amount is exactly the gap, is the
    carry-over. The first such row is taken (its own items follow it: "1.财政拨款结余、结转")."""
    known = {f.row_code for f in facts if f.row_code.startswith(("income", "expenditure", "carryover"))}
    out, said = list(facts), []
    for side, zh in _SIDES.items():
        if f"{side}_carryover" in known or (side == "income" and any(c.startswith("carryover:") for c in known)):
            continue
        for column in dict.fromkeys(f.column_label for f in facts):
            idx = {f.row_code: i for i, f in enumerate(out) if f.column_label == column and f.amount_wan is not None}
            if f"{side}_current" not in idx or f"{side}_total" not in idx:
                continue
            current, total = out[idx[f"{side}_current"]], out[idx[f"{side}_total"]]
            gap = total.amount_wan - current.amount_wan
            if abs(gap) <= half_unit(total) + half_unit(current):
                continue
            for i in range(idx[f"{side}_current"] + 1, idx[f"{side}_total"]):
                f = out[i]
                same_side = not (f.bbox and total.bbox) or abs(f.bbox[0] - total.bbox[0]) < 2
                if (f.column_label == column and f.amount_wan is not None and same_side
                        and f.row_code not in canon.ROW_KEYS and not f.row_code.isdigit()
                        and abs(f.amount_wan - gap) <= half_unit(total) + half_unit(current) + half_unit(f)):
                    out[i] = Fact(**{**f.__dict__, "row_code": f"{side}_carryover"})
                    said.append(f"“{f.row_label}”{f.printed_value} 恰为{zh}总计与本年{zh}合计之差，读作结转")
                    break
    return (out, "；".join(dict.fromkeys(said))) if said else None


def read_table(region, profile, fiscal_year: int | None) -> Reading:
    """The facts of one amount table (T1–T10), in the reading whose sums hold."""
    kind = region.kind
    vertical = vertical_t7_facts(region, profile) if kind == "T7" else None
    if vertical:
        return _reading(kind, *vertical, "")
    if kind in ("T1", "T4"):
        first = _reading(kind, *summary_table_facts(region, profile, fiscal_year), "")
        carried = _carryover_by_sums(first.facts)
        if carried is not None:
            second = _reading(kind, carried[0], first.notes, carried[1])
            if len(second.verdict.failed) < len(first.verdict.failed):
                first = second
        others: list[Reading] = []
    else:
        carry = _has_split_partial_codes(region)
        first = _reading(kind, *coded_table_facts(region, profile, fiscal_year, carry_codes=carry),
                         "科目编码按类/款/项分列补全（本行只印本级编码）" if carry else "")
        others = []
        if carry:
            as_printed = _reading(kind, *coded_table_facts(region, profile, fiscal_year), "科目编码按原样拼接")
            if [f.row_code for f in as_printed.facts] == [f.row_code for f in first.facts]:
                first.how = ""  # no code was completed: the two readings are one
            elif first.verdict.outcome == "fail":
                others.append(as_printed)
    if first.verdict.outcome != "fail":
        return first
    if kind not in ("T1", "T4"):
        for shift in (-1, 1):
            facts, notes = coded_table_facts(region, profile, fiscal_year, carry_codes=carry, shift=shift)
            others.append(_reading(kind, facts, notes, f"金额列标题{'左' if shift < 0 else '右'}移一列（表头跨行错位）"))
    for facts, how in _total_swaps(kind, first.facts):
        others.append(_reading(kind, facts, first.notes, how))
    # Another reading must prove itself: every one of at least 3 sums holds (one or two sums
    # prove little: a code column read as 合计 can pass them), and it reads at least the amounts
    # the first did (no consistency bought by dropping printed amounts, e.g. a shift that moves a
    # label off the table or over a name column).
    passing = [r for r in others if r.verdict.outcome == "pass" and not r.verdict.failed
               and r.verdict.tested >= 3 and _amounts(r) >= _amounts(first)]
    if not passing:
        return first
    return min(passing, key=lambda r: score(r.verdict))


def _amounts(r: Reading) -> int:
    return sum(1 for f in r.facts if f.amount_wan is not None)


def _reading(kind: str, facts: list[Fact], notes: list[str], how: str) -> Reading:
    return Reading(facts, notes, how, check_table(kind, facts))


def read_method(profile, kind: str) -> str:
    """'profile:<id>' when the chosen template profile names this kind of table, else 'generic'."""
    spec = getattr(profile, "tables", {}).get(kind)
    generic = getattr(profile, "generic", False) or not profile.id or profile.id == "generic"
    return "generic" if generic or spec is None else f"profile:{profile.id}"

