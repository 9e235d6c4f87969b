"""The report's city page data (flows/report/city.py): districts side by side, exact sums."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from flows.report.city import city_view, short_name


def filing(fid, region, code, year, name, scope="部门", kind="预算"):
    return {"filing_id": fid, "region_code": region, "dept_key": f"{region}-{code}", "fiscal_year": year,
            "kind": kind, "unit_scope": scope, "department": name}


FILINGS = [
    filing("q1-26", "420104", "101", 2026, "硚口区财政局"),
    filing("q2-26", "420104", "102", 2026, "硚口区审计局"),
    filing("q1-25", "420104", "101", 2025, "硚口区财政局"),       # an older year: not summed
    filing("q1-f", "420104", "101", 2025, "硚口区财政局", kind="决算"),  # a final account: not summed
    filing("j1-26", "420102", "101", 2026, "江岸区财政局"),
    filing("j3-25", "420102", "103", 2025, "武汉市江岸区审计局"),  # 江岸's latest year is 2026
]
TOTALS = {
    "q1-26": {"income_total": D("100.50"), "expenditure_total": D("100.50"), "sangong_total": D("3.00")},
    "q2-26": {"income_total": D("50.25"), "expenditure_total": D("40.25"), "sangong_total": None},
    "q1-25": {"income_total": D("999"), "expenditure_total": D("999"), "sangong_total": D("99")},
    "j1-26": {"income_total": D("80"), "expenditure_total": D("75"), "sangong_total": D("1.20")},
}
FAILS = [{"filing_id": "q1-26", "severity": "high"}, {"filing_id": "q2-26", "severity": "high"},
         {"filing_id": "q1-25", "severity": "low"}, {"filing_id": "j1-26", "severity": "medium"}]


@pytest.fixture
def view():
    by_id = {f["filing_id"]: f for f in FILINGS}
    return city_view(by_id, TOTALS, FAILS, by_id)


def test_districts_side_by_side(view):
    rows = {r["code"]: r for r in view["districts"]}
    assert [r["name"] for r in view["districts"]] == ["江岸区", "硚口区"]  # by region code
    q, j = rows["420104"], rows["420102"]
    assert (q["year"], q["departments"], q["income_total"], q["expenditure_total"]) == (2026, 2, D("150.75"), D("140.75"))
    assert (q["sangong_total"], q["sangong_departments"], q["sangong_per_department"]) == (D("3.00"), 1, D("3.00"))
    assert (j["year"], j["departments"], j["income_total"], j["sangong_per_department"]) == (2026, 1, D("80"), D("1.20"))


def test_fails_by_severity_per_district(view):
    rows = {r["code"]: r for r in view["districts"]}
    assert rows["420104"]["fails"] == {"high": 2, "medium": 0, "low": 1}
    assert rows["420102"]["fails"] == {"high": 0, "medium": 1, "low": 0}
    assert (rows["420104"]["fails_total"], rows["420102"]["fails_total"]) == (3, 1)


def test_sangong_of_a_department_side_by_side_across_districts(view):
    assert [c["code"] for c in view["columns"]] == ["420102", "420104"]
    matrix = {d["name"]: [c and c["value"] for c in d["cells"]] for d in view["sangong_matrix"]}
    assert matrix == {"区财政局": [D("1.20"), D("3.00")], "区审计局": [None, None]}


def test_one_district_has_no_city_page():
    one = [f for f in FILINGS if f["region_code"] == "420104"]
    by_id = {f["filing_id"]: f for f in one}
    assert city_view(by_id, TOTALS, FAILS, by_id) is None


@pytest.mark.parametrize("name, region, short", [
    ("硚口区财政局", "硚口区", "区财政局"),
    ("武汉市江岸区审计局", "江岸区", "区审计局"),
    ("中共武汉市东西湖区委员会办公室", "东西湖区", "中共区委员会办公室"),
    ("上海市普陀区财政局", "普陀区", "上海市区财政局"),
])
def test_short_name_drops_the_district(name, region, short):
    assert short_name(name, region) == short
