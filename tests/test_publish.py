"""Safe publishing: a run writes a staging copy and publishes it by atomic replace.

Readers in other processes never meet a lock error or a half-loaded state; a run killed at
any point leaves the published database as it was; two writers never write at once.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from fixtures.warehouse.seed_extraction import SEED_SOURCE, seed_extraction
from warehouse.checks import run_checks
from warehouse.db import connect
from warehouse.load import load_extraction
from warehouse.publish import WarehouseBusy, publishing, write_lock

pytestmark = pytest.mark.slow  # kills writers at every crash point and runs readers in other processes

ROOT = Path(__file__).resolve().parents[1]
SEED_X = seed_extraction()

# The child loads a copy of the seed under another department code (a new filing), then checks.
CHILD = r"""
import dataclasses, sys, time
from fixtures.warehouse.seed_extraction import SEED_SOURCE, seed_extraction
from warehouse.checks import run_checks
from warehouse.load import load_extraction
from warehouse.publish import publishing

db, n, pause = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
x = seed_extraction()
for i in range(n):
    with publishing(db) as con:
        y = dataclasses.replace(x, sha256=f"{i:04d}" + x.sha256[4:],
                                meta=dataclasses.replace(x.meta, department_code=str(200 + i)))
        load_extraction(con, y, {**SEED_SOURCE, "source_url": f"http://example/{i}.pdf"})
        time.sleep(pause)
        run_checks(con)
print("done")
"""


def _child(db: Path, n: int = 1, pause: float = 0.0, crash_at: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'tests'}{os.pathsep}{ROOT}"}
    env.pop("BUDGETWATCH_TEST_CRASH_AT", None)
    if crash_at:
        env["BUDGETWATCH_TEST_CRASH_AT"] = crash_at
    return subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(n), str(pause)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _state(db: Path) -> dict[str, list[tuple]]:
    con = connect(db, read_only=True)
    try:
        return {v: sorted(con.execute(f"SELECT * FROM {v}").fetchall(), key=repr)
                for v in ("filings", "facts", "findings", "filing_totals")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A published warehouse holding the seed, checked."""
    db = tmp_path_factory.mktemp("pub") / "budget.duckdb"
    with publishing(db) as con:
        load_extraction(con, SEED_X, SEED_SOURCE)
        run_checks(con)
    return db


@pytest.fixture
def db(published, tmp_path) -> Path:
    p = tmp_path / "budget.duckdb"
    shutil.copyfile(published, p)
    return p


def test_publish_leaves_one_checkpointed_file(published):
    names = sorted(p.name for p in published.parent.iterdir())
    assert names == ["budget.duckdb", "budget.duckdb.lock"]
    assert _state(published)["filings"][0][0].startswith("420104-118-2026-budget-dept-")


@pytest.mark.parametrize("point", ["after_copy", "mid_load", "after_load", "before_checkpoint", "before_replace"])
def test_a_run_killed_at_any_point_leaves_the_published_file_intact(db, point):
    before = _state(db)
    p = _child(db, crash_at=point)
    p.wait(timeout=120)
    assert p.returncode == -9, p.stderr  # SIGKILL at the named point
    assert _state(db) == before
    # the next run removes the dead run's staging file and publishes normally
    p = _child(db)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert len(_state(db)["filings"]) == len(before["filings"]) + 1
    assert not [f for f in db.parent.iterdir() if ".staging-" in f.name]


def test_killed_after_replace_has_published_the_new_file(db):
    before = _state(db)
    p = _child(db, crash_at="after_replace")
    p.wait(timeout=120)
    assert p.returncode == -9
    assert len(_state(db)["filings"]) == len(before["filings"]) + 1


def test_an_exception_discards_the_staging_copy(db):
    before = _state(db)
    with pytest.raises(RuntimeError, match="boom"):
        with publishing(db) as con:
            con.execute("DELETE FROM fact")
            raise RuntimeError("boom")
    assert _state(db) == before
    assert not [f for f in db.parent.iterdir() if ".staging-" in f.name]


def test_readers_in_another_process_see_whole_states_throughout_a_load(db):
    """Three publishes in a child; the parent reads read-only all along: no error, no partial state."""
    p = _child(db, n=3, pause=0.3)
    seen, errors = set(), []
    while p.poll() is None:
        try:
            con = duckdb.connect(str(db), read_only=True)
            try:
                n_filings, n_facts, n_checked = con.execute(
                    "SELECT (SELECT count(*) FROM filings), (SELECT count(*) FROM facts), "
                    "(SELECT count(DISTINCT filing_id) FROM findings)").fetchall()[0]
            finally:
                con.close()
            seen.add((n_filings, n_facts, n_checked))
        except duckdb.Error as e:  # a lock error or a torn file would land here
            errors.append(str(e))
        time.sleep(0.02)
    assert p.returncode == 0, p.stderr.read()
    assert errors == []
    facts = len(SEED_X.facts)
    # every state a reader saw is a published one: k filings, all loaded and all checked
    assert seen <= {(k, k * facts, k) for k in range(1, 5)}
    assert len(seen) >= 2  # the reader did see the publishes happen
    assert len(_state(db)["filings"]) == 4


def test_a_second_writer_waits_or_fails_clearly(db):
    with write_lock(db):
        with pytest.raises(WarehouseBusy, match="另一次运行正在写入"):
            with publishing(db, wait=False):
                pass
        with pytest.raises(WarehouseBusy, match="0.2"):
            with publishing(db, timeout=0.2):
                pass
    released = threading.Event()

    def hold():
        with write_lock(db):
            time.sleep(0.3)
        released.set()

    t = threading.Thread(target=hold)
    t.start()
    time.sleep(0.05)
    with publishing(db) as con:  # waits for the holder, then writes
        assert released.is_set()
        load_extraction(con, dataclasses.replace(SEED_X, sha256="f" * 64), SEED_SOURCE)
    t.join()
    assert len(_state(db)["filings"]) == 1  # same identity: a new version replaces the current one


def test_duckdb_cli_reads_the_published_file(published):
    cli = shutil.which("duckdb", path=str(Path(sys.executable).parent)) or shutil.which("duckdb")
    if cli is None:
        pytest.skip("the duckdb CLI (pip package duckdb-cli, in the test extra) is not installed")
    version = subprocess.run([cli, "--version"], capture_output=True, text=True, timeout=60).stdout
    out = subprocess.run(
        [cli, "-readonly", "-csv", str(published), "-c",
         "SELECT department, fiscal_year, income_total, sangong_total FROM filing_totals; "
         "SELECT count(*) FROM rules; SELECT count(*) FROM findings WHERE outcome = 'fail'"],
        capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, (version, out.stderr)
    lines = out.stdout.splitlines()
    assert lines[:2] == ["department,fiscal_year,income_total,sangong_total",
                         "\"硚口区城市运行管理中心\",2026,564.250000,0.200000"], version
    con = connect(published, read_only=True)
    n_rules, n_fail = con.execute("SELECT (SELECT count(*) FROM rules), "
                                  "(SELECT count(*) FROM findings WHERE outcome = 'fail')").fetchall()[0]
    con.close()
    assert lines[2:] == ["count_star()", str(n_rules), "count_star()", str(n_fail)]
