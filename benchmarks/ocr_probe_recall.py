"""python -m benchmarks.ocr_probe_recall — would the OCR probe let every real budget through?

The probe (extractors/ocr_probe.py) reads only the tallest lines of a scan's first pages. A
budget it misjudges would be left ``scanned`` unread, so it is measured on the budgets we have as
text: each text PDF of ``../shared/corpus/real/`` whose first ``PROBE_PAGES`` pages print budget
words in their text layer (what the full OCR of a clean scan of them would read) has those pages
rendered as a scan is (``ocr.render``) and probed. A page the probe cannot judge gets the full
OCR in ingestion, so it counts as let through. Prints, per city, the budgets, those let through,
and each one missed with what the probe read.
"""
from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

import pypdfium2 as pdfium

from extractors import ocr
from extractors.ocr_probe import MIN_CJK, cjk_count

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def text_pdfs() -> list[str]:
    with open(CORPUS / "INDEX.tsv", encoding="utf-8", newline="") as fh:
        return [r["path"] for r in csv.DictReader(fh, delimiter="\t") if r["kind"] == "pdf"]


def page_words(page) -> bool:
    tp = page.get_textpage()
    try:
        text = tp.get_text_range()
    finally:
        tp.close()
    return ocr._says_budget([ocr.OcrPage(0, 0, 0, [ocr.Box(text.replace("\n", ""), 1.0, 0, 0, 0, 0)], [], [])])


def probe_verdict(page, number: int) -> tuple[str, str]:
    """('budget' | 'unsure' | 'no', the probe's text) for one page rendered as a scan."""
    probe = ocr.probe_page(page, number, ocr.render(page))
    text = "".join(b.text for b in probe.boxes)
    if ocr._says_budget([probe]):
        return "budget", text
    return ("unsure" if cjk_count(text) < MIN_CJK else "no"), text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.ocr_probe_recall", description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="at most this many files (0: all)")
    args = ap.parse_args(argv)
    per_city: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed = []
    files = text_pdfs()[: args.limit or None]
    for n, rel in enumerate(files, 1):
        city = rel.split("/")[1] if rel.startswith("cities/") else rel.split("/")[0]
        doc = pdfium.PdfDocument(str(CORPUS / rel))
        try:
            pages = [doc[i] for i in range(min(ocr.PROBE_PAGES, len(doc)))]
            if not any(page_words(p) for p in pages):
                continue  # the full OCR would not have let it through either
            per_city[city][0] += 1
            verdicts = [probe_verdict(p, i + 1) for i, p in enumerate(pages)]
            if any(v in ("budget", "unsure") for v, _ in verdicts):
                per_city[city][1] += 1
            else:
                missed.append((rel, [t[:60] for _, t in verdicts]))
            for p in pages:
                p.close()
        finally:
            doc.close()
        print(f"[{n}/{len(files)}] {rel}", flush=True)
    print(f"{'city':24} {'budgets':>7} {'let_through':>11}")
    for city, (total, ok) in sorted(per_city.items()):
        print(f"{city:24} {total:7} {ok:11}")
    for rel, texts in missed:
        print(f"MISSED {rel}: {texts}")
    total = sum(v[0] for v in per_city.values())
    ok = sum(v[1] for v in per_city.values())
    print(f"probe_budgets: {total}  probe_let_through: {ok}  probe_missed: {total - ok}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
