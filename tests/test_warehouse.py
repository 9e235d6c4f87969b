"""Warehouse schema, loads and public views, on the seed filing."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import duckdb
import pytest

import warehouse.load as load_mod
from extractors.model import Extraction, FilingMeta
from fixtures.warehouse.seed_extraction import SEED, SEED_SOURCE, build_from_text, seed_extraction
from warehouse.db import connect
from warehouse.load import load_extraction

SEED_X = seed_extraction()
FID = "420104-118-2026-budget-dept-" + SEED_X.sha256[:8]


@pytest.fixture
def con():
    c = connect(":memory:")
    yield c
    c.close()


@pytest.fixture
def seeded(con):
    load_extraction(con, SEED_X, SEED_SOURCE)
    return con


def _snapshot(con, table: str) -> list[tuple]:
    return sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


def test_snapshot_matches_seed_text():
    if not SEED.exists():
        pytest.skip("../shared/seed is absent")
    assert build_from_text().to_dict() == SEED_X.to_dict()


def test_file_is_written_for_duckdb_1_5(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    ro = connect(path, read_only=True)
    tags = ro.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'w'").fetchone()[0]
    assert tags == {"storage_version": "v1.5.0+"}
    with pytest.raises(duckdb.Error):
        ro.execute("CREATE TABLE x (a INT)")
    ro.close()


def test_reconnect_keeps_data(tmp_path):
    path = tmp_path / "w.duckdb"
    c = connect(path)
    load_extraction(c, SEED_X, SEED_SOURCE)
    c.close()
    c = connect(path)  # migrate again on an existing file
    assert c.execute("SELECT count(*) FROM facts").fetchone()[0] == len(SEED_X.facts)
    c.close()


@pytest.mark.parametrize("view, columns", [
    ("documents", "sha256 source_url fetched_at media_type pages outcome outcome_detail"),
    ("filings", "filing_id sha256 region_code department department_code unit_scope fiscal_year kind template "
                "published_at source_url"),
    ("facts", "filing_id table_kind row_code row_label column_label amount_wan printed_value printed_unit page bbox"),
    ("filing_totals", "filing_id department fiscal_year kind income_total expenditure_total fiscal_appropriation "
                      "general_budget_appropriation basic_expenditure project_expenditure personnel_expenditure "
                      "public_expenditure sangong_total sangong_abroad sangong_vehicle_purchase "
                      "sangong_vehicle_operation sangong_reception gov_fund_expenditure"),
    ("findings", "filing_id rule_id severity outcome message expected actual difference tolerance evidence "
                 "first_seen last_seen"),
    ("rules", "rule_id severity title_zh title_en family"),
])
def test_public_view_columns_start_with_the_contract(con, view, columns):
    names = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
    assert names[: len(columns.split())] == columns.split()


@pytest.mark.parametrize("view, column", [
    ("facts", "amount_wan"), ("filing_totals", "income_total"), ("filing_totals", "gov_fund_expenditure"),
    ("findings", "expected"),
])
def test_amounts_are_decimal(con, view, column):
    types = dict((r[0], r[1]) for r in con.execute(f"DESCRIBE {view}").fetchall())
    assert types[column].startswith("DECIMAL")


def test_load_returns_readable_content_keyed_id(seeded):
    assert seeded.execute("SELECT filing_id FROM filings").fetchall() == [(FID,)]


def test_load_keeps_every_fact_with_provenance(seeded):
    assert seeded.execute("SELECT count(*) FROM facts").fetchone()[0] == len(SEED_X.facts) == 215
    row = seeded.execute(
        "SELECT row_label, amount_wan, printed_value, printed_unit, page, bbox FROM facts "
        "WHERE table_kind = 'T5-1' AND row_code = '2010350' AND column_label = '基本支出/人员经费'").fetchone()
    assert row == ("事业运行", Decimal("273.47"), "273.47", "万元", 8, [40.0, 190.0, 560.0, 208.0])


def test_yuan_amounts_are_converted_to_wan(seeded):
    assert seeded.execute(
        "SELECT amount_wan, printed_value, printed_unit FROM facts WHERE table_kind = 'T12' "
        "AND column_label = '项目当年预算' ORDER BY amount_wan").fetchall() == [
        (Decimal("6.8"), "68000", "元"), (Decimal("102.7"), "1027000", "元")]


@pytest.mark.parametrize("column, value", [
    ("income_total", Decimal("564.25")), ("expenditure_total", Decimal("564.25")),
    ("fiscal_appropriation", Decimal("564.25")), ("general_budget_appropriation", Decimal("564.25")),
    ("basic_expenditure", Decimal("454.75")), ("project_expenditure", Decimal("109.5")),
    ("personnel_expenditure", Decimal("431.96")), ("public_expenditure", Decimal("22.79")),
    ("sangong_total", Decimal("0.2")), ("sangong_reception", Decimal("0.2")),
    ("sangong_abroad", None), ("sangong_vehicle_purchase", None), ("sangong_vehicle_operation", None),
    ("gov_fund_expenditure", Decimal("0")), ("department", "硚口区城市运行管理中心"), ("fiscal_year", 2026),
])
def test_filing_totals_of_the_seed(seeded, column, value):
    assert seeded.execute(f"SELECT {column} FROM filing_totals WHERE filing_id = ?", [FID]).fetchone()[0] == value


def test_gov_fund_is_unknown_without_the_empty_statement(con):
    x = dataclasses.replace(SEED_X, tables=[t for t in SEED_X.tables if t.table_kind != "T8"],
                            claims=[c for c in SEED_X.claims if c.kind != "no_fund"])
    load_extraction(con, x, SEED_SOURCE)
    assert con.execute("SELECT gov_fund_expenditure FROM filing_totals").fetchone()[0] is None


def test_loading_twice_changes_nothing_but_fetch_times(seeded):
    tables = ["doc", "filing", "fact", "claim", "filing_table"]
    before = {t: _snapshot(seeded, t) for t in tables}
    sources_before = seeded.execute("SELECT first_fetched_at, last_fetched_at FROM doc_source").fetchall()
    again = {**SEED_SOURCE, "fetched_at": "2026-03-01T08:00:00+08:00"}
    assert load_extraction(seeded, SEED_X, again) == FID
    assert {t: _snapshot(seeded, t) for t in tables} == before
    sources_after = seeded.execute("SELECT first_fetched_at, last_fetched_at FROM doc_source").fetchall()
    assert sources_after[0][0] == sources_before[0][0]
    assert str(sources_after[0][1]) == "2026-03-01 00:00:00"
    assert seeded.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_new_parser_version_replaces_the_facts(seeded):
    x = dataclasses.replace(SEED_X, parser_version="9.9.9", facts=SEED_X.facts[:10])
    load_extraction(seeded, x, SEED_SOURCE)
    assert seeded.execute("SELECT count(*) FROM facts").fetchone()[0] == 10
    assert seeded.execute("SELECT parser_version FROM doc").fetchall() == [("9.9.9",)]


def test_crash_mid_load_leaves_the_old_state(seeded, monkeypatch):
    before = {t: _snapshot(seeded, t) for t in ("doc", "filing", "fact", "claim")}
    real = load_mod._insert_arrow

    def crash_on_claims(con, table, data):
        if table == "claim":
            raise RuntimeError("disk full")
        real(con, table, data)

    monkeypatch.setattr(load_mod, "_insert_arrow", crash_on_claims)
    x = dataclasses.replace(SEED_X, parser_version="9.9.9", facts=SEED_X.facts[:10])
    with pytest.raises(RuntimeError):
        load_extraction(seeded, x, SEED_SOURCE)
    assert {t: _snapshot(seeded, t) for t in ("doc", "filing", "fact", "claim")} == before


@pytest.mark.parametrize("outcome", ["scanned", "not_pdf", "encrypted", "parse_error", "timeout"])
def test_non_filings_get_a_document_row_only(con, outcome):
    x = Extraction(sha256="ab" * 32, outcome=outcome, outcome_detail="页面为扫描件", pages=3)
    assert load_extraction(con, x, {"source_url": "http://x/a.pdf"}) is None
    assert con.execute("SELECT outcome, outcome_detail, source_url FROM documents").fetchall() == [
        (outcome, "页面为扫描件", "http://x/a.pdf")]
    assert con.execute("SELECT count(*) FROM filings").fetchone()[0] == 0


@pytest.mark.parametrize("meta, expected", [
    (FilingMeta("420104", None, "d", "118", "单位", 2025, "决算"), "420104-118-2025-final-unit-cdcdcdcd"),
    (FilingMeta(None, None, "d", None, None, 2026, "预算"), "x-x-2026-budget-x-cdcdcdcd"),
])
def test_filing_id_parts(meta, expected):
    x = Extraction(sha256="cd" * 32, outcome="ok", meta=meta)
    assert load_mod.filing_id_for(x) == expected


@pytest.mark.parametrize("sources, published_at, source_kind", [
    ([("first_seen", "2026-02-05"), ("detail_page", "2026-02-01")], "2026-02-01", "detail_page"),
    ([("pdf_metadata", "2026-01-30"), ("first_seen", "2026-02-05")], "2026-01-30", "pdf_metadata"),
    ([("first_seen", "2026-02-05")], "2026-02-05", "first_seen"),
])
def test_published_at_prefers_the_best_evidence(con, sources, published_at, source_kind):
    for i, (kind, day) in enumerate(sources):
        load_extraction(con, SEED_X, {"source_url": f"http://x/{i}.pdf", "fetched_at": f"{day}T10:00:00",
                                      "published_at": day, "published_at_source": kind})
    row = con.execute("SELECT CAST(published_at AS DATE)::VARCHAR, published_at_source FROM filings").fetchone()
    assert row == (published_at, source_kind)


CATALOGUE = [f"{fam}{i}" for fam, n in (("A", 10), ("B", 11), ("C", 5), ("D", 4), ("E", 6), ("F", 5)) for i in range(1, n + 1)]


def test_rules_view_lists_every_rule_of_domain_md_implemented(con):
    rows = con.execute("SELECT rule_id, severity, title_zh, title_en, implemented FROM rules").fetchall()
    assert sorted(r[0] for r in rows) == sorted(CATALOGUE)
    assert all(r[1] in ("high", "medium", "low") and r[2] and r[3] and r[4] for r in rows)
    domain = SEED.parents[1] / "docs" / "domain.md"
    if domain.exists():  # the ids domain.md defines, one per rule line
        import re
        defined = re.findall(r"(?:^- |\.\s)([A-F][0-9]+)\s", domain.read_text(encoding="utf-8"), re.M)
        assert sorted(defined) == sorted(CATALOGUE)


def test_a_document_without_a_source_url_records_no_source(con):
    assert load_extraction(con, SEED_X, {}) == FID
    assert con.execute("SELECT source_url, fetched_at FROM documents").fetchall() == [(None, None)]
    assert con.execute("SELECT count(*) FROM doc_source").fetchone()[0] == 0
