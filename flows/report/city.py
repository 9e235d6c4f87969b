"""The report's city page: the warehouse's districts side by side.

Shown (and linked from every page) only when the warehouse holds more than one region: a
市人大 comparing its districts. Per district, from each department's primary 部门 budget of
the latest year the district published: 部门数, 收入总计, 支出总计, “三公”经费 (total and
per department that prints it) and the open failing findings by severity. A second table
puts each department's 三公 side by side across districts, matched by its name with the
district said generically (区发展和改革局 in every district).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from flows.report.svg import hbar

SEVERITIES = ("high", "medium", "low")


def region_names() -> dict[str, str]:
    """Region code → its official name: the first spelling vocabulary.yaml gives that code."""
    from extractors.canon import REGION_ALIASES

    names: dict[str, str] = {}
    for alias, code in REGION_ALIASES.items():
        names.setdefault(code, alias)
    return names


def _sum(values) -> Decimal | None:
    vals = [v for v in values if v is not None]
    return sum(vals, Decimal(0)) if vals else None


def short_name(department: str | None, region: str | None) -> str:
    """A department's name with its district said generically (硚口区财政局 → 区财政局,
    中共武汉市硚口区委党校 → 中共区委党校), to match it across districts and read as staff say it."""
    name = department or ""
    if region:
        name = name.replace(f"武汉市{region}", region[-1]).replace(region, region[-1])
    return name


def city_view(primary: dict, totals: dict, fails: list[dict], by_id: dict) -> dict | None:
    """The city page's data, or None for a warehouse of one region (no city page)."""
    budget = [f for f in primary.values() if f["kind"] == "预算" and f.get("region_code")]
    regions = sorted({f["region_code"] for f in budget})
    if len(regions) < 2:
        return None
    names = region_names()
    fail_counts: dict[str, Counter] = defaultdict(Counter)
    for x in fails:
        filing = by_id.get(x["filing_id"]) or {}
        if filing.get("region_code"):
            fail_counts[filing["region_code"]][x.get("severity") or ""] += 1
    rows, matrix, cols = [], defaultdict(dict), []
    for code in regions:
        fs = [f for f in budget if f["region_code"] == code]
        year = max(f["fiscal_year"] for f in fs if f["fiscal_year"] is not None)
        fs = [f for f in fs if f["fiscal_year"] == year]
        t = [totals.get(f["filing_id"], {}) for f in fs]
        sangong = [x.get("sangong_total") for x in t if x.get("sangong_total") is not None]
        name = names.get(code, code)
        row = {"code": code, "name": name, "year": year, "departments": len({f["dept_key"] for f in fs}),
               "income_total": _sum(x.get("income_total") for x in t),
               "expenditure_total": _sum(x.get("expenditure_total") for x in t),
               "sangong_total": _sum(sangong), "sangong_departments": len(sangong),
               "sangong_per_department": (_sum(sangong) / len(sangong)).quantize(Decimal("0.01")) if sangong else None,
               "fails": {s: fail_counts[code][s] for s in SEVERITIES},
               "fails_total": sum(fail_counts[code].values())}
        rows.append(row)
        cols.append({"code": code, "name": name, "year": year})
        for f, x in zip(fs, t):
            if f.get("unit_scope") == "部门":
                matrix[short_name(f["department"], name)][code] = {"value": x.get("sangong_total"), "dept_key": f["dept_key"]}
    chart = hbar([{"label": r["name"], "values": [r["income_total"], r["expenditure_total"]]} for r in rows],
                 ["收入总计", "支出总计"], title="各区部门预算收支总计（各部门合计）")
    sangong_chart = hbar([{"label": r["name"], "values": [r["sangong_per_department"]]} for r in rows],
                         ["部门平均“三公”经费"], title="各区部门平均“三公”经费")
    depts = [{"name": k, "cells": [v.get(c["code"]) for c in cols]}
             for k, v in sorted(matrix.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return {"districts": rows, "columns": cols, "sangong_matrix": depts, "chart": chart, "sangong_chart": sangong_chart}
