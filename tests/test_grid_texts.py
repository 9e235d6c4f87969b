"""extractors/grid.py's table_texts: each cell's text as pdfplumber's ``Table.extract()`` reads
it, on every table of real filings' table pages."""
from __future__ import annotations

import pytest

from extractors.grid import table_texts
from extractors.page_source import PageSource
from extractors.prescreen import prescreen
from extractors.table_finder import find_tables
from tests.corpus import corpus_file

FILES = [
    ("cities/001_上海/2026年上海市交通运输局_部门预算.pdf",
     "34775480bd3e3bf88585b2d25b4a3f3203e9bce27e001f9e74fa9b2ec64f85a5"),
    ("jiangsu/江苏省高级人民法院/省法院2017年度部门预算公开.pdf",
     "324795c7efce9893ca94dcfcc6bd8e1e4573b46ceeaa3042185cd44464aeedb0"),
]


@pytest.mark.slow  # every table of two filings, both ways
@pytest.mark.parametrize("rel,sha", FILES, ids=[f[0].split("/")[1] for f in FILES])
def test_table_texts_as_pdfplumber_extracts(rel, sha):
    path = corpus_file(rel, sha)
    n_cells = 0
    with PageSource(path, "pdfium") as source:
        for number in [p.number for p in prescreen(path) if p.maybe_table]:
            page = source.page(number)
            for table in find_tables(page):
                want = table.extract()
                assert table_texts(table, table.rows) == want, number
                n_cells += sum(len(r) for r in want)
            source.release(page)
    assert n_cells > 200
