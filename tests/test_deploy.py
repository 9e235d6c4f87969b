"""The nightly deployment of prefect.yaml, deployed to a local Prefect server and run once
through a process worker against the sample portal (deselect with `-m "not deploy"`)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from demo.portal import build_site
from demo.server import serve

pytestmark = [pytest.mark.deploy, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The answers Prefect's own client retries (PrefectClient: 429, 502, 503): a busy server's
# SQLite says 503 rather than wait (seen once in CI, under the parallel suite's load).
RETRIED = {429, 502, 503}


def api(base: str, method: str, path: str, body: dict | None = None, tries: int = 5):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read() or "null")
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRIED or attempt == tries - 1:
                raise
            try:
                delay = float(exc.headers.get("Retry-After"))
            except (TypeError, ValueError):  # absent, or an HTTP date
                delay = 2 ** attempt
            time.sleep(min(delay, 30))


def wait_for(what: str, check, timeout: float, proc: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"timed out waiting for {what}\n{tail}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    base = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BUDGETWATCH_"))}
    env.update(PREFECT_HOME=str(home), PREFECT_API_URL=base, PREFECT_SERVER_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1", PREFECT_UI_ENABLED="false", PREFECT_WORKER_QUERY_SECONDS="1")
    log = home / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for("the Prefect server", lambda: api(base, "GET", "/health"), 120, proc, log)
        yield base, env, home
    finally:
        stop(proc)


def prefect(env, *args: str) -> str:
    done = subprocess.run([str(BIN / "prefect"), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def deployed(server):
    base, env, _ = server
    prefect(env, "work-pool", "create", "budgetwatch-process", "--type", "process")
    prefect(env, "--no-prompt", "deploy", "--name", "nightly")  # reads prefect.yaml
    return api(base, "GET", "/deployments/name/nightly/nightly")


def test_deployment_schedule_pool_and_concurrency(deployed):
    assert deployed["entrypoint"] == "flows/nightly.py:nightly"
    assert deployed["work_pool_name"] == "budgetwatch-process"
    [schedule] = deployed["schedules"]
    assert schedule["active"] and schedule["schedule"]["cron"] == "30 2 * * *"
    assert schedule["schedule"]["timezone"] == "Asia/Shanghai"
    assert deployed["global_concurrency_limit"]["limit"] == 1
    assert deployed["concurrency_options"]["collision_strategy"] == "ENQUEUE"


def test_a_run_through_a_worker_fills_the_warehouse(server, deployed, tmp_path):
    base, env, home = server
    site = build_site(profile="seed")  # one filing: the worker's run, not the district, is tested
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    db = tmp_path / "data" / "budget.duckdb"
    log = home / "worker.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen(
            [str(BIN / "prefect"), "worker", "start", "--pool", "budgetwatch-process", "--limit", "1"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        with serve(site) as portal:
            run = api(base, "POST", f"/deployments/{deployed['id']}/create_flow_run", {"parameters": {
                "sites": ["sample"], "db": str(db), "start_urls": {"sample": portal + "zwgk/czyjs/index.html"}}})

            def finished():
                state = api(base, "GET", f"/flow_runs/{run['id']}")["state"]["type"]
                return state if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

            state = wait_for("the flow run", finished, 600, worker, log)
    finally:
        stop(worker)
    assert state == "COMPLETED", log.read_text(errors="replace")[-3000:]

    shas = {a["sha256"] for f in manifest["filings"] for a in f["attachments"]}
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == len(shas)
        assert con.execute("SELECT count(*) FROM filings").fetchone()[0] >= 1
        assert con.execute("SELECT count(*) FROM findings WHERE outcome = 'fail'").fetchone()[0] >= 2
    finally:
        con.close()
    artifacts = api(base, "POST", "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
    assert {a["key"] for a in artifacts} >= {"nightly-summary", "nightly-new-findings"}
