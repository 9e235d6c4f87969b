"""Run the rule checks (one SQL file per rule) and upsert their findings.

Each ``<rule_id>.sql`` is a single SELECT returning
(filing_id, rule_id, subject, outcome, message, expected, actual, difference, tolerance,
evidence) for every filing in the warehouse; the runner restricts it to the filings asked
for, adds the severity from the catalogue, and upserts by (filing_id, rule_id, subject)
so ``first_seen`` survives re-runs. A check that raises yields an ``error`` finding per
filing instead of stopping the others.
"""
from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timezone
from typing import Callable

import duckdb

from warehouse.db import HERE, check_files, rules_version

log = logging.getLogger(__name__)

OUTCOMES = ("pass", "fail", "not_applicable", "insufficient_data", "error")
READ_GATE_SQL = HERE / "read_gate.sql"
_COLUMNS = "filing_id, rule_id, subject, outcome, message, expected, actual, difference, tolerance, evidence"


def run_checks(con: duckdb.DuckDBPyConnection, filing_ids: list[str] | None = None) -> dict[str, int]:
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    version = rules_version()
    if filing_ids is None:
        scope = [r[0] for r in con.execute("SELECT filing_id FROM filing ORDER BY filing_id").fetchall()]
    else:
        scope = _with_neighbours(con, filing_ids)
    con.execute("CREATE OR REPLACE TEMP TABLE _scope AS SELECT unnest(CAST(? AS VARCHAR[])) AS filing_id", [scope])
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _new AS
        SELECT {_COLUMNS} FROM finding WHERE false""")
    failed: list[str] = []
    # each rule's SQL read once a run, not once a batch
    sqls = {rule_id: path.read_text(encoding="utf-8").strip().rstrip(";") for rule_id, path in check_files().items()}
    across = across_filings(sqls)
    try:
        _run_in_batches(con, scope, {r: q for r, q in sqls.items() if r not in across}, failed)
        _materialize(con)
        _run_each(con, {r: q for r, q in sqls.items() if r in across}, failed)
    finally:
        _drop_temp(con)
    apply_read_gate(con)
    _upsert(con, now, version, failed)
    _group_and_review(con, now)
    counts = dict(con.execute("SELECT outcome, count(*) FROM _new GROUP BY outcome ORDER BY outcome").fetchall())
    con.execute("INSERT INTO check_run VALUES (?, ?, ?, ?, ?, ?::JSON)",
                [uuid.uuid4().hex, now, datetime.now(timezone.utc).replace(tzinfo=None), version, len(scope),
                 json.dumps(counts)])
    log.info("checked %d filings with rules %s: %s", len(scope), version, counts)
    return {k: int(v) for k, v in counts.items()}


# Helper views every check reads, in dependency order. A run materialises them once as temp
# tables of the same name (the temp schema is searched first), which halves the checks' time;
# they are dropped when the run ends so the connection sees the live views again.
_HELPERS = ("cell", "filing_table_seen", "claim_ranked", "filing_series", "t7_item", "subject_value")


# The warehouse tables check_batch.sql cuts down to one batch of filings.
_BATCHED = ("filing", "filing_table", "fact", "claim")
CHECK_BATCH_SQL = HERE / "check_batch.sql"
# Filings per batch of the per-filing checks: their rows and helper tables stay within the
# write session's memory cap (flows.settings.write_memory), where the whole warehouse's did
# not (A3, A4 and A6 ran out of memory at 5 000 filings under 300MB).
BATCH_FILINGS = 250


def across_filings(rules: dict[str, str]) -> set[str]:
    """The rules (rule id -> SQL) that read other filings than the one they judge (rules.yaml:
    the E family and F5): their family says so, or they read filing_series, the cross-filing
    helper view."""
    from warehouse.db import rule_catalogue

    family = {r["id"]: r.get("family") for r in rule_catalogue()}
    return {rule_id for rule_id, sql in rules.items()
            if family.get(rule_id) == "across_filings" or "filing_series" in sql}


def _run_in_batches(con: duckdb.DuckDBPyConnection, scope: list[str], rules: dict[str, str],
                    failed: list[str]) -> None:
    """The per-filing rules (rule id -> SQL), BATCH_FILINGS filings at a time; `_scope` is the
    batch meanwhile."""
    cut = CHECK_BATCH_SQL.read_text(encoding="utf-8")
    con.execute("CREATE OR REPLACE TEMP TABLE _scope_all AS SELECT * FROM _scope")
    for i in range(0, len(scope), BATCH_FILINGS):
        con.execute("CREATE OR REPLACE TEMP TABLE _scope AS SELECT unnest(CAST(? AS VARCHAR[])) AS filing_id",
                    [scope[i:i + BATCH_FILINGS]])
        con.execute(cut)
        _materialize(con)
        _run_each(con, rules, failed)
        _drop_temp(con)
    con.execute("CREATE OR REPLACE TEMP TABLE _scope AS SELECT * FROM _scope_all")
    con.execute("DROP TABLE temp._scope_all")


def _drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the helper and batch tables, so the connection sees the live views and tables again."""
    for v in (*reversed(_HELPERS), *_BATCHED):
        con.execute(f"DROP TABLE IF EXISTS temp.{v}")


