"""One vocabulary (extractors/vocabulary.yaml, warehouse/dictionary.yaml, warehouse/approval_dates.yaml):
Python, the warehouse's SQL, the report, the export and the sample portal read the same names."""
from __future__ import annotations

import pytest

from demo.district import catalogue, district
from extractors import canon
from flows import export
from flows.report import data as report_data
from warehouse.db import connect


@pytest.fixture(scope="module")
def con():
    c = connect(":memory:")
    yield c
    c.close()


@pytest.mark.parametrize("kind, zh", [
    ("T1", "表1 收支预算总表"),
    ("T5-1", "表5-1 一般公共预算支出表（分功能科目）"),
    ("T7", "表7 一般公共预算“三公”经费支出表"),
    ("T12", "表12 项目支出绩效目标表"),
    ("T99", "T99"),
])
def test_table_zh_reads_the_vocabulary(con, kind, zh):
    assert con.execute("SELECT table_zh(?)", [kind]).fetchone()[0] == zh


def test_every_table_kind_is_one_reference_row_and_the_report_names(con):
    rows = con.execute("SELECT table_kind, name_zh FROM table_kind ORDER BY ordinal").fetchall()
    assert rows == list(canon.TABLE_KINDS.items()) and len(rows) == 13
    assert report_data.TABLE_NAMES is canon.TABLE_KINDS


def test_function_classes_one_list(con):
    assert dict(con.execute("SELECT code, name_zh FROM function_class").fetchall()) == canon.FUNC_CLASSES
    assert canon.FUNC_CLASSES["208"] == "社会保障和就业支出" and len(canon.FUNC_CLASSES) == 27
    assert catalogue.CLASSES == {c: n for c, n in canon.FUNC_CLASSES.items() if c != "202"}


def test_sangong_items_are_the_t7_item_columns(con):
    got = con.execute("SELECT subject, column_label FROM sangong_item ORDER BY subject").fetchall()
    assert ("sangong:abroad", "因公出国（境）费") in got and len(got) == 6
    assert {col for _, col in got} <= set(canon.COLUMNS["T7"])
    assert {f"年初预算数/{col}" for _, col in got} <= set(canon.COLUMNS["T7"])  # D2's opening-budget columns
    econ = dict(con.execute("SELECT subject, econ_codes FROM sangong_item WHERE len(econ_codes) > 0").fetchall())
    assert econ == {"sangong:abroad": ["30212"], "sangong:vehicle_purchase": ["30913", "31013"],
                    "sangong:vehicle_operation": ["30231"], "sangong:reception": ["30217"]}


def test_approval_dates_of_the_portal_are_the_warehouse_defaults(con):
    rows = con.execute("""SELECT fiscal_year, approved_on FROM approval_dates
                          WHERE region_code = ? AND kind = '预算' ORDER BY 1""", [catalogue.REGION_CODE]).fetchall()
    assert dict(rows) == district.APPROVALS and len(rows) == 3


def test_an_approval_date_set_by_a_deployment_survives_migration(tmp_path):
    db = tmp_path / "w.duckdb"
    c = connect(db)
    c.execute("UPDATE approval_dates SET approved_on = DATE '2026-01-20' WHERE fiscal_year = 2026")
    c.close()
    c = connect(db)
    try:
        assert str(c.execute("SELECT approved_on FROM approval_dates WHERE fiscal_year = 2026").fetchone()[0]) == "2026-01-20"
    finally:
        c.close()


@pytest.mark.parametrize("view", export.PUBLIC_VIEWS + export.OPTIONAL_VIEWS)
def test_every_exported_column_has_a_chinese_header(con, view):
    cols = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
    assert [c for c in cols if c not in export.ZH_HEADERS] == []
    assert view in export.ZH_SHEETS
