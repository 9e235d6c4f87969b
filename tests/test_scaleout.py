"""Scale-out with no shared folder: the nightly on a Dask cluster whose workers have their own
working directory and HOME and none of the flow's folders, with raw files and the extraction
cache in an S3-compatible store (moto's server on loopback), gives the threads runner's
public views; and so it does when one worker is killed mid-run."""
from __future__ import annotations

import json
import logging
import os
import signal
import threading
from pathlib import Path

import pytest

from demo.portal import build_site
from demo.server import serve
from extractors.model import PARSER_VERSION
from flows.nightly import nightly
from tests.test_dask import VIEWS, district_slice, public_rows

# One process runs the whole module under `--dist loadgroup`: its three runs are one module fixture.
pytestmark = [pytest.mark.slow, pytest.mark.e2e, pytest.mark.xdist_group("scaleout")]

BUCKET = "budgetwatch-test"

distributed = pytest.importorskip("distributed")
moto_server = pytest.importorskip("moto.server")


class SeparateMachine(distributed.WorkerPlugin):
    """Each worker as if on a machine of its own: a working directory of its own under `root`
    (its HOME is set by the cluster's env). With `kill_token`, the first worker to claim the
    token is SIGKILLed `kill_after_s` into the first batch it starts: mid-document."""

    name = "separate-machine"

    def __init__(self, root: str, kill_token: str | None = None, kill_after_s: float = 1.0):
        self.root, self.kill_token, self.kill_after_s = root, kill_token, kill_after_s

    def setup(self, worker) -> None:
        here = Path(self.root) / f"worker-{os.getpid()}"
        here.mkdir(parents=True, exist_ok=True)
        os.chdir(here)

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish != "executing" or not self.kill_token:
            return
        try:
            fd = os.open(self.kill_token, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return  # another worker died already: one kill per run
        os.write(fd, f"{os.getpid()} {key}\n".encode())
        os.close(fd)
        threading.Timer(self.kill_after_s, os.kill, (os.getpid(), signal.SIGKILL)).start()


def where_am_i() -> dict:
    return {"cwd": os.getcwd(), "home": os.environ.get("HOME"),
            "budgetwatch_env": sorted(k for k in os.environ if k.startswith("BUDGETWATCH_"))}


@pytest.fixture(scope="module")
def mp():
    m = pytest.MonkeyPatch()
    yield m
    m.undo()


@pytest.fixture(scope="module")
def s3(mp):
    """An S3-compatible server on a free loopback port; its endpoint and keys in the environment
    only (s3fs reads AWS_ENDPOINT_URL, as a worker on another machine would)."""
    import fsspec

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    for k, v in {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret",
                 "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://{host}:{port}"}.items():
        mp.setenv(k, v)
    fs = fsspec.filesystem("s3", skip_instance_cache=True)
    fs.mkdir(BUCKET)
    yield fs
    server.stop()


@pytest.fixture(scope="module")
def runs(tmp_path_factory, mp, s3):
    """The threads run on local folders; then two Dask runs on s3, the second with a worker killed."""
    for k in ("BUDGETWATCH_ALERT_URLS", "BUDGETWATCH_DB", "BUDGETWATCH_CACHE_DIR", "BUDGETWATCH_CACHE_URL",
              "BUDGETWATCH_RAW_URL", "BUDGETWATCH_DASK_ADDRESS", "BUDGETWATCH_TASK_RUNNER"):
        mp.delenv(k, raising=False)
    mp.setenv("BUDGETWATCH_WORKERS", "2")
    out = {}
    with serve(build_site(filings=district_slice())) as base:
        start = {"sample": base + "zwgk/czyjs/index.html"}
        db = tmp_path_factory.mktemp("threads") / "budget.duckdb"
        out["threads"] = (nightly(sites=["sample"], db=str(db), start_urls=start), db, None)
        for name in ("dask", "dask-killed"):
            workers_root = tmp_path_factory.mktemp(f"{name}-workers")
            token = str(workers_root / "killed") if name == "dask-killed" else None
            db = tmp_path_factory.mktemp(name) / "budget.duckdb"
            with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                          dashboard_address=None, local_directory=str(workers_root / "dask"),
                                          env={"HOME": str(workers_root / "home")}) as cluster, \
                    distributed.Client(cluster) as client:
                client.register_plugin(SeparateMachine(str(workers_root), token))
                seen = list(client.run(where_am_i).values())
                mp.setenv("BUDGETWATCH_DASK_ADDRESS", cluster.scheduler_address)
                mp.setenv("BUDGETWATCH_RAW_URL", f"s3://{BUCKET}/{name}/raw")
                mp.setenv("BUDGETWATCH_CACHE_URL", f"s3://{BUCKET}/{name}/cache")
                try:
                    run = nightly(sites=["sample"], db=str(db), start_urls=start, task_runner="dask")
                finally:
                    for k in ("BUDGETWATCH_DASK_ADDRESS", "BUDGETWATCH_RAW_URL", "BUDGETWATCH_CACHE_URL"):
                        mp.delenv(k)
            out[name] = (run, db, {"seen": seen, "token": token, "root": workers_root})
    return out


def test_workers_had_folders_of_their_own_and_no_setting_of_the_flow(runs, tmp_path_factory):
    for name in ("dask", "dask-killed"):
        run, db, info = runs[name]
        assert len(info["seen"]) == 2
        for w in info["seen"]:
            assert Path(w["cwd"]).parent == info["root"] and w["cwd"] != os.getcwd()
            assert w["home"] == str(info["root"] / "home") != os.environ.get("HOME")
            assert "BUDGETWATCH_DB" not in w["budgetwatch_env"] and "BUDGETWATCH_CACHE_DIR" not in w["budgetwatch_env"]


def test_runs_used_the_dask_runner_and_the_object_store(runs, s3):
    unique = len(district_slice())
    assert runs["dask"][0]["task_runner_class"] == "DaskTaskRunner"
    assert runs["dask"][0]["parsed"] == runs["threads"][0]["parsed"] == unique
    for name in ("dask", "dask-killed"):
        run, db, _ = runs[name]
        entries = [Path(p).name for p in s3.ls(f"{BUCKET}/{name}/cache", detail=False, refresh=True)
                   if p.endswith(f"-{PARSER_VERSION}.json")]
        assert len(entries) == unique
        assert len(s3.find(f"{BUCKET}/{name}/raw")) == unique
        # the flow's own cache folder stayed empty: every result came back through the store
        assert list((db.parent / "cache").iterdir()) == []


def test_one_worker_was_killed_mid_run(runs):
    token = Path(runs["dask-killed"][2]["token"])
    assert token.exists(), "no worker was killed: the kill test tested nothing"
    pid = int(token.read_text().split()[0])
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.parametrize("name", ["dask", "dask-killed"])
@pytest.mark.parametrize("view", VIEWS)
def test_public_views_equal_the_threads_runs(runs, name, view):
    expected = public_rows(runs["threads"][1], view)
    assert expected, f"{view} is empty: nothing was compared"
    got = public_rows(runs[name][1], view)
    if view == "documents" and got != expected:  # say which document differs, not just that one does
        print(json.dumps([r for r in got if r not in expected], default=str, ensure_ascii=False)[:2000])
    assert got == expected