def _materialize(con: duckdb.DuckDBPyConnection) -> None:
    for v in _HELPERS:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {v} AS SELECT * FROM main.{v}")


def _run_each(con: duckdb.DuckDBPyConnection, rules: dict[str, str], failed: list[str]) -> None:
    """Each rule (rule id -> its SQL) over `_scope`, into `_new`."""
    for rule_id, sql in rules.items():
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE _one AS SELECT {_COLUMNS} FROM ({sql}) q "
                        "WHERE q.filing_id IN (SELECT filing_id FROM _scope)")
            _validate(con, rule_id)
            con.execute("INSERT INTO _new SELECT * FROM _one")
        except (duckdb.Error, CheckError) as e:  # one broken rule must not hide the others
            if rule_id not in failed:
                failed.append(rule_id)
            log.error("check %s failed: %s", rule_id, e)
            con.execute(
                "INSERT INTO _new SELECT filing_id, ?, 'rule', 'error', ?, NULL, NULL, NULL, NULL, ?::JSON FROM _scope",
                [rule_id, f"规则 {rule_id} 执行出错，结果未知：{e}", json.dumps({"error": str(e)}, ensure_ascii=False)],
            )


def apply_read_gate(con: duckdb.DuckDBPyConnection) -> None:
    """Post-processing of a run's findings, after every rule: a misread table alerts nobody.

    warehouse/read_gate.sql records the misread tables of the filings in scope (table_gate)
    and turns the passes and fails that cite them into insufficient_data.
    """
    con.execute(READ_GATE_SQL.read_text(encoding="utf-8"))
    n = con.execute("SELECT count(*) FROM table_gate WHERE filing_id IN (SELECT filing_id FROM _scope)").fetchall()[0][0]
    if n:
        log.info("read gate: %d misread tables; their rules say insufficient_data", n)


def _with_neighbours(con: duckdb.DuckDBPyConnection, filing_ids: list[str]) -> list[str]:
    """The filings asked for, plus the current filings whose cross-filing rules read them.

    E1/E2 read last year's and earlier filings, E3/E4/F5 the same year's, E6 the whole
    year's peers: a filing loaded tonight can change the outcome of any current filing of its
    region within two years after it (and of its own year).
    """
    rows = con.execute(
        """WITH asked AS (SELECT filing_id, region_code, fiscal_year FROM filing
                          WHERE list_contains(CAST(? AS VARCHAR[]), filing_id))
           SELECT filing_id FROM asked
           UNION
           SELECT f.filing_id FROM filing f JOIN asked a
             ON f.is_current AND f.region_code IS NOT DISTINCT FROM a.region_code
            AND f.fiscal_year BETWEEN a.fiscal_year AND a.fiscal_year + 2
           ORDER BY 1""", [list(filing_ids)]).fetchall()
    return [r[0] for r in rows]


