"""extractors/prescreen.py's Screened: the table read takes the prescreen's loaded pages (up to
``keep`` of them) and reads the same objects as from a page loaded afresh."""
from __future__ import annotations

import pytest

from extractors.page_source import PageSource
from extractors.prescreen import Screened, prescreen
from tests.corpus import FAST_PATH_FILES, corpus_file

FILES = FAST_PATH_FILES[:2]  # 上海's ruled grid and 深圳


@pytest.mark.parametrize("keep", [0, 3, 100])
def test_screened_pages_as_prescreen_reads_them(keep):
    path = corpus_file(*FILES[0])
    with Screened(path, keep) as screened:
        assert screened.pages == prescreen(path)
        table_pages = [p.number for p in screened.pages if p.maybe_table]
        assert sorted(screened.kept) == table_pages[:keep]  # the first table pages, at most keep
    assert screened.kept == {} and screened.doc is None


@pytest.mark.slow  # every table page of two filings, read both ways
@pytest.mark.parametrize("rel,sha", FILES, ids=[f[0].split("/")[1] for f in FILES])
def test_kept_pages_read_as_fresh_ones(rel, sha):
    path = corpus_file(rel, sha)
    with Screened(path, 4) as screened:
        numbers = [p.number for p in screened.pages if p.maybe_table]
        kept = set(screened.kept)
        with PageSource(path, "pdfium", screened=screened) as shared, PageSource(path, "pdfium") as fresh:
            for number in numbers:
                a, b = shared.page(number), fresh.page(number)
                assert a.objects == b.objects, number
                assert a.objects.get("char"), number
                shared.release(a)
                fresh.release(b)
        assert screened.kept == {} and len(kept) == 4  # every kept page was handed over
        assert screened.doc is not None  # the page source leaves the document to its owner
