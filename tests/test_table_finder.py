"""extractors/table_finder.py: the rewritten steps give pdfplumber's own intersections, cells and
tables, on every table page of real filings of several templates (pdfium's page model, as the
pipeline reads them)."""
from __future__ import annotations

import pytest
from pdfplumber.table import TableFinder

from extractors.table_finder import FastTableFinder, edges_to_intersections, intersections_to_cells
from tests.corpus import corpus_file, table_pages

FILES = [
    ("cities/001_上海/2026年上海市交通运输局_部门预算.pdf",
     "34775480bd3e3bf88585b2d25b4a3f3203e9bce27e001f9e74fa9b2ec64f85a5"),
    ("cities/006_苏州/2026年苏州市交通运输局部门预算.pdf",
     "bfdf55f4c2ff2694b49082debb19ed4317cce38943a51845ab903bdb15105515"),
    ("jiangsu/江苏省高级人民法院/江苏省高级人民法院2019年度部门预算公开.pdf",
     "7e5ac42ed95dae8cbae0a81e7a3f118ca78a7b5a9dcea012671d165ca7822aac"),
    ("putuo/上海市普陀区司法局2026年部门预算.pdf",
     "c8821d984a541c123130e02c834aac8cd09a37c58dc5074950e6f1b8603bd5e8"),
]


@pytest.mark.slow  # every table page of four filings, through both finders
@pytest.mark.parametrize("rel,sha", FILES, ids=[f[0].split("/")[1] for f in FILES])
def test_same_cells_and_tables_as_pdfplumber(rel, sha):
    n_cells = 0
    for page in table_pages(corpus_file(rel, sha)):
        want, got = TableFinder(page), FastTableFinder(page)
        assert got.intersections == want.intersections
        assert list(got.intersections) == list(want.intersections)
        assert got.cells == want.cells
        assert [t.bbox for t in got.tables] == [t.bbox for t in want.tables]
        assert [t.extract() for t in got.tables] == [t.extract() for t in want.tables]
        n_cells += len(got.cells)
    assert n_cells > 50  # the file's table pages were read, not skipped


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top}


# A 2×2 grid whose middle rule stops short of the right column, a rule ending 1 pt off the
# frame (inside pdfplumber's tolerance) and one 1.5 pt off (outside it).
EDGES = [_edge("h", 0, 0, 100, 0), _edge("h", 0, 20, 60, 20), _edge("h", 0, 40, 100, 40),
         _edge("v", 0, 0, 0, 40), _edge("v", 50, 0, 50, 41), _edge("v", 100, 0, 100, 40),
         _edge("v", 75, 41.5, 75, 60)]


@pytest.mark.parametrize("x_tol,y_tol", [(1, 1), (0, 0), (3, 3)])
def test_synthetic_edges_match_pdfplumber(x_tol, y_tol):
    from pdfplumber.table import edges_to_intersections as plumber_intersections
    from pdfplumber.table import intersections_to_cells as plumber_cells

    want = plumber_intersections(EDGES, x_tol, y_tol)
    got = edges_to_intersections(EDGES, x_tol, y_tol)
    assert got == want
    assert intersections_to_cells(got) == plumber_cells(want)


def test_synthetic_cells_exact():
    cells = intersections_to_cells(edges_to_intersections(EDGES, 1, 1))
    assert cells == [(0, 0, 50, 20), (0, 20, 50, 40), (50, 0, 100, 40)]

