"""`budgetwatch sql`: one query, read-only, with no access outside the database.

Two locks, because either alone has gaps: the statement type is checked before
anything runs (so a write, ATTACH, INSTALL, COPY or SET gets a clear refusal),
and the connection itself is read-only with external access disabled and the
configuration locked (so a SELECT cannot read files or fetch extensions).
"""
from __future__ import annotations

import re
import threading
import unicodedata
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}

REFUSALS = {
    "ATTACH": "不允许附加其他数据库（ATTACH）",
    "DETACH": "不允许分离数据库（DETACH）",
    "LOAD": "不允许安装或加载扩展（INSTALL/LOAD）",
    "COPY": "不允许读写文件（COPY）",
    "EXPORT": "不允许导出数据库（EXPORT）",
    "SET": "不允许修改设置（SET）",
    "PRAGMA": "不允许执行 PRAGMA",
}


# Defaults for a machine shared by several people: a query gets this long and this much memory
# unless the user raises them (--timeout, --memory). Spilling to disk is off, so the memory
# limit is a real cap and a runaway query cannot fill the disk instead.
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MEMORY = "1GB"
DEFAULT_THREADS = 2
_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.I)


class ReadOnlyQueryError(Exception):
    pass


class QueryLimitError(ReadOnlyQueryError):
    """The query hit its time or memory limit."""


def parse_memory(text: str) -> str:
    """'512MB', '2 GB', '1.5GiB' → DuckDB's spelling; a Chinese error for anything else."""
    m = _MEMORY.match(str(text or ""))
    if not m:
        raise ReadOnlyQueryError(f"内存上限“{text}”无法识别，应写作如 512MB、2GB")
    unit = m.group(2).upper().replace("IB", "iB")
    return f"{m.group(1)}{unit}"


def _check(query: str) -> None:
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as e:
        raise ReadOnlyQueryError(f"SQL 语法错误：{e}") from None
    if not statements:
        raise ReadOnlyQueryError("查询为空")
    if len(statements) != 1:
        raise ReadOnlyQueryError("一次只能执行一条查询语句")
    kind = statements[0].type
    if kind not in ALLOWED:
        name = kind.name
        raise ReadOnlyQueryError(REFUSALS.get(name, f"只允许查询（SELECT），不允许 {name} 语句；数据库以只读方式打开"))


def connect_readonly(db: Path, memory: str | None = None) -> duckdb.DuckDBPyConnection:
    config = {
        "enable_external_access": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "lock_configuration": True,
    }
    if memory:
        config.update(memory_limit=parse_memory(memory), max_temp_directory_size="0GB", threads=DEFAULT_THREADS)
    return duckdb.connect(str(db), read_only=True, config=config)


def connect_for_reading(db: Path, *, external_access: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection for our own reports and exports (fixed SELECTs, not user SQL).

    DuckDB refuses a second in-process connection to a file with a different configuration,
    so when the nightly flow still holds its connection, match that one instead of failing.
    """
    try:
        if external_access:  # COPY … TO needs to write files
            return duckdb.connect(str(db), read_only=True)
        return connect_readonly(db)
    except duckdb.ConnectionException:
        try:
            return duckdb.connect(str(db), read_only=True)
        except duckdb.ConnectionException:
            return duckdb.connect(str(db))


def run_readonly(db: Path, query: str, *, timeout: float | None = DEFAULT_TIMEOUT_S,
                 memory: str | None = DEFAULT_MEMORY):
    """Run one SELECT and return a pandas DataFrame; refuse anything else."""
    return _run(db, query, timeout, memory, lambda cur: cur.df())


def run_readonly_rows(db: Path, query: str, *, timeout: float | None = DEFAULT_TIMEOUT_S,
                      memory: str | None = DEFAULT_MEMORY,
                      limit: int | None = None) -> tuple[list[str], list[tuple]]:
    """Like run_readonly, but (column names, rows) with exact values (DECIMAL stays Decimal);
    with `limit`, at most limit + 1 rows are fetched (the extra one says there are more).
    `timeout` (seconds) and `memory` ('1GB') cap the query; None lifts a cap."""
    return _run(db, query, timeout, memory, lambda cur: (
        [d[0] for d in cur.description], cur.fetchmany(limit + 1) if limit else cur.fetchall()))


def _run(db: Path, query: str, timeout: float | None, memory: str | None, fetch):
    _check(query)
    con = connect_readonly(db, memory)
    # DuckDB has no statement timeout of its own: a timer interrupts the connection.
    timer = threading.Timer(timeout, con.interrupt) if timeout else None
    try:
        if timer:
            timer.start()
        return fetch(con.execute(query))
    except duckdb.PermissionException as e:
        raise ReadOnlyQueryError(f"查询试图访问数据库以外的文件或网络：{e}") from None
    except duckdb.InterruptException:
        raise QueryLimitError(f"查询超时：超过时间上限 {timeout:g} 秒，已中止。请缩小范围或加 LIMIT，"
                              "确需更长时间可用 --timeout 提高上限（如 --timeout 600）。") from None
    except duckdb.OutOfMemoryException:
        raise QueryLimitError(f"查询超出内存上限 {parse_memory(memory) if memory else ''}，已中止。请缩小范围或加 LIMIT，"
                              "确需更多内存可用 --memory 提高上限（如 --memory 4GB）。") from None
    except duckdb.Error as e:
        raise ReadOnlyQueryError(f"查询失败：{e}") from None
    finally:
        if timer:
            timer.cancel()
        con.close()


# --- printing -------------------------------------------------------------------

def display_width(text: str) -> int:
    """Terminal columns: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def _clip(text: str, width: int) -> str:
    if width <= 0 or display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _show(v) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, Decimal):  # amounts to the cent, more digits only where printed (元 → 万元)
        n = v.normalize()
        return format(v.quantize(Decimal("0.01")) if n.as_tuple().exponent >= -2 else n, "f")
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    return " ".join(str(v).split())  # one line per row: newlines and runs of spaces collapse


def format_table(columns: list[str], rows: list[tuple], *, max_width: int = 40, max_rows: int = 1000) -> str:
    """A plain-text table aligned for wide (CJK) characters, long cells cut to max_width columns."""
    shown = [[_clip(_show(v), max_width) for v in r] for r in rows[:max_rows]]
    heads = [_clip(c, max_width) for c in columns]
    numeric = [all(isinstance(r[i], (int, float, Decimal)) or r[i] is None for r in rows[:max_rows]) and bool(rows)
               for i in range(len(columns))]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in shown]) for i, h in enumerate(heads)]

    def line(cells):
        parts = []
        for i, c in enumerate(cells):
            pad = " " * (widths[i] - display_width(c))
            parts.append(pad + c if numeric[i] else c + pad)
        return " | ".join(parts).rstrip()

    out = [line(heads), "-+-".join("-" * w for w in widths)] + [line(r) for r in shown]
    if len(rows) > max_rows:
        out.append(f"（超过 {max_rows} 行，只显示前 {max_rows} 行；完整结果请加条件或 LIMIT/OFFSET，或用 budgetwatch export）")
    else:
        out.append(f"（{len(rows)} 行）")
    return "\n".join(out)
