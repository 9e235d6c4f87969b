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
    with Screened(path) as screened:
        return screened.pages


# How many loaded table pages a ``Screened`` keeps for the table read: a sample-district filing
# has ~21 pages, a corpus one ~30, so most are read from the prescreen's load. A larger filing
# loads the rest again; memory stays bounded by this many pages, never the whole document.
KEEP_TABLE_PAGES = 32


class Screened:
    """The prescreen of a PDF, with its pdfium document still open and up to ``keep`` loaded
    table pages (page and text page): the table read (page_source.py) takes them instead of
    loading the same pages again, ~0.6 ms a page in pdfium. Close it when done."""

    def __init__(self, path: Path, keep: int = 0):
        self.doc = pdfium.PdfDocument(str(path))  # PdfiumError for unreadable / encrypted files
        self.kept: dict[int, tuple] = {}  # page number -> (page, text page)
        try:
            self.pages = [self._screen(i, keep) for i in range(len(self.doc))]
        except BaseException:
            self.close()
            raise

    def _screen(self, i: int, keep: int) -> PageInfo:
        page = self.doc[i]
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            n_paths, n_images = _count_objects(page)
            info = PageInfo(i + 1, text.replace("\r\n", "\n"), n_paths, n_images)
        except BaseException:
            textpage.close()
            page.close()
            raise
        if info.maybe_table and len(self.kept) < keep:
            self.kept[info.number] = (page, textpage)
        else:
            textpage.close()
            page.close()
        return info

    def take(self, number: int):
        """The kept (page, text page) of page ``number``, handed over (the taker closes them), or None."""
        return self.kept.pop(number, None)

    def __enter__(self) -> "Screened":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Closes the pages still kept (the plan did not read them) and the document."""
        for page, textpage in self.kept.values():
            textpage.close()
            page.close()
        self.kept.clear()
        if self.doc is not None:
            self.doc.close()
            self.doc = None


def _count_objects(page) -> tuple[int, int]:
    """(path shapes, image objects) of the page and of its form XObjects, one level down (a
    form inside a form is counted as neither), through pdfium's raw calls on plain addresses:
    a text page holds thousands of text objects, and a Python wrapper per object
    (``page.get_objects``), or even pypdfium2's typed pointer per call, cost more than reading
    the page's text. One loop, no generator: ~330 objects a page."""
    raw = ctypes.c_void_p.from_buffer(page.raw).value
    paths = images = 0
    for i in range(_count_page_objects(raw)):
        obj = _get_object(raw, i)
        kind = _obj_type(obj)
        if kind == _FORM:
            for j in range(_form_count(obj)):
                inner = _form_object(obj, j)
                kind = _obj_type(inner)
                if kind == _PATH:
                    paths += max(1, _count_segments(inner) // _SEGMENTS_PER_SHAPE)
                elif kind == _IMAGE:
                    images += 1
        elif kind == _PATH:
            paths += max(1, _count_segments(obj) // _SEGMENTS_PER_SHAPE)
        elif kind == _IMAGE:
            images += 1
    return paths, images


_PATH, _IMAGE, _FORM = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM
# A path object drawn as one with many sub-paths (上海市福利彩票发行中心 2026: a table's whole grid
# as two path objects of 40 and 85 segments) holds as many shapes as it has sub-paths; a
# rectangle is four or five segments.
_SEGMENTS_PER_SHAPE = 4

