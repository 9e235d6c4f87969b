"""One measured stage per process, so that each stage's peak memory is its own.

    python -m benchmarks.stages naive  LIST            pdfplumber extract_tables() on every page, 1 process
    python -m benchmarks.stages floor  LIST            pypdfium2 text of every page, 1 process
    python -m benchmarks.stages ingest LIST --db DB [--workers 2]
                                                       the pipeline: extract (cached child processes), load, check
    python -m benchmarks.stages nightly SITE_DIR --db DB
                                                       the nightly flow against a built sample site served on loopback

LIST is a file with one path per line. The last line of stdout is a JSON object with the
figures: pages, seconds, peak RSS of the stage process and of its largest child (MB).
``run.py`` runs these and compares them; nothing here asserts anything.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _cpu_s() -> float:
    """CPU seconds of this process, its finished children and the forked extraction children."""
    from extractors.isolate import child_usage

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime + child_usage()["cpu_s"]


def _rss() -> dict:
    from extractors.isolate import child_usage

    kids = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, child_usage()["max_rss_mb"])
    return {"rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "child_rss_mb": round(kids, 1)}


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:  # noqa: BLE001 - not a PDF: no pages
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


def naive(paths: list[Path]) -> dict:
    from benchmarks.extract_corpus import naive_baseline

    res = naive_baseline(paths)  # (pages, seconds[, CPU seconds])
    return {"files": len(paths), "pages": int(res[0]), "seconds": res[1]}


def floor(paths: list[Path]) -> dict:
    """The least any extractor must do: open each PDF and read every page's text."""
    import pypdfium2 as pdfium

    pages = 0
    t0 = time.perf_counter()
    for p in paths:
        try:
            doc = pdfium.PdfDocument(str(p))
        except Exception:  # noqa: BLE001 - the floor only needs its time
            continue
        try:
            for i in range(len(doc)):
                page = doc[i]
                tp = page.get_textpage()
                tp.get_text_range()
                tp.close()
                page.close()
                pages += 1
        finally:
            doc.close()
    return {"files": len(paths), "pages": pages, "seconds": time.perf_counter() - t0}


def ingest(paths: list[Path], db: Path, workers: int) -> dict:
    """What `budgetwatch ingest` does (flows.runs.process), with the phases timed apart."""
    from flows.pipeline import discover, extract_all
    from flows.runs import update_warehouse
    from flows.settings import Paths

    t0 = time.perf_counter()
    docs = discover(paths)
    p = Paths(db=db).ensure()
    t1 = time.perf_counter()
    extractions = extract_all(docs, p.cache_location, workers=workers)
    t2 = time.perf_counter()
    delta = update_warehouse(p.db, docs, extractions)
    t3 = time.perf_counter()
    parsed = extractions.parsed
    outcomes: dict[str, int] = {}
    for o in delta["outcomes"].values():
        outcomes[o] = outcomes.get(o, 0) + 1
    # Pages are counted from the files (an extraction that fails early reports 0 pages, but the
    # parser still had them in hand); counted after the clock stops.
    by_sha = {d.sha256: d.path for d in docs}
    parsed_pages = sum(page_count(by_sha[e.sha256]) for e in parsed if e.sha256 in by_sha)
    return {"files": len(docs), "parsed_files": len(parsed), "pages": parsed_pages,
            "input_pages": sum(page_count(p) for p in by_sha.values()),
            "extraction_pages": sum(e.pages for e in parsed), "outcomes": outcomes,
            "ok_files": outcomes.get("ok", 0), "seconds": t3 - t0, "hash_s": t1 - t0,
            "extract_s": t2 - t1, "load_check_s": t3 - t2, "filings_loaded": len(delta.get("filing_ids", [])),
            "load_errors": len(delta.get("load_errors", []))}


def nightly(site: Path, db: Path) -> dict:
    """The nightly flow (crawl, extract, load, check, publish) against the sample portal."""
    from demo.server import serve
    from flows.nightly import nightly as nightly_flow

    t0 = time.perf_counter()
    with serve(site) as base:
        run = nightly_flow(sites=["sample"], db=str(db), start_urls={"sample": base + "zwgk/czyjs/index.html"})
    outcomes: dict[str, int] = {}
    for o in run.get("outcomes", {}).values():
        outcomes[o] = outcomes.get(o, 0) + 1
    return {"files": run.get("files"), "parsed_files": run.get("parsed"), "pages": run.get("pages"),
            "outcomes": outcomes, "ok_files": outcomes.get("ok", 0), "seconds": time.perf_counter() - t0,
            "filings_loaded": len(run.get("filing_ids", []))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.stages")
    ap.add_argument("stage", choices=("naive", "floor", "ingest", "nightly"))
    ap.add_argument("list", type=Path)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    cpu0 = _cpu_s()
    from extractors.model import PARSER_VERSION  # a warm run only parses nothing under the same version
    if args.stage == "nightly":
        out = nightly(args.list, args.db)
        out.update(_rss(), cpu_s=_cpu_s() - cpu0, loadavg=os.getloadavg()[0], parser_version=PARSER_VERSION)
        print(json.dumps(out, ensure_ascii=False))
        return 0
    paths = [Path(x) for x in args.list.read_text("utf-8").splitlines() if x.strip()]
    if args.stage == "naive":
        out = naive(paths)
    elif args.stage == "floor":
        out = floor(paths)
    else:
        out = ingest(paths, args.db, args.workers)
    out.update(_rss(), cpu_s=_cpu_s() - cpu0, loadavg=os.getloadavg()[0], parser_version=PARSER_VERSION)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
