"""extractors/pdfium_page.py: pdfium's page model gives pdfplumber's table finder what pdfminer's did.

Each case draws a small ruled table with reportlab, the way filings draw them (stroked lines,
rectangles, thin filled rectangles as rules, a page turned by /Rotate), and asserts the same
chars, edges and table cells from both page models."""
from __future__ import annotations

import pdfplumber
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from demo.render_pdf import register_font
from extractors.page_source import PageSource
from extractors.pdfium_page import PdfiumPage

ROWS = [["项目", "合计", "基本支出"], ["一般公共服务支出", "1,234.56", "1,000.00"],
        ["教育支出", "88.00", "0.00"], ["合计", "1,322.56", "1,000.00"]]
COL_X = [60, 220, 320, 420]
ROW_H = 24


def _draw(c, style: str, top: float) -> None:
    font = register_font()
    c.setFont(font, 10)
    c.drawString(COL_X[0], top + 12, "收支总表   单位：万元")
    ys = [top - i * ROW_H for i in range(len(ROWS) + 1)]
    if style == "lines":
        for y in ys:
            c.line(COL_X[0], y, COL_X[-1], y)
        for x in COL_X:
            c.line(x, ys[0], x, ys[-1])
    elif style == "rects":
        for i in range(len(ROWS)):
            for j in range(len(COL_X) - 1):
                c.rect(COL_X[j], ys[i + 1], COL_X[j + 1] - COL_X[j], ROW_H)
    elif style == "filled_rules":  # rules drawn as thin filled rectangles, no stroke at all
        for y in ys:
            c.rect(COL_X[0], y - 0.25, COL_X[-1] - COL_X[0], 0.5, stroke=0, fill=1)
        for x in COL_X:
            c.rect(x - 0.25, ys[-1], 0.5, ys[0] - ys[-1], stroke=0, fill=1)
    for i, row in enumerate(ROWS):
        for j, text in enumerate(row):
            c.drawString(COL_X[j] + 4, ys[i] - 16, text)


def _pdf(tmp_path, style: str, rotate: int = 0, origin: tuple[float, float] = (0, 0)):
    path = tmp_path / f"{style}-{rotate}.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    if origin != (0, 0):  # a MediaBox that does not start at 0, 0
        c.setCropBox((origin[0], origin[1], origin[0] + A4[0], origin[1] + A4[1]))
        c.translate(*origin)
    if rotate:
        c.setPageRotation(rotate)
    _draw(c, style, 700)
    c.showPage()
    c.save()
    return path


def _pages(path):
    pl = pdfplumber.open(path)
    doc = pdfium.PdfDocument(str(path))
    return pl, pl.pages[0], PdfiumPage(doc[0], 1), doc


CASES = [("lines", 0), ("rects", 0), ("filled_rules", 0), ("lines", 90), ("rects", 270), ("lines", 180)]


@pytest.mark.parametrize("style,rotate", CASES)
def test_same_table_cells_as_pdfminer(tmp_path, style, rotate):
    pl, miner, page, doc = _pages(_pdf(tmp_path, style, rotate))
    try:
        want = [t.extract() for t in miner.find_tables()]
        got = [t.extract() for t in page.find_tables()]
        assert got == want
        # a turned page is read turned: pdfminer's reading of it is the reference
        if rotate == 0:
            assert got == [ROWS]
        else:
            assert sum(len(row) for row in got[0]) == 12
        assert [tuple(round(v, 3) for v in t.bbox) for t in page.find_tables()] == \
            [tuple(round(v, 3) for v in t.bbox) for t in miner.find_tables()]
    finally:
        pl.close()
        doc.close()


@pytest.mark.parametrize("style,rotate", CASES)
def test_same_chars_and_edges_as_pdfminer(tmp_path, style, rotate):
    pl, miner, page, doc = _pages(_pdf(tmp_path, style, rotate))
    try:
        assert (page.width, page.height, page.rotation) == (miner.width, miner.height, miner.rotation)
        keep = [c for c in miner.chars if c["text"] != " "]  # pdfium collapses runs of spaces
        got = [c for c in page.chars if c["text"] != " "]
        assert [c["text"] for c in got] == [c["text"] for c in keep]
        # pdfium keeps a font's /Widths and /Descent as whole units of 1/1000 em; reportlab
        # writes fractions, so a char drifts by ~0.01 pt per glyph before it in its string
        for a, b in zip(got, keep):
            for k in ("x0", "x1", "top", "bottom", "size"):
                assert a[k] == pytest.approx(b[k], abs=0.1), (a["text"], k)
            assert a["upright"] == b["upright"]

        def edges(p):
            return sorted((e["orientation"], round(e["x0"], 3), round(e["top"], 3), round(e["x1"], 3),
                           round(e["bottom"], 3)) for e in p.edges)
        assert edges(page) == edges(miner)
        assert {k: len(v) for k, v in page.objects.items()} == \
            {k: len(v) for k, v in miner.objects.items() if k in ("char", "line", "rect", "curve")} | \
            {"char": len(page.chars)}
    finally:
        pl.close()
        doc.close()


@pytest.mark.parametrize("model", ["pdfium", "pdfminer"])
def test_page_source_reads_the_table_with_either_model(tmp_path, model):
    path = _pdf(tmp_path, "rects", origin=(30, 40))
    with PageSource(path, model) as source:
        page = source.page(1)
        assert type(page).__name__ == ("PdfiumPage" if model == "pdfium" else "Page")
        assert [t.extract() for t in page.find_tables()] == [ROWS]
        assert [line["text"] for line in page.extract_text_lines()][0] == "收支总表 单位：万元"
        source.release(page)
    assert source.summary() == model


def test_unknown_model_is_refused(monkeypatch):
    monkeypatch.setenv("BUDGETWATCH_PAGE_MODEL", "mupdf")
    with pytest.raises(ValueError, match="BUDGETWATCH_PAGE_MODEL='mupdf'"):
        PageSource("x.pdf")


def test_a_char_without_unicode_sends_the_page_to_pdfminer(tmp_path):
    """A private-use char the font has no glyph for: reportlab draws glyph 0, which maps to
    no Unicode (pdfium reads U+0000); pdfium's text would not be the printed text, so the page
    is read by pdfminer and the document says why."""
    path = tmp_path / "pua.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _draw(c, "rects", 700)
    c.setFont(register_font(), 10)
    c.drawString(60, 500, "注\ue000")
    c.showPage()
    c.save()
    with PageSource(path, "pdfium") as source:
        page = source.page(1)
        assert type(page).__name__ == "Page"
        assert [t.extract() for t in page.find_tables()] == [ROWS]
    assert source.fallbacks == {1: "字符 U+0000 无 Unicode 映射"}
    assert source.summary() == "pdfium；改用 pdfminer 读取：第 1 页 字符 U+0000 无 Unicode 映射"


@pytest.mark.parametrize("value,want", [(56.70000076293945, "56.7"), (0.0, "0.0"), (-0.0, "-0.0"),
                                        (-12.34000015258789, "-12.34"), (841.8897705078125, "841.8898")])
def test_f32_reads_the_printed_decimal_twice_alike(value, want):
    from extractors.pdfium_page import _f32

    # the second call comes from the memo; 0.0 and -0.0, one key there, keep their own signs
    assert repr(_f32(value)) == want
    assert repr(_f32(value)) == want
