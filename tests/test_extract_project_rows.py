"""项目支出表 (T10) printed without project codes, 单位名称 | 项目名称 | amounts (湖州): each row is
a project. Keyed by its unit's name alone, a unit's projects merged into one row and the rule A9
took the units whose names are short for department codes, so its Σ项目 missed them."""
from decimal import Decimal

import pytest

from corpus import corpus_extraction
from extractors.facts import coded_table_facts
from extractors.grid import Cell, Grid
from extractors.locate import Region
from extractors.profiles import load_profiles

PROFILES = {p.id: p for p in load_profiles()}
HEADER = [["单位名称"], ["项目名称"], ["总计"], ["单位资金"]]


def _grid(*rows):
    return Grid(page=1, bbox=(0, 0, 1, 1), header_paths=HEADER,
                rows=[[Cell(t, (0, 0, 1, 1)) for t in r] for r in rows])


def _read(grid):
    region = Region(kind="T10", title="项目支出预算表", unit="万元", pages=[1], grids=[grid])
    facts, _ = coded_table_facts(region, PROFILES["huzhou-budget"], 2026)
    return [(f.row_code, f.row_label, f.column_label, f.printed_value) for f in facts]


def test_each_project_row_is_its_own_row():
    grid = _grid(
        ("", "合计", "", "12.50"),
        ("某市中心医院", "医院建设发展", "", "10.00"),
        ("某市中心医院", "医学人才培养", "", ""),
        ("", "公共卫生事务", "", "2.00"),  # the unit printed on its first row only
        ("某市中心医院", "医院建设发展", "", "0.50"),  # the same project name printed twice
    )
    assert _read(grid) == [
        ("total", "", "单位资金", "12.50"),
        ("project:某市中心医院/医院建设发展", "医院建设发展", "单位资金", "10.00"),
        ("project:某市中心医院/公共卫生事务", "公共卫生事务", "单位资金", "2.00"),
        ("project:某市中心医院/医院建设发展#2", "医院建设发展", "单位资金", "0.50"),
    ]


def test_a_total_printed_in_the_unit_column():
    grid = _grid(("合计", "", "", "3.00"), ("某局", "培训", "", "3.00"))
    assert _read(grid) == [("total", "合计", "单位资金", "3.00"),
                           ("project:某局/培训", "培训", "单位资金", "3.00")]


@pytest.mark.corpus
@pytest.mark.parametrize("rel, sha, total, projects", [
    ("cities/079_湖州/2026年湖州市卫生健康委员会部门预算.pdf",
     "8369e431c4ed0d14948f2da23e2540dec082b93ff149cf3cd3cbbde7598aaed4", "8397.95",
     {"湖州市中心医院/医院建设发展": "3365.50", "湖州市中医院/医院能力建设": "2391.80",
      "湖州市妇幼保健院/医院能力建设": "18.00", "湖州市疾病预防控制中心/疾病预防控制机构建设发展专项": "8.86"}),
    ("cities/079_湖州/2026年湖州市交通运输局部门预算.pdf",
     "8775f0cc5f8abb289c15e9a8d4686b5fedad15f7c3b581340e6a41d8917e9102", "6683.49",
     {"湖州市港航管理中心/水运交通建设养护": "1150.00", "湖州交通技师学院/教学事务管理": "30.00"}),
])
def test_huzhou_unit_funds_total_is_the_sum_of_its_projects(rel, sha, total, projects):
    facts = [f for f in corpus_extraction(rel, sha).facts if f.table_kind == "T10" and f.column_label == "单位资金"]
    by_row = {f.row_code: f.amount_wan for f in facts}
    assert by_row.pop("total") == Decimal(total)
    assert all(code.startswith("project:") for code in by_row)
    assert sum(by_row.values()) == Decimal(total)
    assert {k: by_row[f"project:{k}"] for k in projects} == {k: Decimal(v) for k, v in projects.items()}


@pytest.mark.corpus
@pytest.mark.parametrize("rel, sha, total, general_budget, gov_fund", [
    ("cities/079_湖州/2026年湖州市卫生健康委员会部门预算.pdf",
     "8369e431c4ed0d14948f2da23e2540dec082b93ff149cf3cd3cbbde7598aaed4", "51856.41", "15858.46", "27600.00"),
    ("cities/079_湖州/2026年湖州市交通运输局部门预算.pdf",
     "8775f0cc5f8abb289c15e9a8d4686b5fedad15f7c3b581340e6a41d8917e9102", "171462.41", "24815.52", "139963.40"),
])
def test_huzhou_project_table_reads_every_fund_column(rel, sha, total, general_budget, gov_fund):
    """湖州 prints 总计 | 一般公共预算 | 政府性基金 | ... without the 本年拨款 group: read through its
    profile, each project's 总计 is checked against its funds (the table's self-check)."""
    ex = corpus_extraction(rel, sha)
    totals = {f.column_label: f.printed_value for f in ex.facts if f.table_kind == "T10" and f.row_code == "total"}
    assert {k: totals.get(k) for k in ("合计", "本年拨款/一般公共预算", "本年拨款/政府性基金预算")} == {
        "合计": total, "本年拨款/一般公共预算": general_budget, "本年拨款/政府性基金预算": gov_fund}
    t10 = next(t for t in ex.tables if t.table_kind == "T10")
    assert t10.self_check == "pass"
