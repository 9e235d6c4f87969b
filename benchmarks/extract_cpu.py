"""Extraction CPU per page, and whether two versions of the extractors read the same.

    python -m benchmarks.extract_cpu [--corpus ../shared/corpus/real] [--site DIR] [--no-district]
                                     [--no-corpus] [--workers 2] [--out DIR] [--compare DIR]
    python -m benchmarks.extract_cpu --diff CACHE_A CACHE_B

Extracts every input of ``INDEX.tsv`` and every distinct PDF of the sample district portal
(``--site``, as benchmarks/parity.py reads them) with ``extract_file`` in ``--workers``
long-lived pool processes, and prints the worker CPU per page (``time.process_time`` around
each ``extract_file``: the extraction alone, no child start-up, no load) for the sample
district, the real corpus, and the real corpus without its scanned files (OCR).

``--out DIR`` writes each file's whole Extraction (``to_dict`` less the wall-clock
``seconds``) as ``<sha256>.json``; ``--compare DIR`` then compares the run's Extractions with
those of another run (this script's ``--out`` or an extract_corpus cache), field by field, and
closes with ``extraction_differences: N`` (files whose Extraction differs in anything: facts,
tables, meta, claims, outcome, page model). Run it on two versions of the code to prove a
speed-up changed nothing; ``--diff A B`` compares two such folders without extracting.

Not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def _extract(path: str) -> tuple[dict, float]:
    from extractors.pdf import extract_file

    started = time.process_time()
    ex = extract_file(Path(path))
    cpu = time.process_time() - started
    return _comparable(ex.to_dict()), cpu


def _scanned(d: dict) -> bool:
    """A scan: OCR'd, or left unread for want of a text layer."""
    return d["outcome"] == "scanned" or "OCR" in (d.get("outcome_detail") or "")


def _other(folder: Path, sha: str) -> dict | None:
    """Another run's Extraction of ``sha``: this script's ``<sha>.json`` or the pipeline cache's
    ``<sha>-<version>.json``, without its wall-clock seconds."""
    hits = [folder / f"{sha}.json"] if (folder / f"{sha}.json").exists() else sorted(folder.glob(f"{sha}-*.json"))
    if not hits:
        return None
    return _comparable(json.loads(hits[0].read_text("utf-8")))


_OCR_TIME_RE = re.compile(r"用时 \d+(\.\d+)? 秒")


def _comparable(d: dict) -> dict:
    """An Extraction dict without what differs from run to run: the wall-clock seconds, and the
    OCR time the detail of a scan prints ("用时 25 秒")."""
    d.pop("seconds", None)
    if d.get("outcome_detail"):
        d["outcome_detail"] = _OCR_TIME_RE.sub("用时 N 秒", d["outcome_detail"])
    return d


def diff_folders(a: Path, b: Path) -> int:
    """Compare two folders of Extractions (either kind of name), file by file."""
    shas = {p.name[:64] for p in a.glob("*.json")}
    differing = compared = 0
    for sha in sorted(shas):
        x, y = _other(a, sha), _other(b, sha)
        if x is None or y is None:
            continue
        compared += 1
        where = _diff(x, y)
        if where:
            differing += 1
            print(f"{sha}: differs at {', '.join(where[:5])}{' …' if len(where) > 5 else ''}")
    print(f"compared {compared} files of {a} with {b}")
    print(f"extraction_differences: {differing}")
    return differing


def _diff(a: dict, b: dict, prefix: str = "") -> list[str]:
    """The paths where two Extraction dicts differ (first few only)."""
    if type(a) is not type(b):
        return [prefix or "/"]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            out += _diff(a.get(k), b.get(k), f"{prefix}/{k}") if k in a and k in b else [f"{prefix}/{k}"]
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{prefix} (length {len(a)} / {len(b)})"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += _diff(x, y, f"{prefix}[{i}]")
        return out
    return [] if a == b else [prefix]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.extract_cpu", description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--site", type=Path, default=None, help="a built sample-district site (default: build it)")
    ap.add_argument("--no-district", action="store_true")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None, help="write each Extraction here as <sha256>.json")
    ap.add_argument("--compare", type=Path, default=None, help="compare with the Extractions of another run")
    ap.add_argument("--diff", type=Path, nargs=2, metavar=("A", "B"),
                    help="only compare two folders of Extractions (e.g. two extract_corpus caches)")
    args = ap.parse_args(argv)
    if args.diff:
        diff_folders(*args.diff)
        return 0

    from benchmarks.parity import corpus_files, district_files
    from flows.pipeline import sha256_file

    files: list[tuple[str, Path]] = []
    if not args.no_corpus and (args.corpus / "INDEX.tsv").exists():
        files += corpus_files(args.corpus)
    if not args.no_district:
        files += district_files(args.site, args.workers)
    shas = [sha256_file(p) for _, p in files]
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    cpu: Counter = Counter()
    pages: Counter = Counter()
    differing = compared = 0
    started = time.time()
    with ProcessPoolExecutor(args.workers) as pool:
        for n, ((label, _), sha, (d, cpu_s)) in enumerate(
                zip(files, shas, pool.map(_extract, [str(p) for _, p in files])), 1):
            group = "sample district" if label.startswith("district/") else "real corpus"
            groups = [group] + ([f"{group} without scanned files"]
                                if group == "real corpus" and not _scanned(d) else [])
            for g in groups:
                cpu[g] += cpu_s
                pages[g] += d.get("pages") or 0
            if args.out:
                (args.out / f"{sha}.json").write_text(json.dumps(d, ensure_ascii=False, sort_keys=True), "utf-8")
            if args.compare:
                other = _other(args.compare, sha)
                if other is not None:
                    compared += 1
                    where = _diff(other, json.loads(json.dumps(d)))
                    if where:
                        differing += 1
                        print(f"{label}: differs at {', '.join(where[:5])}{' …' if len(where) > 5 else ''}")
            if n % 20 == 0 or n == len(files):
                print(f"[{n}/{len(files)}] {time.time() - started:.0f}s", file=sys.stderr, flush=True)
    for g in sorted(pages):
        print(f"extraction CPU, {g}: {cpu[g]:.1f} s over {pages[g]} pages, "
              f"{1000 * cpu[g] / max(pages[g], 1):.1f} ms/page (worker process CPU of extract_file)")
    if args.compare:
        print(f"compared {compared} files with {args.compare}")
        print(f"extraction_differences: {differing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
