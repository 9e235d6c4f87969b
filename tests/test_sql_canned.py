"""Every canned query of the README (section 常用查询) runs read-only on the sample warehouses,
and a few give the answers the seed filing implies."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from flows.readonly_sql import run_readonly_rows


pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parents[1] / "README.md"


def canned() -> list[tuple[str, str]]:
    """(title, sql) of each ```sql block in the README's 常用查询 section."""
    text = README.read_text("utf-8")
    section = text[text.index("## 常用查询"):]
    nxt = re.search(r"^## ", section[3:], flags=re.M)
    section = section[: nxt.start() + 3] if nxt else section
    found = re.findall(r"^(\d+\. .*?)\n\n```sql\n(.*?)```", section, flags=re.M | re.S)
    return [(title.strip(), sql) for title, sql in found]


QUERIES = canned()


def test_readme_has_at_least_ten_canned_queries():
    assert len(QUERIES) >= 10
    assert len({sql for _, sql in QUERIES}) == len(QUERIES)


@pytest.fixture(scope="module")
def dbs(sample_db, district_db):
    return {"seed": sample_db, "district": district_db[0]}


@pytest.mark.parametrize("title, sql", QUERIES, ids=[t.split(".")[0] for t, _ in QUERIES])
@pytest.mark.parametrize("which", ["seed", "district"])
def test_canned_query_runs(dbs, which, title, sql):
    columns, _ = run_readonly_rows(dbs[which], sql, timeout=60)
    assert columns and all(not c.isascii() for c in columns[:2]), "canned queries answer in Chinese"


def by_title(word: str) -> str:
    return next(sql for title, sql in QUERIES if word in title)


def test_basic_and_project_shares_of_the_seed(dbs):
    cols, rows = run_readonly_rows(dbs["seed"], by_title("基本支出、项目支出"))
    (row,) = [dict(zip(cols, r)) for r in rows]
    assert (row["基本支出占比"], row["项目支出占比"]) == (80.59, 19.41)


def test_narrative_mismatches_point_at_both_pages(dbs):
    cols, rows = run_readonly_rows(dbs["seed"], by_title("情况说明与表格不一致"))
    c2 = {(r["表"], r["表所在页"], r["说明所在页"]) for r in (dict(zip(cols, x)) for x in rows) if r["规则"] == "C2"}
    assert c2 == {("T5-1", "9", "26")}


def test_sangong_increase_year_on_year(dbs):
    cols, rows = run_readonly_rows(dbs["district"], by_title("三公"))
    got = [dict(zip(cols, r)) for r in rows]
    assert [(r["部门"], r["年度"], r["增加额"], r["增幅百分比"]) for r in got] == [
        ("硚口区城市运行管理中心", 2026, Decimal("0.040000"), Decimal("25.0"))]
