"""`budgetwatch export` of the sample warehouse: Excel, CSV (UTF-8 BOM) and Parquet (DECIMAL)."""
from __future__ import annotations

import csv
import json
from datetime import datetime
from decimal import Decimal

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows import export as ex
from flows.cli import main

pytestmark = pytest.mark.e2e

DEPT = "硚口区城市运行管理中心"


@pytest.fixture(scope="module")
def db(sample_db):
    return sample_db


@pytest.fixture(scope="module")
def counts(db):
    con = duckdb.connect(str(db), read_only=True)
    yield {v: con.execute(f"SELECT count(*) FROM {v}").fetchone()[0] for v in ex.PUBLIC_VIEWS}
    con.close()


@pytest.fixture(scope="module")
def workbook(db, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "预算.xlsx"
    assert main(["export", "--db", str(db), "--xlsx", str(path)]) == 0
    return openpyxl.load_workbook(path)


def sheet_rows(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_xlsx_sheets_and_headers_are_chinese(workbook, counts):
    assert workbook.sheetnames[:5] == ["文档", "公开文件", "数据", "主要合计", "核对结果"]
    for view, n in counts.items():
        ws = workbook[ex.ZH_SHEETS[view]]
        assert ws.max_row == n + 1, view
        header = [c.value for c in ws[1]]
        assert all(h and not h.isascii() for h in header), (view, header)
        assert ws.freeze_panes == "A2"


def test_xlsx_amounts_are_numbers(workbook):
    (totals,) = sheet_rows(workbook["主要合计"])
    assert totals["部门"] == DEPT and totals["年度"] == 2026
    assert totals["收入总计"] == 564.25 and totals["基本支出"] == 454.75 and totals["三公经费合计"] == 0.2
    cell = workbook["主要合计"]["E2"]
    assert cell.data_type == "n" and cell.number_format.startswith("#,##0.00")
    facts = sheet_rows(workbook["数据"])
    assert all(isinstance(f["金额（万元）"], (int, float)) for f in facts if f["金额（万元）"] is not None)
    t3 = next(f for f in facts if f["表"] == "T3" and f["行编码"] == "total" and f["列"] == "合计")
    assert (t3["金额（万元）"], t3["原文数值"], t3["页码"]) == (564.25, "564.25", 7)


def test_xlsx_findings_keep_evidence_and_times(workbook):
    fails = [f for f in sheet_rows(workbook["核对结果"]) if f["结果"] == "fail" and f["规则"] == "C2"]
    assert len(fails) == 2
    pages = sorted(json.loads(f["证据"])["actual"]["page"] for f in fails)
    assert pages == [26, 26]
    assert all(isinstance(f["首次发现"], datetime) for f in fails)


def test_csv_has_a_bom_and_exact_decimals(db, tmp_path, counts):
    assert main(["export", "--db", str(db), "--csv", str(tmp_path)]) == 0
    raw = (tmp_path / "filing_totals.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    for view, n in counts.items():
        with open(tmp_path / f"{view}.csv", encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == n, view
    with open(tmp_path / "filing_totals.csv", encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["department"] == DEPT and Decimal(row["income_total"]) == Decimal("564.25")
    assert not list(tmp_path.glob(".*tmp*"))


def test_parquet_keeps_decimal(db, tmp_path, counts):
    assert main(["export", "--db", str(db), "--parquet", str(tmp_path)]) == 0
    facts = pq.read_table(tmp_path / "facts.parquet")
    assert facts.schema.field("amount_wan").type == pa.decimal128(20, 6)
    assert facts.num_rows == counts["facts"]
    totals = pq.read_table(tmp_path / "filing_totals.parquet").to_pylist()
    assert totals[0]["income_total"] == Decimal("564.25")
    assert pa.types.is_decimal(pq.read_schema(tmp_path / "findings.parquet").field("expected").type)


def test_failed_export_keeps_the_previous_file(db, tmp_path, monkeypatch):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"previous export")
    monkeypatch.setattr(ex, "views_of", lambda con: ["filings", "no_such_view"])
    with pytest.raises(duckdb.CatalogException):
        ex.export(db, "xlsx", path)
    assert path.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_xlsx_text_that_looks_like_a_formula_stays_text(tmp_path):
    tiny = tmp_path / "t.duckdb"
    con = duckdb.connect(str(tiny))
    con.execute("CREATE TABLE filings (filing_id VARCHAR, department VARCHAR, amount DECIMAL(20, 6))")
    con.execute("INSERT INTO filings VALUES ('f1', '=HYPERLINK(\"http://x\")', 1.5)")
    con.close()
    out = ex.export(tiny, "xlsx", tmp_path / "t.xlsx")[0]
    ws = openpyxl.load_workbook(out)["公开文件"]
    assert ws["B2"].value == '=HYPERLINK("http://x")' and ws["B2"].data_type == "s"
    assert ws["C2"].value == 1.5 and ws["C2"].data_type == "n"
