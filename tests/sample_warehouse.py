"""The sample district's warehouse, built once per test session and shared by the report,
export and SQL tests: the demo portal served on loopback, crawled by the nightly flow."""
from __future__ import annotations

import fcntl
from pathlib import Path


def sample_db(tmp_path_factory) -> Path:
    """Path of the sample warehouse; built on first use in this session, then reused.

    Callers must open it read-only (it is shared between test modules).
    """
    root = tmp_path_factory.getbasetemp() / "sample_warehouse"
    root.mkdir(exist_ok=True)
    db = root / "budget.duckdb"
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / ".built").exists():
            from demo.portal import build_site
            from demo.server import serve
            from flows.nightly import nightly

            with serve(build_site()) as base:
                nightly(sites=["sample"], db=str(db), start_urls={"sample": base + "zwgk/czyjs/index.html"})
            (root / ".built").write_text("ok")
    return db
