"""The alert outbox and the digest, without a flow: per-target delivery state, idempotent
enqueue, secrets kept out of the warehouse, severity filtering and grouping."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from flows.alerts.digest import at_least, compose, evidence_pages
from flows.alerts.outbox import deliver_pending, enqueue, ensure_outbox, fit

NOW = datetime(2026, 1, 27, 18, 30, tzinfo=timezone.utc)


class Receiver:
    def __init__(self, status: int = 200):
        self.status, self.bodies = status, []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                outer.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"json://127.0.0.1:{self.server.server_port}/hook"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    made = []

    def make(status=200):
        made.append(Receiver(status))
        return made[-1]

    yield make
    for r in made:
        r.close()


def finding(dept, rule, subject, severity="medium", page=3, fid=None):
    return {
        "filing_id": fid or f"420104-{dept}-2026-budget-dept-aaaa", "department": dept, "department_code": "1",
        "fiscal_year": 2026, "kind": "预算", "unit_scope": "部门", "source_url": f"http://portal/{dept}.pdf",
        "rule_id": rule, "subject": subject, "severity": severity, "rule_title": "标题", "message": f"{dept}{rule}{subject}",
        "evidence": json.dumps({"expected": {"table": "T5-1", "page": page}, "actual": {"source": "narrative", "page": 9}}),
    }


@pytest.fixture
def con():
    c = duckdb.connect(":memory:")
    ensure_outbox(c)
    yield c
    c.close()


@pytest.mark.parametrize("severity,minimum,sent", [
    ("high", "medium", True), ("medium", "medium", True), ("low", "medium", False),
    ("low", "low", True), ("medium", "high", False), (None, "high", True),
])
def test_severity_threshold(severity, minimum, sent):
    # a rule without a known severity is sent whatever the threshold: better read than missed
    assert at_least(severity, minimum) is sent


def test_digest_groups_by_department_and_links_evidence_pages():
    d = compose([finding("甲局", "C2", "x"), finding("乙局", "A4", "y", "high"), finding("甲局", "B7", "z", "low")],
                [], "medium", "https://r.example/report", now=NOW)
    assert d.n_items == 2
    assert d.title == "budgetwatch 预算公开核对：2 项新的不一致（2 个部门）"
    assert [line for line in d.body.splitlines() if line.startswith("## ")] == ["## 甲局（1 项）", "## 乙局（1 项）"]
    assert "甲局B7z" not in d.body  # below the threshold
    assert "[表5-1 第 3 页](http://portal/甲局.pdf#page=3) · [情况说明 第 9 页](http://portal/甲局.pdf#page=9)" in d.body
    assert "[报告](https://r.example/report/index.html#findings)" in d.body
    assert "2026-01-28 02:30 北京时间" in d.body


def test_digest_id_is_a_content_key_and_nothing_new_is_no_digest():
    a, b = finding("甲局", "C2", "x"), finding("乙局", "A4", "y")
    assert compose([a, b], [], "low").digest_id == compose([b, a], [], "low").digest_id
    assert compose([a], [], "low").digest_id != compose([b], [], "low").digest_id
    assert compose([], [], "low") is None
    assert compose([finding("甲局", "D3", "q", "low")], [], "medium") is None


def test_unreadable_documents_are_listed():
    doc = {"sha256": "ab" * 32, "source_url": "http://portal/scan.pdf", "outcome": "scanned",
           "outcome_detail": "扫描件，无文字层", "title": "某局2026年部门预算"}
    d = compose([], [doc], "high")
    assert d.title == "budgetwatch 预算公开核对：1 个文件无法读取"
    assert "- [某局2026年部门预算](http://portal/scan.pdf)：scanned——扫描件，无文字层" in d.body


def test_evidence_pages_walks_nested_evidence_once_per_page():
    ev = {"sides": [{"table": "T1", "page": 2}, {"table": "T1", "page": 2}, {"table": "T3", "page": 4}],
          "note": {"page": 0}}
    assert evidence_pages(json.dumps(ev)) == [("表1 第 2 页", 2), ("表3 第 4 页", 4)]
    assert evidence_pages("not json") == []


def test_each_target_is_delivered_once_and_a_failed_one_retried(con, receivers):
    good, bad = receivers(200), receivers(500)
    digest = compose([finding("甲局", "C2", "x")], [], "low")
    assert enqueue(con, digest, [good.url, bad.url]) == 2
    assert enqueue(con, digest, [good.url, bad.url]) == 0  # the same digest again: nothing new

    first = deliver_pending(con, [good.url, bad.url])
    assert (first["delivered"], first["failed"]) == (1, 1)
    assert len(good.bodies) == 1 and len(bad.bodies) == 1
    rows = con.execute("SELECT target_label, attempts, last_error IS NOT NULL, delivered_at IS NOT NULL "
                       "FROM alert_outbox ORDER BY target_label").fetchall()
    assert sorted((a, e, d) for _, a, e, d in rows) == [(1, False, True), (1, True, False)]

    bad.status = 200
    second = deliver_pending(con, [good.url, bad.url])
    assert (second["delivered"], second["failed"]) == (1, 0)
    assert len(good.bodies) == 1 and len(bad.bodies) == 2
    assert bad.bodies[-1]["message"] == digest.body.strip()

    assert deliver_pending(con, [good.url, bad.url])["delivered"] == 0
    assert con.execute("SELECT count(*) FROM alert_outbox WHERE delivered_at IS NULL").fetchone()[0] == 0


def test_a_target_removed_from_the_configuration_keeps_its_digest(con, receivers):
    r = receivers()
    enqueue(con, compose([finding("甲局", "C2", "x")], [], "low"), [r.url])
    assert deliver_pending(con, [])["unconfigured"] == 1
    assert r.bodies == []
    assert deliver_pending(con, [r.url])["delivered"] == 1


def test_urls_and_their_secrets_stay_out_of_the_warehouse(con):
    urls = ["wecombot://SECRETKEY1234567890", "mailtos://bw:hunter2pass@smtp.example.org?to=a@example.org",
            "dingtalk://SIGNSECRET0001@TOKEN0000000001/"]
    enqueue(con, compose([finding("甲局", "C2", "x")], [], "low"), urls)
    stored = json.dumps(con.execute("SELECT * FROM alert_outbox").fetchall(), default=str)
    for secret in ("SECRETKEY1234567890", "hunter2pass", "SIGNSECRET0001", "TOKEN0000000001"):
        assert secret not in stored
    assert con.execute("SELECT count(DISTINCT target) FROM alert_outbox").fetchone()[0] == 3


def test_chat_bots_get_a_digest_cut_to_their_limit():
    body = "".join(f"- 第 {i} 项：说明称“财政事务”，表中为“政府办公厅(室)及相关机构事务”。\n" for i in range(200))
    cut = fit("wecombot://KEY", body)
    assert len(cut.encode()) <= 4000 and cut.endswith("完整清单见邮件、报告或 findings 视图）\n")
    assert cut.startswith("- 第 0 项") and "- 第 199 项" not in cut
    assert fit("mailto://relay:25?to=a@b.c", body) == body
