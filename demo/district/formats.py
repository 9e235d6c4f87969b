"""Attachment formats other than the standard PDF, each a writer ``(filing, path) -> None``.

XLSX workbooks and HTML table pages as some departments publish them; and the failure
cases a crawler meets: a scanned (image-only) PDF, an encrypted PDF, a truncated PDF and
a CMS error page served behind a ``.pdf`` link. All output is deterministic.
"""
from __future__ import annotations

import io
import re
import zipfile
from html import escape
from pathlib import Path
from typing import Any

from demo.render_pdf import build_pdf

ZIP_DATE = (2026, 1, 20, 9, 30, 0)


def write_pdf(filing: dict, path: Path, **render) -> None:
    f = dict(filing)
    f["render"] = {**(filing.get("render") or {}), **render}
    build_pdf(f, path)


def write_xlsx(filing: dict, path: Path) -> None:
    """One sheet per table (T1…T10), title and unit lines above the grid, merged headers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from datetime import datetime

    wb = Workbook()
    wb.remove(wb.active)
    for tid in filing["table_order"]:
        t = filing["tables"][tid]
        if tid in ("T11", "T12"):
            continue
        ws = wb.create_sheet(t["caption"].split(".", 1)[0].replace(" ", "")[:31])
        ws.append([t["caption"]])
        ws.append([t.get("title", "")])
        ws["A2"].font = Font(bold=True, size=14)
        ws.append([t.get("dept_line", ""), "", "", t.get("unit_line", "")])
        start = 4
        for block in t["blocks"]:
            for r, row in enumerate(block["rows"]):
                ws.append([_cell_value(c, r >= block["header_rows"]) for c in row])
            for r0, c0, r1, c1 in block["spans"]:
                ws.merge_cells(start_row=start + r0, start_column=c0 + 1, end_row=start + r1, end_column=c1 + 1)
            for r in block["bold_rows"]:
                for cell in ws[start + r]:
                    cell.font = Font(bold=True)
            start += len(block["rows"])
        if t.get("statement"):
            ws.append([t["statement"]])
        for col in ws.columns:
            for cell in col:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
    when = datetime(2026, 1, 20, 9, 30)
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = filing["meta"]["department"]
    buf = io.BytesIO()
    wb.save(buf)
    _fix_zip_dates(buf.getvalue(), path)


def _cell_value(text: str, body: bool):
    """Amount cells as numbers (what an Excel export holds); codes and labels stay text."""
    if body and text and text.replace(",", "").replace(".", "", 1).isdigit() and "." in text:
        return float(text.replace(",", ""))
    return text


def _fix_zip_dates(data: bytes, path: Path) -> None:
    """Rewrite a zip with fixed member dates, so the workbook's bytes are reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-20T01:30:00Z", data)
            dst.writestr(zi, data)
    Path(path).write_bytes(out.getvalue())


def tables_html(filing: dict) -> str:
    """T1–T10 as HTML tables (the tables-on-the-page variant), with the narrative after."""
    parts = []
    for tid in filing["table_order"]:
        t = filing["tables"][tid]
        if tid in ("T11", "T12"):
            continue
        parts.append(f'<h3 class="tcap">{escape(t["caption"])}</h3>')
        parts.append(f'<p class="tline">{escape(t.get("dept_line", ""))}<span class="unit">{escape(t.get("unit_line", ""))}</span></p>')
        for block in t["blocks"]:
            parts.append(_html_block(block))
        if t.get("statement"):
            parts.append(f"<p>{escape(t['statement'])}</p>")
    parts.append(f"<h2>{escape(filing['part_titles']['3'])}</h2>")
    for it in filing["part3"]:
        tag = "h3" if it["kind"] == "heading" else "p"
        parts.append(f"<{tag}>{escape(it['text'])}</{tag}>")
    return "\n".join(parts)


def _html_block(block: dict[str, Any]) -> str:
    covered = set()
    spans = {}
    for r0, c0, r1, c1 in block["spans"]:
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    rows = []
    for r, row in enumerate(block["rows"]):
        tag = "th" if r < block["header_rows"] else "td"
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            text = escape(text)
            if r in block["bold_rows"]:
                text = f"<b>{text}</b>"
            cells.append(f"<{tag}{attrs}>{text}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table class="budget" border="1">' + "".join(rows) + "</table>"


# ---------------------------------------------------------------- failure cases

def write_scanned(filing: dict, path: Path, pages: int = 6, dpi: int = 60) -> None:
    """Render the filing, rasterise its first pages and wrap the images in an image-only PDF
    (what a scanner produces: no text layer, no fonts)."""
    import pypdfium2
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    tmp = Path(path).with_suffix(".src.pdf")
    f = dict(filing)
    f["render"] = {**(filing.get("render") or {}), "compact_forms": True}
    build_pdf(f, tmp)
    pdf = pypdfium2.PdfDocument(str(tmp))
    c = Canvas(str(path), pagesize=A4, invariant=1)
    try:
        for i in range(min(pages, len(pdf))):
            img = pdf[i].render(scale=dpi / 72, grayscale=True).to_pil()
            buf = io.BytesIO()
            img.convert("L").save(buf, format="JPEG", quality=55)
            buf.seek(0)
            c.drawImage(ImageReader(buf), 0, 0, width=A4[0], height=A4[1])
            c.showPage()
    finally:
        pdf.close()
        tmp.unlink()
    c.save()


def write_encrypted(filing: dict, path: Path) -> None:
    write_pdf(filing, path, user_password="qiaokou2025", compact_forms=True)


def write_truncated(filing: dict, path: Path, keep: float = 0.55) -> None:
    """A download cut off part-way: the first ``keep`` of the bytes, no %%EOF."""
    full = Path(path).with_suffix(".full.pdf")
    write_pdf(filing, full, compact_forms=True)
    data = full.read_bytes()
    full.unlink()
    Path(path).write_bytes(data[: int(len(data) * keep)])


ERROR_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>页面不存在_硚口区人民政府</title></head>
<body><div class="error"><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除！</p>
<p><a href="/index.html">返回首页</a></p></div></body></html>
"""


def write_error_page(filing: dict, path: Path) -> None:
    Path(path).write_text(ERROR_PAGE, encoding="utf-8")
