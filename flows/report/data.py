"""Read the warehouse (read-only, public views) into what the report pages show."""
from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import duckdb

from extractors import canon

SQL_FILE = Path(__file__).with_name("report.sql")

TABLE_NAMES = canon.TABLE_KINDS
OUTCOME_ZH = {"pass": "通过", "fail": "未通过", "not_applicable": "不适用", "insufficient_data": "数据不足", "error": "出错"}
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低", "info": "提示"}
STATUS_ZH = {"new": "新发现", "open": "仍存在", "resolved": "已解决"}
# Staff's review statuses (issue 16) and the CSS class each is shown with.
REVIEW_CLASS = {"待核": "rv-open", "已核实": "rv-confirmed", "已说明": "rv-explained", "误报": "rv-false",
                "已更正": "rv-corrected"}


@cache
def queries() -> dict[str, str]:
    text = SQL_FILE.read_text("utf-8")
    blocks = re.split(r"^-- name: *(\w+)\s*$", text, flags=re.M)
    return {name: body.strip().rstrip(";") for name, body in zip(blocks[1::2], blocks[2::2])}


def rows(con, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def relations(con) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}


def columns(con, name: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [name]).fetchall()]


def optional_rows(con, sql: str) -> list[dict] | None:
    """Rows of a query over an optional view; None when the view does not exist (yet)."""
    try:
        return rows(con, sql)
    except duckdb.CatalogException:
        return None


