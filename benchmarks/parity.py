"""Parity of the two page models: every fact read through pdfium's page model against pdfminer's.

    python -m benchmarks.parity [--corpus ../shared/corpus/real] [--site DIR] [--no-district]
                                [--workers 2] [--miner-cache DIR] [--show N]

Extracts every input file of ``INDEX.tsv`` (as benchmarks/extract_corpus.py reads it) and
every PDF of the sample district portal (as benchmarks/run.py builds it) twice, with
``BUDGETWATCH_PAGE_MODEL=pdfminer`` and ``=pdfium``, and compares the facts one by one on
(table, row code, row label, column, amount, page) as multisets. It prints each file whose
facts or outcome differ, with up to ``--show`` of its differing facts, the CPU of each side,
and closes with ``parity_differing_facts: N``.

``--miner-cache DIR`` takes the pdfminer side from an extraction cache written by the
pdfminer path at the same PARSER_VERSION (``<sha256>-<version>.json``), where present.

Not a test: it asserts nothing; RESULTS.md ("Parity") keeps the figures and the reason for
every difference left.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.model import PARSER_VERSION, Extraction  # noqa: E402
from extractors.page_source import PAGE_MODEL_ENV  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "real"
MODELS = ("pdfminer", "pdfium")


def fact_key(f) -> tuple:
    return (f.table_kind, f.row_code, f.row_label, f.column_label,
            None if f.amount_wan is None else str(f.amount_wan), f.page)


def _extract(job: tuple[str, str]) -> dict:
    """One file through one page model, in a pool worker: the facts' keys and the CPU it took."""
    path, model = job
    os.environ[PAGE_MODEL_ENV] = model
    from extractors.pdf import extract_file

    started = time.process_time()
    ex = extract_file(Path(path))
    return {"keys": [fact_key(f) for f in ex.facts], "outcome": ex.outcome, "pages": ex.pages,
            "page_model": ex.page_model, "cpu_s": time.process_time() - started}


def _cached(cache: Path | None, sha: str) -> dict | None:
    if cache is None:
        return None
    p = cache / f"{sha}-{PARSER_VERSION}.json"
    if not p.exists():
        return None
    ex = Extraction.from_dict(json.loads(p.read_text("utf-8")))
    return {"keys": [fact_key(f) for f in ex.facts], "outcome": ex.outcome, "pages": ex.pages,
            "page_model": "pdfminer (cache)", "cpu_s": None}


def corpus_files(corpus: Path) -> list[tuple[str, Path]]:
    from benchmarks.extract_corpus import read_index

    return [(r["path"], corpus / r["path"]) for r in read_index(corpus)]


def district_files(site: Path | None, workers: int) -> list[tuple[str, Path]]:
    """The sample district's PDFs, one per content (a re-posted file is parsed once)."""
    if site is None:
        from demo.portal import build_site

        site = build_site(workers=workers)
    from benchmarks.run import is_pdf
    from flows.pipeline import sha256_file

    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    unique: dict[str, Path] = {}
    for f in manifest["filings"]:
        for a in f.get("attachments", []):
            p = site / a["path"].lstrip("/")
            if p.suffix == ".pdf" and is_pdf(p):
                unique.setdefault(sha256_file(p), p)
    return [(f"district/{p.relative_to(site)}", p) for p in sorted(unique.values(), key=str)]


