"""Alerts end to end: the nightly flow over the sample district, a local webhook receiver
(apprise json://) and a local SMTP server (aiosmtpd, apprise mailto://): one digest of what
is new per run, nothing when nothing is new, exactly the new findings after a corrected
re-publication, and a failed delivery sent once with the next run."""
from __future__ import annotations

import copy
import json
import shutil
import socket
import threading
from email import message_from_bytes
from email.header import decode_header, make_header
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from demo.portal import build_site
from demo.render_pdf import build_pdf
from demo.seed_filing import load_seed
from demo.server import serve
from flows.nightly import nightly
from flows.settings import Paths

pytestmark = pytest.mark.e2e

SEED_DEPT = "硚口区城市运行管理中心"
# The seed's genuine C2 findings (domain.md "The seed"): what the narrative calls each code.
SEED_FAILS = {("C2", "20103", "财政事务"), ("C2", "2080899", "其他抚恤支出")}


# ---------------------------------------------------------------- receivers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Webhook:
    """An HTTP receiver on 127.0.0.1 that records each POST; `fail_next` answers 500 that many times."""

    def __init__(self):
        self.received: list[dict] = []
        self.refused: list[dict] = []
        self.fail_next = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                if outer.fail_next > 0:
                    outer.fail_next -= 1
                    outer.refused.append(body)
                    self.send_response(500)
                else:
                    outer.received.append(body)
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"json://127.0.0.1:{self.server.server_port}/budgetwatch"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    """aiosmtpd on 127.0.0.1 collecting messages; apprise reaches it with plain SMTP (mailto://, no TLS)."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
                outer.messages.append(message_from_bytes(envelope.content, policy=email_policy))
                return "250 OK"

        port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        self.controller.start()
        self.url = f"mailto://127.0.0.1:{port}?from=budgetwatch@example.org&to=yusuan@example.org"

    def texts(self) -> list[str]:
        out = []
        for m in self.messages:
            subject = str(make_header(decode_header(m["Subject"])))
            part = m.get_body(preferencelist=("plain", "html"))
            out.append(subject + "\n" + part.get_content())
        return out

    def close(self):
        self.controller.stop()


# ---------------------------------------------------------------- sites

def corrected_site(site: Path, out: Path) -> Path:
    """A copy of `site` where the seed department re-published its PDF at the same URL:
    the narrative's 款 20103 name is corrected, and a new misnaming is introduced
    (2101103 公务员医疗补助 called 公务员医疗保险); 2080899 stays misnamed."""
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    entry = next(f for f in manifest["filings"] if f["department"] == SEED_DEPT and f["fiscal_year"] == 2026)
    seed = copy.deepcopy(load_seed())
    changed = 0
    for item in seed["part3"]:
        text = item.get("text", "")
        new = text.replace("财政事务(款)", "政府办公厅(室)及相关机构事务(款)")
        new = new.replace("公务员医疗补助 24.7 万元", "公务员医疗保险 24.7 万元")
        changed += new != text
        item["text"] = new
    assert changed == 2, "the seed narrative changed; update the correction"
    dest = out / site.name
    shutil.copytree(site, dest)
    build_pdf(seed, dest / entry["attachment_path"].lstrip("/"))
    return dest


def ground_truth(site: Path) -> list[dict]:
    """The injected faults a checker must report (demo's ground_truth.jsonl), arguable ones aside."""
    rows = [json.loads(line) for line in (site / "ground_truth.jsonl").read_text("utf-8").splitlines() if line.strip()]
    return [r for r in rows if not r.get("arguable")]


def unreadable_attachments(site: Path) -> list[str]:
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    return [a["path"] for f in manifest["filings"] for a in f["attachments"]
            if a.get("expected_outcome", "ok") != "ok"]


# ---------------------------------------------------------------- runs

@pytest.fixture(scope="module")
def receivers():
    hook, mail = Webhook(), Mailbox()
    yield hook, mail
    hook.close()
    mail.close()


@pytest.fixture(scope="module")
def shared_cache(district_run):
    """The extraction cache of the session's district run (tests/district_run.py), so this
    module's warehouses never parse a document that run already parsed. Each run here still
    crawls, loads, checks and alerts for itself, into its own warehouse."""
    site, district_db = district_run
    mp = pytest.MonkeyPatch()
    mp.setenv("BUDGETWATCH_CACHE_DIR", str(Paths(db=district_db).cache_dir))
    yield site
    mp.undo()


@pytest.fixture(scope="module")
def history(tmp_path_factory, receivers, shared_cache):
    """Three nightly runs: the district, the same again, then with the seed PDF corrected."""
    hook, mail = receivers
    tmp = tmp_path_factory.mktemp("alerts")
    db = tmp / "data" / "budget.duckdb"
    site = shared_cache
    mp = pytest.MonkeyPatch()
    mp.setenv("BUDGETWATCH_ALERT_URLS", f"{hook.url},{mail.url}")
    mp.setenv("BUDGETWATCH_ALERT_MIN_SEVERITY", "low")
    mp.setenv("BUDGETWATCH_REPORT_URL", "https://budget.example.org/report/")
    steps = []
    try:
        with serve(site) as base:
            port = int(base.rstrip("/").rsplit(":", 1)[1])
            for _ in range(2):
                n_hook, n_mail = len(hook.received), len(mail.messages)
                run = nightly(sites=["sample"], db=str(db), start_urls={"sample": base + "zwgk/czyjs/index.html"})
                steps.append((run, hook.received[n_hook:], mail.texts()[n_mail:]))
        fixed = corrected_site(site, tmp)
        with serve(fixed, port=port) as base:  # same address: a re-publication in place
            n_hook, n_mail = len(hook.received), len(mail.messages)
            run = nightly(sites=["sample"], db=str(db), start_urls={"sample": base + "zwgk/czyjs/index.html"})
            steps.append((run, hook.received[n_hook:], mail.texts()[n_mail:]))
    finally:
        mp.undo()
    return site, db, steps


def test_first_run_delivers_one_digest_with_every_fault(history):
    site, db, steps = history
    run, posts, mails = steps[0]
    assert len(posts) == 1 and len(mails) == 1
    body, mail = posts[0]["message"], mails[0]
    assert posts[0]["title"].startswith("budgetwatch 预算公开核对：")
    # every finding first seen in this run is in the digest, with its message
    assert run["new_findings"]
    for f in run["new_findings"]:
        assert f["message"] in body, f
        assert (f["department"] or "（未识别部门）") in mail
    # every injected fault of a rule the checker implements (ground truth of the district)
    con = duckdb.connect(str(db), read_only=True)
    try:
        implemented = {r[0] for r in con.execute("SELECT rule_id FROM rules WHERE implemented").fetchall()}
    finally:
        con.close()
    where = ("department_code", "fiscal_year", "kind", "unit_scope", "rule_id")
    found = {tuple(f[k] for k in where) for f in run["new_findings"]}
    missing = [t for t in ground_truth(site) if t["rule_id"] in implemented and tuple(t[k] for k in where) not in found]
    assert not missing, f"injected faults missing from the digest: {missing}"
    # the seed's genuine C2 findings, with the code and what the narrative calls it, in both channels
    said = {(f["rule_id"], f["subject"].split("|")[0]) for f in run["new_findings"] if f["department"] == SEED_DEPT}
    assert said >= {(rule, "func:" + code) for rule, code, _ in SEED_FAILS}
    for _, code, name in SEED_FAILS:
        assert code in body and name in body and name in mail
    for path in unreadable_attachments(site):
        assert path in body, f"unreadable {path} not alerted"
    # each finding links to its evidence page of the source PDF, and to the report
    assert "P020260126381234567890.pdf#page=" in body
    assert "https://budget.example.org/report/index.html#findings" in body


def test_digest_is_grouped_by_department(history):
    _, _, steps = history
    run, posts, _ = steps[0]
    body = posts[0]["message"]
    departments = sorted({f["department"] or "（未识别部门）" for f in run["new_findings"]})
    headings = [line[3:].rsplit("（", 1)[0] for line in body.splitlines() if line.startswith("## ") and "无法读取" not in line]
    assert sorted(headings) == departments
    assert len(headings) == len(set(headings))


def test_second_run_with_nothing_new_sends_nothing(history):
    _, _, steps = history
    run, posts, mails = steps[1]
    assert posts == [] and mails == []
    assert run["new_findings"] == [] and run["digest"] is None
    assert run["alerts"]["delivered"] == 0


def test_corrected_republication_sends_exactly_its_new_findings(history):
    _, db, steps = history
    run, posts, mails = steps[2]
    assert len(posts) == 1 and len(mails) == 1
    assert [(f["rule_id"], f["subject"]) for f in run["new_findings"]] == [("C2", "func:2101103|公务员医疗保险")]
    body = posts[0]["message"]
    assert "公务员医疗保险" in body
    assert "其他抚恤支出" not in body  # already reported for the first version
    assert "财政事务" not in body  # corrected
    con = duckdb.connect(str(db), read_only=True)
    try:
        versions = con.execute("SELECT count(*) FROM filing_versions WHERE department = ? AND fiscal_year = 2026 "
                               "AND kind = '预算' AND unit_scope = '部门'", [SEED_DEPT]).fetchone()[0]
        outbox = con.execute("SELECT kind, count(*), count(delivered_at) FROM alert_outbox GROUP BY 1").fetchall()
    finally:
        con.close()
    assert versions == 2
    assert outbox == [("findings", 4, 4)]  # two digests × two targets, all delivered


# ---------------------------------------------------------------- a failed delivery

def test_failed_delivery_is_sent_once_with_the_next_run(monkeypatch, tmp_path, shared_cache):
    hook = Webhook()
    hook.fail_next = 1
    monkeypatch.setenv("BUDGETWATCH_ALERT_URLS", hook.url)
    db = tmp_path / "budget.duckdb"
    try:
        # the seed-only portal: its genuine findings make a digest, and three runs of it are quick
        with serve(build_site(profile="seed")) as base:
            start = {"sample": base + "zwgk/czyjs/index.html"}
            first = nightly(sites=["sample"], db=str(db), start_urls=start)
            assert hook.received == [] and len(hook.refused) == 1
            assert first["new_findings"] and "财政事务" in hook.refused[0]["message"]
            assert first["alerts"]["failed"] == 1 and first["alerts"]["delivered"] == 0
            con = duckdb.connect(str(db), read_only=True)
            pending = con.execute("SELECT digest_id, attempts, last_error, delivered_at FROM alert_outbox").fetchall()
            con.close()
            assert len(pending) == 1
            digest_id, attempts, last_error, delivered_at = pending[0]
            assert attempts == 1 and last_error and delivered_at is None

            second = nightly(sites=["sample"], db=str(db), start_urls=start)
            assert second["new_findings"] == [] and second["digest"] is None
            assert second["alerts"]["delivered"] == 1
            assert len(hook.received) == 1
            assert hook.received[0]["message"] == hook.refused[0]["message"]

            third = nightly(sites=["sample"], db=str(db), start_urls=start)
            assert third["alerts"]["delivered"] == 0 and len(hook.received) == 1
    finally:
        hook.close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT digest_id, attempts, last_error, delivered_at IS NOT NULL FROM alert_outbox").fetchall()
    finally:
        con.close()
    assert row == [(digest_id, 2, None, True)]


# ---------------------------------------------------------------- a failed run

def test_a_failed_run_is_alerted(tmp_path, monkeypatch):
    hook = Webhook()
    monkeypatch.setenv("BUDGETWATCH_ALERT_URLS", hook.url)
    db = tmp_path / "budget.duckdb"
    try:
        with pytest.raises(RuntimeError, match="抓取失败的站点"):
            nightly(sites=[str(tmp_path / "no-such-profile.yaml")], db=str(db))
    finally:
        hook.close()
    assert len(hook.received) == 1
    assert hook.received[0]["title"].startswith("budgetwatch 每晚运行失败")
    assert "no-such-profile.yaml" in hook.received[0]["message"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT kind, attempts, delivered_at IS NOT NULL FROM alert_outbox").fetchall() == [
            ("run_failed", 1, True)]
    finally:
        con.close()


def test_alert_urls_from_a_prefect_secret_block(monkeypatch):
    from prefect.blocks.system import Secret

    from flows.alerts import resolve_alert_urls
    from flows.settings import ALERT_URLS_SECRET

    monkeypatch.delenv("BUDGETWATCH_ALERT_URLS", raising=False)
    Secret(value="json://127.0.0.1:9/a, wecombot://abc123").save(ALERT_URLS_SECRET, overwrite=True)
    try:
        assert resolve_alert_urls() == ["json://127.0.0.1:9/a", "wecombot://abc123"]
        monkeypatch.setenv("BUDGETWATCH_ALERT_URLS", "json://127.0.0.1:9/b")
        assert resolve_alert_urls() == ["json://127.0.0.1:9/b"]  # the environment wins
    finally:
        Secret.delete(ALERT_URLS_SECRET)
