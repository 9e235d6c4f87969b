"""The sample district crawled by the nightly flow once per test session, shared by the
test_district_* modules (the run takes minutes: ~225 documents extracted on 2 cores)."""
from __future__ import annotations

import json
from pathlib import Path


def district_run(tmp_path_factory) -> tuple[Path, Path]:
    """(site folder, warehouse path) of the district at epoch 0, crawled and checked.

    Callers open the warehouse read-only."""
    from demo.portal import build_site

    site = build_site()
    root = tmp_path_factory.getbasetemp() / "district_run"
    root.mkdir(exist_ok=True)
    db = root / "budget.duckdb"
    if not (root / ".built").exists():
        from demo.server import serve
        from flows.nightly import nightly

        with serve(site) as base:
            run = nightly(sites=["sample"], db=str(db), start_urls={"sample": base + "zwgk/czyjs/index.html"})
        (root / ".built").write_text(json.dumps({k: v for k, v in run.items() if k != "summary"}, default=str))
    return site, db


def ground_truth(site: Path) -> list[dict]:
    return [json.loads(line) for line in (site / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines()]


def manifest(site: Path) -> dict:
    return json.loads((site / "manifest.json").read_text(encoding="utf-8"))
