"""Peak memory of the flow's process while it loads N filings from the extraction cache.

    python -m benchmarks.load_memory N --source CACHE_DIR [--work DIR] [--hold]

The extraction is left out (its children have memory of their own): N cache entries are made
from the extractions in CACHE_DIR (e.g. a sample-district nightly's cache), each replica of the
source a district of its own (new region code, new sha256: N filings are a city of N / source
districts, as `budgetwatch demo --districts N` builds), then loaded and checked the
way `ingest` and the nightly do (flows.runs.update_warehouse) into a fresh warehouse. Prints
one JSON line: filings, seconds, seconds per filing, CPU seconds (user + system) per filing,
the seconds of each stage (load, checks ...), the `error` findings by rule (a rule that ran out
of memory shows there), peak RSS of this process. The CPU figure is the one to compare on a
shared machine, where the wall clock measures the neighbours too.

`--hold` loads as releases before 0.5.7 did: every extraction read into one dict first.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def make_entries(n: int, source: Path, store) -> list:
    """N cache entries from the source cache's extractions; their Documents."""
    from extractors.model import PARSER_VERSION, Extraction
    from flows.documents import Document
    from flows.extraction_store import entry_name

    sources = sorted(source.glob(entry_name("*")))
    docs = []
    for i in range(n):
        base = Extraction.from_dict(json.loads(sources[i % len(sources)].read_text("utf-8")))
        replica = i // len(sources)
        sha = hashlib.sha256(f"{base.sha256}|{replica}".encode()).hexdigest()
        meta = base.meta
        if replica:
            # A district of its own rather than new departments beside the old ones: a replica
            # department code 111 -> 111001 is six digits, which E4 reads as a unit's code, so
            # every replica of a unit filing was the same unit and E4 ended as `error`.
            meta = replace(meta, region_code=f"{meta.region_code or 'x'}{replica:02d}")
        x = replace(base, sha256=sha, meta=meta, parser_version=PARSER_VERSION)
        if not store.has(sha):
            store.put(x)
        docs.append(Document(Path(f"{sha}.pdf"), sha, {"source_url": f"http://example.test/{i}.pdf"}))
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.load_memory")
    ap.add_argument("n", type=int)
    ap.add_argument("--source", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=Path("benchmarks/_build/load_memory"))
    ap.add_argument("--hold", action="store_true", help="read every extraction into memory first (as 0.5.6 did)")
    args = ap.parse_args(argv)
    from flows.extraction import Result, Results
    from flows.extraction_store import ExtractionStore
    from flows.runs import update_warehouse
    from flows.timings import Stages

    store = ExtractionStore(args.work / f"cache-{args.n}")
    docs = make_entries(args.n, args.source, store)
    db = args.work / f"{'hold' if args.hold else 'stream'}-{args.n}" / "budget.duckdb"
    for p in db.parent.glob("*"):
        p.unlink()
    db.parent.mkdir(parents=True, exist_ok=True)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    results = Results(store, [Result(d.sha256, cached=True) for d in docs])
    extractions = {sha: results[sha] for sha in results} if args.hold else results
    stages = Stages()
    delta = update_warehouse(db, docs, extractions, stages=stages)
    seconds = time.perf_counter() - t0
    cpu = _cpu_seconds() - cpu0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before _errors opens the file
    print(json.dumps({"filings": args.n, "mode": "hold" if args.hold else "stream",
                      "loaded": len(delta["filing_ids"]), "load_errors": len(delta["load_errors"]),
                      "seconds": round(seconds, 1), "s_per_filing": round(seconds / args.n, 4),
                      "cpu_s_per_filing": round(cpu / args.n, 4), "stages_s": stages.as_dict(),
                      "errors": _errors(db),
                      "rss_before_mb": round(rss0), "peak_rss_mb": round(peak)}))
    return 0


def _errors(db: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT rule_id, count(*) FROM finding WHERE outcome = 'error' "
                                "GROUP BY 1 ORDER BY 1").fetchall())


def _cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
