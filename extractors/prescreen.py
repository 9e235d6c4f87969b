"""Cheap first pass over a PDF with pypdfium2: text and drawn-path count per page.

domain.md ("PDF facts"): pypdfium2 reads a page's text in 1–1.5 ms while
pdfplumber's table finder costs ~50 ms; every real table page draws at least 4
path objects. So only pages with text and >= 4 paths go to pdfplumber.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MIN_TABLE_PATHS = 4


@dataclass
class PageInfo:
    number: int  # 1-based
    text: str
    n_paths: int
    n_images: int

    @property
    def has_text(self) -> bool:
        return len(self.text.strip()) >= 5

    @property
    def maybe_table(self) -> bool:
        return self.has_text and self.n_paths >= MIN_TABLE_PATHS


def prescreen(path: Path) -> list[PageInfo]:
    """Raises pdfium's PdfiumError for unreadable / encrypted files (the caller maps it)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                n_paths, n_images = _count_objects(page)
                out.append(PageInfo(i + 1, text.replace("\r\n", "\n"), n_paths, n_images))
            finally:
                page.close()
        return out
    finally:
        doc.close()


def _count_objects(page) -> tuple[int, int]:
    """(path shapes, image objects) of the page and of its form XObjects, one level down,
    through pdfium's raw calls: a text page holds thousands of text objects, and a Python
    wrapper per object (``page.get_objects``) cost more than reading the page's text."""
    paths = images = 0
    for obj in _objects(page.raw):
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += _drawn_shapes(obj)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
    return paths, images


def _objects(raw_page):
    """The page's objects, each form XObject's own objects after it."""
    for i in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, i)
        yield obj
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            for j in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                yield pdfium_c.FPDFFormObj_GetObject(obj, j)


# A path object drawn as one with many sub-paths (上海市福利彩票发行中心 2026: a table's whole grid
# as two path objects of 40 and 85 segments) holds as many shapes as it has sub-paths; a
# rectangle is four or five segments.
_SEGMENTS_PER_SHAPE = 4


def _drawn_shapes(obj) -> int:
    return max(1, pdfium_c.FPDFPath_CountSegments(obj) // _SEGMENTS_PER_SHAPE)
