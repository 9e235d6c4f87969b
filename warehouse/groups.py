"""Group each checked filing's failing findings by cause (warehouse/group_assign.sql)."""
from __future__ import annotations

from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent


def assign_groups(con: duckdb.DuckDBPyConnection) -> int:
    """Set finding.group_id for the filings in the temp table _scope; return the number of
    groups. A finding that does not fail has no group."""
    con.execute((HERE / "group_assign.sql").read_text(encoding="utf-8"))
    try:
        con.execute("""UPDATE finding f SET group_id = g.group_id FROM _group g
                       WHERE f.filing_id = g.filing_id AND f.rule_id = g.rule_id AND f.subject = g.subject""")
        con.execute("""UPDATE finding SET group_id = NULL
                       WHERE filing_id IN (SELECT filing_id FROM _scope) AND outcome <> 'fail'
                         AND group_id IS NOT NULL""")
        return con.execute("SELECT count(DISTINCT group_id) FROM _group").fetchone()[0]
    finally:
        for t in ("_group", "_ge", "_gp", "_gf"):
            con.execute(f"DROP TABLE IF EXISTS temp.{t}")
