"""The data dictionary's content (warehouse/dictionary.yaml) and its comments "中文 / English" on
every public table, view and column: applied by warehouse.db at every migration, rendered to
Markdown by warehouse.dictionary (the README section). Imports nothing of the warehouse, so the
schema code and the README tool can both use it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import duckdb
import yaml

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def spec() -> dict:
    return yaml.safe_load((HERE / "dictionary.yaml").read_text(encoding="utf-8"))


def _text(entry: dict) -> str:
    return f"{entry['zh']} / {entry['en']}"


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def public_objects() -> list[str]:
    return list(spec()["objects"])


def _existing(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str | None]]:
    """name -> (TABLE or VIEW, its comment) of the user objects in the main schema."""
    rows = con.execute("""SELECT table_name, 'TABLE', comment FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main'
                          UNION ALL
                          SELECT view_name, 'VIEW', comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'""").fetchall()
    return {name: (kind, comment) for name, kind, comment in rows}


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str, str | None]]]:
    """table or view -> its (column, type, comment) in order, for every object in one query."""
    out: dict[str, list] = {}
    for table, col, typ, comment in con.execute(
            """SELECT table_name, column_name, data_type, comment FROM duckdb_columns()
               WHERE schema_name = 'main' ORDER BY table_name, column_index""").fetchall():
        out.setdefault(table, []).append((col, typ, comment))
    return out


def apply(con: duckdb.DuckDBPyConnection, only: list[str] | None = None) -> None:
    """COMMENT ON each public object present, and on each of its columns the dictionary describes."""
    s = spec()
    kinds = _existing(con)
    columns = _columns(con)
    statements = []
    for name, obj in s["objects"].items():
        if name not in kinds or (only is not None and name not in only):
            continue
        statements.append(f"COMMENT ON {kinds[name][0]} {name} IS {_quote(_text(obj))}")
        own = obj.get("columns") or {}
        for col, _, _ in columns.get(name, []):
            entry = own.get(col) or s["columns"].get(col)
            if entry:
                statements.append(f"COMMENT ON COLUMN {name}.{col} IS {_quote(_text(entry))}")
    if statements:
        con.execute(";\n".join(statements))


def render(con: duckdb.DuckDBPyConnection) -> str:
    """Markdown from the comments in the database, objects in dictionary order."""
    kinds = _existing(con)
    columns = _columns(con)
    out = []
    for name in public_objects():
        if name not in kinds:
            continue
        kind, comment = kinds[name]
        zh, _, en = (comment or "").partition(" / ")
        out += [f"### `{name}`（{'表' if kind == 'TABLE' else '视图'}）", "", f"{zh} — *{en}*", "",
                "| 列 column | 类型 type | 说明 | description |", "|---|---|---|---|"]
        for col, typ, comment in columns.get(name, []):
            czh, _, cen = (comment or "").partition(" / ")
            out.append(f"| `{col}` | {typ} | {czh.replace('|', '｜')} | {cen.replace('|', '/')} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
