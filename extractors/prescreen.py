"""Cheap first pass over a PDF with pypdfium2: text and drawn-path count per page.

domain.md ("PDF facts"): pypdfium2 reads a page's text in 1–1.5 ms while
pdfplumber's table finder costs ~50 ms; every real table page draws at least 4
path objects. So only pages with text and >= 4 paths go to pdfplumber.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .pdfium_page import _count_objects as _count_page_objects
from .pdfium_page import _count_segments, _form_count, _form_object, _get_object, _obj_type

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
    through pdfium's raw calls on plain addresses: a text page holds thousands of text objects,
    and a Python wrapper per object (``page.get_objects``), or even pypdfium2's typed pointer
    per call, cost more than reading the page's text."""
    paths = images = 0
    raw = ctypes.c_void_p.from_buffer(page.raw).value
    for i in range(_count_page_objects(raw)):
        obj = _get_object(raw, i)
        kind = _obj_type(obj)
        if kind == _PATH:
            paths += _drawn_shapes(obj)
        elif kind == _IMAGE:
            images += 1
        elif kind == _FORM:
            for j in range(_form_count(obj)):
                inner = _form_object(obj, j)
                inner_kind = _obj_type(inner)
                if inner_kind == _PATH:
                    paths += _drawn_shapes(inner)
                elif inner_kind == _IMAGE:
                    images += 1
    return paths, images


_PATH, _IMAGE, _FORM = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM
# A path object drawn as one with many sub-paths (上海市福利彩票发行中心 2026: a table's whole grid
# as two path objects of 40 and 85 segments) holds as many shapes as it has sub-paths; a
# rectangle is four or five segments.
_SEGMENTS_PER_SHAPE = 4


def _drawn_shapes(obj: int) -> int:
    return max(1, _count_segments(obj) // _SEGMENTS_PER_SHAPE)
