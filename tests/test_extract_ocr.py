"""Image-only PDFs read through OCR (extractors/ocr.py), every OCR'd amount marked as such."""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

pytest.importorskip("rapidocr_onnxruntime", reason="OCR engine not installable here (Python >= 3.13)")

from demo.render_pdf import build_seed_pdf  # noqa: E402
from extractors import extract_file, run_isolated  # noqa: E402
from extractors.ocr import Box, _split_at_rules  # noqa: E402
from tests.corpus import corpus_file  # noqa: E402



def rasterise(src: Path, out: Path, pages: list[int], dpi: int, quality: int = 75) -> Path:
    """An image-only copy of some pages of ``src``: what a scanner makes of the printout."""
    pdf = pypdfium2.PdfDocument(str(src))
    c = Canvas(str(out), invariant=1)
    try:
        for n in pages:
            page = pdf[n - 1]
            w, h = page.get_size()
            buf = io.BytesIO()
            page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L").save(buf, "JPEG", quality=quality)
            buf.seek(0)
            c.setPageSize((w, h))
            c.drawImage(ImageReader(buf), 0, 0, width=w, height=h)
            c.showPage()
    finally:
        pdf.close()
    c.save()
    return out


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> Path:
    return build_seed_pdf(tmp_path_factory.mktemp("ocr") / "seed.pdf")


def test_engine_ships_its_models():
    """rapidocr-onnxruntime 1.x carries its PP-OCR models in the wheel: nothing is fetched at run time."""
    import rapidocr_onnxruntime

    models = Path(rapidocr_onnxruntime.__file__).parent / "models"
    assert sorted(p.name for p in models.glob("*.onnx")) == [
        "ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx"]


@pytest.mark.parametrize("text,x0,x1,cuts,parts", [
    # seen on the rasterised seed T1: the detector ran one line across the border of two cells
    ("564.25|本年支出合计", 264.5, 355.0, [297.75], ["564.25", "本年支出合计"]),
    ("564.25支出总计", 264.0, 345.5, [297.75], ["564.25", "支出总计"]),
    ("一般公共服务支出", 60.0, 140.0, [], ["一般公共服务支出"]),
    ("|405.75", 240.0, 300.0, [], ["405.75"]),
])
def test_text_line_split_at_cell_border(text, x0, x1, cuts, parts):
    got = _split_at_rules(Box(text, 0.9, x0, 100.0, x1, 112.0), [(x, 90.0, 130.0) for x in cuts])
    assert [b.text for b in got] == parts
    assert [b.x1 for b in got[:-1]] == cuts


@pytest.mark.slow
def test_rasterised_seed_tables_read_through_ocr(seed_pdf, tmp_path, monkeypatch):
    """T1 and T3 of the seed, printed and scanned at 150 dpi, give the same facts as the text layer.

    Through run_isolated: OCR must fit the child process's time and memory limits.
    """
    scan = rasterise(seed_pdf, tmp_path / "scan.pdf", [5, 7], dpi=150)
    text_copy = pypdfium2.PdfDocument.new()
    text_copy.import_pages(pypdfium2.PdfDocument(str(seed_pdf)), [4, 6])
    text_copy.save(str(tmp_path / "text.pdf"))

    # Both pages even on a machine busy enough to stretch a page's OCR past the default budget.
    monkeypatch.setenv("BUDGETWATCH_OCR_SECONDS", "150")
    ex = run_isolated(scan, timeout_s=300)
    ref = extract_file(tmp_path / "text.pdf")
    assert (ex.outcome, ex.pages, ref.outcome) == ("ok", 2, "ok")
    assert "OCR" in ex.outcome_detail and "识别了前 2 页" in ex.outcome_detail
    assert [(t.table_kind, t.pages, t.n_facts) for t in ex.tables] == [("T1", [1], 9), ("T3", [2], 41)]
    assert all(f.ocr for f in ex.facts) and not any(f.ocr for f in ref.facts)
    key = lambda f: (f.table_kind, f.row_code, f.row_label, f.column_label, f.amount_wan, f.printed_value)  # noqa: E731
    assert sorted(map(key, ex.facts)) == sorted(map(key, ref.facts))
    amounts = {(f.table_kind, f.row_code, f.column_label): f.amount_wan for f in ex.facts}
    assert amounts[("T1", "income_total", "预算数")] == Decimal("564.25")
    assert amounts[("T3", "total", "基本支出")] == Decimal("454.75")
    assert amounts[("T3", "total", "项目支出")] == Decimal("109.5")
    # bboxes are on the scanned page, within a point or so of the printed cell
    ref_bbox = {(f.table_kind, f.row_code, f.column_label): f.bbox for f in ref.facts}
    for f in ex.facts:
        assert max(abs(a - b) for a, b in zip(f.bbox, ref_bbox[(f.table_kind, f.row_code, f.column_label)])) < 2


def test_low_resolution_scan_is_not_ocrd(seed_pdf, tmp_path):
    """At 60 dpi PP-OCR reads 564.25 as 64.25: such a scan stays `scanned`, with the reason."""
    ex = extract_file(rasterise(seed_pdf, tmp_path / "scan60.pdf", [5], dpi=60, quality=55))
    assert (ex.outcome, ex.facts) == ("scanned", [])
    assert "约 60 dpi" in ex.outcome_detail


