"""python -m benchmarks.ocr_cost — CPU of OCR in a cold ingestion, and proof a scanned budget reads the same.

Each image-only PDF of ``../shared/corpus/real/`` (INDEX.tsv kind ``pdf-scanned``) is extracted the
way ``ingest`` does it, one at a time in a forked child of the fork server (run_isolated), and its
CPU seconds (the child's own rusage: imports are in the fork server, the OCR engine's load is not)
are printed with its outcome. The scanned budget is the seed filing printed and scanned at 150
dpi (tests' ``rasterise``), every page up to the OCR page cap, read without a time budget so its
facts do not depend on how busy the machine is; ``--facts-out`` saves its facts and ``--compare``
counts the facts that differ from a saved run (row code, labels, column, amount, printed value,
page, bbox to 0.01 pt).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from extractors import run_isolated
from extractors.isolate import child_usage

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def scanned_corpus_files() -> list[Path]:
    with open(CORPUS / "INDEX.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [CORPUS / r["path"] for r in rows if r["kind"] == "pdf-scanned"]


def budget_scan(out_dir: Path) -> Path:
    import pypdfium2

    from demo.render_pdf import build_seed_pdf
    from extractors.ocr import MAX_PAGES
    from tests.test_extract_ocr import rasterise

    seed = build_seed_pdf(out_dir / "seed.pdf")
    n = min(len(pypdfium2.PdfDocument(str(seed))), MAX_PAGES)
    return rasterise(seed, out_dir / "seed_scan_150dpi.pdf", list(range(1, n + 1)), dpi=150)


def fact_key(f) -> tuple:
    return (f.table_kind, f.row_code, f.row_label, f.column_label, str(f.amount_wan), f.printed_value,
            f.printed_unit, f.page, [round(v, 2) for v in f.bbox])


def measure(path: Path, timeout_s: float = 300) -> tuple[float, float, object]:
    before = child_usage()["cpu_s"]
    t0 = time.perf_counter()
    ex = run_isolated(path, timeout_s=timeout_s)
    return child_usage()["cpu_s"] - before, time.perf_counter() - t0, ex


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.ocr_cost", description=__doc__.splitlines()[0])
    ap.add_argument("--facts-out", type=Path, help="save the scanned budget's facts (JSON) here")
    ap.add_argument("--compare", type=Path, help="count the scanned budget's facts that differ from this saved run")
    ap.add_argument("--no-budget", action="store_true", help="only the corpus's scans")
    args = ap.parse_args(argv)

    total = 0.0
    files = scanned_corpus_files()
    print(f"{'file':44} {'pages':>5} {'cpu_s':>7} {'wall_s':>7}  outcome — detail")
    for path in files:
        cpu, wall, ex = measure(path)
        total += cpu
        print(f"{path.parent.name + '/' + path.name:44} {ex.pages:5} {cpu:7.2f} {wall:7.2f}  {ex.outcome} — {ex.outcome_detail}",
              flush=True)
    print(f"scanned_corpus_files: {len(files)}  ocr_cpu_s_total: {total:.2f}")
    if args.no_budget:
        return 0

    with tempfile.TemporaryDirectory(prefix="bw-ocr-cost-") as tmp:
        scan = budget_scan(Path(tmp))
        os.environ["BUDGETWATCH_OCR_SECONDS"] = "100000"
        cpu, wall, ex = measure(scan, timeout_s=1200)
    facts = sorted(fact_key(f) for f in ex.facts)
    print(f"budget scan (seed, 150 dpi): {ex.pages} pages, cpu_s {cpu:.2f}, wall_s {wall:.2f}, "
          f"{ex.outcome}, {len(facts)} facts, tables {[(t.table_kind, t.pages, t.n_facts) for t in ex.tables]}")
    if args.facts_out:
        args.facts_out.write_text(json.dumps(facts, ensure_ascii=False, indent=0), encoding="utf-8")
    if args.compare:
        before = Counter(json.dumps(x, ensure_ascii=False) for x in json.loads(args.compare.read_text(encoding="utf-8")))
        now = Counter(json.dumps(json.loads(json.dumps(x)), ensure_ascii=False) for x in facts)
        differ = sum(((before - now) + (now - before)).values())
        old, new = list(before.elements()), list(now.elements())
        print(f"budget_scan_facts_differing: {differ} (of {len(old)} before, {len(new)} now)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