class CheckError(Exception):
    """A check's rows break the finding contract."""


def _validate(con: duckdb.DuckDBPyConnection, rule_id: str) -> None:
    bad = con.execute(f"SELECT DISTINCT outcome FROM _one WHERE outcome NOT IN {OUTCOMES}").fetchall()
    if bad:
        raise CheckError(f"unknown outcomes {bad}")
    other = con.execute("SELECT DISTINCT rule_id FROM _one WHERE rule_id <> ?", [rule_id]).fetchall()
    if other:
        raise CheckError(f"rows for other rules {other}")
    dup = con.execute("SELECT filing_id, subject FROM _one GROUP BY ALL HAVING count(*) > 1 LIMIT 1").fetchone()
    if dup:
        raise CheckError(f"subject {dup[1]!r} produced twice for {dup[0]}")


# Filings per transaction of the findings upsert: a commit writes its rows and their index
# entries at once, and the run's 1.5 million findings at 5 000 filings did not fit the write
# session's memory cap in one (could not allocate block at COMMIT). The run writes a staging
# copy of the warehouse, so readers see none of the intermediate commits.
UPSERT_FILINGS = 250


def _upsert(con: duckdb.DuckDBPyConnection, now: datetime, version: str, failed: list[str]) -> None:
    # A fail already reported for an earlier version of the same filing (same rule and
    # subject) keeps its first_seen: a re-publication that repeats it is not news. Taken
    # before any batch is written, so an earlier version checked in the same run is read as
    # it was before the run.
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _inherited AS
           SELECT n.filing_id, n.rule_id, n.subject, arg_max(p.first_seen, pg.version) AS first_seen
           FROM _new n JOIN filing g USING (filing_id)
           JOIN filing pg ON pg.filing_key = g.filing_key AND pg.version < g.version
           JOIN finding p ON p.filing_id = pg.filing_id AND p.rule_id = n.rule_id AND p.subject = n.subject
                         AND (p.outcome = 'fail') = (n.outcome = 'fail') AND p.resolved_at IS NULL
           GROUP BY ALL""")
    scope = [r[0] for r in con.execute("SELECT filing_id FROM _scope ORDER BY filing_id").fetchall()]
    # The upsert and the delete touch only the batch's own filings, so the batches are
    # independent; the resolve-by-later-version update reads every batch's rows and runs last.
    # A batch is a range of the sorted scope's filing ids. One thread: with two, the first
    # batch's INSERT ... ON CONFLICT ran out of memory at once under 300MB (1 000 filings),
    # with one it needs no more than the single upsert did.
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET threads = 1")
    try:
        for i in range(0, len(scope), UPSERT_FILINGS):
            batch = scope[i:i + UPSERT_FILINGS]
            _in_transaction(con, lambda: _upsert_batch(con, now, version, failed, batch[0], batch[-1]))
    finally:
        con.execute(f"SET threads = {int(threads)}")
    _in_transaction(con, lambda: _resolve_by_later(con, now, failed))


def _in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], None]) -> None:
    con.begin()
    try:
        work()
        con.commit()
    except BaseException:
        try:
            con.rollback()
        except duckdb.Error:  # a failed COMMIT (disk full) has ended the transaction already
            pass
        raise


def _upsert_batch(con: duckdb.DuckDBPyConnection, now: datetime, version: str, failed: list[str],
                  first: str, last: str) -> None:
    con.execute(
        """
        INSERT INTO finding BY NAME
        SELECT n.filing_id, n.rule_id, n.subject, r.severity, n.outcome, n.message, n.expected, n.actual,
               n.difference, n.tolerance, n.evidence, ? AS rules_version,
               coalesce(i.first_seen, ?::TIMESTAMP) AS first_seen, ?::TIMESTAMP AS last_seen,
               NULL::TIMESTAMP AS resolved_at, NULL::VARCHAR AS resolved_by
        FROM _new n LEFT JOIN rule r USING (rule_id)
        LEFT JOIN _inherited i USING (filing_id, rule_id, subject)
        WHERE n.filing_id BETWEEN ? AND ?
        ON CONFLICT (filing_id, rule_id, subject) DO UPDATE SET
            severity = excluded.severity, outcome = excluded.outcome, message = excluded.message,
            expected = excluded.expected, actual = excluded.actual, difference = excluded.difference,
            tolerance = excluded.tolerance, evidence = excluded.evidence,
            rules_version = excluded.rules_version, last_seen = excluded.last_seen,
            -- a finding that starts or stops failing starts a new life
            first_seen = CASE WHEN (finding.outcome = 'fail') <> (excluded.outcome = 'fail')
                              THEN excluded.last_seen ELSE finding.first_seen END,
            resolved_at = CASE WHEN excluded.outcome = 'fail' THEN NULL
                               WHEN finding.outcome = 'fail' THEN excluded.last_seen
                               ELSE finding.resolved_at END,
            resolved_by = CASE WHEN excluded.outcome = 'fail' THEN NULL
                               WHEN finding.outcome = 'fail' THEN finding.filing_id
                               ELSE finding.resolved_by END
        """,
        [version, now, now, first, last],
    )
    # A subject a checked filing no longer produces belongs to an older rule version.
    # A rule that errored keeps its earlier findings (their last_seen shows they are old).
    # What this run produced was just upserted with last_seen = now: the rest is older, and
    # is found without joining every finding to _new (at 5 000 filings that join ran out
    # of memory under the write session's cap).
    con.execute(
        """DELETE FROM finding f WHERE f.filing_id BETWEEN ? AND ? AND f.filing_id IN (SELECT filing_id FROM _scope)
           AND NOT list_contains(CAST(? AS VARCHAR[]), f.rule_id)
           AND f.last_seen IS DISTINCT FROM ?::TIMESTAMP""",
        [first, last, failed, now],
    )


def _resolve_by_later(con: duckdb.DuckDBPyConnection, now: datetime, failed: list[str]) -> None:
    # Fails of earlier versions that the checked current version no longer shows are
    # resolved by it. Not when it cannot tell (insufficient_data, error) or the rule errored.
    # Only a filing of version 2 or later has earlier versions: without one in scope (a
    # first load) the join of every fail to every finding is skipped.
    if con.execute("SELECT count(*) FROM filing WHERE filing_id IN (SELECT filing_id FROM _scope) "
                   "AND is_current AND version > 1").fetchall()[0][0]:
        con.execute(
            """UPDATE finding p SET resolved_at = ?, resolved_by = g.filing_id
               FROM filing pg, filing g
               WHERE p.filing_id = pg.filing_id AND g.filing_id IN (SELECT filing_id FROM _scope)
                 AND g.is_current AND pg.filing_key = g.filing_key AND pg.version < g.version
                 AND p.outcome = 'fail' AND p.resolved_at IS NULL
                 AND NOT list_contains(CAST(? AS VARCHAR[]), p.rule_id)
                 AND NOT EXISTS (SELECT 1 FROM finding c WHERE c.filing_id = g.filing_id AND c.rule_id = p.rule_id
                                 AND c.subject = p.subject AND c.outcome IN ('fail', 'insufficient_data', 'error'))""",
            [now, failed],
        )


def _group_and_review(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Issue 16: group the scope's fails by cause, and mark as 已更正 what a correction fixed."""
    from warehouse.groups import assign_groups
    from warehouse.reviews import record_corrections

    con.begin()
    try:
        assign_groups(con)
        record_corrections(con, now)
        con.commit()
    except BaseException:
        try:
            con.rollback()
        except duckdb.Error:
            pass
        raise
