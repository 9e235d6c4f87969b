"""Benchmark: pdfplumber on every page vs. pypdfium2 pre-screen + pdfplumber on table pages only.

    python -m extractors.bench FILE_OR_DIR ... [--limit N]

Prints pages/second for both in the same run (these machines are noisy: compare
against the baseline measured alongside, never against a fixed number), the
share of pages skipped, and the peak RSS. Not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pdfplumber

from .pdf import extract_file
from .prescreen import prescreen


def _all_pages(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.find_tables()
            page.close()
        return len(pdf.pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m extractors.bench")
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--limit", type=int, default=20)
    args = ap.parse_args(argv)
    files = []
    for p in args.paths:
        files += sorted(p.rglob("*.pdf")) if p.is_dir() else [p]
    files = [f for f in files if f.read_bytes()[:1024].find(b"%PDF-") != -1][: args.limit]
    base_t = pre_t = full_t = 0.0
    pages = skipped = 0
    for i, f in enumerate(files, 1):
        t = time.perf_counter()
        n = _all_pages(f)
        base_t += time.perf_counter() - t
        t = time.perf_counter()
        info = prescreen(f)
        pre_t += time.perf_counter() - t
        t = time.perf_counter()
        ex = extract_file(f)
        full_t += time.perf_counter() - t
        pages += n
        skipped += sum(1 for p in info if not p.maybe_table)
        print(f"[{i}/{len(files)}] {f.name}: {n} pages, {ex.outcome}, {len(ex.facts)} facts", file=sys.stderr)
    if not pages:
        print("no PDF pages found")
        return 1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"files {len(files)}  pages {pages}  skipped by pre-screen {skipped} ({skipped / pages:.0%})")
    print(f"baseline  pdfplumber find_tables on every page : {pages / base_t:7.1f} pages/s")
    print(f"pre-screen pypdfium2 text + path count         : {pages / pre_t:7.1f} pages/s")
    print(f"extract_file (pre-screen + tables + narrative) : {pages / full_t:7.1f} pages/s "
          f"({base_t / full_t:.2f}x baseline)")
    print(f"peak RSS {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
