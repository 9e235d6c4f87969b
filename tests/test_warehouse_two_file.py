"""A filing published as two PDFs, tables and 情况说明: the narrative half prints no department
code, yet it joins the tables half in one filing, whichever half is loaded first."""
from __future__ import annotations

import copy
import dataclasses

import pytest

from fixtures.warehouse.seed_extraction import SEED_SOURCE, seed_extraction
from warehouse.checks import run_checks
from warehouse.db import connect
from warehouse.load import load_extraction

SEED_X = seed_extraction()


def halves():
    x = copy.deepcopy(SEED_X)
    tables = dataclasses.replace(x, sha256="a" * 64, claims=[c for c in x.claims if c.kind == "no_fund"])
    meta = dataclasses.replace(x.meta, department_code=None, template="jiangsu-budget")
    narrative = dataclasses.replace(x, sha256="b" * 64, facts=[], tables=[], meta=meta,
                                    claims=[c for c in x.claims if c.kind != "no_fund"])
    assert tables.claims and narrative.claims
    return tables, narrative


@pytest.mark.parametrize("order", ["tables first", "narrative first"])
def test_the_two_halves_are_one_filing(order):
    tables, narrative = halves()
    con = connect(":memory:")
    for x in (tables, narrative) if order == "tables first" else (narrative, tables):
        load_extraction(con, x, dict(SEED_SOURCE, source_url=f"http://example.test/{x.sha256[:1]}.pdf"))
    rows = con.execute("SELECT filing_id, department_code, documents FROM filings").fetchall()
    assert len(rows) == 1, rows
    fid, code, docs = rows[0]
    assert code == "118" and sorted(docs) == ["a" * 64, "b" * 64]
    assert dict(con.execute("SELECT role, count(*) FROM filing_doc GROUP BY 1").fetchall()) == {"tables": 1, "narrative": 1}
    n_claims, n_facts = con.execute("SELECT (SELECT count(*) FROM claim), (SELECT count(*) FROM fact)").fetchone()
    assert (n_claims, n_facts) == (len(SEED_X.claims), len(SEED_X.facts))
    run_checks(con)
    # the narrative rules see the tables: C3 compares the 三公 sentences with T7
    assert con.execute("SELECT outcome FROM findings WHERE rule_id = 'C3' AND subject = 'sangong:reception'").fetchone() == ("pass",)


def test_a_narrative_of_another_department_stays_apart():
    tables, narrative = halves()
    narrative = dataclasses.replace(narrative, meta=dataclasses.replace(narrative.meta, department="硚口区审计局"))
    con = connect(":memory:")
    for x in (tables, narrative):
        load_extraction(con, x, dict(SEED_SOURCE, source_url=f"http://example.test/{x.sha256[:1]}.pdf"))
    assert con.execute("SELECT count(*) FROM filings").fetchone()[0] == 2


def codeless_halves():
    """江苏's two PDFs: neither the 公开表 nor the 说明 prints a department code."""
    tables, narrative = halves()
    tables = dataclasses.replace(tables, meta=dataclasses.replace(tables.meta, department_code=None))
    assert tables.meta.region_code and tables.meta.department == narrative.meta.department
    return tables, narrative


def _load(con, docs):
    return [load_extraction(con, x, dict(SEED_SOURCE, source_url=f"http://example.test/{x.sha256[:1]}.pdf"))
            for x in docs]


@pytest.mark.parametrize("order", ["tables first", "narrative first"])
def test_codeless_halves_pair_by_department_name_year_kind_scope(order):
    tables, narrative = codeless_halves()
    con = connect(":memory:")
    _load(con, (tables, narrative) if order == "tables first" else (narrative, tables))
    rows = con.execute("SELECT filing_id, department_code, documents FROM filings").fetchall()
    assert len(rows) == 1, rows
    fid, code, docs = rows[0]
    assert code is None and sorted(docs) == ["a" * 64, "b" * 64]
    # both documents map to the one filing, the tables half's
    assert {r[0] for r in con.execute("SELECT filing_id FROM filing_doc").fetchall()} == {fid}
    assert fid.endswith("-" + "a" * 8)
    n_claims, n_facts = con.execute("SELECT (SELECT count(*) FROM claim), (SELECT count(*) FROM fact)").fetchone()
    assert (n_claims, n_facts) == (len(SEED_X.claims), len(SEED_X.facts))


@pytest.mark.parametrize("change", [
    {"fiscal_year": 2024}, {"kind": "决算"}, {"unit_scope": "单位"}, {"department": "硚口区审计局"}])
def test_codeless_halves_of_another_year_kind_scope_or_department_stay_apart(change):
    tables, narrative = codeless_halves()
    narrative = dataclasses.replace(narrative, meta=dataclasses.replace(narrative.meta, **change))
    con = connect(":memory:")
    _load(con, (tables, narrative))
    assert con.execute("SELECT count(*) FROM filings").fetchone()[0] == 2


@pytest.mark.parametrize("order", ["tables first", "narrative first"])
def test_codeless_halves_without_a_region_stay_apart(order):
    tables, narrative = codeless_halves()
    tables = dataclasses.replace(tables, meta=dataclasses.replace(tables.meta, region_code=None, region_name=None))
    narrative = dataclasses.replace(narrative, meta=dataclasses.replace(narrative.meta, region_code=None, region_name=None))
    con = connect(":memory:")
    _load(con, (tables, narrative) if order == "tables first" else (narrative, tables))
    assert con.execute("SELECT count(*) FROM filings").fetchone()[0] == 2


@pytest.mark.parametrize("order", ["tables first", "narrative first"])
def test_a_narrative_beside_two_codeless_tables_copies_stays_apart(order):
    tables, narrative = codeless_halves()
    copy2 = dataclasses.replace(tables, sha256="c" * 64)
    con = connect(":memory:")
    _load(con, (tables, copy2, narrative) if order == "tables first" else (narrative, tables, copy2))
    roles = con.execute("SELECT filing_id, list(role ORDER BY role) FROM filing_doc GROUP BY 1 ORDER BY 1").fetchall()
    if order == "tables first":
        # ambiguous: the narrative keeps a filing of its own
        assert sorted(r[1] for r in roles) == [["narrative"], ["tables"], ["tables"]]
    else:
        # the narrative joined the first tables copy; the second copy is a filing of its own
        assert sorted(r[1] for r in roles) == [["narrative", "tables"], ["tables"]]
