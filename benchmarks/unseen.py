"""Leave one city out: how the extractor reads a template family no profile describes.

    python -m benchmarks.unseen [--corpus ../shared/corpus/real] [--workers 2] [--cache-dir DIR]
                                [--only FAMILY] [--detail] [--baseline DIR]
                                [--profiled-from DIR] [--no-leave-one-out]

The text-layer PDFs of ``INDEX.tsv`` are grouped by template family: the profile that reads
each one in the profiled run. Three configurations are extracted, each into its own cache
folder under DIR (the cache key is sha256 + parser version, which a switched-off profile does
not change, so configurations must never share one):

(a) ``profiled``: every profile on (DIR/profiled);
(b) ``leave-one-out``: each family's files with that family's profile off
    (``BUDGETWATCH_PROFILES_OFF=<id>``, DIR/off-<id>); only those files are extracted again;
(c) ``all-off``: every profile off (``BUDGETWATCH_PROFILES_OFF=all``, DIR/off-all): the generic
    national-family reading alone.

``--profiled-from DIR`` takes the profiled configuration from an existing cache of any parser
version instead of extracting it (e.g. main's, to measure against the released reading) and
``--no-leave-one-out`` skips (b): both to measure a change in less than a third of the time.

With ``--baseline DIR`` (an extraction cache of another parser version, e.g. main's), the
profiled run is also compared with it: the regression check with every profile on.

Each configuration is loaded into a DuckDB of its own and checked. Printed per family and
overall: text-layer budget PDFs ending ``ok``, filings with all five core totals, the pass rate
of the identities (A1 A3 A5 A6 A7 A8 B1 B2 B5), the core totals equal to the profiled run's, and
the failing findings per filing (every rule). Not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.extract_corpus import (  # noqa: E402
    DEFAULT_CORPUS, IDENTITY_RULES, TOTAL_FIELDS, _table, extract_all, is_table_filing, load_and_check, read_index,
)
from extractors.model import PARSER_VERSION, Extraction  # noqa: E402
from extractors.profiles import GENERIC_ID, PROFILES_OFF_ENV  # noqa: E402

NO_FAMILY = "-"  # read by no profile (an early outcome: scanned, not a PDF, broken)
# Issue 13, "Done when", every profile off.
TARGETS = {"ok": 0.95, "five": 0.95, "identity": 0.99, "equal": 0.98}


@dataclass
class Measure:
    files: int = 0
    ok: int = 0
    filings: int = 0
    five: int = 0
    ident_pass: int = 0
    ident_eval: int = 0
    equal: int = 0
    equal_of: int = 0
    fails: int = 0

    def add(self, other: "Measure") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def rates(self) -> dict[str, float | None]:
        def r(a, b):
            return a / b if b else None
        return {"ok": r(self.ok, self.files), "five": r(self.five, self.filings),
                "identity": r(self.ident_pass, self.ident_eval), "equal": r(self.equal, self.equal_of),
                "fails_per_filing": r(self.fails, self.filings)}

    def row(self, name: str) -> list[str]:
        rates = self.rates()

        def pct(key, a, b):
            return f"{a}/{b} ({100 * rates[key]:.1f}%)" if rates[key] is not None else "-"
        fpf = rates["fails_per_filing"]
        return [name, str(self.files), pct("ok", self.ok, self.files), pct("five", self.five, self.filings),
                pct("identity", self.ident_pass, self.ident_eval), pct("equal", self.equal, self.equal_of),
                f"{fpf:.2f}" if fpf is not None else "-"]


HEADER = ["family", "files", "ok", "five totals", "identity pass", "core = profiled", "fails/filing"]


def family_of(ex: Extraction) -> str:
    return (ex.meta.template if ex.meta and ex.meta.template else None) or NO_FAMILY


def families(rows: list[dict], profiled: dict[str, Extraction]) -> dict[str, list[dict]]:
    """Template family -> its rows, the family being the profile that read the file when every
    profile was on."""
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[family_of(profiled[r["path"]])].append(r)
    return dict(sorted(out.items()))


def totals_equal(profiled: dict[str, object | None], other: dict[str, object | None] | None) -> tuple[int, int]:
    """(core totals equal to the profiled reading, core totals the profiled reading has)."""
    have = [f for f in TOTAL_FIELDS if profiled.get(f) is not None]
    if other is None:
        return 0, len(have)
    return sum(1 for f in have if other.get(f) == profiled[f]), len(have)


def _with_env(value: str | None, fn, *args):
    old = os.environ.get(PROFILES_OFF_ENV)
    if value is None:
        os.environ.pop(PROFILES_OFF_ENV, None)
    else:
        os.environ[PROFILES_OFF_ENV] = value
    try:
        return fn(*args)
    finally:
        if old is None:
            os.environ.pop(PROFILES_OFF_ENV, None)
        else:
            os.environ[PROFILES_OFF_ENV] = old


def _totals(con, fid: str | None) -> dict[str, object | None] | None:
    if not fid:
        return None
    got = con.execute(f"SELECT {', '.join(TOTAL_FIELDS)} FROM filing_totals WHERE filing_id = ?", [fid]).fetchone()
    return dict(zip(TOTAL_FIELDS, got)) if got else None


@dataclass
class Run:
    """One configuration loaded and checked: per text-layer budget PDF its extraction, filing and totals."""
    name: str
    extractions: dict[str, Extraction]
    fid_by_path: dict[str, str | None]
    totals: dict[str, dict | None]
    ident: dict[str, tuple[int, int]]  # filing -> (pass, evaluated)
    fails: dict[str, int]  # filing -> failing findings, every rule
    ident_failures: dict[str, list[str]]


def load_run(name: str, rows: list[dict], extractions: dict[str, Extraction], tmp: Path) -> Run:
    con, fid_by_path = load_and_check(rows, extractions, tmp / f"{name}.duckdb")
    try:
        pop = [r for r in rows if is_table_filing(r)]
        totals = {r["path"]: _totals(con, fid_by_path.get(r["path"])) for r in pop}
        rules = ", ".join(f"'{r}'" for r in IDENTITY_RULES)
        ident = {fid: (p, n) for fid, p, n in con.execute(
            f"SELECT filing_id, count(*) FILTER (WHERE outcome = 'pass'), "
            f"count(*) FILTER (WHERE outcome IN ('pass', 'fail', 'error')) "
            f"FROM findings WHERE rule_id IN ({rules}) GROUP BY filing_id").fetchall()}
        fails = dict(con.execute("SELECT filing_id, count(*) FROM findings WHERE outcome IN ('fail', 'error') "
                                 "GROUP BY filing_id").fetchall())
        ident_failures: dict[str, list[str]] = defaultdict(list)
        for fid, rule, subject in con.execute(
                f"SELECT filing_id, rule_id, subject FROM findings WHERE rule_id IN ({rules}) "
                "AND outcome IN ('fail', 'error') ORDER BY 1, 2, 3").fetchall():
            ident_failures[fid].append(f"{rule} {subject}")
    finally:
        con.close()
    return Run(name, extractions, fid_by_path, totals, ident, fails, dict(ident_failures))


def measure(run: Run, rows: list[dict], profiled: Run) -> Measure:
    m = Measure()
    seen: set[str] = set()
    for r in rows:
        if not is_table_filing(r):
            continue
        path = r["path"]
        m.files += 1
        m.ok += run.extractions[path].outcome == "ok"
        base = profiled.totals.get(path) or {}
        eq, of = totals_equal(base, run.totals.get(path))
        m.equal += eq
        m.equal_of += of
        fid = run.fid_by_path.get(path)
        # A filing of two files (情况说明 + 报表) counts once; a file loading no filing counts
        # as a filing without its totals.
        if fid in seen:
            continue
        if fid:
            seen.add(fid)
        m.filings += 1
        vals = run.totals.get(path)
        m.five += bool(vals) and all(vals[f] is not None for f in TOTAL_FIELDS)
        p, n = run.ident.get(fid, (0, 0)) if fid else (0, 0)
        m.ident_pass += p
        m.ident_eval += n
        m.fails += run.fails.get(fid, 0) if fid else 0
    return m


def report(run: Run, groups: dict[str, list[dict]], profiled: Run) -> Measure:
    print(f"\n== {run.name} ==")
    body, overall = [], Measure()
    for fam, fam_rows in groups.items():
        m = measure(run, fam_rows, profiled)
        overall.add(m)
        body.append(m.row(fam))
    body.append(overall.row("overall"))
    print(_table(HEADER, body))
    return overall


def detail(run: Run, rows: list[dict], profiled: Run) -> None:
    """What this configuration misses that the profiled run has, file by file."""
    print(f"\n-- {run.name}: files that differ from the profiled run --")
    for r in rows:
        if not is_table_filing(r):
            continue
        path = r["path"]
        ex = run.extractions[path]
        base = profiled.totals.get(path) or {}
        vals = run.totals.get(path) or {}
        diff = [f"{f} {vals.get(f)} (profiled {base.get(f)})" for f in TOTAL_FIELDS if vals.get(f) != base.get(f)]
        fails = run.ident_failures.get(run.fid_by_path.get(path) or "", [])
        if ex.outcome != "ok" or diff or fails:
            print(f"  {path} [{ex.outcome} {ex.meta.template if ex.meta else ''}]"
                  + (f" {ex.outcome_detail}" if ex.outcome != "ok" else ""))
            if diff:
                print("    totals: " + "; ".join(diff))
            if fails:
                print(f"    identity failures ({len(fails)}): " + "; ".join(fails[:8]))


def read_baseline(rows: list[dict], cache: Path) -> dict[str, Extraction] | None:
    """Each row's extraction from a cache of any parser version (``<sha256>-<version>.json``)."""
    import json

    out = {}
    for r in rows:
        hits = sorted(cache.glob(f"{r['sha256']}-*.json"))
        if not hits:
            print(f"baseline {cache} lacks {r['path']}", file=sys.stderr)
            return None
        out[r["path"]] = Extraction.from_dict(json.loads(hits[0].read_text("utf-8")))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.unseen", description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache-dir", type=Path, default=None,
                    help="root of the per-configuration caches (default: a fresh temporary folder)")
    ap.add_argument("--only", default=None, help="one family (profile id) only, to iterate on")
    ap.add_argument("--detail", action="store_true", help="list, file by file, what the all-off reading misses")
    ap.add_argument("--baseline", type=Path, default=None,
                    help="an extraction cache of another parser version to compare the profiled run with")
    ap.add_argument("--profiled-from", type=Path, default=None,
                    help="take the profiled configuration from this cache (any parser version) instead of extracting it")
    ap.add_argument("--no-leave-one-out", action="store_true", help="skip the leave-one-out configuration")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args(argv)

    corpus = args.corpus.resolve()
    if not (corpus / "INDEX.tsv").exists():
        print(f"no INDEX.tsv under {corpus}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bw-unseen-"))
    root = args.cache_dir or tmp / "cache"
    # Scans go to OCR and HTML pages are no PDF: neither depends on a profile.
    rows = [r for r in read_index(corpus) if r["kind"] == "pdf"]
    print(f"corpus {corpus}: {len(rows)} text-layer PDFs; parser {PARSER_VERSION}; workers {args.workers}; "
          f"caches under {root}")

    def extract(label: str, off: str | None, some: list[dict]) -> dict[str, Extraction]:
        got = _with_env(off, extract_all, some, corpus, root / label, args.workers, label, args.timeout)
        return got[0]

    profiled_ex = read_baseline(rows, args.profiled_from) if args.profiled_from else extract("profiled", None, rows)
    if profiled_ex is None:
        return 2
    groups = families(rows, profiled_ex)
    if args.only:
        if args.only not in groups:
            print(f"no family {args.only!r}; families: {', '.join(groups)}", file=sys.stderr)
            return 2
        groups = {args.only: groups[args.only]}
        rows = groups[args.only]
    print("families: " + ", ".join(f"{f} ({len(g)})" for f, g in groups.items()))

    loo_ex: dict[str, Extraction] = {}
    for fam, fam_rows in ({} if args.no_leave_one_out else groups).items():
        if fam in (NO_FAMILY, GENERIC_ID):
            # Nothing to switch off: what read them in the profiled run reads them here.
            loo_ex.update({r["path"]: profiled_ex[r["path"]] for r in fam_rows})
        else:
            loo_ex.update(extract(f"off-{fam}", fam, fam_rows))
    off_ex = extract("off-all", "all", rows)

    profiled = load_run("profiled", rows, profiled_ex, tmp)
    runs = [profiled] + ([] if args.no_leave_one_out else [load_run("leave-one-out", rows, loo_ex, tmp)])
    runs.append(load_run("all-off", rows, off_ex, tmp))
    overall = {run.name: report(run, groups, profiled) for run in runs}
    base_ex = read_baseline(rows, args.baseline) if args.baseline else None
    if base_ex:
        # "core = profiled" here reads: the profiled run's core totals equal to the baseline's.
        baseline = load_run("baseline", rows, base_ex, tmp)
        report(baseline, groups, profiled)
        profiled.name = f"profiled against the baseline {args.baseline}"
        report(profiled, groups, baseline)

    rates = overall["all-off"].rates()
    print("\n== all-off against issue 13's targets ==")
    for key, target in TARGETS.items():
        got = rates[key]
        verdict = "met" if got is not None and got >= target else "NOT met"
        print(f"  {key}: {'-' if got is None else f'{100 * got:.1f}%'} (target >= {100 * target:.0f}%): {verdict}")
    if args.detail:
        detail(runs[-1], rows, profiled)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
