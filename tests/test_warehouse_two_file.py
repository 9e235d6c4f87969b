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
