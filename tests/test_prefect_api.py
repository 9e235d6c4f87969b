"""The temporary Prefect API server a direct nightly call starts (flows/prefect_env.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys, urllib.request
from flows import prefect_env as prefect_api
from prefect import flow
from prefect.settings import PREFECT_API_URL, temporary_settings
wanted = prefect_api.wanted()
prefect_api.start()
url = prefect_api.url()
health = urllib.request.urlopen(url + "/health", timeout=10).status

@flow
def probe():
    from prefect.context import FlowRunContext
    return str(FlowRunContext.get().flow_run.id)

with temporary_settings(updates={PREFECT_API_URL: url}):
    run_id = probe()
print(json.dumps({"wanted": wanted, "same": prefect_api.url() == url, "health": health, "ran": bool(run_id),
                  "server_imported_here": "prefect.server.api.server" in sys.modules}))
"""


@pytest.mark.slow  # a Prefect server start: seconds
def test_the_server_answers_and_runs_a_flow_without_prefects_server_package_in_the_caller():
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {
        "wanted": True, "same": True, "health": 200, "ran": True, "server_imported_here": False}


def test_a_configured_api_is_used_as_it_is(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows import prefect_env as prefect_api

    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:4200/api"}):
        assert prefect_api.wanted() is False
