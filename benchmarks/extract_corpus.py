"""Measure the extractors on the real corpus in one command.

    python -m benchmarks.extract_corpus [--corpus ../shared/corpus/real] [--workers 2]
                                        [--sample N] [--no-baseline] [--cache-dir DIR]

What it does, in one run on the same machine:
1. cold extraction of every input file of ``INDEX.tsv`` (csv-derived rows are another
   project's output, not inputs) with a pool of ``--workers`` child processes, each file
   parsed by ``flows.pipeline.extract_cached`` (child process with time and memory limits,
   content-hash cache ``<cache_dir>/<sha256>-<PARSER_VERSION>.json``);
2. a warm rerun over the same cache: it must parse no page at all;
3. the naive baseline: pdfplumber ``extract_tables()`` on every page, single process
   (``--sample N``: on a deterministic sample of N files, compared page rate to page rate);
4. a load of every extraction into a temporary DuckDB with the warehouse loader and a run
   of the checks;
5. the figures: INDEX kind x outcome (with every mismatch), the fill ratio of the key
   ``filing_totals`` fields over the budget / final-account PDFs, the pass rate of the
   within- and cross-table identities per rule with every failure (file and page), and the
   speed figures.

Not a test: it asserts nothing, it prints what a person needs to judge the extractor.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.model import PARSER_VERSION, Extraction  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "real"
IDENTITY_RULES = ("A1", "A3", "A5", "A6", "A7", "A8", "B1", "B2", "B5")
TOTAL_FIELDS = ("income_total", "expenditure_total", "basic_expenditure", "project_expenditure", "sangong_total")

# Corpus PDFs with a text layer that are not a budget / final-account table set, and why.
# They are inputs (each must get its outcome) but do not count in the fill ratio or the
# identity pass rate.
NOT_TABLE_FILINGS: dict[str, tuple[str, str]] = {
    # path: (expected outcome, reason)
    "putuo/附件2：部门决算模板.pdf": ("not_budget", "空白的官方决算模板，没有真实金额，不是一份申报"),
    "cities/017_福州/医疗保障局_福州市2026年执行最高付费标准中药饮片目录.pdf":
        ("not_budget", "中药饮片目录，不是预算文件"),
    "cities/017_福州/商务局_2025年福州市物流业运行情况报告.pdf": ("not_budget", "物流业运行报告，不是预算文件"),
    # Saved under a 部门预算 name by the crawler that built the corpus, but another document.
    "cities/011_宁波/卫生健康委员会_2026年部门预算.pdf": ("not_budget", "巡察通告"),
    "cities/018_济南/2026年济南市审计局部门预算.pdf": ("not_budget", "政府信息公开申请表"),
    "cities/018_济南/2026年济南市应急管理局部门预算.pdf": ("not_budget", "依申请公开流程图"),
    "cities/036_潍坊/2026年潍坊市统计局部门预算.pdf": ("not_budget", "巡视整改情况通报"),
    "cities/036_潍坊/发展和改革局_2026年部门预算.pdf": ("not_budget", "政府网站工作年度报表"),
    "cities/041_嘉兴/2026年嘉兴市卫生健康委员会部门预算.pdf": ("not_budget", "医共体建设实施意见"),
    "cities/041_嘉兴/2026年嘉兴市政府办公厅部门预算.pdf": ("not_budget", "重大行政决策事项目录通知"),
    "cities/041_嘉兴/发展和改革局_2026年部门预算.pdf": ("not_budget", "养老机构预收费存管协议"),
    "cities/041_嘉兴/城市管理和综合执法局_2026年部门预算.pdf": ("not_budget", "省政府办公厅函"),
    "cities/048_惠州/2026年惠州市政府办公厅部门预算.pdf": ("not_budget", "政府公报（民生实事方案）"),
    "cities/048_惠州/2026年惠州市民政局部门预算.pdf": ("not_budget", "政府公报（低保核对办法通知）"),
    "cities/048_惠州/2026年惠州市退役军人事务局部门预算.pdf": ("not_budget", "政府公报（优抚医疗保障细则）"),
    "cities/049_南宁/住房和建设局_2026年部门预算.pdf": ("not_budget", "消防设计抽查情况表"),
    "cities/049_南宁/财政局_2026年部门预算.pdf": ("not_budget", "政府网站工作年度报表"),
    "cities/057_镇江/人力资源和社会保障局_2026年部门预算.pdf": ("not_budget", "政府网站工作年度报表"),
    "cities/057_镇江/民政局_2026年部门预算.pdf": ("not_budget", "政府网站工作年度报表"),
    "cities/057_镇江/财政局_2026年部门预算.pdf": ("not_budget", "注册会计师考试报名简章"),
    "cities/068_菏泽/规划和自然资源局_2026年部门预算.pdf": ("not_budget", "临时用地管理文件（部分页为图片）"),
    "cities/076_绵阳/2026年绵阳市政府办公厅部门预算.pdf": ("not_budget", "应急预案管理办法通知"),
    "cities/077_珠海/2026年珠海市教育局部门预算.pdf": ("not_budget", "体育考试实施意见通知"),
    "cities/077_珠海/医疗保障局_2026年部门预算.pdf": ("not_budget", "集采药品供应清单（328 页）"),
    "cities/083_宁德/公安局_2026年部门预算.pdf": ("not_budget", "政府网站工作年度报表"),
    "cities/083_宁德/政府办公厅_2026年部门预算.pdf": ("not_budget", "部门整体绩效自评表，不是预算表"),
    "cities/087_宜宾/2026年宜宾市政府办公厅部门预算.pdf": ("not_budget", "政务公开检查情况通报"),
}
# Budget documents that legitimately hold no tables: the narrative half of a filing published
# as two PDFs (its tables are in the sibling file), or a one-page notice pointing elsewhere.
# Filled in from the documents themselves; see NARRATIVE_ONLY_NOTE.
NARRATIVE_ONLY: dict[str, str] = {}

EXPECTED_BY_KIND = {
    "pdf": ("ok",),
    "pdf-scanned": ("scanned", "ok"),  # 'ok' only when OCR'd
    "pdf-with-image-only-pages": ("ok", "scanned"),
    "html-saved-as-pdf": ("not_pdf",),
}


def read_index(corpus: Path) -> list[dict]:
    with open(corpus / "INDEX.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [r for r in rows if r["kind"] != "csv-derived"]


def expected_outcomes(row: dict) -> tuple[str, ...]:
    if row["path"] in NOT_TABLE_FILINGS:
        return (NOT_TABLE_FILINGS[row["path"]][0],)
    if row["path"] in NARRATIVE_ONLY:
        return ("ok",)
    return EXPECTED_BY_KIND.get(row["kind"], ("ok",))


def is_table_filing(row: dict) -> bool:
    """A text-layer budget or final-account PDF that prints the tables (the fill-ratio population)."""
    return row["kind"] == "pdf" and row["path"] not in NOT_TABLE_FILINGS and row["path"] not in NARRATIVE_ONLY


# ---------------------------------------------------------------------------- extraction

def _children_cpu() -> float:
    from extractors.isolate import child_usage

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    forked = child_usage()
    return ru.ru_utime + ru.ru_stime + forked["cpu_s"] + forked["server_cpu_s"]


def extract_all(rows: list[dict], corpus: Path, cache_dir: Path, workers: int, label: str,
                timeout_s: float) -> tuple[dict[str, Extraction], int, float, float]:
    """Extract every row through the pipeline's cache; returns (by path, pages parsed, seconds,
    CPU seconds of the extraction child processes)."""
    from flows.pipeline import Document, extract_one

    out: dict[str, Extraction] = {}
    parsed_pages = 0
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futs = {pool.submit(extract_one, Document(corpus / r["path"], r["sha256"]), cache_dir, timeout_s): r
                for r in rows}
        for i, fut in enumerate(as_completed(futs), 1):
            r = futs[fut]
            ex, cached = fut.result()
            out[r["path"]] = ex
            if not cached:
                parsed_pages += ex.pages
            rate = parsed_pages / max(time.perf_counter() - t0, 1e-6)
            print(f"\r[{label}] {i}/{len(rows)} files, {parsed_pages} pages parsed, {rate:.1f} pages/s",
                  end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return out, parsed_pages, time.perf_counter() - t0, _children_cpu() - cpu0


def naive_baseline(paths: list[Path], text_layer: set[Path] = frozenset()) -> tuple[int, float, float, list[float]]:
    """pdfplumber extract_tables() on every page, one process: the naive way to do this job.
    Returns (pages, seconds, CPU seconds, and [pages, seconds, CPU seconds] over ``text_layer``)."""
    import pdfplumber

    pages = 0
    sub = [0.0, 0.0, 0.0]
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for i, p in enumerate(paths, 1):
        f_pages, f_t0, f_cpu0 = pages, time.perf_counter(), time.process_time()
        try:
            with pdfplumber.open(p) as pdf:
                for page in pdf.pages:
                    page.extract_tables()
                    page.close()
                    pages += 1
        except Exception as exc:  # noqa: BLE001 - the baseline only needs its time
            print(f"\n  baseline: {p.name}: {type(exc).__name__}", file=sys.stderr)
        if p in text_layer:
            sub[0] += pages - f_pages
            sub[1] += time.perf_counter() - f_t0
            sub[2] += time.process_time() - f_cpu0
        print(f"\r[baseline] {i}/{len(paths)} files, {pages} pages", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return pages, time.perf_counter() - t0, time.process_time() - cpu0, sub


def is_pdf(path: Path) -> bool:
    with open(path, "rb") as fh:
        return b"%PDF-" in fh.read(1024)


# ---------------------------------------------------------------------------- warehouse

def load_and_check(rows: list[dict], extractions: dict[str, Extraction], db_path: Path):
    from warehouse.checks import run_checks
    from warehouse.db import connect
    from warehouse.load import load_extraction

    con = connect(db_path)
    fid_by_path: dict[str, str | None] = {}
    for r in rows:
        ex = extractions[r["path"]]
        fid_by_path[r["path"]] = load_extraction(con, ex, {"source_url": "file://" + r["path"]})
    # A narrative-only half loaded before its tables half is merged into the tables' filing
    # afterwards: each document counts under the filing that holds it at the end of the load.
    for r in rows:
        held = con.execute("SELECT d.filing_id FROM filing_doc d JOIN filing f USING (filing_id) "
                           "WHERE d.sha256 = ? AND f.is_current ORDER BY d.filing_id LIMIT 1", [r["sha256"]]).fetchall()
        if held and fid_by_path.get(r["path"]):
            fid_by_path[r["path"]] = held[0][0]
    run_checks(con)
    return con, fid_by_path


# ---------------------------------------------------------------------------- report

def _table(header: list[str], body: list[list]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)] if body else [len(h) for h in header]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(header, widths))]
    lines += ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)) for row in body]
    return "\n".join(lines)


def report_outcomes(rows, extractions) -> int:
    print("\n== outcomes: INDEX kind x outcome ==")
    counts: Counter = Counter()
    outcomes = sorted({e.outcome for e in extractions.values()})
    for r in rows:
        counts[(r["kind"], extractions[r["path"]].outcome)] += 1
    kinds = sorted({r["kind"] for r in rows})
    print(_table(["kind"] + outcomes + ["total"],
                 [[k] + [counts[(k, o)] or "." for o in outcomes] + [sum(counts[(k, o)] for o in outcomes)]
                  for k in kinds]))
    print("\nexcluded from the filing population (inputs, but not a budget table set):")
    for p, (o, why) in NOT_TABLE_FILINGS.items():
        print(f"  {p}: expected {o}: {why}")
    for p, why in NARRATIVE_ONLY.items():
        print(f"  {p}: narrative only: {why}")
    mismatches = []
    for r in rows:
        ex = extractions[r["path"]]
        if ex.outcome not in expected_outcomes(r):
            mismatches.append((r["path"], r["kind"], ex.outcome, ex.outcome_detail))
    print(f"\noutcome_mismatches: {len(mismatches)}")
    for p, k, o, d in mismatches:
        print(f"  {p} [{k}] -> {o}: {d}")
    return len(mismatches)


def report_fill(con, rows, extractions, fid_by_path) -> float:
    population = [r for r in rows if is_table_filing(r)]
    print(f"\n== filing_totals fill over {len(population)} text-layer budget / final-account PDFs ==")
    print("fields: " + ", ".join(TOTAL_FIELDS))
    full = 0
    misses = []
    for r in population:
        fid = fid_by_path.get(r["path"])
        vals = None
        if fid:
            vals = con.execute(f"SELECT {', '.join(TOTAL_FIELDS)} FROM filing_totals WHERE filing_id = ?",
                               [fid]).fetchone()
        missing = list(TOTAL_FIELDS) if vals is None else [f for f, v in zip(TOTAL_FIELDS, vals) if v is None]
        if missing:
            misses.append((r["path"], extractions[r["path"]].outcome, missing))
        else:
            full += 1
    ratio = full / len(population) if population else 0.0
    print(f"fill_ratio: {ratio:.3f} ({full}/{len(population)})")
    for p, o, m in misses:
        print(f"  {p} [{o}] missing: {', '.join(m)}")
    return ratio


def report_identities(con, rows, fid_by_path) -> float:
    population = {fid_by_path[r["path"]]: r["path"] for r in rows if is_table_filing(r) and fid_by_path.get(r["path"])}
    implemented = {r[0] for r in con.execute("SELECT rule_id FROM rules WHERE implemented").fetchall()}
    evaluated = [r for r in IDENTITY_RULES if r in implemented]
    missing = [r for r in IDENTITY_RULES if r not in implemented]
    print("\n== within- and cross-table identities ==")
    print(f"rules evaluated: {', '.join(evaluated) or '-'}; not implemented in warehouse/checks yet: "
          f"{', '.join(missing) or '-'}")
    con.execute("CREATE OR REPLACE TEMP TABLE _pop AS SELECT unnest(CAST(? AS VARCHAR[])) AS filing_id",
                [list(population)])
    body = []
    tot_pass = tot_eval = 0
    for rule in evaluated:
        c = dict(con.execute("SELECT outcome, count(*) FROM findings WHERE rule_id = ? "
                             "AND filing_id IN (SELECT filing_id FROM _pop) GROUP BY outcome", [rule]).fetchall())
        n_eval = c.get("pass", 0) + c.get("fail", 0) + c.get("error", 0)
        tot_pass += c.get("pass", 0)
        tot_eval += n_eval
        rate = f"{c.get('pass', 0) / n_eval:.3f}" if n_eval else "-"
        body.append([rule, c.get("pass", 0), c.get("fail", 0), c.get("error", 0), c.get("insufficient_data", 0),
                     c.get("not_applicable", 0), rate])
    print(_table(["rule", "pass", "fail", "error", "insufficient", "n/a", "pass_rate"], body))
    rate = tot_pass / tot_eval if tot_eval else 0.0
    print(f"identity_pass_rate: {rate:.3f} ({tot_pass}/{tot_eval})")
    fails = con.execute(
        "SELECT filing_id, rule_id, subject, message, evidence FROM findings "
        f"WHERE rule_id IN ({', '.join('?' for _ in evaluated)}) AND outcome IN ('fail', 'error') "
        "AND filing_id IN (SELECT filing_id FROM _pop) ORDER BY filing_id, rule_id, subject",
        list(evaluated)).fetchall() if evaluated else []
    print(f"identity_failures: {len(fails)}")
    for fid, rule, subject, message, evidence in fails:
        print(f"  {population[fid]} {rule} {subject} pages {_pages(evidence)}: {message}")
    return rate


def report_self_check(rows, extractions) -> Counter:
    """Each table's own sums (extractors/selfcheck.py): how many tables pass, fail or could not be
    checked, every failing table, and every table read in a reading other than its header's."""
    counts: Counter = Counter()
    by_kind: dict[str, Counter] = defaultdict(Counter)
    fails, alternatives = [], []
    for r in rows:
        ex = extractions.get(r["path"])
        for t in ex.tables if ex else []:
            outcome = t.self_check or "unchecked"
            counts[outcome] += 1
            by_kind[t.table_kind][outcome] += 1
            if outcome == "fail":
                fails.append(f"  {r['path']} {t.table_kind} pages {t.pages}: {t.self_check_detail}")
            if "读法：" in t.note:
                how = t.note[t.note.index("读法："):].split("；")[0]
                alternatives.append(f"  {r['path']} {t.table_kind} pages {t.pages}: {how} -> {outcome}")
    print("\n== table self-check (extractors/selfcheck.py) ==")
    outcomes = ["pass", "fail", "unchecked"]
    print(_table(["table"] + outcomes, [[k] + [by_kind[k][o] for o in outcomes] for k in sorted(by_kind)]
                 + [["all"] + [counts[o] for o in outcomes]]))
    print(f"self_check_fail: {len(fails)}")
    print("\n".join(fails))
    print(f"read in an alternative reading: {len(alternatives)}")
    print("\n".join(alternatives))
    return counts


