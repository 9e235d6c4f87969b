"""The fault catalogue of a nightly run: what it meets, and what must hold afterwards.

Every scenario runs the real code in a child process and kills or starves it for real:
- SIGKILL at named points of extract, load and publish: the published database is the old
  one or the new one, and the next run's result equals a clean run's;
- two runs started at once: exactly one writes, the other waits or says the warehouse is busy;
- disk full during download and during load: a clear failure, the last published state kept.

The warehouse's crash points come from ``warehouse.publish.crash_point`` through the
BUDGETWATCH_TEST_CRASH_AT variable. "The same result" compares the public views row by row,
without the columns that hold wall-clock times (fetched_at, first_seen, last_seen, resolved_at),
against a clean run with the same history: a finding's status (new: first seen by the latest
check; open: seen before) depends on how many runs saw it, so a third run over unchanged files
is compared with a clean third run, not with a clean second one.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from extractors.isolate import CHILD_NAME

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_VIEWS = ("documents", "filings", "facts", "filing_totals", "findings")
VOLATILE = {"fetched_at", "first_seen", "last_seen", "loaded_at", "resolved_at"}
CRASH_ENV = "BUDGETWATCH_TEST_CRASH_AT"

# The child: one run over the given files, the way `budgetwatch ingest` does it
# (mode "process": flows.runs.process), or the same documents loaded through the
# warehouse's staging copy and atomic publish (mode "publish").
RUNNER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from flows.pipeline import discover, extract_all, load_all, run_checks
    from flows.settings import Paths
    mode, db, files = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    paths = Paths(db=db).ensure()
    docs = discover(files)
    if mode == "process":
        from flows.runs import process
        run = process(docs, paths, workers=2)
        out = {"parsed": run["parsed"], "new_filings": len(run["new_filings"]), "load_errors": run["load_errors"]}
    else:
        from warehouse.publish import publishing
        ext = extract_all(docs, paths.cache_dir, workers=2)
        with publishing(db) as con:
            errors = []
            ids = load_all(con, docs, ext, errors)
            run_checks(con, ids)
        out = {"filings": len(ids), "load_errors": errors}
    print(json.dumps(out))
""")


