"""The pages the table finder reads: pdfium's page model, pdfminer's where a page needs it.

``BUDGETWATCH_PAGE_MODEL`` picks the model: ``pdfium`` (the default: one parse per page,
~5× cheaper) or ``pdfminer`` (pdfplumber's own parse, the reference the parity benchmark
compares against). Under ``pdfium`` a page whose text layer pdfium cannot stand in for
(``PdfiumPage.fallback_reason``: chars without a Unicode mapping, a zero font size) is read
by pdfminer instead, and the reason is kept for the document's ``page_model`` field.
"""
from __future__ import annotations

from pathlib import Path

from flows import settings

from .pdfium_page import PdfiumPage  # imported here so the fork server preloads it (isolate.py)

PAGE_MODEL_ENV = "BUDGETWATCH_PAGE_MODEL"
PAGE_MODELS = ("pdfium", "pdfminer")


def page_model() -> str:
    model = settings.page_model()
    if model not in PAGE_MODELS:
        raise ValueError(f"{PAGE_MODEL_ENV}={model!r}: expected one of {', '.join(PAGE_MODELS)}")
    return model


class PageSource:
    """Opens what it needs lazily: a document read entirely through pdfium never starts pdfminer."""

    def __init__(self, path: Path, model: str | None = None, screened=None):
        """``screened``: the document's ``prescreen.Screened``, whose open document and kept
        pages are read instead of loading them again (it stays the owner of the document)."""
        self.path = Path(path)
        self._screened = screened
        self.model = model or page_model()
        self.fallbacks: dict[int, str] = {}  # page number -> why pdfminer read it
        self._pdfium = None
        self._plumber = None
        self._doctops: list[float] | None = None

    def __enter__(self) -> "PageSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._plumber is not None:
            self._plumber.close()
        if self._pdfium is not None and (self._screened is None or self._pdfium is not self._screened.doc):
            self._pdfium.close()
        self._plumber = self._pdfium = None

    def page(self, number: int):
        """The 1-based page ``number`` as a pdfplumber page (call ``release`` when done)."""
        if self.model == "pdfium":
            doc = self._pdfium_doc()
            kept = self._screened.take(number) if self._screened is not None else None
            raw, textpage = kept or (doc[number - 1], None)
            try:
                page = PdfiumPage(raw, number, self._doctop(number), textpage)
            finally:
                if textpage is not None:
                    textpage.close()
                raw.close()
            if not page.fallback_reason:
                return page
            self.fallbacks[number] = page.fallback_reason
        return self._plumber_pdf().pages[number - 1]

    def release(self, page) -> None:
        """Drop a page's parsed objects (pdfplumber keeps them on the PDF's page otherwise)."""
        page.close()

    def summary(self) -> str:
        """What read the pages, for ``Extraction.page_model``: 'pdfium', 'pdfminer', or pdfium
        with the pages pdfminer read and why."""
        if self.model != "pdfium" or not self.fallbacks:
            return self.model
        by_reason: dict[str, list[int]] = {}
        for number, reason in sorted(self.fallbacks.items()):
            by_reason.setdefault(reason, []).append(number)
        parts = [f"第 {'、'.join(map(str, pages))} 页 {reason}" for reason, pages in by_reason.items()]
        return "pdfium；改用 pdfminer 读取：" + "；".join(parts)

    def _pdfium_doc(self):
        if self._pdfium is None and self._screened is not None and self._screened.doc is not None:
            self._pdfium = self._screened.doc
        if self._pdfium is None:
            import pypdfium2 as pdfium

            self._pdfium = pdfium.PdfDocument(str(self.path))
        return self._pdfium

    def _plumber_pdf(self):
        if self._plumber is None:
            import pdfplumber

            self._plumber = pdfplumber.open(self.path)
        return self._plumber

    def _doctop(self, number: int) -> float:
        """pdfplumber's doctop origin of a page: the heights of the pages before it."""
        if self._doctops is None:
            doc = self._pdfium_doc()
            tops, total = [], 0.0
            for i in range(len(doc)):
                tops.append(total)
                total += doc.get_page_size(i)[1]
            self._doctops = tops
        return self._doctops[number - 1]
