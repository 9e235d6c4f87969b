"""`budgetwatch sql`: one query, read-only, with no access outside the database.

Two locks, because either alone has gaps: the statement type is checked before
anything runs (so a write, ATTACH, INSTALL, COPY or SET gets a clear refusal),
and the connection itself is read-only with external access disabled and the
configuration locked (so a SELECT cannot read files or fetch extensions).
"""
from __future__ import annotations

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


class ReadOnlyQueryError(Exception):
    pass


def _check(query: str) -> None:
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as e:
        raise ReadOnlyQueryError(f"SQL 语法错误：{e}") from None
    if len(statements) != 1:
        raise ReadOnlyQueryError("一次只能执行一条查询语句")
    kind = statements[0].type
    if kind not in ALLOWED:
        name = kind.name
        raise ReadOnlyQueryError(REFUSALS.get(name, f"只允许查询（SELECT），不允许 {name} 语句；数据库以只读方式打开"))


def connect_readonly(db: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(
        str(db),
        read_only=True,
        config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "lock_configuration": True,
        },
    )


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


def run_readonly(db: Path, query: str):
    """Run one SELECT and return a pandas DataFrame; refuse anything else."""
    _check(query)
    con = connect_readonly(db)
    try:
        return con.execute(query).df()
    except duckdb.PermissionException as e:
        raise ReadOnlyQueryError(f"查询试图访问数据库以外的文件或网络：{e}") from None
    except duckdb.Error as e:
        raise ReadOnlyQueryError(f"查询失败：{e}") from None
    finally:
        con.close()
