"""Injected faults: one per filing, each with the findings a careful checker reports.

A fault is data: the rule ids it must trigger (``expect``), rule ids a checker may
also report as a consequence (``arguable``: tolerated, never required), a note saying
what was changed, and the edits (printed-table edits, narrative wording, model edits,
dropped tables or sections, late publication). Edits change printed figures the way a
careless office would, so every other identity of the filing still holds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from demo.district.model import fmt_wan


@dataclass
class Fault:
    rule: str
    note: str
    also: tuple[str, ...] = ()  # further rules a careful checker must report too
    arguable: tuple[str, ...] = ()  # consequences a checker may or may not report
    narrative: dict = field(default_factory=dict)  # keys understood by Composer.part3/part4
    tables: list[Callable[[dict], None]] = field(default_factory=list)
    drop_tables: tuple[str, ...] = ()
    model: Callable | None = None  # edit of the DeptYear before composing
    late: bool = False
    unit_scope: str = "部门"
    # findings the fault causes on other filings of the same department, which a careful
    # checker must report there: (years later, kind, unit scope, rule)
    elsewhere: tuple[tuple[int, str, str, str], ...] = ()


def _add(text: str, delta: str) -> str:
    v = Decimal(text.replace(",", "") or "0") + Decimal(delta)
    return fmt_wan(v)


def _rows(tables, tid, block=0):
    return tables[tid]["blocks"][block]["rows"]


def _find(rows, code):
    return next(i for i, r in enumerate(rows) if r and r[0] == code)


def _first_item(rows, col) -> int:
    return next(i for i, r in enumerate(rows) if re.fullmatch(r"\d{7}", r[0]) and r[col])


# ---- A: within a table

def a1_carry_over_gap(t):
    r = _rows(t, "T1")
    r[29][3] = "10"
    r[30][3] = _add(r[30][3], "10")


def a3_upward_column(t):
    r = _rows(t, "T3")
    i = _first_item(r, 3)
    code = r[i][0]
    for j, row in enumerate(r):
        if j == 1 or row[0] in (code, code[:5], code[:3]):
            row[6] = "1"


def a4_item_not_in_parent(t):
    r = _rows(t, "T3")
    i = _first_item(r, 3)
    r[i][2] = _add(r[i][2], "2")
    r[i][3] = _add(r[i][3], "2")


def a6_unit_row(unit_code):
    def edit(t):
        r = _rows(t, "T5-2")
        i = _find(r, unit_code)
        for c in (2, 3, 4):
            r[i][c] = _add(r[i][c], "3")
    return edit


def a8_vehicle_subtotal(t):
    r = _rows(t, "T7")
    r[2][2] = _add(r[2][2], "0.5")


# ---- B: across tables

def b1_income_table(t):
    r = _rows(t, "T2")
    for row in r[2:]:
        for c in (2, 3, 4):
            row[c] = _add(row[c], "5")


def b5_personnel_in_t6(t):
    r = _rows(t, "T6")
    for code in ("", "301", "30101"):
        i = 2 if code == "" else _find(r, code)
        r[i][2] = _add(r[i][2], "1")
        r[i][3] = _add(r[i][3], "1")


def b7_reception_in_t6(t):
    r = _rows(t, "T6")
    i, j = _find(r, "30217"), _find(r, "30299")
    for c in (2, 4):
        r[i][c] = _add(r[i][c], "1")
        r[j][c] = _add(r[j][c], "-1")


def b8_fund_table_empty(t):
    tab = t["T8"]
    tab["blocks"][0]["rows"] = tab["blocks"][0]["rows"][:2]
    tab["blocks"][0]["bold_rows"] = []
    year = re.search(r"\d{4}", t["T1"]["dept_line"] + t["T11"]["title"]).group(0)
    tab["statement"] = f"本单位 {year} 年无政府性基金预算"


def b10_form_amount(t):
    form = t["T12"]["forms"][0]
    a, b = form["blocks"]
    for c in (1, 3):
        a["rows"][9][c] = str(int(a["rows"][9][c]) + 1000)
    for i in (1, 2, 3):
        b["rows"][i][5] = str(int(b["rows"][i][5]) + 1000)
    b["rows"][10][1] = str(int(b["rows"][10][1]) + 1000)


# ---- D / E / F edits of printed tables

def d3_form_years(year):
    def edit(t):
        for form in t["T12"]["forms"]:
            rows = form["blocks"][0]["rows"]
            rows[11][1], rows[12][1] = f"{year - 1} 年", f"{year} 年"
    return edit


def d4_lookalike_header(t):
    t["T6"]["dept_line"] = t["T6"]["dept_line"].replace("硚口区", "硌口区")


def e2_t11_prior_column(t):
    rows = t["T11"]["blocks"][0]["rows"]
    for i in (4, 6, 7, 9):
        rows[i][6] = _add(rows[i][6], "8")


def f4_function_to_kuan(t):
    b = t["T5-1"]["blocks"][0]
    keep = [i for i, r in enumerate(b["rows"]) if not re.fullmatch(r"\d{7}", r[0])]
    b["rows"] = [b["rows"][i] for i in keep]
    b["bold_rows"] = [keep.index(i) for i in b["bold_rows"] if i in keep]


# ---- model edits

def e5_foreign_department(other: str):
    def edit(dy):
        p = dy.projects()[0]
        p.code_dept = other
        p.serial = 900 + p.serial % 100  # a serial the other department never uses: only the department part is wrong
    return edit


def e5_wrong_year(dy):
    dy.projects()[0].code_year = dy.year - 3


def e4_unit_differs(unit_code):
    def edit(dy):
        u = next(u for u in dy.units if u.unit.code == unit_code)
        ln = next(ln for ln in u.basic if ln.econ == "30199")
        ln.yuan += 20000
    return edit


def catalogue() -> dict[tuple[str, int, str], Fault]:
    """(department code, year, unit scope or unit code) → the fault of that filing."""
    return {
        ("105", 2026, "部门"): Fault("A1", "T1 年终结转结余 printed 10.00 and 支出总计 = 本年支出合计 + 10.00: 收入总计 ≠ 支出总计 by 10.00",
                                   arguable=("B3", "C1"), tables=[a1_carry_over_gap]),
        ("106", 2025, "部门"): Fault("A3", "T3 上缴上级支出 1.00 printed on one 项 row and its 款/类/合计 rows; 合计 column unchanged",
                                   tables=[a3_upward_column]),
        ("107", 2026, "部门"): Fault("A4", "T3 first 项 row: 合计 and 基本支出 +2.00, its 款 row unchanged",
                                   tables=[a4_item_not_in_parent]),
        ("123", 2025, "部门"): Fault("A6", "T5-2 row 123002: 合计, 基本小计, 人员经费 +3.00; department row unchanged "
                                         "(so the row ≠ the 单位 filing of 123002: E4)",
                                   also=("E4",), tables=[a6_unit_row("123002")]),
        ("114", 2024, "部门"): Fault("A8", "T7 公务用车小计 +0.50 (购置 + 运行 and the 三公 合计 unchanged); the narrative quotes the printed 小计; "
                                         "the 2024 决算 prints the true 年初预算 小计 (≠ this filing: E3 there)",
                                   narrative={"sangong": {"vehicle": +5000}}, tables=[a8_vehicle_subtotal],
                                   elsewhere=((0, "决算", "部门", "E3"),)),
        ("109", 2026, "部门"): Fault("B1", "T2 合计, 小计 and 一般公共预算 +5.00 on every row (T2 consistent in itself, ≠ T1)",
                                   tables=[b1_income_table]),
        ("112", 2025, "部门"): Fault("B5", "T6 30101, 301 and 合计 rows: 合计 and 人员经费 +1.00 (T6 adds up, ≠ T5 人员经费/基本支出)",
                                   arguable=("C1",), tables=[b5_personnel_in_t6]),
        ("115", 2026, "部门"): Fault("B7", "T6 30217 公务接待费 +1.00 and 30299 −1.00 (T6 totals unchanged): 30217 > T7 公务接待费",
                                   tables=[b7_reception_in_t6]),
        ("145", 2025, "部门"): Fault("B8", "T8 printed empty with the statement 无政府性基金预算 while T4 shows 政府性基金 income and spending",
                                   arguable=("C5", "F2"), tables=[b8_fund_table_empty]),
        ("116", 2024, "部门"): Fault("B10", "项目申报表 12-1: 项目总预算/当年预算/资金来源/first detail line +1000 元 (form adds up, ≠ T10 by 0.10 万元)",
                                    tables=[b10_form_amount]),
        ("117", 2026, "部门"): Fault("C1", "narrative 预算收入 quoted 12.00 万元 above T1 收入总计", narrative={"income_total_delta": 120000}),
        ("120", 2025, "部门"): Fault("C2", "narrative names 款 21303 水利 as 财政事务 (project list and 名词解释)",
                                   narrative={"names": {"21303": "财政事务"}}),
        ("121", 2024, "部门"): Fault("C3", "narrative 公务接待费 quoted 0.30 万元 above T7 公务接待费", narrative={"sangong": {"reception": +3000}}),
        ("122", 2026, "部门"): Fault("C4", "narrative 政府采购 total quoted 5.00 万元 above 货物 + 服务 + 工程", narrative={"procurement_delta": 50000}),
        ("113", 2026, "部门"): Fault("C5", "narrative says 没有使用政府性基金预算安排的支出 while T8 and T4 show 政府性基金 spending",
                                   narrative={"deny_fund": True}),
        ("124", 2026, "部门"): Fault("D1", "收支总预算 year-on-year percentage printed 3.00 points above Δ / last year", narrative={"total_pct_delta": 3}),
        ("125", 2025, "部门"): Fault("D2", "基本支出 share printed 4.00 points high and 项目支出 4.00 points low (still adding to 100%)",
                                   arguable=("C1",), narrative={"share_delta": 4}),
        ("126", 2026, "部门"): Fault("D3", "项目申报表 前两年 labelled 2025 / 2026 instead of 2024 / 2025 (as in the seed)", tables=[d3_form_years(2026)]),
        ("127", 2024, "部门"): Fault("D3", "项目申报表 前两年 labelled 2023 / 2024 instead of 2022 / 2023", tables=[d3_form_years(2024)]),
        ("128", 2026, "部门"): Fault("D4", "T6 header names the department 硌口区… (look-alike of 硚口区)", tables=[d4_lookalike_header]),
        ("129", 2025, "部门"): Fault("D4", "narrative sections 七/八 name the department 硃口区… (look-alike of 硚口区)",
                                   narrative={"lookalike": "硃口区"}),
        ("130", 2026, "部门"): Fault("E1", "收支总预算 比上年 Δ quoted 15.00 万元 off (percentage consistent with the wrong Δ): last year's total implied ≠ 2025 filing",
                                   narrative={"total_delta_delta": 150000}),
        ("131", 2026, "部门"): Fault("E2", "T11 近两年 2025 column: 财政拨款, 合计, 基本支出 and 支出合计 +8.00 (≠ the 2025 filing)",
                                   tables=[e2_t11_prior_column]),
        ("133", 2025, "部门"): Fault("E5", "first project's code embeds department 104 instead of 133", model=e5_foreign_department("104")),
        ("134", 2024, "部门"): Fault("E5", "first project's code embeds year 21 instead of 24", model=e5_wrong_year),
        ("119", 2025, "部门"): Fault("E4", "the 单位 filing of 119002 prints 2.00 万元 more 其他工资福利支出 than the 部门 filing's unit (each filing consistent in itself); "
                                         "its 2026 单位 filing quotes the true 2025 figures (≠ that filing: E1, E2 there)",
                                   model=None, elsewhere=((1, "预算", "单位", "E1"), (1, "预算", "单位", "E2"))),
        ("153", 2026, "部门"): Fault("F1", "published 2026-03-27, 80 days after the 人大 approval of 2026-01-06", late=True),
        ("160", 2025, "部门"): Fault("F1", "published 2025-03-28, 79 days after the 人大 approval of 2025-01-08", late=True),
        ("161", 2024, "部门"): Fault("F1", "published 2024-03-29, 80 days after the 人大 approval of 2024-01-09", late=True),
        ("142", 2026, "部门"): Fault("F2", "表 9 国有资本经营预算支出表 missing (not printed, not in the 目录)", drop_tables=("T9",)),
        ("143", 2025, "部门"): Fault("F3", "情况说明 has no 国有资产占有使用情况 section", narrative={"drop_assets": True}),
        ("144", 2026, "部门"): Fault("F4", "T5-1 printed to 款 only (no 7-digit 项 rows)", tables=[f4_function_to_kuan]),
        ("111", 2026, "部门"): Fault("F5", "unit 111003 武汉市硚口区第二十六中学 publishes no 单位 budget for 2026"),
    }


# The seed's own findings (118/2026), as domain.md describes them.
SEED_FINDINGS = [
    ("C2", False, "narrative calls 款 20103 财政事务 (T5: 政府办公厅（室）及相关机构事务)"),
    ("C2", False, "narrative calls 2080899 其他抚恤支出 (T5: 其他优抚支出)"),
    ("D4", False, "the unit's name appears as 硌口区… (T6 header) and 硃口区… (sections 七/八)"),
    ("D3", True, "项目申报表 前两年 labelled 2025 / 2026 in a 2026 filing; arguable: a reader may take them as "
                 "'last year / this year' columns"),
    ("C3", True, "三公 scope says 本单位及下属单位 for a department with one unit; arguable: no rule of domain.md "
                 "names this check, C3 is the nearest"),
]