def compare(miner: dict, pdfium: dict) -> tuple[Counter, Counter]:
    a, b = Counter(miner["keys"]), Counter(pdfium["keys"])
    return a - b, b - a


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--site", type=Path, default=None, help="a built sample-district site (default: build it)")
    ap.add_argument("--no-district", action="store_true")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--miner-cache", type=Path, default=None)
    ap.add_argument("--show", type=int, default=6, help="differing facts shown per file")
    ap.add_argument("--only", default="", help="only files whose label contains this")
    ap.add_argument("--summary-json", type=Path, default=None,
                    help="also write the figures per set (corpus, district) as JSON, for benchmarks/run.py")
    args = ap.parse_args(argv)

    from flows.pipeline import sha256_file

    files: list[tuple[str, Path]] = []
    if not args.no_corpus and (args.corpus / "INDEX.tsv").exists():
        files += corpus_files(args.corpus)
    if not args.no_district:
        files += district_files(args.site, args.workers)
    files = [f for f in files if args.only in f[0]]
    shas = {label: sha256_file(p) for label, p in files}
    results: dict[tuple[str, str], dict] = {}
    jobs = []
    for label, p in files:
        hit = _cached(args.miner_cache, shas[label])
        if hit:
            results[(label, "pdfminer")] = hit
        else:
            jobs.append((label, p, "pdfminer"))
        jobs.append((label, p, "pdfium"))
    started = time.time()
    with ProcessPoolExecutor(args.workers) as pool:
        for n, ((label, _, model), res) in enumerate(
                zip(jobs, pool.map(_extract, [(str(p), m) for _, p, m in jobs])), 1):
            results[(label, model)] = res
            if n % 20 == 0 or n == len(jobs):
                print(f"[{n}/{len(jobs)}] {time.time() - started:.0f}s", file=sys.stderr, flush=True)

    total = files_differing = outcome_diff = 0
    # CPU by (model, group): the corpus and the district apart, and the corpus without its
    # scanned files, whose OCR costs the same whichever page model reads the text pages
    cpu: Counter = Counter()
    pages: Counter = Counter()
    fallbacks = []
    per_set: dict[str, Counter] = {}
    for label, _ in files:
        miner, pdfium = results[(label, "pdfminer")], results[(label, "pdfium")]
        group = "sample district" if label.startswith("district/") else "real corpus"
        groups = [group] + ([f"{group} without scanned files"] if pdfium["outcome"] != "scanned" else [])
        for m, r in (("pdfminer", miner), ("pdfium", pdfium)):
            if r["cpu_s"] is not None:
                for g in groups:
                    cpu[m, g] += r["cpu_s"]
                    pages[m, g] += r["pages"]
        if "改用 pdfminer" in pdfium["page_model"]:
            fallbacks.append(f"{label}: {pdfium['page_model']}")
        lost, gained = compare(miner, pdfium)
        n = sum(lost.values()) + sum(gained.values())
        tally = per_set.setdefault(group, Counter())
        tally["files"] += 1
        tally["facts"] += len(pdfium["keys"])
        tally["differing_facts"] += n
        tally["files_differing"] += bool(n or miner["outcome"] != pdfium["outcome"])
        tally["outcome_differing"] += miner["outcome"] != pdfium["outcome"]
        tally["fallback_files"] += "改用 pdfminer" in pdfium["page_model"]
        if n or miner["outcome"] != pdfium["outcome"]:
            files_differing += 1
            outcome_diff += miner["outcome"] != pdfium["outcome"]
            total += n
            print(f"{label}: {n} differing facts (pdfminer {len(miner['keys'])}, pdfium {len(pdfium['keys'])}; "
                  f"outcome {miner['outcome']} / {pdfium['outcome']})")
            for k in list(lost.elements())[: args.show]:
                print(f"  - pdfminer only: {k}")
            for k in list(gained.elements())[: args.show]:
                print(f"  + pdfium only:   {k}")
    print(f"files: {len(files)}; files differing: {files_differing} ({outcome_diff} in outcome)")
    print(f"pages sent to pdfminer by the check: {len(fallbacks)} files")
    for line in fallbacks:
        print(f"  {line}")
    for m, g in sorted(pages):
        print(f"extraction CPU, {m}, {g}: {cpu[m, g]:.1f} s over {pages[m, g]} pages, "
              f"{1000 * cpu[m, g] / pages[m, g]:.1f} ms/page (worker process CPU, whole extract_file)")
    if args.summary_json:
        cpu_ms = {f"{m}/{g}": round(1000 * cpu[m, g] / pages[m, g], 1) for m, g in sorted(pages) if pages[m, g]}
        args.summary_json.write_text(json.dumps({"sets": per_set, "cpu_ms_per_page": cpu_ms,
                                                 "differing_facts": total}, ensure_ascii=False), "utf-8")
    print(f"parity_differing_facts: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
