"""Alert precision on the real corpus: every failing finding, against the hand labels.

    python -m benchmarks.precision [--corpus ../shared/corpus/real] [--cache-dir DIR]
                                   [--labels tests/fixtures/corpus_finding_labels.tsv]
                                   [--list] [--write-missing]

Extracts every input file of ``INDEX.tsv`` through the pipeline's content-hash cache (only
files missing from the cache are parsed), loads them into a temporary DuckDB, runs the
checks, and compares the failing findings with the labels file (sha256, rule_id, subject,
verdict true/false/arguable/?, reason checked on the page). Prints, per template family:
filings, failing findings per filing, precision = true / (true + false), and how many
findings have no verdict yet. ``--write-missing`` appends the unlabelled findings with
verdict '?' for a person to fill in after looking at the page.

Not a test: tests/test_precision_labels.py asserts that every current finding is labelled.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.extract_corpus import DEFAULT_CORPUS, extract_all, load_and_check, read_index  # noqa: E402

DEFAULT_LABELS = ROOT / "tests" / "fixtures" / "corpus_finding_labels.tsv"
LABEL_FIELDS = ("sha256", "rule_id", "subject", "verdict", "reason")
VERDICTS = ("true", "false", "arguable", "?")

# One row per failing finding and the document its evidence points at: a filing made of two
# PDFs names the one whose page the evidence cites (else the filing's first document).
FAILING_SQL = """
SELECT coalesce(f.template, '?') AS template, n.filing_id, n.rule_id, n.subject, n.message,
       n.evidence::VARCHAR AS evidence, f.sha256 AS filing_sha256
FROM finding n JOIN filing f USING (filing_id)
WHERE n.outcome = 'fail' AND f.is_current
ORDER BY template, n.filing_id, n.rule_id, n.subject
"""
REVIEW_SQL = """
SELECT coalesce(f.template, '?'), count(DISTINCT n.filing_id)
FROM finding n JOIN filing f USING (filing_id)
WHERE f.is_current AND n.outcome = 'insufficient_data' AND n.message LIKE '%表格读取未通过自检%'
GROUP BY 1
"""


def read_labels(path: Path) -> dict[tuple[str, str, str], dict]:
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r.get("sha256")]
    return {(r["sha256"], r["rule_id"], r["subject"]): r for r in rows}


def failing_findings(con) -> list[dict]:
    cols = ("template", "filing_id", "rule_id", "subject", "message", "evidence", "sha256")
    return [dict(zip(cols, r)) for r in con.execute(FAILING_SQL).fetchall()]


def summarize(con, findings: list[dict], labels: dict) -> list[list]:
    """Per template family: filings, fails, fails per filing, true, false, arguable, unlabelled, precision."""
    filings = dict(con.execute("SELECT coalesce(template, '?'), count(*) FROM filing WHERE is_current "
                               "GROUP BY 1").fetchall())
    review = dict(con.execute(REVIEW_SQL).fetchall())
    by = defaultdict(Counter)
    for f in findings:
        v = labels.get((f["sha256"], f["rule_id"], f["subject"]), {}).get("verdict", "?")
        by[f["template"]][v if v in VERDICTS else "?"] += 1
    out = []
    for t in sorted(set(filings) | set(by)):
        c = by[t]
        n = sum(c.values())
        judged = c["true"] + c["false"]
        out.append([t, filings.get(t, 0), review.get(t, 0), n, f"{n / max(filings.get(t, 0), 1):.2f}", c["true"],
                    c["false"], c["arguable"], c["?"], f"{c['true'] / judged:.3f}" if judged else "-"])
    tot = [sum(r[i] for r in out) for i in (1, 2, 3, 5, 6, 7, 8)]
    judged = tot[3] + tot[4]
    out.append(["ALL", tot[0], tot[1], tot[2], f"{tot[2] / max(tot[0], 1):.2f}", tot[3], tot[4], tot[5], tot[6],
                f"{tot[3] / judged:.3f}" if judged else "-"])
    return out


def _table(header: list[str], body: list[list]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(header, widths))]
    lines += ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)) for row in body]
    return "\n".join(lines)


def _pages(evidence: str | None) -> str:
    import json

    found: set[int] = set()

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k in ("page", "pages") and isinstance(v, int):
                    found.add(v)
                elif k == "pages" and isinstance(v, list):
                    found.update(x for x in v if isinstance(x, int))
                else:
                    walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    try:
        walk(json.loads(evidence or "null"))
    except ValueError:
        pass
    return ",".join(str(p) for p in sorted(found))


def measure(corpus: Path, cache_dir: Path, workers: int = 2, timeout: float = 300, db: Path | None = None):
    """(connection, failing findings with their file path) over the whole corpus."""
    rows = read_index(corpus)
    extractions, _, _, _ = extract_all(rows, corpus, cache_dir, workers, "extract", timeout)
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="bw-precision-")) / "corpus.duckdb"
    elif db.exists():
        db.unlink()
    con, _ = load_and_check(rows, extractions, db)
    path_of = {r["sha256"]: r["path"] for r in rows}
    findings = failing_findings(con)
    for f in findings:
        f["path"] = path_of.get(f["sha256"], "?")
        f["pages"] = _pages(f["evidence"])
    return con, findings


def write_missing(path: Path, findings: list[dict], labels: dict) -> int:
    new = [f for f in findings if (f["sha256"], f["rule_id"], f["subject"]) not in labels]
    seen: set = set()
    fresh = not path.exists()
    with open(path, "a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        if fresh:
            w.writerow(LABEL_FIELDS)
        for f in new:
            key = (f["sha256"], f["rule_id"], f["subject"])
            if key in seen:
                continue
            seen.add(key)
            w.writerow([f["sha256"], f["rule_id"], f["subject"], "?", f"{f['path']} p{f['pages']}: {f['message']}"])
    return len(seen)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.precision", description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--cache-dir", type=Path, default=None,
                    help="extraction cache (default: a fresh temporary folder: every file is parsed)")
    ap.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db", type=Path, default=None, help="keep the warehouse at this path (replaced) to query it after")
    ap.add_argument("--list", action="store_true", help="print every failing finding")
    ap.add_argument("--write-missing", action="store_true", help="append unlabelled findings with verdict '?'")
    args = ap.parse_args(argv)
    corpus = args.corpus.resolve()
    if not (corpus / "INDEX.tsv").exists():
        print(f"no INDEX.tsv under {corpus}", file=sys.stderr)
        return 2
    cache_dir = args.cache_dir or Path(tempfile.mkdtemp(prefix="bw-precision-cache-"))
    con, findings = measure(corpus, cache_dir, args.workers, db=args.db)
    labels = read_labels(args.labels)

    if args.list:
        print("== failing findings ==")
        for f in findings:
            v = labels.get((f["sha256"], f["rule_id"], f["subject"]), {}).get("verdict", "?")
            print(f"{f['sha256'][:12]}\t{f['path']}\t{f['rule_id']}\t{f['subject']}\t[{v}]\tp{f['pages']}\t"
                  f"{f['message']}")
    print("\n== failing findings per rule ==")
    per_rule = Counter(f["rule_id"] for f in findings)
    print("  ".join(f"{k}:{v}" for k, v in sorted(per_rule.items())))
    print("\n== alert precision per template family ==")
    print(_table(["template", "filings", "需人工核对", "fails", "fails/filing", "true", "false", "arguable",
                  "unlabelled", "precision"], summarize(con, findings, labels)))
    if args.write_missing:
        n = write_missing(args.labels, findings, labels)
        print(f"\nappended {n} unlabelled findings to {args.labels} with verdict '?'")
    con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
