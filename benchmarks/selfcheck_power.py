"""How often the table self-check catches a misreading, measured on the corpus's own tables.

    python -m benchmarks.selfcheck_power --cache-dir DIR [--seed 13]

Reads the extractions ``benchmarks.extract_corpus`` cached in DIR and, for every table that passes
its own sums as read, makes the misreadings issue 13 names and checks them again:
- two amount columns' labels exchanged (every pair, as a column order read wrong), apart for the
  pairs where one is the total of a row sum tested in the table (swap_total) and the others
  (swap_parts: exchanging two parts of one sum changes no sum, no self-check can see it);
- every amount label moved one column to the right or to the left of its data, the data left
  without a label dropped (a header spanning two rows over the wrong columns).
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
from extractors.selfcheck import check_table, identities  # noqa: E402
from flows.extraction_store import entry_name  # noqa: E402



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


def misreadings(kind: str, facts: list[Fact]):
    columns = list(dict.fromkeys(f.column_label for f in facts))
    # Columns that are the total of a row sum tested in this table: exchanging one of them with
    # another column changes a sum; exchanging two parts of the same sum changes none (a + b =
    # b + a), so no self-check can see such a swap: counted apart (swap_parts).
    totals = {i.total.column_label for i in identities(kind, facts) if i.family == "row"}
    for i, a in enumerate(columns):
        for b in columns[i + 1:]:
            what = "swap_total" if {a, b} & totals else "swap_parts"
            yield what, _relabel(facts, {a: b, b: a}), _same_values(facts, a, b)
    if len(columns) >= 2:
        # each label one column to the right of its data (the first column's data loses its
        # label) and one to the left (the last column's data loses it)
        right = {c: (columns[k - 1] if k else None) for k, c in enumerate(columns)}
        left = {c: (columns[k + 1] if k + 1 < len(columns) else None) for k, c in enumerate(columns)}
        yield "shift", _relabel(facts, right), False
        yield "shift", _relabel(facts, left), False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache-dir", type=Path, required=True)
    args = ap.parse_args(argv)
    counts: dict[str, Counter] = {"swap_total": Counter(), "swap_parts": Counter(), "shift": Counter()}
    tables = 0
    for path in sorted(args.cache_dir.glob(entry_name("*"))):
        ex = Extraction.from_dict(json.loads(path.read_text(encoding="utf-8")))
        for t in ex.tables:
            facts = [f for f in ex.facts if f.table_kind == t.table_kind and f.page in t.pages]
            if t.self_check != "pass" or check_table(t.table_kind, facts).outcome != "pass":
                continue
            tables += 1
            # at most 2 row sums (a one-row 收入总表 or 三公 table): one failing sum is all a
            # misreading can break, and one failure is what an office's own error looks like
            small = sum(1 for i in identities(t.table_kind, facts) if i.family == "row") <= 2
            for kind, misread, same in misreadings(t.table_kind, facts):
                outcome = "indistinguishable" if same else check_table(t.table_kind, misread).outcome
                counts[kind][outcome] += 1
                if not small:
                    counts[kind]["large_" + outcome] += 1
    print(f"tables that pass as read: {tables} (parser {PARSER_VERSION}, cache {args.cache_dir})")
    for kind, c in counts.items():
        judged = c["fail"] + c["pass"]
        rate = c["fail"] / judged if judged else 0.0
        total = sum(v for k, v in c.items() if not k.startswith("large_"))
        print(f"{kind:10s} misread tables: {total:5d}  caught (fail) {c['fail']:5d}  missed (pass) "
              f"{c['pass']:5d}  unchecked {c['unchecked']:4d}  indistinguishable {c['indistinguishable']:4d}  "
              f"caught_rate {rate:.3f}")
        large = c["large_fail"] + c["large_pass"]
        print(f"{'':10s}   of which in tables with 3 or more row sums: caught {c['large_fail']} of {large}"
              f" = {c['large_fail'] / large if large else 0.0:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
