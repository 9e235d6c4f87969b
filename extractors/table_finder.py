"""pdfplumber's table finder with its two quadratic steps rewritten: the same tables, faster.

``pdfplumber.table.TableFinder`` spends most of its time in ``intersections_to_cells``: for
every intersection it scans all later points for the ones straight below and to the right,
and each ``edge_connects`` test rebuilds two sets of edge boxes. On a budget table of 15×8
cells that is ~40 % of a table page's extraction CPU. Here the points are grouped by column
and row once, each point's edge-box sets are built once, and the points to the right that
connect are found once per point instead of once per point below. ``edges_to_intersections``
looks up only the horizontal edges within reach of each vertical one (a bisect on ``top``)
instead of testing every pair. Every step keeps pdfplumber's order and comparisons, so the
cells, and the tables built from them by pdfplumber's own ``cells_to_tables`` and ``Table``,
are the same (tests/test_table_finder.py compares both on real pages).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter

from pdfplumber import utils
from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables


class FastTableFinder(TableFinder):
    def __init__(self, page, settings=None):  # pdfplumber's __init__ with the two steps swapped
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def find_tables(page, settings=None) -> list[Table]:
    """``page.find_tables(settings)``, through ``FastTableFinder``."""
    return FastTableFinder(page, TableSettings.resolve(settings)).tables


def edges_to_intersections(edges: list[dict], x_tolerance: float = 1, y_tolerance: float = 1) -> dict:
    """``pdfplumber.table.edges_to_intersections``: the same vertices, each with its edges in the
    same order. A vertical edge meets a horizontal one only if the horizontal's top lies in
    [v.top - y_tolerance, v.bottom + y_tolerance]; the horizontals are sorted by (top, x0), so
    that window is one contiguous slice of pdfplumber's own iteration order."""
    intersections: dict = {}
    v_edges = [e for e in edges if e["orientation"] == "v"]
    h_sorted = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    h_tops = [h["top"] for h in h_sorted]
    for v in sorted(v_edges, key=itemgetter("x0", "top")):
        v_top, v_bottom, v_x0 = v["top"], v["bottom"], v["x0"]
        # pdfplumber's test is v.top <= h.top + tol and v.bottom >= h.top - tol; the window is a
        # superset taken from the sorted tops, and the exact test is kept inside it
        lo = bisect_left(h_tops, v_top - y_tolerance - 1)
        hi = bisect_right(h_tops, v_bottom + y_tolerance + 1)
        for h in h_sorted[lo:hi]:
            if (v_top <= (h["top"] + y_tolerance) and v_bottom >= (h["top"] - y_tolerance)
                    and v_x0 >= (h["x0"] - x_tolerance) and v_x0 <= (h["x1"] + x_tolerance)):
                vertex = (v_x0, h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def intersections_to_cells(intersections: dict) -> list[tuple]:
    """``pdfplumber.table.intersections_to_cells``: for each point in sorted order, the smallest
    cell it is the top-left corner of, tried in pdfplumber's order (points below nearest first,
    then points to the right nearest first)."""
    v_sets = {p: set(map(utils.obj_to_bbox, e["v"])) for p, e in intersections.items()}
    h_sets = {p: set(map(utils.obj_to_bbox, e["h"])) for p, e in intersections.items()}

    def connects(p1, p2) -> bool:
        if p1[0] == p2[0] and not v_sets[p1].isdisjoint(v_sets[p2]):
            return True
        return p1[1] == p2[1] and not h_sets[p1].isdisjoint(h_sets[p2])

    points = sorted(intersections)
    # Points are distinct and sorted by (x, top): the later points of a point's column are the
    # ones below it, the later points of its row the ones to its right, both nearest first.
    column: dict = {}
    row: dict = {}
    for p in points:
        column.setdefault(p[0], []).append(p)
        row.setdefault(p[1], []).append(p)
    col_pos: dict = {}
    row_pos: dict = {}
    for members in column.values():
        for i, p in enumerate(members):
            col_pos[p] = i
    for members in row.values():
        for i, p in enumerate(members):
            row_pos[p] = i

    cells = []
    for pt in points[:-1]:
        below = column[pt[0]][col_pos[pt] + 1:]
        right = None  # the connected points to the right, found on the first connected point below
        found = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            if right is None:
                right = [r for r in row[pt[1]][row_pos[pt] + 1:] if connects(pt, r)]
            for right_pt in right:
                bottom_right = (right_pt[0], below_pt[1])
                if (bottom_right in intersections and connects(bottom_right, right_pt)
                        and connects(bottom_right, below_pt)):
                    found = (pt[0], pt[1], bottom_right[0], bottom_right[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells
