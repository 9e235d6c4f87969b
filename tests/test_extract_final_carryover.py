"""决算 财政拨款收入支出决算总表 (T4): "年初/年末财政拨款结转和结余" are the carry-over rows
(A5 balances T4 with them). Pinned to the 国家信访局 2024 决算, read in place."""
from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.pdf import extract_file

PDF = Path(__file__).resolve().parents[1].parent / "shared/corpus/real/cities/009_武汉/信访局_国家信访局2024年度部门决算公开.pdf"
SHA = "b50c5c76deb5913253271042061f488d53e8cb9a47e3ea1bc521a9d1c01fc3e0"


@pytest.fixture(scope="module")
def ex():
    if not PDF.exists():
        pytest.skip(f"{PDF} is absent (../shared not mounted)")
    assert hashlib.sha256(PDF.read_bytes()).hexdigest() == SHA
    return extract_file(PDF, SHA)


def test_carryover_rows_of_t4(ex):
    got = sorted((f.row_code, f.row_label, f.column_label, f.amount_wan, f.page)
                 for f in ex.facts if f.table_kind == "T4" and "carryover" in f.row_code)
    assert got == [
        # line 29, under 年初财政拨款结转和结余: the carry-over's fund ("一般公共预算财政拨款 1,154.62")
        ("carryover:general_budget", "一般公共预算财政拨款", "决算数", Decimal("1154.62"), 10),
        ("expenditure_carryover", "年末财政拨款结转和结余", "决算数/一般公共预算", Decimal("6993.74"), 10),
        ("expenditure_carryover", "年末财政拨款结转和结余", "决算数/合计", Decimal("6993.74"), 10),
        ("income_carryover", "年初财政拨款结转和结余", "决算数", Decimal("1154.62"), 10),
    ]
