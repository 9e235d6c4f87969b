"""Render a filing's structured data as a realistic A4 budget PDF (reportlab).

The output imitates a WPS/Excel export of a Wuhan department budget: cover, 目录,
four parts, every table on its own page(s) with ruled grids, merged headers, bold
类/款 rows and right-aligned amounts, and a real Unicode text layer (the CJK font is
embedded as TrueType), so pdfplumber reads it like the real thing.

Output is byte-for-byte deterministic (reportlab ``invariant``) so its sha256 can key
caches and ground truth.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from demo.line_breaking import break_lines
from demo.seed_filing import load_seed

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT = "WQYZenHei"

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
# SimpleDocTemplate's frame pads 6 pt on each side: this is the width flowables get.
FRAME_W = PAGE_W - 2 * MARGIN - 12
# The frame width of the document being built (landscape pages are wider); see build_pdf.
_frame = {"w": FRAME_W, "repeat": True, "compact": False}

FORM_TABLES = ("T11", "T12")  # 申报表-style forms rather than column tables
AMOUNT_RE = re.compile(r"^-?[\d,]+(\.\d+)?%?$")


class FontMissingError(FileNotFoundError):
    """The CJK font is not installed; the CLI reports FileNotFoundError messages as is."""


def register_font(path: Path = FONT_PATH) -> str:
    """Embed WenQuanYi Zen Hei (TrueType outlines) as the stand-in for SimHei/SimSun."""
    if not path.exists():
        raise FontMissingError(
            f"CJK font not found: {path}. 演示 PDF 需要文泉驿正黑字体（Debian 包 fonts-wqy-zenhei）；"
            "请运行 `make demo` 或 `make test`，它们会自动安装该字体。"
        )
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    base = dict(fontName=FONT, wordWrap="CJK")
    return {
        "cover": ParagraphStyle("cover", fontSize=26, leading=40, alignment=TA_CENTER, **base),
        "cover2": ParagraphStyle("cover2", fontSize=20, leading=32, alignment=TA_CENTER, **base),
        "toc_title": ParagraphStyle("toc_title", fontSize=18, leading=28, alignment=TA_CENTER, **base),
        "toc_part": ParagraphStyle("toc_part", fontSize=12, leading=22, spaceBefore=6, **base),
        "toc_item": ParagraphStyle("toc_item", fontSize=11, leading=18, leftIndent=24, **base),
        "part": ParagraphStyle("part", fontSize=15, leading=24, alignment=TA_CENTER, spaceAfter=10, **base),
        "h1": ParagraphStyle("h1", fontSize=12, leading=20, spaceBefore=8, spaceAfter=2, **base),
        "h2": ParagraphStyle("h2", fontSize=11, leading=18, spaceBefore=4, firstLineIndent=22, **base),
        "body": ParagraphStyle("body", fontSize=11, leading=19, firstLineIndent=22, fontName=FONT,
                               splitLongWords=0),
        "caption": ParagraphStyle("caption", fontSize=11, leading=16, spaceAfter=4, **base),
        "ttitle": ParagraphStyle("ttitle", fontSize=15, leading=22, alignment=TA_CENTER, spaceAfter=6, **base),
        "tline": ParagraphStyle("tline", fontSize=9, leading=12, **base),
        "tline_r": ParagraphStyle("tline_r", fontSize=9, leading=12, alignment=TA_RIGHT, **base),
        "statement": ParagraphStyle("statement", fontSize=10, leading=16, spaceBefore=8, **base),
    }


def _p(text: str, style: ParagraphStyle, bold: bool = False) -> Paragraph:
    cls = BoldParagraph if bold else Paragraph
    return cls(escape(text).replace("\n", "<br/>"), style)


class BoldParagraph(Paragraph):
    """Bold as office exports do it without a bold face: fill + stroke the glyphs
    (text render mode 2). Glyphs are drawn once, so the text layer stays clean."""

    def draw(self):
        c = self.canv
        c.saveState()
        c.setLineWidth(self.style.fontSize * 0.035)
        c.addLiteral("2 Tr")
        super().draw()
        c.restoreState()


# ---------------------------------------------------------------- tables

def _font_size(ncols: int) -> float:
    if ncols <= 5:
        return 9
    if ncols <= 8:
        return 8
    if ncols <= 12:
        return 7
    return 6


UNBREAKABLE_RE = re.compile(r"^[-\d,.%A-Z]+$")  # amounts and codes never wrap


def _col_widths(block: dict[str, Any], fs: float) -> list[float]:
    """Column widths the way an export sizes them: amounts and codes always fit on one
    line (a wrapped '564.\n25' would not be the printed value); text columns share the rest."""
    n = block["ncols"]
    covered = _covered_by_span(block)
    spanned = {(r0, c0) for r0, c0, r1, c1 in block["spans"] if c1 > c0}
    pad = 4 + 1
    cjk = pdfmetrics.stringWidth("中", FONT, fs)
    min_w = [2 * cjk + pad] * n
    want = [2 * cjk + pad] * n
    for r, row in enumerate(block["rows"]):
        for c, text in enumerate(row):
            if not text or (r, c) in covered or (r, c) in spanned:
                continue
            for line in text.split("\n"):
                w = pdfmetrics.stringWidth(line, FONT, fs) + pad
                if UNBREAKABLE_RE.match(line):
                    min_w[c] = max(min_w[c], w)
                    want[c] = max(want[c], w)
                elif r < block["header_rows"]:
                    want[c] = max(want[c], min(w, 4 * cjk + pad))
                else:
                    want[c] = max(want[c], min(w, 16 * cjk + pad))
    frame_w = _frame["w"]
    if sum(want) <= frame_w:
        return [w * frame_w / sum(want) for w in want]
    if sum(min_w) > frame_w:
        raise ValueError(f"table of {n} columns cannot fit A4 width at {fs}pt")
    spare = frame_w - sum(min_w)
    extra = [w - m for w, m in zip(want, min_w)]
    return [m + spare * e / sum(extra) for m, e in zip(min_w, extra)]


def _covered_by_span(block: dict[str, Any]) -> set[tuple[int, int]]:
    out = set()
    for r0, c0, r1, c1 in block["spans"]:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out.add((r, c))
    return out


CELL_PAD = 2


def _block_table(block: dict[str, Any], form: bool) -> Table:
    fs = _font_size(block["ncols"])
    lead = fs * 1.3
    hdr = ParagraphStyle("hdr", fontName=FONT, fontSize=fs, leading=lead, alignment=TA_CENTER, wordWrap="CJK")
    left = ParagraphStyle("left", fontName=FONT, fontSize=fs, leading=lead, alignment=TA_LEFT, wordWrap="CJK")
    right = ParagraphStyle("right", fontName=FONT, fontSize=fs, leading=lead, alignment=TA_RIGHT, wordWrap="CJK")
    hr = block["header_rows"]
    bold_rows = set(block["bold_rows"])
    widths = _col_widths(block, fs)
    span_end = {(r0, c0): c1 for r0, c0, r1, c1 in block["spans"]}
    # classification / unit / project codes are text, left-aligned like the names
    code_cols = {c for c in range(block["ncols"]) for r in range(hr)
                 if re.search("编码|代码", block["rows"][r][c])}
    data = []
    plain_right = []
    for r, row in enumerate(block["rows"]):
        out = []
        bold = r in bold_rows
        for c, text in enumerate(row):
            if not text:
                out.append("")
                continue
            if r < hr:
                style = hdr
            elif AMOUNT_RE.match(text) and c not in code_cols:
                style = right
            elif form and bold:
                style = hdr  # a form's section title row, centred
            else:
                style = left
            width = sum(widths[c : span_end.get((r, c), c) + 1]) - 2 * CELL_PAD
            if (r >= hr and not bold and style is not hdr and UNBREAKABLE_RE.match(text)
                    and pdfmetrics.stringWidth(text, FONT, fs) <= width - 1.0):
                # an amount or a code on one line: drawn as a plain string (same text layer,
                # a fraction of a Paragraph's cost; the district renders hundreds of tables)
                out.append(text)
                if style is right:
                    plain_right.append((c, r))
                continue
            out.append(_cell(text, style, width, bold and r >= hr))
        data.append(out)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), fs),
        ("LEADING", (0, 0), (-1, -1), lead),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for c, r in plain_right:
        style.append(("ALIGN", (c, r), (c, r), "RIGHT"))
    for r0, c0, r1, c1 in block["spans"]:
        style.append(("SPAN", (c0, r0), (c1, r1)))
    return Table(data, colWidths=widths, repeatRows=hr if hr and _frame["repeat"] else 0, style=TableStyle(style))


def _cell(text: str, style: ParagraphStyle, width: float, bold: bool) -> Paragraph:
    """A cell's text wrapped by our own breaker, so an amount or the space beside it is
    never cut ('办公室购置 0.25 万' must not read back as '办公室购置0.25 万')."""
    lines = [
        line
        for para in text.split("\n")
        for line in break_lines(para, FONT, style.fontSize, max(width - 1.0, style.fontSize))
    ]
    cls = BoldParagraph if bold else Paragraph
    return cls("<br/>".join(escape(line) for line in lines), style)


def _table_flowables(table: dict[str, Any], st: dict[str, ParagraphStyle]) -> list:
    out: list = [PageBreak(), _p(table["caption"], st["caption"])]
    if table.get("title"):
        out.append(_p(table["title"], st["ttitle"], bold=True))
    for note in table.get("notes", []):
        out.append(_p(note, st["tline"]))
    if table.get("dept_line") or table.get("unit_line"):
        head = Table(
            [[_p(table.get("dept_line", ""), st["tline"]), _p(table.get("unit_line", ""), st["tline_r"])]],
            colWidths=[_frame["w"] * 0.7, _frame["w"] * 0.3],
            style=TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]),
        )
        out.append(head)
        out.append(Spacer(1, 3))
    # A form's blocks are the printed page fragments of one long form (the seed's
    # export shows each page's grid with its own columns), so each starts a page.
    is_form = table["id"] in FORM_TABLES
    for i, block in enumerate(table.get("blocks", [])):
        if i and is_form and not _frame["compact"]:
            out.append(PageBreak())
        out.append(_block_table(block, form=is_form))
    for i, form in enumerate(table.get("forms", [])):
        if i:
            out.append(CondPageBreak(120) if _frame["compact"] else PageBreak())
        if form.get("label"):
            out.append(_p(form["label"], st["tline"]))
        out.append(_p(form["title"], st["ttitle"], bold=True))
        for j, block in enumerate(form["blocks"]):
            if j and not _frame["compact"]:
                out.append(PageBreak())
            out.append(_block_table(block, form=True))
    if table.get("statement"):
        out.append(_p(table["statement"], st["statement"]))
    return out


# ---------------------------------------------------------------- narrative

def _narrative(items: list[dict[str, Any]], st: dict[str, ParagraphStyle]) -> list:
    out: list = []
    for it in items:
        if it["kind"] == "heading":
            out.append(CondPageBreak(40))
            out.append(_p(it["text"], st["h1"] if it.get("level", 1) <= 1 else st["h2"], bold=True))
        else:
            out.append(_body_para(it["text"], st["body"]))
    return out


def _body_para(text: str, style: ParagraphStyle) -> Paragraph:
    """A narrative paragraph with our own line breaks (see demo.line_breaking)."""
    slack = 1.0  # keep clear of reportlab re-wrapping a line we measured as exactly full
    lines = break_lines(
        text, FONT, style.fontSize, _frame["w"] - style.leftIndent - slack,
        first_width=_frame["w"] - style.leftIndent - style.firstLineIndent - slack,
    )
    return Paragraph("<br/>".join(escape(line) for line in lines), style)


def _story(filing: dict[str, Any], parts: str = "all") -> list:
    """parts: 'all', 'tables' (cover + part 2 only) or 'narrative' (everything but part 2),
    for departments that publish the tables and the 情况说明 as two files."""
    st = _styles()
    story: list = [Spacer(1, 50 * mm if _frame["w"] > FRAME_W else 70 * mm)]
    story.append(_p(filing["cover"]["title"], st["cover"], bold=True))
    story.append(_p(filing["cover"]["subtitle"], st["cover2"], bold=True))
    if parts == "tables":
        story.append(PageBreak())
        story.append(_p(filing["part_titles"]["2"], st["part"], bold=True))
        for tid in filing["table_order"]:
            story += _table_flowables(filing["tables"][tid], st)
        return story
    story.append(PageBreak())

    story.append(_p("目 录", st["toc_title"], bold=True))
    for part in filing["toc"]:
        story.append(_p(part["heading"], st["toc_part"], bold=True))
        for item in part["items"]:
            story.append(_p(item, st["toc_item"]))
    story.append(PageBreak())

    story.append(_p(filing["part_titles"]["1"], st["part"], bold=True))
    story += _narrative(filing["part1"], st)  # the 职能 list reads as numbered paragraphs
    if parts != "narrative":
        story.append(PageBreak())
        story.append(_p(filing["part_titles"]["2"], st["part"], bold=True))
        for tid in filing["table_order"]:
            story += _table_flowables(filing["tables"][tid], st)
    story.append(PageBreak())
    story.append(_p(filing["part_titles"]["3"], st["part"], bold=True))
    story += _narrative(filing["part3"], st)
    story.append(CondPageBreak(80))
    story.append(_p(filing["part_titles"]["4"], st["part"], bold=True))
    story += _narrative(filing["part4"], st)
    return story


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(doc.pagesize[0] / 2, 10 * mm, f"- {doc.page} -")
    canvas.restoreState()


def _canvas_dated(created: str | None):
    """A canvas class whose CreationDate/ModDate is ``created`` (ISO 8601 with offset).

    reportlab's invariant mode pins the date to 2000-01-01, which no real export has;
    a fixed, plausible date keeps the bytes deterministic and the metadata realistic."""
    if not created:
        return Canvas
    when = datetime.fromisoformat(created)
    offset = int(when.utcoffset().total_seconds() // 60) if when.utcoffset() else 0

    class DatedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            ts = self._doc._timeStamp
            ts.YMDhms = (when.year, when.month, when.day, when.hour, when.minute, when.second)
            ts.dhh, ts.dmm = divmod(offset, 60)

    return DatedCanvas


def build_pdf(filing: dict[str, Any], out_path: Path) -> Path:
    """Render any filing dict shaped like the seed (see demo.seed_filing) to ``out_path``.

    ``filing["render"]`` (optional) picks a variant seen on real portals: ``landscape``,
    ``repeat_headers`` (False: a long table continues on the next page without its
    header), ``compact_forms`` (项目申报表 blocks run on instead of one page each),
    ``parts`` ('all' | 'tables' | 'narrative') and ``user_password`` (an encrypted file).
    """
    register_font()
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    meta = filing["meta"]
    opts = filing.get("render") or {}
    pagesize = landscape(A4) if opts.get("landscape") else A4
    _frame.update(w=pagesize[0] - 2 * MARGIN - 12, repeat=opts.get("repeat_headers", True),
                  compact=opts.get("compact_forms", False))
    title = f"{meta['department']}{meta['fiscal_year']}年{meta.get('unit_scope', '部门')}{meta['kind']}"
    extra = {}
    if opts.get("user_password"):
        from reportlab.lib.pdfencrypt import StandardEncryption

        extra["encrypt"] = StandardEncryption(opts["user_password"], canPrint=0, canCopy=0, strength=128)
    doc = SimpleDocTemplate(
        str(out_path),
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=meta["department"],
        subject=title,
        creator="budgetwatch demo",
        invariant=1,
        initialFontName=FONT,
        **extra,
    )
    doc.build(_story(filing, opts.get("parts", "all")), onFirstPage=lambda c, d: None, onLaterPages=_footer,
              canvasmaker=_canvas_dated(meta.get("pdf_created")))
    return out_path


def build_seed_pdf(out_path: Path) -> Path:
    """The seed filing (硚口区城市运行管理中心 2026 年部门预算) as a PDF at ``out_path``."""
    return build_pdf(load_seed(), out_path)


if __name__ == "__main__":
    import sys

    print(build_seed_pdf(Path(sys.argv[1] if len(sys.argv) > 1 else "demo/_build/seed.pdf")))