@pytest.mark.corpus
def test_real_layout_scanned_at_200_dpi_reads_like_its_text_layer(tmp_path, monkeypatch):
    """上海市信访局's T1 (元, thousands separators, two-sided with 基本/项目 columns), printed and
    scanned at 200 dpi: the same 25 facts as its text layer."""
    import extractors.ocr as ocr

    monkeypatch.setattr(ocr, "TIME_BUDGET_S", 300.0)
    src = corpus_file("cities/001_上海/2026年上海市信访局_部门预算.pdf",
                  "a4e315d795f5baa90e3471eabbee9ad241f4799bb33ba66a0e18826e105ffa2c")
    text_copy = pypdfium2.PdfDocument.new()
    text_copy.import_pages(pypdfium2.PdfDocument(str(src)), [6])  # page 7: 财务收支预算总表
    text_copy.save(str(tmp_path / "t1.pdf"))
    ref = extract_file(tmp_path / "t1.pdf")
    ex = extract_file(rasterise(tmp_path / "t1.pdf", tmp_path / "t1_scan.pdf", [1], dpi=200))
    assert [(t.table_kind, t.n_facts) for t in ex.tables] == [(t.table_kind, t.n_facts) for t in ref.tables] \
        == [("T1", 25)]
    assert all(f.ocr for f in ex.facts)
    key = lambda f: (f.row_code, f.column_label, f.amount_wan, f.printed_value, f.printed_unit)  # noqa: E731
    assert sorted(map(key, ex.facts)) == sorted(map(key, ref.facts))
    amounts = {(f.row_code, f.column_label): (f.printed_value, f.amount_wan) for f in ex.facts}
    assert amounts[("income:fiscal", "预算数")] == ("288,280,739", Decimal("28828.0739"))


@pytest.mark.corpus
@pytest.mark.parametrize("rel, sha, pages, said", [
    # 济南's 规划和自然资源局 "部门预算" is a scanned flowchart (规范依申请公开办理流程, checked by eye)
    ("cities/018_济南/规划和自然资源局_2026年部门预算.pdf",
     "a8084c43b83aad822ea898d861dd8ddc88be16a05b10718afdcbce6916639b8d", 1,
     ["识别了前 1 页", "未找到预算表，第 1 页最大字号的文字为“规范依申请公开办理流程”"]),
    # 榆林's 审计局 "部门预算" is a 19-page scan of a 陕西省审计厅 document: its first two pages carry
    # none of the words a budget's cover, contents or tables print, so OCR stops there (it used
    # to read 11 pages, 65 s, to reach the same outcome)
    ("cities/042_榆林/审计局_2026年部门预算.pdf",
     "788af48551970fef44ccb95c8e4229c5d49ba325c60a573ada8da283ae633976", 19,
     ["识别了前 2 页（共 19 页，其余未识别）",
      "前 2 页未见“部门预算”“收支总表”“财政拨款”等字样，第 1 页最大字号的文字为“陕西省审计厅”"]),
])
@pytest.mark.parametrize("seconds", [None, "0.001"])  # a busy machine: the time budget runs out at once
def test_scanned_corpus_file_that_is_no_budget(rel, sha, pages, said, seconds, monkeypatch):
    if seconds:
        monkeypatch.setenv("BUDGETWATCH_OCR_SECONDS", seconds)
    ex = extract_file(corpus_file(rel, sha), sha)
    assert (ex.outcome, ex.pages, ex.facts, ex.claims) == ("scanned", pages, [], [])
    for words in said:
        assert words in ex.outcome_detail


@pytest.mark.parametrize("text, says", [
    ("2026年武汉市硚口区城市运行中心部门预算", True),
    ("部门收支总表", True),
    ("一般公共预算财政拨款支出表", True),
    ("收 入 总 表", True),
    ("2024年度单位决算", True),
    ("榆林市商务局关于开展预算绩效自评的通知", False),
    ("规范依申请公开办理流程", False),
])
def test_budget_words_of_the_ocr_probe(text, says):
    from extractors.ocr import OcrPage, _says_budget

    page = OcrPage(1, 595.0, 842.0, [Box(text, 0.9, 10.0, 10.0, 200.0, 22.0)], [], [])
    assert _says_budget([page]) is says


@pytest.mark.slow
def test_ocr_settings_reach_the_forked_child(seed_pdf, tmp_path, monkeypatch):
    """The fork server starts once, with the environment of that moment; an OCR setting made
    afterwards must still govern the child that reads the next scan."""
    scan = rasterise(seed_pdf, tmp_path / "scan.pdf", [5, 7], dpi=150)
    monkeypatch.delenv("BUDGETWATCH_EXTRACT_CHILD", raising=False)
    run_isolated(tmp_path / "scan.pdf", timeout_s=1e-3)  # the fork server is started by now
    monkeypatch.setenv("BUDGETWATCH_OCR_PAGES", "1")
    ex = run_isolated(scan, timeout_s=300)
    assert "识别了前 1 页（共 2 页，其余未识别）" in ex.outcome_detail
