"""Checks on real filings from ../shared/corpus/real (read in place; skipped when absent)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from warehouse.checks import run_checks
from warehouse.db import connect
from warehouse.load import load_extraction

pytestmark = pytest.mark.corpus
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"
# 2026年武汉市信访局部门预算: its T5-1 prints 基本支出 as one column, without the 人员/公用 split
XINFANG = ("cities/009_武汉/2026年武汉市信访局部门预算.pdf",
           "35b6ffa77c409f11f96881b08a0157e28468f8c70abba274af11bc0e15083d77")


@pytest.fixture(scope="module")
def xinfang():
    path = REAL / XINFANG[0]
    if not path.exists():
        pytest.skip("../shared/corpus is absent")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == XINFANG[1]
    from extractors import extract_file
    con = connect(":memory:")
    load_extraction(con, extract_file(path), {"source_url": path.as_uri()})
    run_checks(con)
    yield con
    con.close()


def test_no_personnel_public_identity_where_the_template_has_no_split(xinfang):
    assert xinfang.execute("SELECT count(*) FROM findings WHERE rule_id = 'A6' AND subject LIKE '%基本=人员+公用'"
                           ).fetchone()[0] == 0
    assert xinfang.execute("SELECT DISTINCT outcome FROM findings WHERE rule_id = 'A6'").fetchall() == [("pass",)]


def test_no_check_errors_on_a_real_filing(xinfang):
    assert xinfang.execute("SELECT count(*) FROM findings WHERE outcome = 'error'").fetchone()[0] == 0
