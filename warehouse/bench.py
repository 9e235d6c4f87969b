"""Benchmark: load N copies of an extraction and run the checks; prints the figures.

    python -m warehouse.bench EXTRACTION.json [N]

Each copy gets its own sha256, so every load is a new filing. Loads go through Arrow, one
transaction per document; compare the per-filing figures against a run with N = 1 in the
same session rather than against fixed numbers (the machines are noisy).
"""
from __future__ import annotations

import copy
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from extractors.model import Extraction
from warehouse.checks import run_checks
from warehouse.db import connect
from warehouse.load import load_extraction


def main(path: str, n: int = 80) -> None:
    base = Extraction.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        t0 = time.perf_counter()
        for i in range(n):
            x = copy.copy(base)
            x.sha256 = hashlib.sha256(f"{base.sha256}:{i}".encode()).hexdigest()
            load_extraction(con, x, {"source_url": f"http://bench/{i}.pdf"})
        t1 = time.perf_counter()
        counts = run_checks(con)
        t2 = time.perf_counter()
        counts_again = run_checks(con)
        t3 = time.perf_counter()
        cells = len(base.facts) * n
        print(f"loaded {n} filings ({cells} cells) in {t1 - t0:.2f}s: {1000 * (t1 - t0) / n:.1f} ms/filing, "
              f"{cells / (t1 - t0):.0f} cells/s")
        print(f"checks: {t2 - t1:.2f}s ({1000 * (t2 - t1) / n:.1f} ms/filing), re-run {t3 - t2:.2f}s; {counts}")
        assert counts == counts_again
        con.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 80)
