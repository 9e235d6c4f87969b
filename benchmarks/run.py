"""Every benchmark of budgetwatch in one command; figures are printed, never asserted.

    python benchmarks/run.py [--quick] [--only corpus,district,scale] [--write [FILE]]

Sections (each stage runs in its own process, so each peak memory is its own):

corpus    cold ingestion (`budgetwatch ingest`: extract in cached child processes, load,
          check) of ../shared/corpus/real/, against the naive baseline (pdfplumber
          extract_tables() on every page, one process) and the floor (pypdfium2 text of
          every page, one process). The files are dealt into chunks and the three are run
          chunk by chunk, interleaved, so machine noise hits them alike. Then a warm
          re-run over the unchanged files.
district  the nightly flow (crawl on loopback, extract, load, check, publish) against the
          sample district portal, cold and then warm, with the naive baseline (in two
          halves, before and after the cold run) and the floor over the same PDFs.
scale     cold ingestion of 200, 1 000 and 5 000 generated filings (benchmarks/district_scale.py:
          the generator's 64 departments × 3 years, then replicas with new department codes),
          then the second-largest size once more: its two runs bracket the largest in time.
city      the nightly flow over the sample city's first 1, 4 and 13 districts (demo/city.yaml;
          `--city-sizes`), each portal on its own port, into a fresh warehouse: cold, then warm
          with 1 % of each portal's PDFs re-published; seconds, peak memory, and the publish
          alone (the whole-file copy of the warehouse) against the warehouse's size. Building
          the portals is not timed. `--only city` runs this section alone.
parity    `python -m benchmarks.parity`: every file of the corpus and of the sample district
          extracted with pdfium's page model and with pdfminer's, the facts compared one by
          one; the count of differing facts (issue 14).

The last lines are `parity_differing_facts: N` (when the parity section ran),
`speedup_vs_naive: X.XX` (cold ingestion of the real corpus, page
rate against page rate) and `warm_rerun_pages_parsed: N` (pages parsed by the warm
re-runs, corpus and district; it should be 0). ``--write`` puts the report in
benchmarks/RESULTS.md (or FILE) with the machine it ran on, below the file's MARK line:
what a person wrote above it is kept, so the report's closing lines stay the file's last.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "real"
SCALE_CACHE = ROOT / "benchmarks" / "_build" / "scale"
SECTIONS = ("corpus", "district", "scale", "city", "parity")


# ---------------------------------------------------------------------------- helpers

def stage(name: str, target, work: Path, db: Path | None = None, workers: int = 2, extra: tuple = ()) -> dict:
    """Run one stage of benchmarks/stages.py in its own process; its figures as a dict."""
    if isinstance(target, (list, tuple)):
        lst = work / f"list-{name}-{time.monotonic_ns()}.txt"
        lst.write_text("\n".join(map(str, target)) + "\n", "utf-8")
        target = lst
    cmd = [sys.executable, "-m", "benchmarks.stages", name, str(target), "--workers", str(workers)]
    if db is not None:
        cmd += ["--db", str(db)]
    cmd += [str(x) for x in extra]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"stage {name} failed (returncode {proc.returncode}): {proc.stdout[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def add(total: dict, part: dict) -> dict:
    for k, v in part.items():
        if k.endswith("rss_mb") or k == "loadavg":
            total[k] = max(total.get(k, 0), v)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            total[k] = total.get(k, 0) + v
        elif isinstance(v, str):  # e.g. the parser version: one value, or all the values seen
            prev = total.get(k)
            total[k] = v if prev in (None, v) else f"{prev}, {v}"
        elif isinstance(v, dict):
            sub = total.setdefault(k, {})
            for kk, vv in v.items():
                sub[kk] = sub.get(kk, 0) + vv
    return total


def rate(d: dict) -> float:
    return d["pages"] / d["seconds"] if d.get("seconds") else 0.0


def is_pdf(path: Path) -> bool:
    with open(path, "rb") as fh:
        return b"%PDF-" in fh.read(1024)


def sample(items: list, n: int) -> list:
    if not n or n >= len(items):
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def deal(items: list, k: int) -> list[list]:
    """k chunks of about equal work: by size, largest first, each to the lightest chunk."""
    chunks: list[list] = [[] for _ in range(k)]
    weight = [0] * k
    for p in sorted(items, key=lambda p: (-p.stat().st_size, str(p))):
        i = weight.index(min(weight))
        chunks[i].append(p)
        weight[i] += p.stat().st_size
    return [c for c in chunks if c]


def machine() -> dict:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    libs = {}
    for name in ("pdfplumber", "pdfminer.six", "pypdfium2", "duckdb", "pandas", "pyarrow", "prefect", "scrapy"):
        try:
            libs[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            libs[name] = "-"
    return {"nproc": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)), "memory": mem, "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(), "libs": libs,
            "loadavg_start": os.getloadavg()}


def _mb(d: dict) -> str:
    return f"{d.get('rss_mb', 0):.0f} MB (largest child {d.get('child_rss_mb', 0):.0f} MB)"


# ---------------------------------------------------------------------------- sections

def corpus_section(args, work: Path, out: list[str]) -> dict:
    from benchmarks.extract_corpus import read_index

    rows = read_index(args.corpus)
    files = sorted((args.corpus / r["path"] for r in rows), key=str)
    if args.quick:
        files = sample(files, 12)
    chunks = deal(files, 1 if args.quick else args.chunks)
    db = work / "corpus" / "budget.duckdb"
    cold: dict = {}
    naive: dict = {}
    floor: dict = {}
    for i, chunk in enumerate(chunks, 1):
        pdfs = [p for p in chunk if is_pdf(p)]
        print(f"== corpus chunk {i}/{len(chunks)}: {len(chunk)} files ({len(pdfs)} PDF)", file=sys.stderr)
        add(cold, stage("ingest", chunk, work, db, args.workers))
        add(naive, stage("naive", pdfs, work))
        add(floor, stage("floor", pdfs, work))
    print("== corpus warm re-run", file=sys.stderr)
    warm = stage("ingest", files, work, db, args.workers)
    res = {"files": len(files), "chunks": len(chunks), "cold": cold, "naive": naive, "floor": floor, "warm": warm,
           "speedup_vs_naive": rate(cold) / rate(naive) if rate(naive) else 0.0}
    out += _ingest_table(f"Real corpus ({len(files)} files of {args.corpus.name}/"
                         f"{', deterministic sample' if args.quick else ''}; {len(chunks)} interleaved chunks)",
                         cold, naive, floor, warm, args.workers, "ingest")
    return res


def district_section(args, work: Path, out: list[str]) -> dict:
    from demo.portal import build_site

    site = build_site(profile="seed") if args.quick else build_site(workers=args.workers)
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    atts = [site / a["path"].lstrip("/") for f in manifest["filings"] for a in f.get("attachments", [])]
    from flows.pipeline import sha256_file

    unique: dict[str, Path] = {}
    for p in sorted(atts, key=str):  # a re-posted file is parsed once by the pipeline: once here too
        if p.suffix == ".pdf" and is_pdf(p):
            unique.setdefault(sha256_file(p), p)
    pdfs = sorted(unique.values(), key=str)
    db = work / "district" / "budget.duckdb"
    half = len(pdfs) // 2
    print(f"== district: {len(manifest['filings'])} portal entries, {len(atts)} attachments, site {site.name}",
          file=sys.stderr)
    naive = stage("naive", pdfs[:half], work) if half else {}
    cold = stage("nightly", site, work, db)
    add(naive, stage("naive", pdfs[half:], work))
    floor = stage("floor", pdfs, work)
    warm = stage("nightly", site, work, db)
    # the nightly reports the pages its extractions saw; the rate counts the pages of the files
    cold["extraction_pages"], cold["pages"] = cold["pages"], naive["pages"]
    label = ("the seed filing's portal (--quick)" if args.quick else
             f"sample district portal, {len(manifest['filings'])} entries, {len(atts)} attachments")
    out += _ingest_table(f"Sample district: nightly flow against {label}", cold, naive, floor, warm, args.workers,
                         "nightly")
    return {"cold": cold, "naive": naive, "floor": floor, "warm": warm,
            "speedup_vs_naive": rate(cold) / rate(naive) if rate(naive) else 0.0}


def scale_section(args, work: Path, out: list[str]) -> dict:
    sizes = [6, 20] if args.quick else args.sizes
    res = {}
    skipped = []
    out += ["", "## How time grows with the district's size", "",
            "Cold `ingest` of N generated filings (Wuhan 12-table PDFs; 64 departments × 3 years, then "
            "replicas with new department codes: the generator describes one 64-department district), "
            "each N into a fresh warehouse and cache. Rendering the PDFs is not timed.", "",
            "| filings | pages | total s | extract s | load + check s | s / filing | pages/s | filings/hour | peak memory | load avg |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    notes: list[str] = []
    for n in sizes:
        if args.deadline is not None:
            # s/filing of the largest size run so far, with a margin: ingestion is about linear;
            # before any, 23 pages a filing at the page rate of the corpus' cold ingestion
            last = max(res) if res else None
            corpus_rate = rate(args.seen.get("corpus", {}).get("cold", {}))
            projected = (res[last]["seconds"] / last * n * 1.2 if last else
                         n * 23 / corpus_rate * 1.2 if corpus_rate else 0)
            left = args.deadline - time.monotonic()
            if projected > left or left <= 0:
                skipped.append(n)
                print(f"== scale: {n} filings skipped: projected {projected / 60:.0f} min, "
                      f"{max(left, 0) / 60:.0f} min left of --budget-min", file=sys.stderr)
                out.append(f"| {n} | not run | | | | | | | | |")
                basis = f"the s/filing of {last} filings" if last else "the corpus' page rate"
                notes += ["", f"**{n} filings were not run**: at {basis} it would take about "
                          f"{projected / 60:.0f} min, and {max(left, 0) / 60:.0f} min were left of this run's "
                          f"`--budget-min`. `python benchmarks/run.py --only scale --sizes {n}` measures it."]
                continue
        res[n] = _scale_run(args, work, n, str(n), out)
        if args.checkpoint:
            args.checkpoint()
    again = None
    if len(res) >= 2 and not args.quick:
        # The machine's speed drifts over the minutes of the largest size (other tenants of the
        # host): the smaller size once more after it brackets the drift, and the verdict takes
        # the mean of its two runs.
        small = sorted(res)[-2]
        again = _scale_run(args, work, small, f"{small} (again, after {max(res)})", out)
    out += notes
    out += _scale_verdict(res, again)
    return {"sizes": res, "skipped": skipped, "again": again}


def _scale_run(args, work: Path, n: int, label: str, out: list[str]) -> dict:
    """One cold `ingest` of n generated filings into a fresh warehouse; its row of the table."""
    from benchmarks.district_scale import scale_filings

    files = scale_filings(n, SCALE_CACHE, workers=args.workers)
    print(f"== scale: {label} filings", file=sys.stderr)
    db = Path(tempfile.mkdtemp(prefix=f"scale-{n}-", dir=work)) / "budget.duckdb"
    d = stage("ingest", files, work, db, args.workers)
    d["loadavg"] = os.getloadavg()[0]
    out.append(f"| {label} | {d['pages']} | {d['seconds']:.1f} | {d['extract_s']:.1f} | {d['load_check_s']:.1f} | "
               f"{d['seconds'] / n:.2f} | {rate(d):.1f} | {n / d['seconds'] * 3600:.0f} | {_mb(d)} | "
               f"{d['loadavg']:.1f} |")
    return d


def _scale_verdict(res: dict, again: dict | None = None) -> list[str]:
    """Issue 14's reading of the table: flat memory and a constant cost per filing (the two largest
    sizes: a small run's fixed costs are a larger share of it). With ``again`` (the smaller size
    run once more after the larger), the smaller size's cost is the mean of its two runs."""
    if len(res) < 2:
        return []
    small, large = sorted(res)[-2:]
    per = {n: res[n]["seconds"] / n for n in (small, large)}
    runs = [res[small]] + ([again] if again else [])
    base = sum(d["seconds"] for d in runs) / len(runs) / small
    peak = max(max(d.get("rss_mb", 0), d.get("child_rss_mb", 0)) for d in [*res.values(), *runs])
    if again:
        against = (f"{base:.3f}, the mean of its run before and after {large} ({per[small]:.3f} and "
                   f"{again['seconds'] / small:.3f}; against the first alone {per[large] / per[small] - 1:+.0%})")
    else:
        against = f"{base:.3f}"
    return ["", f"Seconds per filing at {large} against {small} filings: {per[large]:.3f} / {against} "
            f"({per[large] / base - 1:+.0%}; issue 14 asks for within 15 %). Highest peak memory of "
            f"any size (main process or a child): {peak:.0f} MB (issue 14 asks for at most 600 MB)."]


