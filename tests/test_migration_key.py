"""connect() migrates a warehouse only when what the migration reads changed (warehouse.db.migration_key)."""
import pytest

from warehouse import db


def views(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "budget.duckdb"
    db.connect(path).close()
    return path


def test_a_warehouse_migrated_from_the_same_inputs_is_not_migrated_again(warehouse):
    con = db.connect(warehouse)
    assert con.execute("SELECT value FROM schema_info WHERE key = 'migration_key'").fetchone()[0] == db.migration_key()
    con.execute("DROP VIEW filing_totals")
    con.close()
    # the drop stays: the second connect wrote nothing
    assert "filing_totals" not in views(db.connect(warehouse))


def test_changed_inputs_migrate_again(warehouse, monkeypatch):
    con = db.connect(warehouse)
    con.execute("DROP VIEW filing_totals")
    con.close()
    monkeypatch.setattr(db, "migration_key", lambda: "another catalogue")
    con = db.connect(warehouse)
    assert "filing_totals" in views(con)
    assert con.execute("SELECT value FROM schema_info WHERE key = 'migration_key'").fetchone()[0] == "another catalogue"


def test_the_key_follows_its_inputs_content(tmp_path, monkeypatch):
    extra = tmp_path / "views.sql"
    extra.write_text("CREATE VIEW a AS SELECT 1", "utf-8")
    monkeypatch.setattr(db, "_MIGRATION_INPUTS", db._MIGRATION_INPUTS + [extra])
    before = db.migration_key()
    extra.write_text("CREATE VIEW a AS SELECT 2", "utf-8")
    assert db.migration_key() != before


def test_every_schema_file_is_an_input():
    assert {db.HERE / n for n in db.SQL_FILES} <= set(db._MIGRATION_INPUTS)
