"""Two-file filings paired by content (issue 13): a 情况说明 PDF whose department name differs
from its 报表 PDF's (省检察院 / 江苏省人民检察院, or a name the reader could not find) joins the
one tables-only filing of its year and kind whose 收支总表 prints the totals it quotes."""
from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

import pytest

from fixtures.warehouse.seed_extraction import SEED_SOURCE, seed_extraction
from warehouse.db import connect
from warehouse.load import load_extraction

SEED_X = seed_extraction()


# 硚口区城市运行管理中心 written short, as 省检察院 stands for 江苏省人民检察院
SHORT_NAME = "城运中心"


def halves(narrative_department=SHORT_NAME, **narrative_meta):
    x = copy.deepcopy(SEED_X)
    tables = dataclasses.replace(x, sha256="a" * 64, claims=[c for c in x.claims if c.kind == "no_fund"],
                                 meta=dataclasses.replace(x.meta, department_code=None))
    meta = dataclasses.replace(x.meta, department_code=None, department=narrative_department, **narrative_meta)
    narrative = dataclasses.replace(x, sha256="b" * 64, facts=[], tables=[], meta=meta,
                                    claims=[c for c in x.claims if c.kind != "no_fund"])
    return tables, narrative


def with_quoted_total(x, amount):
    x = copy.deepcopy(x)
    for c in x.claims:
        if (c.kind, c.subject) == ("yoy", "total"):
            c.amount_wan = Decimal(amount)
    return x


def load(docs):
    con = connect(":memory:")
    for x in docs:
        load_extraction(con, x, dict(SEED_SOURCE, source_url=f"http://example.test/{x.sha256[:1]}.pdf"))
    return con


def documents_by_filing(con):
    return sorted(sorted(d) for (d,) in con.execute("SELECT documents FROM filings").fetchall())


def test_the_seed_narrative_quotes_the_total_its_tables_print():
    quoted = [c.amount_wan for c in SEED_X.claims if (c.kind, c.subject) == ("yoy", "total")]
    printed = [f.amount_wan for f in SEED_X.facts if (f.table_kind, f.row_code) == ("T1", "income_total")]
    assert quoted == printed == [Decimal("564.25")]


@pytest.mark.parametrize("order", ["tables first", "narrative first"])
@pytest.mark.parametrize("narrative_meta", [
    {"department": SHORT_NAME},
    {"department": None, "unit_scope": None},  # the 说明 names no department at all
    {"department": SHORT_NAME, "region_code": None},  # nor its place: the tables half knows it
])
def test_halves_named_differently_pair_by_their_totals(order, narrative_meta):
    tables, narrative = halves(**narrative_meta) if "department" not in narrative_meta else halves(
        narrative_meta["department"], **{k: v for k, v in narrative_meta.items() if k != "department"})
    docs = (tables, narrative) if order == "tables first" else (narrative, tables)
    con = load(docs)
    assert documents_by_filing(con) == [["a" * 64, "b" * 64]]
    assert dict(con.execute("SELECT role, count(*) FROM filing_doc GROUP BY 1").fetchall()) == {"tables": 1, "narrative": 1}
    assert con.execute("SELECT department FROM filings").fetchall() == [(SEED_X.meta.department,)]


@pytest.mark.parametrize("order", ["tables first", "narrative first"])
@pytest.mark.parametrize("change", [
    lambda n: with_quoted_total(n, "564.26"),  # another filing's figures
    lambda n: dataclasses.replace(n, meta=dataclasses.replace(n.meta, fiscal_year=2025)),
    lambda n: dataclasses.replace(n, meta=dataclasses.replace(n.meta, kind="决算")),
    lambda n: dataclasses.replace(n, meta=dataclasses.replace(n.meta, region_code="320000")),
    lambda n: dataclasses.replace(n, meta=dataclasses.replace(n.meta, unit_scope="单位")),
    lambda n: dataclasses.replace(n, meta=dataclasses.replace(n.meta, department="硚口区审计局")),
])
def test_halves_whose_figures_or_identity_disagree_stay_apart(order, change):
    tables, narrative = halves()
    narrative = change(narrative)
    con = load((tables, narrative) if order == "tables first" else (narrative, tables))
    assert documents_by_filing(con) == [["a" * 64], ["b" * 64]]


@pytest.mark.parametrize("first", ["a", "c"])
def test_a_narrative_matching_two_tables_files_stays_apart(first):
    """A 说明 naming no department beside two tables files printing its totals: the figures cannot
    choose (one loaded before both joins the first, as nothing then says another will come)."""
    tables, narrative = halves(None, unit_scope=None)
    other = dataclasses.replace(copy.deepcopy(tables), sha256="c" * 64,
                                meta=dataclasses.replace(tables.meta, department="硚口区审计局"))
    docs = (tables, other, narrative) if first == "a" else (other, tables, narrative)
    con = load(docs)
    assert documents_by_filing(con) == [["a" * 64], ["b" * 64], ["c" * 64]]