def parity_section(args, work: Path, out: list[str]) -> dict:
    """benchmarks/parity.py in its own process; its per-set figures as a table."""
    summary = work / "parity.json"
    cmd = [sys.executable, "-m", "benchmarks.parity", "--workers", str(args.workers), "--corpus", str(args.corpus),
           "--summary-json", str(summary)]
    if args.quick:  # the seed filing's portal alone
        from demo.portal import build_site

        cmd += ["--no-corpus", "--site", str(build_site(profile="seed"))]
    elif not (args.corpus / "INDEX.tsv").exists():
        cmd.append("--no-corpus")
    print("== parity: every file through both page models", file=sys.stderr)
    t0 = time.monotonic()
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"parity failed (returncode {proc.returncode}): {proc.stdout[-2000:]}")
    res = json.loads(summary.read_text("utf-8"))
    differing = [line for line in proc.stdout.splitlines() if line.startswith(("district/", "  ")) or
                 (": " in line and "differing facts" in line)]
    out += ["", "## Parity of the page models (`python -m benchmarks.parity`)", "",
            "Every file extracted twice, with `BUDGETWATCH_PAGE_MODEL=pdfminer` (pdfplumber's own parse) and "
            "`=pdfium` (the default), under the same table finder; facts compared as multisets of "
            f"(table, row code, row label, column, amount, page). {time.monotonic() - t0:.0f} s.", "",
            "| set | files | facts (pdfium) | files with differing facts | files with a different outcome | "
            "files with pages sent to pdfminer by the check | differing facts |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for name, t in sorted(res["sets"].items()):
        out.append(f"| {name} | {t.get('files', 0)} | {t.get('facts', 0)} | {t.get('files_differing', 0)} | "
                   f"{t.get('outcome_differing', 0)} | {t.get('fallback_files', 0)} | {t.get('differing_facts', 0)} |")
    out += ["", "Extraction CPU per page (worker process CPU of the whole `extract_file`): "
            + "; ".join(f"{k} {v} ms" for k, v in res["cpu_ms_per_page"].items()) + "."]
    if differing:
        out += ["", "Differences:", "", "```", *differing[:60], "```"]
    return res


def city_section(args, work: Path, out: list[str]) -> dict:
    from demo.city import build_district, districts

    sizes = [1] if args.quick else args.city_sizes
    t0 = time.monotonic()
    for d in districts(max(sizes)):  # rendering the portals is not timed; a built one is reused
        build_district(d, workers=args.workers)
    print(f"== city: {max(sizes)} portals built in {time.monotonic() - t0:.0f} s", file=sys.stderr)
    res: dict = {}
    lines = ["", "## City: the nightly over N districts", "",
             f"`budgetwatch demo --districts N`'s run: the sample city's first N districts (demo/city.yaml), each "
             f"portal on its own loopback port, crawled, extracted ({args.workers} workers), loaded, checked and "
             f"published in one nightly run into a fresh warehouse (cold); then the same again with "
             f"{args.changed:.0%} of each portal's PDFs re-published under the same URLs (warm: those are "
             "parsed; every portal is on a new random port, so every page is fetched again, and the unchanged files are found in the extraction cache by content, as in the district section's warm run). Publish: the publish step "
             "alone on the resulting warehouse (copy the file to a staging file, checkpoint, fsync, rename; "
             "median of 3), which every nightly pays once.", "",
             "| districts | files | pages | cold s | cold CPU s | s / district | cold peak memory | "
             "warm: files re-parsed | warm s | warm peak memory | warehouse MB | publish s | MB/s copied | load avg |",
             "|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---:|---:|"]
    notes: list[str] = []
    for n in sizes:
        if args.deadline is not None and res:
            last = max(res)
            projected = (res[last]["cold"]["seconds"] + res[last]["warm"]["seconds"]) / last * n * 1.2
            left = args.deadline - time.monotonic()
            if projected > left:
                lines.append(f"| {n} | not run | | | | | | | | | | | | |")
                notes += ["", f"**{n} districts were not run**: at the s/district of {last} districts it would take "
                          f"about {projected / 60:.0f} min, and {max(left, 0) / 60:.0f} min were left of "
                          f"`--budget-min`. `python benchmarks/run.py --only city --city-sizes {n}` measures it."]
                continue
        db = work / f"city-{n}" / "budget.duckdb"
        print(f"== city: {n} districts, cold", file=sys.stderr)
        cold = stage("city", n, work, db, args.workers)
        cold["loadavg"] = max(cold.get("loadavg", 0), os.getloadavg()[0])
        print(f"== city: {n} districts, warm with {args.changed:.0%} re-published", file=sys.stderr)
        warm = stage("city", n, work, db, args.workers, extra=("--changed", args.changed))
        res[n] = {"cold": cold, "warm": warm}
        print(f"== city: {n} districts: {json.dumps(res[n], ensure_ascii=False)}", file=sys.stderr)
        load = max(cold.get("loadavg", 0), warm.get("loadavg", 0))
        lines.append(f"| {n} | {cold['files']} | {cold['pages']} | {cold['seconds']:.1f} | {cold.get('cpu_s', 0):.0f} | "
                     f"{cold['seconds'] / n:.1f} | "
                     f"{_mb(cold)} | {warm['parsed_files']} of {warm['files']} ({warm['republished']} re-published) | "
                     f"{warm['seconds']:.1f} | {_mb(warm)} | {warm['db_mb']:.0f} | {warm['publish_s']:.2f} | "
                     f"{warm['db_mb'] / warm['publish_s']:.0f} | {load:.1f} |")
        if args.checkpoint:
            args.checkpoint()
    out += lines + notes
    outcomes = {n: r["cold"].get("outcomes") for n, r in res.items()}
    out += ["", "Outcomes (cold): " + "; ".join(f"{n} districts {json.dumps(o, ensure_ascii=False)}"
                                               for n, o in outcomes.items()) + "."]
    return {"sizes": res}


def _ingest_table(title, cold, naive, floor, warm, workers, kind) -> list[str]:
    lines = ["", f"## {title}", "",
             "| measure | files | pages | seconds | pages/s | files/hour | ratio to naive | CPU ms/page | peak memory |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]

    def row(name, d, files=None):
        r = rate(d)
        files = d.get("files", 0) if files is None else files
        ratio = r / rate(naive) if rate(naive) and d.get("pages") else 0
        fph = files / d["seconds"] * 3600 if d.get("seconds") else 0
        cpu = f"{d['cpu_s'] / d['pages'] * 1000:.1f}" if d.get("cpu_s") and d.get("pages") else ""
        lines.append(f"| {name} | {files} | {d.get('pages', 0)} | {d.get('seconds', 0):.1f} | {r:.1f} | {fph:.0f} | "
                     f"{ratio:.2f}× | {cpu} | {_mb(d)} |")

    what = "`budgetwatch ingest` (extract + load + check)" if kind == "ingest" else "nightly flow (crawl + extract + load + check + publish)"
    row(f"cold {what}, {workers} workers", cold)
    row("naive: pdfplumber `extract_tables()` every page, 1 process", naive)
    row("floor: pypdfium2 text of every page, 1 process", floor)
    lines.append(f"| warm re-run over unchanged inputs | {warm.get('files', 0)} | {warm.get('pages', 0)} parsed | "
                 f"{warm.get('seconds', 0):.1f} | | | | | {_mb(warm)} |")
    if warm.get("parser_version") and warm.get("parser_version") != cold.get("parser_version"):
        lines += ["", f"**The parser version changed during this run** (cold {cold.get('parser_version')}, warm "
                  f"{warm['parser_version']}): the warm re-run parsed its pages again because the cache is keyed "
                  "on the parser version; its pages parsed say nothing about the cache."]
    if cold.get("cpu_s") and naive.get("cpu_s") and cold.get("pages") and naive.get("pages"):
        lines += ["", f"CPU per page: the pipeline {cold['cpu_s'] / cold['pages'] * 1000:.1f} ms (all its processes), "
                  f"the naive baseline {naive['cpu_s'] / naive['pages'] * 1000:.1f} ms: a CPU-time ratio of "
                  f"{(naive['cpu_s'] / naive['pages']) / (cold['cpu_s'] / cold['pages']):.2f}×, which the load "
                  f"of other jobs does not change. Highest load average seen at the end of a stage: "
                  f"{max(cold.get('loadavg', 0), naive.get('loadavg', 0)):.1f}."]
    if kind == "ingest":
        lines += ["", f"Cold ingestion phases: hashing {cold.get('hash_s', 0):.1f} s, extraction "
                  f"{cold.get('extract_s', 0):.1f} s, load + checks {cold.get('load_check_s', 0):.1f} s; CPU: "
                  f"extraction {cold.get('extract_cpu_s', 0):.1f} s "
                  f"({1000 * cold.get('extract_cpu_s', 0) / max(cold.get('pages') or 1, 1):.1f} ms/page), "
                  f"load + checks {cold.get('load_check_cpu_s', 0):.1f} s, the rest (start-up, imports, hashing) "
                  f"{cold.get('cpu_s', 0) - cold.get('extract_cpu_s', 0) - cold.get('load_check_cpu_s', 0):.1f} s. "
                  f"Outcomes: {json.dumps(cold.get('outcomes', {}), ensure_ascii=False)}; "
                  f"{cold.get('filings_loaded', 0)} filings loaded, {cold.get('load_errors', 0)} load errors."]
    else:
        lines += ["", f"Outcomes: {json.dumps(cold.get('outcomes', {}), ensure_ascii=False)}; "
                  f"{cold.get('filings_loaded', 0)} filings loaded."]
        for name, d in (("cold", cold), ("warm", warm)):
            if d.get("stages"):  # the run's own stage timings; the rest of its seconds is Prefect's
                rest = d["seconds"] - sum(d["stages"].values())
                lines += ["", f"Stages of the {name} nightly (s): " + ", ".join(
                    f"{k} {v:.1f}" for k, v in d["stages"].items()) + f"; outside the stages (Prefect's API "
                    f"server start, flow and task runs) {rest:.1f}; CPU {d.get('cpu_s', 0):.1f} s."]
    return lines


# ---------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python benchmarks/run.py", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small sample of each section (a few minutes)")
    ap.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections: " + ", ".join(SECTIONS))
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunks", type=int, default=3, help="interleaving chunks of the corpus section")
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[200, 1000, 5000])
    ap.add_argument("--city-sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1, 4, 13],
                    help="districts of the city section (default 1,4,13)")
    ap.add_argument("--changed", type=float, default=0.01, help="city: share of PDFs re-published for the warm run")
    ap.add_argument("--write", nargs="?", const=ROOT / "benchmarks" / "RESULTS.md", type=Path, default=None,
                    help="write the report (default benchmarks/RESULTS.md)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary warehouses and caches")
    ap.add_argument("--budget-min", type=float, default=None,
                    help="time budget of the whole run: scale sizes projected to overrun it are skipped (and said so)")
    args = ap.parse_args(argv)
    args.deadline = None if args.budget_min is None else time.monotonic() + args.budget_min * 60
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    args.corpus = args.corpus.resolve()
    if "corpus" in sections and not (args.corpus / "INDEX.tsv").exists():
        print(f"no corpus at {args.corpus}: skipping the corpus section", file=sys.stderr)
        sections.remove("corpus")

    info = machine()
    started = datetime.now(timezone.utc)
    work = Path(tempfile.mkdtemp(prefix="bw-bench-"))
    out: list[str] = []
    results: dict = {}
    cmd = "python benchmarks/run.py" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    args.checkpoint = None
    if args.write:
        def checkpoint() -> None:
            _write(args.write, _report(cmd, info, started, out, results, ["scale"]))
        args.checkpoint = checkpoint
    args.seen = results
    try:
        for name in sections:
            left = None if args.deadline is None else args.deadline - time.monotonic()
            if name == "district" and left is not None and left < 20 * 60:
                print(f"== district skipped: {left / 60:.0f} min left of --budget-min", file=sys.stderr)
                out += ["", "## Sample district", "", f"Not run: {max(left, 0) / 60:.0f} min were left of this "
                        "run's `--budget-min` (the nightly flow over the whole sample portal, with its baseline, "
                        "takes longer). `python benchmarks/run.py --only district` measures it."]
                continue
            t0 = time.monotonic()
            results[name] = {"corpus": corpus_section, "district": district_section, "scale": scale_section,
                             "city": city_section, "parity": parity_section}[name](args, work, out)
            print(f"== {name} done in {time.monotonic() - t0:.0f} s", file=sys.stderr)
            if args.write:  # an interrupted run still leaves the sections it finished
                pending = sections[sections.index(name) + 1:]
                _write(args.write, _report(cmd, info, started, out, results, pending))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report = _report(cmd, info, started, out, results, [])
    print(report)
    if args.write:
        _write(args.write, report)
        print(f"written to {args.write}", file=sys.stderr)
    for line in _headline(results):
        print(line)
    return 0


MARK = "<!-- benchmarks/run.py --write replaces everything below this line -->"


def _write(path: Path, report: str) -> None:
    """The run's report below MARK; what a person wrote above it (measurements of other
    commands, readings of the figures) is kept."""
    old = path.read_text("utf-8") if path.exists() else ""
    kept = old[: old.index(MARK)] if MARK in old else ""
    path.write_text(kept + MARK + "\n\n" + report, "utf-8")


def _headline(results: dict) -> tuple[str, ...]:
    speedup = results.get("corpus", {}).get("speedup_vs_naive")
    warm_pages = sum(results[s]["warm"].get("pages") or 0 for s in ("corpus", "district") if s in results)
    parity = (f"parity_differing_facts: {results['parity']['differing_facts']}",) if "parity" in results else ()
    return (*parity, f"speedup_vs_naive: {speedup:.2f}" if speedup is not None else "speedup_vs_naive: not measured",
            f"warm_rerun_pages_parsed: {warm_pages}")


def _report(cmd: str, info: dict, started: datetime, out: list[str], results: dict, pending: list[str]) -> str:
    load_end = os.getloadavg()
    minutes = (datetime.now(timezone.utc) - started).total_seconds() / 60
    head = ["# budgetwatch benchmark results", "",
            f"Command: `{cmd}`, started {started:%Y-%m-%d %H:%M} UTC, {minutes:.0f} min"
            + (f" (partial: {', '.join(pending)} still running)." if pending else "."), "",
            f"Machine: {info['nproc']} CPUs ({info['usable_cpus']} usable), {info['memory']} RAM, {info['cpu']}; "
            f"Python {info['python']} on {info['platform']}; load average at start "
            f"{info['loadavg_start'][0]:.1f}, at end {load_end[0]:.1f}.", "",
            "Libraries: " + ", ".join(f"{k} {v}" for k, v in info["libs"].items()) + ".", "",
            "The machine is shared: other jobs use its CPUs during the run (see the load averages; "
            "a load above 2 means the stages did not have the 2 cores to themselves). Absolute "
            "figures therefore vary from run to run; the ratios are fair because the pipeline, "
            "the naive baseline and the floor are measured in the same run, interleaved chunk by "
            "chunk (corpus) or before and after (district), so the noise hits them alike. Compare "
            "rows of one run, not runs. The naive baseline and the floor use one process; the "
            "pipeline uses the `--workers` it is given, so contention from other jobs costs it "
            "more than it costs them.", "",
            "Peak memory is the maximum resident set of the stage's own process and, apart, of its "
            "largest child process (extraction runs one child per file)."]
    tail = ["", "## Headline", "", "```", *_headline(results), "```"]
    return "\n".join(head + out + tail) + "\n"

if __name__ == "__main__":
    raise SystemExit(main())
