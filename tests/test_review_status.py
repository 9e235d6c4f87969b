"""Reviews and groups together (issue 16): a finding that joins a group staff marked 误报 is
still new, 待核 and alerted; the reviewed members are not. On a small in-memory warehouse."""
from __future__ import annotations

import json
from datetime import datetime

from flows.alerts import new_findings
from warehouse.db import connect
from warehouse.groups import assign_groups
from warehouse.reviews import set_status


def test_a_new_finding_in_a_reviewed_group_is_still_new_and_alerted():
    """A group marked 误报; the next check adds a member (same cell, same difference): the newcomer
    is 待核 and alerted, the reviewed members are not."""
    con = connect(":memory:")
    con.execute("""INSERT INTO filing (filing_id, sha256, parser_version, filing_key, version, is_current, department)
                   VALUES ('f', 'x', '0', 'k', 1, true, '区某局')""")
    con.execute("CREATE TEMP TABLE _scope AS SELECT 'f' AS filing_id")
    t2_total = {"table": "T2", "page": 6, "row": "total", "column": "合计"}

    def add(rule, subject, row):
        ev = {"expected": {"table": "T1", "page": 5, "row": row, "column": "预算数"}, "actual": [t2_total]}
        con.execute("""INSERT INTO finding (filing_id, rule_id, subject, severity, outcome, message, difference, tolerance,
                       evidence, first_seen, last_seen) VALUES ('f', ?, ?, 'high', 'fail', ?, 5, 0.01, ?, now(), now())""",
                    [rule, subject, f"{subject} 相差 5 万元", json.dumps(ev)])
        assign_groups(con)

    add("B1", "income_total", "income_total")
    add("B1", "income_current", "income_current")
    (group,) = con.execute("SELECT DISTINCT group_id FROM finding").fetchone()
    assert len(set_status(con, group, "误报", "表2 合计行读错", "张三")) == 2
    add("B3", "total", "income_total")  # a later check finds one more line of the same cause
    got = dict(con.execute("SELECT subject, review_status FROM finding_review").fetchall())
    assert got == {"income_total": "误报", "income_current": "误报", "total": "待核"}
    assert con.execute("SELECT count(DISTINCT group_id), max(n_findings), max(n_open) FROM finding_groups").fetchone() == (1, 3, 1)
    alerted = [f["subject"] for f in new_findings(con, datetime(2000, 1, 1))]
    assert alerted == ["total"]
