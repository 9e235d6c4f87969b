"""How often the table self-check catches a misreading, measured on the corpus's own tables.

    python -m benchmarks.selfcheck_power --cache-dir DIR [--seed 13]

Reads the extractions ``benchmarks.extract_corpus`` cached in DIR and, for every table that passes
its own sums as read, makes the misreadings issue 13 names and checks them again:
- two amount columns' labels exchanged (every pair, as a column order read wrong), apart for the
  pairs where one is a total or subtotal (swap_total) and where both are parts (swap_parts);
- every amount label moved one column to the right, the last one dropped (a header spanning two
  rows over the wrong columns).
It prints, per kind of misreading, how many misread tables end 'fail' (caught), 'pass' (missed)
or 'unchecked'. A pair of columns whose values are equal in every row cannot be told apart by
any sum and is counted apart ("indistinguishable"). Not a test: figures for a person.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.model import PARSER_VERSION, Extraction, Fact  # noqa: E402
from extractors.selfcheck import ROW_SUMS, check_table  # noqa: E402

# Labels that are a sum of other columns somewhere: exchanging one of them with another column
# changes a sum; exchanging two parts of the same sum changes none (a + b = b + a), so such a
# swap is counted apart: no self-check can see it.
_TOTALS = {total for sums in ROW_SUMS.values() for total, _ in sums}


def _relabel(facts: list[Fact], mapping: dict[str, str | None]) -> list[Fact]:
    out = []
    for f in facts:
        label = mapping.get(f.column_label, f.column_label)
        if label is not None:
            out.append(Fact(**{**f.__dict__, "column_label": label}))
    return out


def _same_values(facts: list[Fact], a: str, b: str) -> bool:
    rows: dict[tuple, dict[str, object]] = {}
    for f in facts:
        if f.column_label in (a, b):
            rows.setdefault((f.row_code, f.page, f.row_label), {})[f.column_label] = f.amount_wan
    return all(r.get(a) == r.get(b) for r in rows.values())


def misreadings(facts: list[Fact]):
    columns = list(dict.fromkeys(f.column_label for f in facts))
    for i, a in enumerate(columns):
        for b in columns[i + 1:]:
            kind = "swap_total" if {a, b} & _TOTALS else "swap_parts"
            yield kind, _relabel(facts, {a: b, b: a}), _same_values(facts, a, b)
    if len(columns) >= 2:
        shift = {c: (columns[k + 1] if k + 1 < len(columns) else None) for k, c in enumerate(columns)}
        yield "shift", _relabel(facts, shift), False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache-dir", type=Path, required=True)
    args = ap.parse_args(argv)
    counts: dict[str, Counter] = {"swap_total": Counter(), "swap_parts": Counter(), "shift": Counter()}
    tables = 0
    for path in sorted(args.cache_dir.glob(f"*-{PARSER_VERSION}.json")):
        ex = Extraction.from_dict(json.loads(path.read_text(encoding="utf-8")))
        for t in ex.tables:
            facts = [f for f in ex.facts if f.table_kind == t.table_kind and f.page in t.pages]
            if t.self_check != "pass" or check_table(t.table_kind, facts).outcome != "pass":
                continue
            tables += 1
            for kind, misread, same in misreadings(facts):
                counts[kind]["indistinguishable" if same else check_table(t.table_kind, misread).outcome] += 1
    print(f"tables that pass as read: {tables} (parser {PARSER_VERSION}, cache {args.cache_dir})")
    for kind, c in counts.items():
        judged = c["fail"] + c["pass"]
        rate = c["fail"] / judged if judged else 0.0
        print(f"{kind:10s} misread tables: {sum(c.values()):5d}  caught (fail) {c['fail']:5d}  missed (pass) "
              f"{c['pass']:5d}  unchecked {c['unchecked']:4d}  indistinguishable {c['indistinguishable']:4d}  "
              f"caught_rate {rate:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
