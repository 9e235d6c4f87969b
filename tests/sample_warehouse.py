"""Small warehouses with known figures, built once per test session and shared by the report,
export and SQL tests (the whole sample district is tests/district_run.py)."""
from __future__ import annotations

from pathlib import Path


def sample_db(tmp_path_factory) -> Path:
    """Path of the seed warehouse: the seed filing alone on the demo portal, served on loopback
    and crawled by the nightly flow. Built on first use in this session, then reused.

    Callers must open it read-only (it is shared between test modules).
    """
    root = tmp_path_factory.getbasetemp() / "sample_warehouse"
    root.mkdir(exist_ok=True)
    db = root / "budget.duckdb"
    if not (root / ".built").exists():
        from demo.portal import build_site
        from demo.server import serve
        from flows.nightly import nightly

        with serve(build_site(profile="seed")) as base:
            nightly(sites=["sample"], db=str(db), start_urls={"sample": base + "zwgk/czyjs/index.html"})
        (root / ".built").write_text("ok")
    return db


def district_db(tmp_path_factory) -> tuple[Path, dict]:
    """A copy of the sample warehouse grown into a small district with known figures:

    - the seed department (118) also has a 2025 filing, every amount × 0.8 (income 451.40, 三公 0.16);
    - a second department, 硚口区测试局 (119), files 2026 with every amount × 2 (income 1 128.50);
    - the seed is re-published corrected (published 2026-02-10): that version counts for 2026;
      it still misnames 20103 (C2 fails again) but no longer 2080899;
    - the 2025 filing has an A1 failure first seen on 2025-01-21.
    Built once per session; callers may write to it only if they restore what they change.
    """
    import shutil

    import duckdb

    root = tmp_path_factory.getbasetemp() / "district_warehouse"
    root.mkdir(exist_ok=True)
    db = root / "budget.duckdb"
    if not (root / ".built").exists():
        shutil.copy(sample_db(tmp_path_factory), db)
        con = duckdb.connect(str(db))
        seed = con.execute("SELECT filing_id FROM filing WHERE filing_id LIKE '420104-118-2026%'").fetchone()[0]
        _clone_filing(con, seed, "f118-2025", "a" * 64, factor="0.8", year=2025,
                      url="http://portal.example/2025/118.pdf", published="2025-01-20")
        _clone_filing(con, seed, "f119-2026", "b" * 64, factor="2", code="119", name="硚口区测试局",
                      url="http://portal.example/2026/119.pdf", published="2026-01-27")
        _clone_filing(con, seed, "f118-2026-v2", "c" * 64, version_of=seed,
                      url="http://portal.example/2026/118-corrected.pdf", published="2026-02-10")
        con.execute("""INSERT INTO finding SELECT * REPLACE ('f118-2026-v2' AS filing_id) FROM finding
                       WHERE filing_id = ? AND rule_id = 'C2' AND outcome = 'fail'
                         AND subject LIKE 'func:20103%'""", [seed])
        con.execute("""UPDATE finding SET resolved_at = last_seen, resolved_by = 'f118-2026-v2'
                       WHERE filing_id = ? AND rule_id = 'C2' AND outcome = 'fail'
                         AND subject LIKE 'func:2080899%'""", [seed])
        con.execute("""INSERT INTO finding SELECT * REPLACE ('f118-2025' AS filing_id, 'A1' AS rule_id,
                       TIMESTAMP '2025-01-21 03:00' AS first_seen) FROM finding
                       WHERE filing_id = ? AND subject LIKE 'func:20103%'""", [seed])
        con.close()
        (root / ".built").write_text(seed)
    return db, {"seed": (root / ".built").read_text()}


def _clone_filing(con, src: str, new_id: str, sha: str, *, factor: str = "1", year: int | None = None,
                  code: str | None = None, name: str | None = None, url: str, published: str,
                  version_of: str | None = None) -> None:
    """Copy a filing with its facts, tables, claims, document and source (internal tables,
    copied column for column so added columns come along). `version_of`: the new filing is a
    corrected version of that one, which it supersedes."""
    repl = [f"'{new_id}' AS filing_id", f"'{sha}' AS sha256"]
    if year:
        repl.append(f"{year} AS fiscal_year")
    if code:
        repl.append(f"'{code}' AS department_code")
    if name:
        repl.append(f"'{name}' AS department")
    if version_of:
        repl.append("version + 1 AS version")
    else:
        repl.append(f"'{new_id}' AS filing_key")
    con.execute(f"INSERT INTO filing SELECT * REPLACE ({', '.join(repl)}) FROM filing WHERE filing_id = ?", [src])
    if version_of:
        con.execute("UPDATE filing SET is_current = false, superseded_at = loaded_at WHERE filing_id = ?", [version_of])
    con.execute(f"""INSERT INTO fact SELECT * REPLACE ('{new_id}' AS filing_id, '{sha}' AS sha256,
                    CAST(amount_wan * {factor} AS DECIMAL(20, 6)) AS amount_wan) FROM fact WHERE filing_id = ?""", [src])
    for table in ("filing_table", "claim"):
        con.execute(f"INSERT INTO {table} SELECT * REPLACE ('{new_id}' AS filing_id, '{sha}' AS sha256) "
                    f"FROM {table} WHERE filing_id = ?", [src])
    con.execute("INSERT INTO filing_doc VALUES (?, ?, 'whole')", [new_id, sha])
    src_sha = con.execute("SELECT sha256 FROM filing WHERE filing_id = ?", [src]).fetchone()[0]
    con.execute(f"INSERT INTO doc SELECT * REPLACE ('{sha}' AS sha256) FROM doc WHERE sha256 = ?", [src_sha])
    con.execute(f"""INSERT INTO doc_source SELECT * REPLACE ('{sha}' AS sha256, '{url}' AS source_url,
                    DATE '{published}' AS published_at) FROM doc_source WHERE sha256 = ?""", [src_sha])
