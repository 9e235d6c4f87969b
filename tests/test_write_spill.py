"""The write session spills past its memory limit into a folder beside the staging file; a
killed run's folder is removed by the next run, as its staging file is."""
from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.publish import publishing


@pytest.mark.parametrize("leftovers", [
    [".budget.duckdb.staging-1.tmp/duckdb_temp_storage_DEFAULT-0.tmp"],  # spill folder of a killed run
    [".budget.duckdb.staging-1", ".budget.duckdb.staging-1.wal", ".budget.duckdb.staging-1.tmp/x.block"],
])
def test_a_killed_runs_spill_folder_is_removed_by_the_next_run(tmp_path, leftovers):
    db = tmp_path / "budget.duckdb"
    for name in leftovers:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    with publishing(db) as con:
        con.execute("SELECT 1").fetchall()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.duckdb", "budget.duckdb.lock"]


def test_the_spill_folder_is_beside_the_staging_file(tmp_path):
    db = tmp_path / "budget.duckdb"
    with publishing(db) as con:
        temp = Path(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])
    assert temp.parent == tmp_path
    assert temp.name.startswith(".budget.duckdb.staging-") and temp.name.endswith(".tmp")