def run_child(mode: str, db: Path, files: list[Path], crash_at: str | None = None, timeout: float = 240,
              preexec=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop(CRASH_ENV, None)
    if crash_at:
        env[CRASH_ENV] = crash_at
    return subprocess.run([sys.executable, "-c", RUNNER, mode, str(db), *map(str, files)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, preexec_fn=preexec)


def _canonical(value):
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _cell(column: str, value) -> str:
    # The checks list an identity's terms in no fixed order (two clean runs over the same
    # data can differ in it), so evidence compares as a set of terms.
    if column == "evidence" and isinstance(value, str) and value.startswith(("{", "[")):
        return json.dumps(_canonical(json.loads(value)), sort_keys=True, ensure_ascii=False)
    return str(value)


def dump(db: Path) -> dict | None:
    """The public views as sorted rows of strings; None when there is no published file."""
    if not db.exists():
        return None
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for view in PUBLIC_VIEWS:
            cols = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall() if r[0] not in VOLATILE]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {view}").fetchall()
            out[view] = sorted(tuple(_cell(c, v) for c, v in zip(cols, r)) for r in rows)
        return out
    finally:
        con.close()


def summary(d: dict | None) -> dict | None:
    return None if d is None else {k: len(v) for k, v in d.items()}


# ---------------------------------------------------------------------------- inputs

@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict:
    """Three filings (the seed and two generated departments) and a warm extraction cache.

    Clean runs, per mode: "old" = a run over A alone; "new" = then a run over B, C and A;
    "again" = then the same run once more. "cold" (mode process) = one run over B, C, A into
    an empty folder. The docs are ordered B, C, A so that a crash at the first load or publish
    point hits new content.
    """
    from benchmarks.district_scale import render_one
    from demo.render_pdf import build_seed_pdf

    root = tmp_path_factory.mktemp("reliability")
    files = root / "files"
    files.mkdir()
    a = build_seed_pdf(files / "a-seed-118-2026.pdf")
    b = Path(render_one(("111", 2026, -1, 2026, str(files / "b-111-2026.pdf"))))
    c = Path(render_one(("113", 2025, -1, 2026, str(files / "c-113-2025.pdf"))))
    refs = {}
    for mode in ("process", "publish"):
        d = root / f"clean-{mode}"
        r1 = run_child(mode, d / "budget.duckdb", [a])
        assert r1.returncode == 0, r1.stderr[-3000:]
        old = d.parent / f"old-{mode}"
        shutil.copytree(d, old)
        r2 = run_child(mode, d / "budget.duckdb", [b, c, a])
        assert r2.returncode == 0, r2.stderr[-3000:]
        new = dump(d / "budget.duckdb")
        r3 = run_child(mode, d / "budget.duckdb", [b, c, a])
        assert r3.returncode == 0, r3.stderr[-3000:]
        refs[mode] = {"old_dir": old, "old": dump(old / "budget.duckdb"), "new": new, "again": dump(d / "budget.duckdb")}
    cold = root / "clean-cold" / "budget.duckdb"
    # an empty warehouse; the extractions are the same whether cached or not (keyed on content)
    shutil.copytree(root / "clean-process" / "cache", cold.parent / "cache")
    r = run_child("process", cold, [b, c, a])
    assert r.returncode == 0, r.stderr[-3000:]
    refs["process"]["cold"] = dump(cold)
    assert refs["process"]["old"] != refs["process"]["new"]
    assert summary(refs["process"]["new"])["filings"] == 3
    # a run over unchanged files changes nothing but the findings' life (new -> open)
    for mode in refs:
        new, again = refs[mode]["new"], refs[mode]["again"]
        assert {k: v for k, v in new.items() if k != "findings"} == {k: v for k, v in again.items() if k != "findings"}
        assert len(new["findings"]) == len(again["findings"])
    return {"root": root, "a": a, "b": b, "c": c, "refs": refs, "cache": root / "clean-process" / "cache"}


def scenario(inputs, tmp_path: Path, mode: str, with_old: bool = True) -> Path:
    """A data folder holding the published "old" state (or nothing) and a warm cache."""
    d = tmp_path / "data"
    if with_old:
        shutil.copytree(inputs["refs"][mode]["old_dir"], d)
    else:
        d.mkdir()
    # the extraction cache holds every file's result (it is keyed on content): these tests are
    # about loading and publishing, and re-extracting B and C in each would only cost time
    shutil.copytree(inputs["cache"], d / "cache", dirs_exist_ok=True)
    return d / "budget.duckdb"


def new_files(inputs) -> list[Path]:
    return [inputs["b"], inputs["c"], inputs["a"]]


# ---------------------------------------------------------------------------- SIGKILL at named points

PUBLISH_POINTS = ["after_copy", "mid_load", "after_load", "before_checkpoint", "before_replace", "after_replace"]


@pytest.mark.parametrize("point", PUBLISH_POINTS)
def test_sigkill_during_publish_keeps_old_or_new(inputs, tmp_path, point):
    """warehouse.publish: a run killed at any point leaves the old file (or, once renamed, the
    new one) and the next run gives exactly what a clean run gives."""
    db = scenario(inputs, tmp_path, "publish")
    ref = inputs["refs"]["publish"]
    r = run_child("publish", db, new_files(inputs), crash_at=point)
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr[-2000:])
    assert dump(db) == (ref["new"] if point == "after_replace" else ref["old"])
    assert not list(db.parent.glob(f".{db.name}.staging-*.wal")) or point != "after_replace"
    again = run_child("publish", db, new_files(inputs))
    assert again.returncode == 0, again.stderr[-3000:]
    # killed after the rename, the killed run was published: the next run is a third one
    assert dump(db) == (ref["again"] if point == "after_replace" else ref["new"])
    assert not list(db.parent.glob(f".{db.name}.staging-*")), "the next run removes a killed run's staging file"


