"""A night that changed no content refreshes the report's sources page and fetch-time stamps
in place (flows/report/stamps.py); the result is the page a full render would write, and any
change of content makes it decline (the nightly then renders everything)."""
from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from flows.report import refresh_if_unchanged, write_report

pytestmark = pytest.mark.e2e

NEXT_NIGHT = "2031-05-04 02:41:07"  # a fetch time no fixture holds


@pytest.fixture()
def warehouse(tmp_path, district_db):
    db, _ = district_db
    copy = tmp_path / "data" / "budget.duckdb"
    copy.parent.mkdir()
    shutil.copy(db, copy)
    return copy


def pages(out) -> dict[str, str]:
    # the generation time is a stamp too, and two renders may straddle a minute
    return {p.relative_to(out).as_posix(): re.sub(r"<!--s:generated_at-->.*?<!--/s-->", "", p.read_text("utf-8"))
            for p in sorted(out.rglob("*.html"))}


def sql(db, statement: str) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute(statement)
    finally:
        con.close()


def test_a_quiet_night_writes_what_a_full_render_writes(warehouse, tmp_path):
    quiet, full = tmp_path / "quiet", tmp_path / "full"
    write_report(warehouse, quiet)
    before = pages(quiet)
    # what a quiet night loads: every file fetched again, one of them at a new address too
    sql(warehouse, f"UPDATE doc_source SET last_fetched_at = TIMESTAMP '{NEXT_NIGHT}'")
    sql(warehouse, f"""INSERT INTO doc_source SELECT * REPLACE ('http://portal.example/moved/118.pdf' AS source_url,
                       TIMESTAMP '{NEXT_NIGHT}' AS first_fetched_at) FROM doc_source
                       WHERE source_url = 'http://portal.example/2025/118.pdf'""")
    assert refresh_if_unchanged(warehouse, quiet) is True
    write_report(warehouse, full)
    after = pages(quiet)
    assert after == pages(full)
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == sorted(before)  # every page shows the latest fetch
    assert "2031-05-04 02:41" in after["index.html"] and "2031-05-04 02:41" not in before["index.html"]
    assert after["sources.html"].count("http://portal.example/moved/118.pdf") == 2  # its link and its text


@pytest.mark.parametrize("change", [
    "UPDATE finding SET message = message || '（改）' WHERE outcome = 'fail'",
    "UPDATE doc_source SET published_at = DATE '2026-01-02', published_at_source = 'detail_page'",
    "UPDATE doc SET outcome_detail = 'changed' WHERE sha256 = (SELECT min(sha256) FROM doc)",
    "DELETE FROM check_run",
])
def test_a_change_of_content_is_left_to_a_full_render(warehouse, tmp_path, change):
    out = tmp_path / "report"
    write_report(warehouse, out)
    before = pages(out)
    sql(warehouse, change)
    assert refresh_if_unchanged(warehouse, out) is False
    assert pages(out) == before


def test_a_new_raw_file_or_no_key_is_left_to_a_full_render(warehouse, tmp_path):
    out = tmp_path / "report"
    write_report(warehouse, out)
    assert refresh_if_unchanged(warehouse, out) is True
    (out / ".content-key.json").unlink()
    assert refresh_if_unchanged(warehouse, out) is False
    write_report(warehouse, out)
    sha = duckdb.connect(str(warehouse), read_only=True).execute("SELECT min(sha256) FROM doc").fetchone()[0]
    raw = warehouse.parent / "raw" / sha[:2]
    raw.mkdir(parents=True, exist_ok=True)
    (raw / f"{sha}.pdf").write_bytes(b"%PDF-1.4\n")
    assert refresh_if_unchanged(warehouse, out) is False
