"""Staff review of findings (issue 16): statuses keyed by a finding's stable identity.

Every change is a row appended to finding_reviews; the views of reviews.sql read the latest.
A KEY is a finding's review_key (12 hex digits) or a group_id (g + 10 hex digits): a group's
status is set on each of its current members, so a finding that later joins the group is
still 待核 (new).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
STATUSES = ("待核", "已核实", "已说明", "误报", "已更正")
# Statuses after which a finding is never alerted again.
SILENCED = ("已说明", "误报")


class ReviewError(Exception):
    """A review that cannot be applied; the message is Chinese, for the user."""


@dataclass(frozen=True)
class Target:
    review_key: str
    filing_key: str
    rule_id: str
    subject: str


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def resolve(con: duckdb.DuckDBPyConnection, key: str) -> list[Target]:
    """The findings a KEY names: a group's current failing members, or one finding (any
    version). Empty when the key is unknown."""
    key = (key or "").strip().lower()
    if not key:
        return []
    rows = con.execute(
        """SELECT DISTINCT review_key, filing_key, rule_id, subject FROM finding_review
           WHERE is_current AND outcome = 'fail' AND group_id = ? ORDER BY rule_id, subject""", [key]).fetchall()
    if not rows:
        rows = con.execute(
            """SELECT review_key, filing_key, rule_id, subject FROM finding_review WHERE review_key = ?
               ORDER BY is_current DESC, version DESC LIMIT 1""", [key]).fetchall()
    return [Target(*r) for r in rows]


def check_status(status: str) -> str:
    status = (status or "").strip()
    if status not in STATUSES:
        raise ReviewError(f"状态“{status}”不在可选范围内（{' / '.join(STATUSES)}）")
    return status


def record(con: duckdb.DuckDBPyConnection, targets: list[Target], status: str, note: str | None, by: str,
           source: str, now: datetime | None = None) -> int:
    """Append one history row per target. The caller owns the transaction."""
    status = check_status(status)
    by = (by or "").strip()
    if not by:
        raise ReviewError("请用 --by 注明复核人")
    now = now or utcnow()
    con.executemany(
        "INSERT INTO finding_reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(t.review_key, t.filing_key, t.rule_id, t.subject, status, (note or "").strip() or None, by, now, source)
         for t in targets])
    return len(targets)


def set_status(con: duckdb.DuckDBPyConnection, key: str, status: str, note: str | None, by: str,
               now: datetime | None = None) -> list[Target]:
    """`budgetwatch review KEY --status … --note … --by …`: one transaction."""
    check_status(status)
    targets = resolve(con, key)
    if not targets:
        raise ReviewError(f"未知编号“{key}”：既不是核对发现编号，也不是当前的核对组编号")
    con.begin()
    try:
        record(con, targets, status, note, by, "cli", now)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return targets


def record_corrections(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """After a check (inside its transaction): 已更正 for what a corrected version fixed."""
    text = (HERE / "review_corrected.sql").read_text(encoding="utf-8")
    for statement in duckdb.extract_statements(text):  # parameters bind one statement at a time
        con.execute(statement, {"now": now})
