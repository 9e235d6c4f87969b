"""Head counts of 人员构成 as printed by different offices (extractors/narrative.py _STAFF)."""
from __future__ import annotations

import pytest

from extractors.narrative import staff_claims


def counts(text: str) -> dict[str, int]:
    return {c.subject: int(c.amount_wan) for c in staff_claims([(1, text)])}


@pytest.mark.parametrize("text, expected", [
    ("某中心编制人数 24 人，其中：事业编制 24 人，在职实有人数 16 人，其中：事业 16 人。",
     {"staff:quota": 24, "staff:actual": 16}),
    ("本部门核定编制 35 名，实有人员 31 人。", {"staff:quota": 35, "staff:actual": 31}),
    ("编制数为12人，实有人数共10人，离退休人员 3 人。", {"staff:quota": 12, "staff:actual": 10}),
    ("纳入 2026 年部门预算编制范围的预算单位包括本级机关 1 个。", {}),
    ("中共武汉市硚口区委机构编制委员会办公室 2026 年部门预算", {}),
])
def test_staff_counts(text, expected):
    assert counts(text) == expected
