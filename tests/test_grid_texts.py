"""extractors/grid.py's table_texts: each cell's text as pdfplumber's ``Table.extract()`` reads
it, on every table of real filings' table pages."""
from __future__ import annotations

import pytest

from extractors.grid import table_texts
from extractors.table_finder import find_tables
from tests.corpus import FAST_PATH_FILES, corpus_file, table_pages



@pytest.mark.slow  # every table of three filings, both ways
@pytest.mark.parametrize("rel,sha", FAST_PATH_FILES, ids=[f[0].split("/")[1] for f in FAST_PATH_FILES])
def test_table_texts_as_pdfplumber_extracts(rel, sha):
    n_cells = 0
    for page in table_pages(corpus_file(rel, sha)):
        for table in find_tables(page):
            want = table.extract()
            assert table_texts(table, table.rows) == want, page.page_number
            n_cells += sum(len(r) for r in want)
    assert n_cells > 200
