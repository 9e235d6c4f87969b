"""The per-filing rules run a batch of filings at a time (warehouse/check_batch.sql): the
findings are the same whatever the batch size, and the cross-filing rules still see every
filing of the district."""
from __future__ import annotations

import copy
import hashlib

import pytest

from fixtures.warehouse.seed_extraction import SEED_SOURCE

from test_checks import with_fact
from test_checks_city import JIANGAN, QIAOKOU, department, warehouse

import warehouse.checks as checks_mod
from warehouse.checks import run_checks
from warehouse.db import check_files, connect
from warehouse.load import load_extraction

ROW = ("filing_id, rule_id, subject, outcome, message, expected, actual, difference, tolerance, "
       "CAST(evidence AS VARCHAR), first_seen IS NOT NULL, resolved_at")


def district():
    """Seven filings of two districts: peers for E6, one printed error for A rules and the read gate."""
    xs = [department(QIAOKOU, f"{101 + i}", s) for i, s in enumerate([16, 17, 15, 2])]
    xs += [department(JIANGAN, f"{101 + i}", s) for i, s in enumerate([3, 3])]
    xs.append(with_fact(department(QIAOKOU, "199", 16), "T1", "income_total", "预算数", "999.99"))
    return xs


def findings(batch: int, monkeypatch) -> list[tuple]:
    monkeypatch.setattr(checks_mod, "BATCH_FILINGS", batch)
    con = warehouse(*district())
    rows = con.execute(f"SELECT {ROW} FROM finding ORDER BY ALL").fetchall()
    temp = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name NOT LIKE '\\_%' "
                       "ESCAPE '\\'").fetchall()
    con.close()
    assert temp == []  # the live tables and views are seen again after the run
    return rows


@pytest.fixture(scope="module")
def whole():
    with pytest.MonkeyPatch.context() as mp:
        return findings(1000, mp)


@pytest.mark.slow
@pytest.mark.parametrize("batch", [1, 3])
def test_the_findings_do_not_depend_on_the_batch_size(whole, monkeypatch, batch):
    assert len({(r[0], r[1]) for r in whole}) == 7 * len(check_files())  # every rule judged every filing
    # a cross-filing rule found something: each department's project codes reused by the
    # other departments of its own district (the seed's codes, in every copy)
    assert {r[0][:10] for r in whole if r[1] == "E5" and r[3] == "fail"} == {
        "420102-101", "420102-102", "420104-101", "420104-102", "420104-103", "420104-104", "420104-199"}
    assert findings(batch, monkeypatch) == whole


def test_the_rules_that_read_other_filings_are_the_e_family_and_f5():
    sqls = {rule_id: path.read_text("utf-8") for rule_id, path in check_files().items()}
    assert sorted(checks_mod.across_filings(sqls)) == ["E1", "E2", "E3", "E4", "E5", "E6", "F5"]


def _republished(x, tag: str, day: str):
    x = copy.deepcopy(x)
    x.sha256 = hashlib.sha256(f"{x.sha256}|{tag}".encode()).hexdigest()
    return x, dict(SEED_SOURCE, source_url=f"http://sample.local/{tag}.pdf", published_at=day)


def two_nights(upsert: int, monkeypatch) -> list[tuple]:
    """A first night, then a night that brings a corrected version of one department (its A
    fails resolved by it) and a repeated version of another (its fails keep their first_seen)."""
    monkeypatch.setattr(checks_mod, "UPSERT_FILINGS", upsert)

    def bad(code):
        return with_fact(department(QIAOKOU, code, 16), "T1", "income_total", "预算数", "999.99")

    con = connect(":memory:")
    first = [department(QIAOKOU, "101", 16), department(QIAOKOU, "102", 17), bad("198"), bad("199")]
    for i, x in enumerate(first):
        load_extraction(con, x, dict(SEED_SOURCE, source_url=f"http://sample.local/{i}.pdf"))
    run_checks(con)
    between = con.execute("SELECT max(last_seen) FROM finding").fetchone()[0]
    for x, source in (_republished(department(QIAOKOU, "199", 16), "fixed", "2026-03-01"),
                      _republished(bad("198"), "again", "2026-03-01")):
        load_extraction(con, x, source)
    run_checks(con)
    rows = con.execute("""SELECT filing_id, rule_id, subject, outcome, expected, actual, first_seen > ?,
                                 resolved_at IS NOT NULL, resolved_by FROM finding ORDER BY ALL""",
                       [between]).fetchall()
    con.close()
    return rows


@pytest.mark.slow
def test_the_findings_do_not_depend_on_the_upsert_batch_size(monkeypatch):
    whole = two_nights(1000, monkeypatch)
    resolved = {(r[0][:10], r[8][:10]) for r in whole if r[7]}
    assert resolved == {("420104-199", "420104-199")}  # the corrected version resolved its predecessor's fails
    # the repeated version's fails are not news: they keep the first night's first_seen
    assert [r[6] for r in whole if r[0][:10] == "420104-198" and r[1:4] == ("B1", "income_total", "fail")] == [
        False, False]
    assert two_nights(1, monkeypatch) == whole
