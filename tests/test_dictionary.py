"""Every public table, view and column carries a comment "中文 / English", and the README's
data dictionary is generated from them (warehouse/dictionary.py)."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from warehouse import dictionary
from warehouse.db import connect

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    """A warehouse file written, closed and opened again, so the comments are the stored ones."""
    path = tmp_path_factory.mktemp("dictionary") / "budget.duckdb"
    c = connect(path)
    from flows.alerts.outbox import ensure_outbox

    ensure_outbox(c)
    c.close()
    c = duckdb.connect(str(path), read_only=True)
    yield c
    c.close()


def comment_of(con, name):
    rows = con.execute("""SELECT comment FROM duckdb_tables() WHERE table_name = ?
                          UNION ALL SELECT comment FROM duckdb_views() WHERE view_name = ?""", [name, name]).fetchall()
    assert rows, f"{name} does not exist"
    return rows[0][0]


def bilingual(text) -> bool:
    zh, sep, en = (text or "").partition(" / ")
    return bool(sep) and bool(CJK.search(zh)) and bool(re.search(r"[A-Za-z]", en))


@pytest.mark.parametrize("name", dictionary.public_objects())
def test_object_and_every_column_carry_a_bilingual_comment(con, name):
    assert bilingual(comment_of(con, name)), name
    cols = con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ?", [name]).fetchall()
    assert cols
    assert [c for c, comment in cols if not bilingual(comment)] == []


@pytest.mark.parametrize("name", ["documents", "filings", "facts", "filing_totals", "findings", "rules", "coverage"])
def test_contract_views_are_in_the_dictionary(name):
    assert name in dictionary.public_objects()


def test_object_column_entries_name_real_columns(con):
    stale = []
    for name, obj in dictionary.spec()["objects"].items():
        cols = {c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [name]).fetchall()}
        stale += [f"{name}.{c}" for c in (obj.get("columns") or {}) if c not in cols]
    assert stale == []


def test_comments_survive_a_migration(tmp_path):
    """Views are re-created at every connect (CREATE OR REPLACE drops comments): they come back."""
    path = tmp_path / "budget.duckdb"
    connect(path).close()
    c = connect(path)
    try:
        assert comment_of(c, "filing_totals").startswith("每份当前申报文件的关键合计数")
        assert c.execute("""SELECT comment FROM duckdb_columns()
                            WHERE table_name = 'facts' AND column_name = 'amount_wan'""").fetchone()[0] \
            == "金额（万元） / amount in 万元 (10 000 yuan)"
    finally:
        c.close()


def test_render_lists_each_column_with_both_languages(con):
    md = dictionary.render(con)
    assert "### `filing_totals`（视图）" in md
    assert "| `sangong_reception` | DECIMAL(20,6) | 公务接待费 | official reception |" in md
    assert "### `crawl_runs`（表）" in md


def test_readme_data_dictionary_is_up_to_date():
    assert dictionary.main(["--check", str(ROOT / "README.md")]) == 0, \
        "README's data dictionary is stale: run python -m warehouse.dictionary --write README.md"
