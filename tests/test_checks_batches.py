"""The per-filing rules run a batch of filings at a time (warehouse/check_batch.sql): the
findings are the same whatever the batch size, and the cross-filing rules still see every
filing of the district."""
from __future__ import annotations

import pytest

from test_checks import with_fact
from test_checks_city import JIANGAN, QIAOKOU, department, warehouse

import warehouse.checks as checks_mod
from warehouse.db import check_files

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
    assert sorted(checks_mod.across_filings(check_files())) == ["E1", "E2", "E3", "E4", "E5", "E6", "F5"]
