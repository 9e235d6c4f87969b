"""python -m extractors FILE [--json] — extract one file and print the result (for debugging and run_isolated)."""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from .pdf import extract_file


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m extractors", description="Extract a budget disclosure file.")
    ap.add_argument("file", type=Path)
    ap.add_argument("--json", action="store_true", help="print the whole Extraction as JSON")
    ap.add_argument("--sha256", default=None, help="use this sha256 instead of hashing the file")
    args = ap.parse_args(argv)
    ex = extract_file(args.file, args.sha256)
    if args.json:
        json.dump(ex.to_dict(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"{args.file}: {ex.outcome} — {ex.outcome_detail} ({ex.seconds:.2f}s)")
    m = ex.meta
    print(f"  {m.department} [{m.department_code}] {m.region_name}({m.region_code}) {m.fiscal_year} "
          f"{m.unit_scope}{m.kind} template={m.template}")
    for t in ex.tables:
        print(f"  {t.table_kind:5} p{','.join(map(str, t.pages)):10} {t.unit:3} {t.n_facts:4} facts  {t.title} {t.note}")
    kinds = Counter(c.kind for c in ex.claims)
    print("  claims: " + ", ".join(f"{k}={n}" for k, n in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