def _pages(evidence) -> str:
    try:
        ev = json.loads(evidence) if isinstance(evidence, str) else evidence
    except ValueError:
        return "?"
    pages: set = set()

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k == "page" and isinstance(v, int):
                    pages.add(v)
                else:
                    walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(ev)
    return ",".join(map(str, sorted(pages))) or "?"


# ---------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.extract_corpus", description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sample", type=int, default=0,
                    help="measure the naive baseline on a deterministic sample of N PDF files only")
    ap.add_argument("--no-baseline", action="store_true", help="skip the naive baseline")
    ap.add_argument("--cache-dir", type=Path, default=None,
                    help="extraction cache (default: a fresh temporary folder, so the first pass is cold)")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args(argv)

    corpus = args.corpus.resolve()
    if not (corpus / "INDEX.tsv").exists():
        print(f"no INDEX.tsv under {corpus}", file=sys.stderr)
        return 2
    rows = read_index(corpus)
    tmp = Path(tempfile.mkdtemp(prefix="bw-extract-corpus-"))
    cache_dir = args.cache_dir or tmp / "cache"
    print(f"corpus {corpus}: {len(rows)} input files; parser {PARSER_VERSION}; workers {args.workers}; "
          f"cache {cache_dir}")

    # Text-layer PDFs first, then the other inputs (scans, which may go to OCR; HTML; image-only
    # pages): the naive baseline reads no scan, so the speed comparison is also made on the
    # text-layer PDFs alone, each side timed on its own.
    text_rows = [r for r in rows if r["kind"] == "pdf"]
    other_rows = [r for r in rows if r["kind"] != "pdf"]
    cold, text_pages, text_s, text_cpu = extract_all(text_rows, corpus, cache_dir, args.workers, "cold text-layer",
                                                     args.timeout)
    cold_other, other_pages, other_s, other_cpu = extract_all(other_rows, corpus, cache_dir, args.workers,
                                                              "cold other", args.timeout)
    cold.update(cold_other)
    cold_pages, cold_s, cold_cpu = text_pages + other_pages, text_s + other_s, text_cpu + other_cpu
    warm, warm_pages, warm_s, _ = extract_all(rows, corpus, cache_dir, args.workers, "warm", args.timeout)

    base_pages = base_s = base_cpu = 0.0
    base_text = [0.0, 0.0, 0.0]
    sample_note = ""
    if not args.no_baseline:
        pdfs = sorted((corpus / r["path"] for r in rows if is_pdf(corpus / r["path"])), key=lambda p: str(p))
        if args.sample and args.sample < len(pdfs):
            # deterministic: every k-th file of the sorted list
            step = len(pdfs) / args.sample
            pdfs = [pdfs[int(i * step)] for i in range(args.sample)]
            sample_note = f" (baseline on a deterministic sample of {len(pdfs)} files; rates compared)"
        base_pages, base_s, base_cpu, base_text = naive_baseline(pdfs, {corpus / r["path"] for r in text_rows})

    con, fid_by_path = load_and_check(rows, cold, tmp / "corpus.duckdb")

    mismatches = report_outcomes(rows, cold)
    fill = report_fill(con, rows, cold, fid_by_path)
    ident = report_identities(con, rows, fid_by_path)
    checked = report_self_check(rows, cold)

    print("\n== speed ==")
    cold_rate = cold_pages / cold_s if cold_s else 0.0
    print(f"cold extraction: {cold_pages} pages in {cold_s:.1f} s = {cold_rate:.1f} pages/s "
          f"({args.workers} worker processes, child process per file, incl. pre-screen, narrative, metadata)")
    if base_s:
        base_rate = base_pages / base_s
        print(f"naive baseline : {int(base_pages)} pages in {base_s:.1f} s = {base_rate:.1f} pages/s "
              f"(pdfplumber extract_tables() on every page, 1 process){sample_note}")
        print(f"speedup_vs_naive: {cold_rate / base_rate:.2f}")
        # The wall-clock figure depends on what else the machine runs while each phase runs; CPU
        # seconds per page do not (the cold phase's include its child-process start-ups).
        if cold_cpu and base_cpu:
            print(f"cpu per page   : cold {1000 * cold_cpu / max(cold_pages, 1):.1f} ms "
                  f"({cold_cpu:.1f} s CPU in the extraction processes), naive {1000 * base_cpu / base_pages:.1f} ms "
                  f"({base_cpu:.1f} s CPU); cpu_speedup_vs_naive: "
                  f"{(base_cpu / base_pages) / (cold_cpu / max(cold_pages, 1)):.2f} per core, "
                  f"x{args.workers} workers when the cores are free")
        if base_text[1] and text_s:
            t_rate, b_rate = text_pages / text_s, base_text[0] / base_text[1]
            print(f"text-layer PDFs only ({len(text_rows)} files): cold {text_pages} pages in {text_s:.1f} s = "
                  f"{t_rate:.1f} pages/s, {1000 * text_cpu / max(text_pages, 1):.1f} ms CPU/page; naive "
                  f"{int(base_text[0])} pages in {base_text[1]:.1f} s = {b_rate:.1f} pages/s, "
                  f"{1000 * base_text[2] / max(base_text[0], 1):.1f} ms CPU/page; speedup_vs_naive_text_layer: "
                  f"{t_rate / b_rate:.2f}")
        print(f"other inputs ({len(other_rows)} files: scans, HTML, image-only pages): cold {other_pages} pages "
              f"in {other_s:.1f} s, {other_cpu:.1f} s CPU (OCR included where a scan is sent to it)")
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    else:
        print("speedup_vs_naive: not measured (--no-baseline)")
        # Without the baseline, still the CPU of the extraction processes: the figure that does
        # not depend on what else the machine runs.
        print(f"cpu per page   : cold {1000 * cold_cpu / max(cold_pages, 1):.1f} ms ({cold_cpu:.1f} s CPU over "
              f"{cold_pages} pages); text-layer PDFs ({len(text_rows)} files) "
              f"{1000 * text_cpu / max(text_pages, 1):.1f} ms ({text_cpu:.1f} s over {text_pages} pages); "
              f"other inputs ({len(other_rows)} files: scans, HTML, image-only pages) {other_cpu:.1f} s over "
              f"{other_pages} pages")
    print(f"warm rerun: {warm_s:.1f} s")
    print(f"warm_rerun_pages_parsed: {warm_pages}")

    print("\n== summary ==")
    print(f"files {len(rows)}  outcome_mismatches {mismatches}  fill_ratio {fill:.3f}  "
          f"identity_pass_rate {ident:.3f}  warm_rerun_pages_parsed {warm_pages}  "
          f"self_check pass {checked['pass']} fail {checked['fail']} unchecked {checked['unchecked']}")
    con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