@pytest.mark.parametrize("point", ["mid_load", "after_load", "before_replace"])
def test_sigkill_during_ingest_keeps_old_or_new(inputs, tmp_path, point):
    """The same through the pipeline (`budgetwatch ingest` = flows.runs.process)."""
    db = scenario(inputs, tmp_path, "process")
    ref = inputs["refs"]["process"]
    r = run_child("process", db, new_files(inputs), crash_at=point)
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr[-2000:])
    assert dump(db) == ref["old"], f"in between: {summary(dump(db))}"
    again = run_child("process", db, new_files(inputs))
    assert again.returncode == 0, again.stderr[-3000:]
    assert dump(db) == ref["new"]


def _descendants(pid: int) -> list[tuple[int, str, str]]:
    """(pid, comm, cmdline) of every process below ``pid`` (extraction children are forked by
    the fork server, a child of the run)."""
    procs = {}
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            stat = (p / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            cmd = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, ValueError, IndexError):
            continue
        procs[int(p.name)] = (ppid, comm, cmd)
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, comm, cmd) in procs.items():
            if ppid == parent:
                out.append((child, comm, cmd))
                todo.append(child)
    return out


def _is_extractor(comm: str, cmd: str) -> bool:
    return comm == CHILD_NAME or "-m extractors" in cmd


