"""One measured stage per process, so that each stage's peak memory is its own.

    python -m benchmarks.stages naive  LIST            pdfplumber extract_tables() on every page, 1 process
    python -m benchmarks.stages floor  LIST            pypdfium2 text of every page, 1 process
    python -m benchmarks.stages ingest LIST --db DB [--workers 2]
                                                       the pipeline: extract (cached child processes), load, check
    python -m benchmarks.stages nightly SITE_DIR --db DB
                                                       the nightly flow against a built sample site served on loopback
    python -m benchmarks.stages city N --db DB [--changed 0.01]
                                                       the nightly flow against the sample city's first N districts
                                                       (built beforehand), each on its own port; with --changed, that
                                                       share of each portal's PDFs re-published (new bytes, same URL)

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
    """CPU seconds of this process, its finished children, the forked extraction children and
    the fork server itself."""
    from extractors.isolate import child_usage

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    forked = child_usage()
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime + forked["cpu_s"] + forked["server_cpu_s"]


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
    t1, c1 = time.perf_counter(), _cpu_s()
    extractions = extract_all(docs, p.cache_location, workers=workers)
    t2, c2 = time.perf_counter(), _cpu_s()
    delta = update_warehouse(p.db, docs, extractions)
    t3, c3 = time.perf_counter(), _cpu_s()
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
            "extract_s": t2 - t1, "load_check_s": t3 - t2,
            # CPU of the two phases apart: the extraction children's, then the load and checks'
            "extract_cpu_s": c2 - c1, "load_check_cpu_s": c3 - c2, "filings_loaded": len(delta.get("filing_ids", [])),
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
            "filings_loaded": len(run.get("filing_ids", [])), "stages": run.get("stages", {})}


def republish(site: Path, share: float, into: Path) -> tuple[Path, int]:
    """A copy of a built portal (hard links) in which `share` of the PDFs, chosen by path, carry
    new bytes under the same URL: a comment after %%EOF, as a re-published file differs. The
    built site itself is never written."""
    import hashlib
    import shutil

    if into.exists():
        shutil.rmtree(into)
    shutil.copytree(site, into, copy_function=os.link)
    pdfs = sorted(into.rglob("*.pdf"), key=lambda p: hashlib.sha256(p.relative_to(into).as_posix().encode()).hexdigest())
    chosen = pdfs[: max(1, round(len(pdfs) * share))]
    for p in chosen:
        tmp = p.with_name(p.name + ".new")
        tmp.write_bytes(p.read_bytes() + b"\n% re-published\n")
        os.replace(tmp, p)  # a new inode: the linked original keeps its bytes
    return into, len(chosen)


def city(n: int, db: Path, changed: float = 0.0) -> dict:
    """The nightly run over N districts; then the publish alone (the whole-file copy) on the result."""
    import statistics

    from demo.city import build_district, districts, run_city
    from warehouse.publish import publishing

    ds = districts(n)
    sites = [build_district(d) for d in ds]  # run.py built them: this only finds them
    republished = 0
    if changed:
        work = Path(db).parent / "republished"
        copies = [republish(s, changed, work / s.name) for s in sites]
        sites, republished = [c[0] for c in copies], sum(c[1] for c in copies)
    t0 = time.perf_counter()
    run = run_city(ds, db, sites)
    seconds = time.perf_counter() - t0
    publish = []
    for _ in range(3):  # a write that changes nothing still copies, checkpoints and renames the file
        t1 = time.perf_counter()
        with publishing(db):
            pass
        publish.append(time.perf_counter() - t1)
    outcomes: dict[str, int] = {}
    for o in run.get("outcomes", {}).values():
        outcomes[o] = outcomes.get(o, 0) + 1
    return {"districts": n, "files": run.get("files"), "parsed_files": run.get("parsed"), "pages": run.get("pages"),
            "republished": republished, "outcomes": outcomes, "seconds": seconds,
            "filings_loaded": len(run.get("filing_ids", [])), "db_mb": round(Path(db).stat().st_size / 2**20, 1),
            "publish_s": statistics.median(publish)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.stages")
    ap.add_argument("stage", choices=("naive", "floor", "ingest", "nightly", "city"))
    ap.add_argument("list", type=Path)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--changed", type=float, default=0.0, help="city: share of PDFs re-published before the run")
    args = ap.parse_args(argv)
    cpu0 = _cpu_s()
    from extractors.model import PARSER_VERSION  # a warm run only parses nothing under the same version
    if args.stage in ("nightly", "city"):
        out = nightly(args.list, args.db) if args.stage == "nightly" else city(int(str(args.list)), args.db, args.changed)
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
