"""What a night that changed no content does to the report: stamps, not pages.

A quiet night (nothing new on the portals, no check run) changes only when things were
fetched: the report's content is what it was. Rendering its ~60 department pages again costs
seconds and yields the same bytes except three kinds of stamp, so those are marked in the
templates (`stamp(name, value)` writes ``<!--s:name-->value<!--/s-->``) and refreshed in
place: the generation time, the latest fetch, and each filing's latest fetch. The sources
page, which lists every fetch, is rendered again. Whether the content is unchanged is
decided by `content_key`: a digest of every query the pages read, with the fetch times left
out, of the raw files linked, of the report's own code and of where it is written.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import duckdb
from markupsafe import Markup, escape

from flows.report import data as D

KEY_FILE = ".content-key.json"
STAMP = re.compile(r"<!--s:([^>]*?)-->(.*?)<!--/s-->", re.S)
# the queries' columns that move on every fetch; shown through stamps only
FETCH_COLUMNS = {"all_filings": "fetched_at", "documents": "fetched_at"}
# queries of the sources page (rendered every time) or derived from the others
NOT_KEYED = {"finding_counts"}
OPTIONAL = ("SELECT * FROM rules", "SELECT * FROM compliance_scores", "SELECT max(started_at) FROM check_run")
CODE = [Path(__file__).parent, Path(__file__).parent.parent / "templates"]


def stamp(name: str, value) -> Markup:
    return Markup(f"<!--s:{name}-->{escape(value)}<!--/s-->")


def content_key(con, db: Path, out: Path) -> str:
    h = hashlib.sha256()

    def add(*parts) -> None:
        h.update(json.dumps([str(p) for p in parts], ensure_ascii=False).encode())

    add(duckdb.__version__, Path(db).resolve(), Path(out).resolve().parent, _code_digest())
    add(sorted(D.relations(con)))
    for name, sql in sorted(D.queries().items()):
        if name in NOT_KEYED:
            continue
        if name in FETCH_COLUMNS:
            sql = f"SELECT * EXCLUDE ({FETCH_COLUMNS[name]}) FROM ({sql})"
        add(name, _digest(con, sql))
    for sql in OPTIONAL:
        add(sql, _digest(con, sql))
    add(_raw_files(db))
    return h.hexdigest()


def _digest(con, sql: str):
    # order-free: a row's hash xor-ed over the rows, with their count
    try:
        return con.execute(f"SELECT count(*), bit_xor(hash(t)) FROM ({sql}) t").fetchall()[0]
    except duckdb.Error as exc:  # a view an older warehouse lacks: the pages show its absence
        return type(exc).__name__


def _raw_files(db: Path) -> list[str]:
    from flows.settings import Paths

    raw = Paths(db=Path(db)).raw_dir
    if not raw.is_dir():
        return []
    return sorted(f"{e.name}/{n}" for e in os.scandir(raw) if e.is_dir() and not e.name.startswith(".")
                  for n in os.listdir(e.path))


def _code_digest() -> str:
    h = hashlib.sha256()
    for folder in CODE:
        for p in sorted(folder.iterdir()):
            if p.is_file() and p.suffix in (".py", ".sql", ".html", ".css"):
                h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def write_key(out: Path, key: str, city: bool) -> None:
    tmp = out / (KEY_FILE + ".tmp")
    tmp.write_text(json.dumps({"key": key, "city": city}), "utf-8")
    tmp.replace(out / KEY_FILE)


def drop_key(out: Path) -> None:
    try:
        (out / KEY_FILE).unlink()
    except FileNotFoundError:
        pass


def read_key(out: Path) -> dict | None:
    try:
        return json.loads((out / KEY_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def restamp(html: str, values: dict[str, str]) -> str:
    """The page with each stamp's value replaced (a stamp with no new value keeps its own)."""
    return STAMP.sub(lambda m: f"<!--s:{m.group(1)}-->"
                     + (str(escape(values[m.group(1)])) if m.group(1) in values else m.group(2)) + "<!--/s-->", html)