def _popen_run(db: Path, files: list[Path]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop(CRASH_ENV, None)
    return subprocess.Popen([sys.executable, "-c", RUNNER, "process", str(db), *map(str, files)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def test_sigkill_mid_extraction_then_rerun_equals_clean(inputs, tmp_path):
    """The whole run (and its extractor children) killed once the first extraction is cached:
    nothing is published, no half-written cache entry is taken, and the next run is clean."""
    db = tmp_path / "data" / "budget.duckdb"  # cold: no cache, no warehouse
    proc = _popen_run(db, new_files(inputs))
    cache = db.parent / "cache"
    deadline = time.monotonic() + 180
    try:
        while not list(cache.glob("*.json")):
            assert proc.poll() is None, "the run ended before the first extraction was cached"
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert len(list(cache.glob("*.json"))) < 3, "killed after the extraction phase: not mid-extraction"
    assert dump(db) is None or summary(dump(db))["filings"] == 0
    r = run_child("process", db, new_files(inputs))
    assert r.returncode == 0, r.stderr[-3000:]
    assert dump(db) == inputs["refs"]["process"]["cold"]


def test_extractor_child_killed_is_retried_next_run(inputs, tmp_path):
    """A child killed from outside (OOM killer, operator) is this run's parse_error, but not
    cached: the next run parses the file again (a timeout or a parse error of the file is cached)."""
    db = tmp_path / "data" / "budget.duckdb"
    proc = _popen_run(db, [inputs["b"]])
    killed = None
    deadline = time.monotonic() + 120
    try:
        while killed is None and time.monotonic() < deadline and proc.poll() is None:
            for pid, comm, cmd in _descendants(proc.pid):
                if _is_extractor(comm, cmd):
                    os.kill(pid, signal.SIGKILL)
                    killed = pid
                    break
            time.sleep(0.01)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert killed, "no extractor child seen"
    assert proc.returncode == 0, err[-2000:]  # one bad document never fails the run
    con = duckdb.connect(str(db), read_only=True)
    try:
        first = con.execute("SELECT outcome FROM documents").fetchall()
    finally:
        con.close()
    assert first == [("parse_error",)], "the killed extraction is recorded as this run's outcome"
    r = run_child("process", db, [inputs["b"]])
    assert r.returncode == 0, r.stderr[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        outcome = con.execute("SELECT outcome FROM documents").fetchall()
    finally:
        con.close()
    assert outcome == [("ok",)]



@pytest.mark.parametrize("outcome, detail, cached", [
    ("parse_error", "解析进程异常退出（返回码 -9，内存上限 1024 MB）：", False),    # SIGKILL: OOM killer, kill -9
    ("parse_error", "解析进程异常退出（返回码 -15，内存上限 1024 MB）：", False),   # SIGTERM: shutdown
    ("parse_error", "解析进程异常退出（返回码 -11，内存上限 1024 MB）：", True),    # SIGSEGV: the file crashed the reader
    ("parse_error", "解析进程出错（返回码 1，内存上限 1024 MB）：MemoryError", True),
    ("timeout", "解析超过 300 秒未完成，已中止（文件可能异常复杂或损坏）。", True),
    ("ok", "", True),
])
def test_extract_cached_keeps_outcomes_of_the_file_not_of_a_kill(tmp_path, monkeypatch, outcome, detail, cached):
    import extractors
    from extractors.model import PARSER_VERSION, Extraction
    from flows.pipeline import Document, extract_cached

    calls = []

    def fake(path, timeout_s):
        calls.append(path)
        return Extraction(sha256="", outcome=outcome, outcome_detail=detail)

    monkeypatch.setattr(extractors, "run_isolated", fake)
    doc = Document(path=tmp_path / "x.pdf", sha256="ab" * 32)
    first = extract_cached(doc, tmp_path / "cache")
    again = extract_cached(doc, tmp_path / "cache")
    assert (first.outcome, again.outcome) == (outcome, outcome)
    assert len(calls) == (1 if cached else 2)
    assert (tmp_path / "cache" / f"{doc.sha256}-{PARSER_VERSION}.json").exists() == cached
    # a kill's outcome is marked so that the warehouse replaces it with the next run's extraction
    assert first.parser_version == (PARSER_VERSION if cached else f"{PARSER_VERSION}+error")

# ---------------------------------------------------------------------------- two runs at once

BUSY_WORDS = ("另一次运行正在写入", "WarehouseBusy")


def test_two_runs_at_once_exactly_one_writes(inputs, tmp_path):
    """The second run waits for the warehouse's write lock (or names the holder when it gives
    up); after the first has published, it finds nothing new: one run writes the new filings."""
    db = scenario(inputs, tmp_path, "process")
    ref = inputs["refs"]["process"]
    procs = [_popen_run(db, new_files(inputs)) for _ in range(2)]
    results = [p.communicate(timeout=240) for p in procs]
    writers = 0
    for p, (out, err) in zip(procs, results):
        if p.returncode == 0:
            writers += json.loads(out.strip().splitlines()[-1])["new_filings"] > 0
        else:  # the loser must say why, not crash
            assert any(w in err for w in BUSY_WORDS), err[-2000:]
            assert "Traceback" not in err or "WarehouseBusy" in err
    assert writers == 1
    # when both finished, the second re-checked the first's filings (a third run)
    assert dump(db) == (ref["again"] if all(p.returncode == 0 for p in procs) else ref["new"])
    assert not list(db.parent.glob(f".{db.name}.staging-*"))


def test_two_publishers_at_once_exactly_one_writes(inputs, tmp_path):
    """warehouse.publish: the second writer waits for the lock, then finds nothing new."""
    db = scenario(inputs, tmp_path, "publish")
    ref = inputs["refs"]["publish"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop(CRASH_ENV, None)
    cmd = [sys.executable, "-c", RUNNER, "publish", str(db), *map(str, new_files(inputs))]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=240) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0, err[-2000:]
    assert dump(db) == ref["again"]
    assert not list(db.parent.glob(f".{db.name}.staging-*"))


# ---------------------------------------------------------------------------- disk full

def _tmpfs(path: Path, size_kb: int) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)], capture_output=True)
    return r.returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _fill(folder: Path, leave_kb: int) -> None:
    """Ballast that leaves about `leave_kb` free on the file system of `folder`."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with open(folder / "ballast", "wb") as fh:
        fh.write(b"\0" * max(0, free - leave_kb * 1024))


def _fsize_limit(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


DISK_FULL = ("No space left", "ENOSPC", "EFBIG", "File too large", "磁盘", "空间不足", "Errno 28", "Errno 27",
             "Could not write", "could not write", "Failed to write", "out of space")


@pytest.mark.parametrize("how", ["tmpfs", "fsize"])
def test_disk_full_during_load_fails_clearly_and_keeps_the_published_state(inputs, tmp_path, how):
    mode = "publish"
    ref = inputs["refs"][mode]
    src = inputs["refs"][mode]["old_dir"]
    preexec = None
    if how == "tmpfs":
        mnt = tmp_path / "mnt"
        need = sum(f.stat().st_size for d in (src, inputs["cache"]) for f in d.rglob("*") if f.is_file()) // 1024
        # room for the next run once the ballast is gone: a staging copy, its WAL, the new rows
        if not _tmpfs(mnt, 2 * need + 64 * 1024):
            pytest.skip("cannot mount a tmpfs here (not root?); the fsize case covers disk full")
        d = mnt / "data"
    else:
        d = tmp_path / "data"
    try:
        shutil.copytree(src, d)
        shutil.copytree(inputs["cache"], d / "cache", dirs_exist_ok=True)
        db = d / "budget.duckdb"
        if how == "tmpfs":
            # room for the staging copy and a little more, not for the new content
            _fill(d, db.stat().st_size // 1024 + 96)
        else:
            preexec = _fsize_limit(db.stat().st_size + 64 * 1024)
        r = run_child(mode, db, new_files(inputs), preexec=preexec)
        assert r.returncode != 0, "a run that could not write must fail"
        assert any(w in r.stderr for w in DISK_FULL), r.stderr[-3000:]
        assert dump(db) == ref["old"]
        assert not list(d.glob(f".{db.name}.staging-*")), "a failed publish removes its staging file"
        if how == "tmpfs":
            (d / "ballast").unlink()
            again = run_child(mode, db, new_files(inputs))
            assert again.returncode == 0, again.stderr[-3000:]
            assert dump(db) == ref["new"]
    finally:
        if how == "tmpfs":
            _umount(tmp_path / "mnt")


def test_disk_full_during_ingest_fails_clearly_and_keeps_the_published_state(inputs, tmp_path):
    ref = inputs["refs"]["process"]
    db = scenario(inputs, tmp_path, "process")
    r = run_child("process", db, new_files(inputs), preexec=_fsize_limit(db.stat().st_size + 64 * 1024))
    assert r.returncode != 0, "a run that could not write must fail"
    assert any(w in r.stderr for w in DISK_FULL), r.stderr[-3000:]
    assert dump(db) == ref["old"]


def test_disk_full_during_download_fails_clearly(tmp_path):
    from demo.portal import build_site
    from demo.server import serve
    from spiders.run import crawl

    site = build_site(profile="seed")
    raw = tmp_path / "raw"
    # room for the crawl's own log, items and state, not for the 180 KB attachment
    if not _tmpfs(raw, 120):
        pytest.skip("cannot mount a tmpfs here (not root?)")
    try:
        with serve(site) as base:
            result = crawl("sample", raw, start_url=base + "zwgk/czyjs/index.html")
        assert result.items == []
        assert not result.ok, result.summary()
        assert any(w in result.summary() for w in DISK_FULL), result.summary()
    finally:
        _umount(raw)


def test_disk_full_during_download_fails_the_nightly_run_without_retries(tmp_path, monkeypatch):
    from demo.portal import build_site
    from demo.server import serve
    from flows.nightly import nightly

    import spiders.run

    monkeypatch.delenv("BUDGETWATCH_ALERT_URLS", raising=False)
    db = tmp_path / "data" / "budget.duckdb"
    raw = db.parent / "raw"
    if not _tmpfs(raw, 120):
        pytest.skip("cannot mount a tmpfs here (not root?)")
    attempts = []
    real_crawl = spiders.run.crawl

    def counted_crawl(*args, **kwargs):
        attempts.append(args[0])
        return real_crawl(*args, **kwargs)

    monkeypatch.setattr(spiders.run, "crawl", counted_crawl)
    try:
        with serve(build_site(profile="seed")) as base, pytest.raises(RuntimeError, match="抓取失败的站点：sample"):
            nightly(sites=["sample"], db=str(db), start_urls={"sample": base + "zwgk/czyjs/index.html"})
    finally:
        _umount(raw)
    assert attempts == ["sample"]  # one crawl: a full disk is not worth the task's retries
