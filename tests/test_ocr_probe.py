"""The cheap OCR probe (extractors/ocr_probe.py): it judges a scan's first pages by their tallest
lines, and every page of a scan it lets through is read by the full OCR as before."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2
import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="OCR engine not installable here (Python >= 3.13)")

from demo.render_pdf import build_seed_pdf  # noqa: E402
from extractors import extract_file, ocr  # noqa: E402
from extractors.ocr_probe import MIN_CJK, cjk_count, is_blank  # noqa: E402
from tests.corpus import corpus_file  # noqa: E402
from tests.test_extract_ocr import rasterise  # noqa: E402

AUDIT = ("cities/042_榆林/审计局_2026年部门预算.pdf", "788af48551970fef44ccb95c8e4229c5d49ba325c60a573ada8da283ae633976")


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> Path:
    return build_seed_pdf(tmp_path_factory.mktemp("probe") / "seed.pdf")


def _white(h: int = 1684, w: int = 1190) -> np.ndarray:
    return np.full((h, w), 255, dtype=np.uint8)


def _inked(rows: int, cols: int) -> np.ndarray:
    gray = _white()
    gray[100:100 + rows, 100:100 + cols] = 0
    return gray


@pytest.mark.parametrize("gray, blank", [
    (_white(), True),
    (_inked(20, 30), True),  # a page number
    (_inked(40, 440), False),  # one line of a cover title, inked solid
    (_inked(11, 100), False),  # 1 100 dark pixels: over 0.05 % of the page (1 002)
    (_inked(10, 100), True),
])
def test_blank_page(gray, blank):
    assert is_blank(gray) is blank


def _probe(path: Path, number: int) -> ocr.OcrPage:
    doc = pypdfium2.PdfDocument(str(path))
    try:
        page = doc[number - 1]
        return ocr.probe_page(page, number, ocr.render(page))
    finally:
        doc.close()


@pytest.mark.parametrize("number, words, first", [
    (1, "部门预算", "硚口区城市运行管理中心"),  # the cover
    (2, "收支预算总表", "目录"),  # the contents
    (5, "收支预算总表", "表1.收支预算总表"),  # T1
    # T3: its title is the top line, not the tallest (two-line header cells are taller)
    (7, "支出总表", "表3.支出总表"),
])
def test_probe_lets_a_budget_page_through(seed_pdf, number, words, first):
    probe = _probe(seed_pdf, number)
    assert ocr._BUDGET_WORDS_RE.search("".join(b.text for b in probe.boxes)).group(0) == words
    assert probe.boxes[0].text == first


@pytest.mark.corpus
def test_probe_holds_back_a_notice():
    """榆林 审计局's page 1, a 陕西省审计厅 notice: its tallest lines carry no budget words, and
    enough text is read to judge it."""
    probe = _probe(corpus_file(*AUDIT), 1)
    text = "".join(b.text for b in probe.boxes)
    assert ocr._says_budget([probe]) is False
    assert cjk_count(text) >= MIN_CJK
    assert ocr._largest_text(probe) == "陕西省审计厅"


def _scan_of(parts: list[tuple[Path, int]], out: Path) -> Path:
    """A PDF of the given (PDF, 1-based page) pages, each copied as it is (a scan stays a scan)."""
    new = pypdfium2.PdfDocument.new()
    for src, number in parts:
        new.import_pages(pypdfium2.PdfDocument(str(src)), [number - 1])
    new.save(str(out))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("first", ["blank", "notice"])
def test_page_before_the_budget_words_is_read_in_full(seed_pdf, tmp_path, monkeypatch, first):
    """A scan whose page 1 is blank or a notice, then T1 and T3: page 2 shows budget words, and
    page 1, only probed until then, is read by the full OCR after it."""
    tables = rasterise(seed_pdf, tmp_path / "tables.pdf", [5, 7], dpi=150)
    if first == "blank":
        doc = pypdfium2.PdfDocument.new()
        doc.new_page(595, 842)
        doc.save(str(tmp_path / "white.pdf"))
        page1 = rasterise(tmp_path / "white.pdf", tmp_path / "blank.pdf", [1], dpi=150)
    else:
        page1 = corpus_file(*AUDIT)
    scan = _scan_of([(page1, 1), (tables, 1), (tables, 2)], tmp_path / "scan.pdf")
    read: list[int] = []
    full = ocr.ocr_page
    monkeypatch.setattr(ocr, "ocr_page", lambda page, number, rendered=None: read.append(number) or
                        full(page, number, rendered))
    monkeypatch.setenv("BUDGETWATCH_OCR_SECONDS", "300")
    ex = extract_file(scan)
    ref = extract_file(_scan_of([(seed_pdf, 5), (seed_pdf, 7)], tmp_path / "tables_text.pdf"))
    assert read == [2, 1, 3]
    assert (ex.outcome, [(t.table_kind, t.pages, t.n_facts) for t in ex.tables]) == \
        ("ok", [("T1", [2], 9), ("T3", [3], 41)])
    assert "识别了前 3 页，" in ex.outcome_detail and "字号最大" not in ex.outcome_detail
    key = lambda f: (f.table_kind, f.row_code, f.row_label, f.column_label, f.amount_wan, f.printed_value)  # noqa: E731
    assert sorted(map(key, ex.facts)) == sorted(map(key, ref.facts))