def href_to(path: Path, from_dir: Path) -> str:
    """A link from a page in `from_dir` to a local file: relative when possible, so the
    report and the data folder can be moved together."""
    try:
        return Path(os.path.relpath(path.resolve(), from_dir.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path.resolve().as_uri()


class RawLinks:
    """`href_to` the file of a document in the content-addressed raw store beside the database
    (<sha[:2]>/<sha256><ext>, a `.part` download left out), for every document of a report:
    the store is listed once and the folders resolved once (a glob and two resolves per link
    cost seconds over a district's thousand links)."""

    def __init__(self, db: Path, out: Path):
        from flows.settings import Paths

        self.out = Path(out)
        self.raw_dir = Paths(db=Path(db)).raw_dir
        self.root = self.raw_dir.resolve()
        self.out_resolved = self.out.resolve()
        self.listed: dict[str, dict[str, str]] = {}

    def _names(self, prefix: str) -> dict[str, str]:
        if prefix not in self.listed:
            names: dict[str, str] = {}
            folder = self.raw_dir / prefix
            entries = sorted(e.name for e in os.scandir(folder)) if folder.is_dir() else []
            for name in entries:  # sorted: the first match wins
                sha = name.split(".", 1)[0]
                if "." in name and not name.endswith(".part"):
                    names.setdefault(sha, name)
            self.listed[prefix] = names
        return self.listed[prefix]

    def __call__(self, sha256: str | None) -> str | None:
        if not sha256:
            return None
        name = self._names(sha256[:2]).get(sha256)
        if name is None:
            return None
        path = self.root / sha256[:2] / name
        if path.is_symlink():  # rare: fall back to the full resolve
            return href_to(path, self.out)
        try:
            return Path(os.path.relpath(path, self.out_resolved)).as_posix()
        except ValueError:  # another drive on Windows
            return path.as_uri()


# --- findings -----------------------------------------------------------------

def _cell_side(d: dict) -> dict:
    """One located value: table cell or narrative sentence, with its page."""
    if d.get("source") == "narrative" or "text" in d:
        where = "情况说明"
    else:
        t = d.get("table")
        where = f"表{t[1:]} {TABLE_NAMES.get(t, '')}".strip() if isinstance(t, str) and t.startswith("T") else (t or "")
    page = d.get("page")
    try:
        page = int(page) if page not in (None, "") else None
    except (TypeError, ValueError):
        page = None
    return {
        "where": where,
        "page": page,
        "row": {"total": "合计"}.get(d.get("row"), d.get("row")) or d.get("code") or "",
        "label": d.get("label") or "",
        "column": d.get("column") or "",
        "printed": d.get("printed", d.get("printed_value")),
        "unit": d.get("unit") or "",
        "text": d.get("text") or "",
        "sha256": d.get("sha256"),  # the document the value is in, when a filing has two
    }


def _cells(value) -> list[dict]:
    """Every located value inside one side of the evidence (a cell, a list, or a dict of cells)."""
    if isinstance(value, list):
        return [c for v in value for c in _cells(v)]
    if not isinstance(value, dict):
        return []
    if "page" in value or "table" in value or value.get("source") == "narrative":
        return [_cell_side(value)]
    return [c for v in value.values() for c in _cells(v)]


def _figures(value) -> list[tuple[str, str]]:
    """Plain numbers of a computed side (D1/D2: last_year, percent_recomputed …)."""
    if not isinstance(value, dict):
        return []
    return [(k, str(v)) for k, v in value.items() if isinstance(v, (int, float, str)) and k not in ("page", "text")]


def evidence_sides(evidence) -> tuple[str, list[dict]]:
    """(identity, sides) of a finding's evidence; each side has a name, its located cells and figures."""
    try:
        ev = json.loads(evidence) if isinstance(evidence, str) else (evidence or {})
    except ValueError:
        return "", []
    if isinstance(ev, list):
        ev = {"expected": ev}
    if not isinstance(ev, dict):
        return "", []
    sides = []
    for key, default in (("expected", "一方"), ("actual", "另一方")):
        if key not in ev:
            continue
        name = ev.get("lhs" if key == "expected" else "rhs") or default
        sides.append({"name": name, "cells": _cells(ev[key]), "figures": _figures(ev[key])})
    if not sides:
        cells = _cells(ev)
        if cells:
            sides.append({"name": "证据", "cells": cells, "figures": []})
    return str(ev.get("identity") or ""), sides


def finding_status(f: dict, latest_run, superseded: bool, still_failing: bool) -> str | None:
    """new / open / resolved: the warehouse's own status column when it has one, else derived.

    A finding first seen in the latest check run is new, an older one still reported is open.
    A finding of a filing that a corrected version replaced is resolved when the current version
    no longer reports it; when it does, the current version's finding stands for it (None: skip).
    """
    if f.get("status"):
        return str(f["status"])
    if superseded:
        return None if still_failing else "resolved"
    if latest_run is not None and f.get("first_seen") is not None and f["first_seen"] >= latest_run:
        return "new"
    return "open"


# --- tables -------------------------------------------------------------------

def pivot_tables(facts: list[dict]) -> list[dict]:
    """Long facts back into printed tables, one per table_kind, rows and columns in page order."""
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for f in facts:
        by_kind[f["table_kind"]].append(f)
    tables = []
    for kind in sorted(by_kind, key=_kind_order):
        cells = by_kind[kind]
        col_x: dict[str, float] = {}
        row_pos: dict[tuple, tuple] = {}
        grid: dict[tuple, dict] = {}
        for c in cells:
            col_x[c["column_label"]] = min(col_x.get(c["column_label"], 1e9), c["x0"] if c["x0"] is not None else 1e9)
            key = (c["row_code"], c["row_label"] or "")
            pos = (c["page"] or 0, c["top"] if c["top"] is not None else 0)
            row_pos[key] = min(row_pos.get(key, pos), pos)
            grid[(key, c["column_label"])] = c
        cols = sorted(col_x, key=lambda k: (col_x[k], k))
        rows_ = sorted(row_pos, key=lambda k: row_pos[k])
        pages = sorted({c["page"] for c in cells if c["page"]})
        unit = sorted({c["printed_unit"] for c in cells if c["printed_unit"]})
        tables.append({
            "kind": kind, "name": TABLE_NAMES.get(kind, ""), "pages": pages, "units": unit, "columns": cols,
            # printed codes (功能/经济分类, unit, project) are shown; internal row keys (income_total …) are not
            "rows": [{"code": k[0] if re.fullmatch(r"[0-9A-Za-z]+", k[0]) and k[0] != "total" else "",
                      "key": k[0], "label": k[1], "cells": [grid.get((k, col)) for col in cols]} for k in rows_],
        })
    return tables


def _kind_order(kind: str):
    m = re.match(r"T(\d+)(?:-(\d+))?$", kind)
    return (int(m.group(1)), int(m.group(2) or 0)) if m else (999, kind)
