"""`budgetwatch sql`: more refusals, a timeout, and a table readable with wide Chinese text."""
from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from flows.cli import main
from flows.readonly_sql import ReadOnlyQueryError, display_width, format_table, run_readonly, run_readonly_rows

LONG = "科目 20103（款）名称：说明称“财政事务”（第 26 页），表5-1 一般公共预算支出表（分功能科目）中该编码名称为“政府办公厅(室)及相关机构事务”，两者不一致。"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE findings (rule_id VARCHAR, message VARCHAR, expected DECIMAL(20, 6), page INTEGER)")
    con.execute("INSERT INTO findings VALUES ('C2', ?, NULL, 26), ('D2', 'short', 19.406300, 27), "
                "('A4', 'x', 564.25, 7), ('B10', 'y', 0.000123, 20)", [LONG])
    con.close()
    return path


@pytest.mark.parametrize(
    "query, message",
    [
        ("SELECT * FROM read_text('/etc/passwd')", "数据库以外"),
        ("SELECT * FROM glob('/etc/*')", "数据库以外"),
        ("SELECT * FROM '/etc/hostname'", "查询失败|数据库以外"),
        ("SELECT * FROM read_parquet('https://example.com/x.parquet')", "数据库以外"),
        ("EXPORT DATABASE '/tmp/bw-export'", "EXPORT"),
        ("LOAD httpfs", "INSTALL/LOAD"),
        ("CALL pragma_version()", "只允许查询"),
        ("UPDATE findings SET page = 0", "只允许查询"),
        ("", "查询为空"),
    ],
)
def test_refusals(db, query, message):
    with pytest.raises(ReadOnlyQueryError, match=message):
        run_readonly(db, query)


def test_a_runaway_query_is_stopped(db):
    with pytest.raises(ReadOnlyQueryError, match="超时"):
        run_readonly_rows(db, "SELECT count(*) FROM range(100000000000000) a", timeout=0.5)


def test_rows_keep_exact_decimals(db):
    cols, rows = run_readonly_rows(db, "SELECT rule_id, expected FROM findings ORDER BY rule_id")
    assert cols == ["rule_id", "expected"]
    assert rows[0] == ("A4", Decimal("564.250000"))


@pytest.mark.parametrize("text, width", [("abc", 3), ("财政事务", 8), ("表5-1", 5), ("（第 26 页）", 12)])
def test_display_width(text, width):
    assert display_width(text) == width


def test_table_aligns_wide_text_and_cuts_long_cells(db):
    cols, rows = run_readonly_rows(db, "SELECT rule_id, message, expected, page FROM findings ORDER BY page")
    out = format_table(cols, rows, max_width=30).splitlines()
    body = out[:-1]
    assert out[-1] == "（4 行）"
    # every column starts at the same display column on every line
    starts = {tuple(_col_starts(line)) for line in body if "|" in line}
    assert len(starts) == 1, body
    a4 = next(line for line in body if line.startswith("A4"))
    c2 = next(line for line in body if line.startswith("C2"))
    assert "564.25" in a4 and "NULL" in c2
    assert "说明称" in c2 and LONG not in c2 and c2.split("|")[1].strip().endswith("…")
    assert display_width(c2.split("|")[1].strip()) <= 30
    assert "19.4063" in next(line for line in body if line.startswith("D2"))
    assert "0.000123" in next(line for line in body if line.startswith("B10"))


def _col_starts(line: str) -> list[int]:
    starts, col = [], 0
    for ch in line:
        if ch == "|":
            starts.append(col)
        col += display_width(ch)
    return starts


def test_cli_prints_a_table_and_says_when_rows_are_cut(db, capsys):
    assert main(["sql", "--db", str(db), "SELECT rule_id, page FROM findings ORDER BY page"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["rule_id", "|", "page"] and out[-1] == "（4 行）"
    assert main(["sql", "--db", str(db), "--max-rows", "2", "SELECT rule_id FROM findings"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 + 2 + 1 and "只显示前 2 行" in out[-1]
    assert main(["sql", "--db", str(db), "--max-width", "0", "SELECT message FROM findings WHERE rule_id = 'C2'"]) == 0
    assert LONG in capsys.readouterr().out


# ---- limits on a shared machine (issue 16)

RUNAWAY_STRING = "SELECT length(string_agg(repeat('x', 1000000), '')) FROM range(100000)"  # a 100 GB string


def test_a_runaway_string_stops_at_the_default_memory_limit(db, capsys):
    assert main(["--db", str(db), "sql", RUNAWAY_STRING]) == 3
    err = capsys.readouterr().err
    assert "已中止：查询超出内存上限 1GB" in err and "--memory" in err


def test_the_timeout_message_names_the_limit_and_the_flag(db, capsys):
    assert main(["--db", str(db), "sql", "SELECT count(*) FROM range(100000000000000) a", "--timeout", "0.5"]) == 3
    err = capsys.readouterr().err
    assert "查询超时：超过时间上限 0.5 秒" in err and "--timeout" in err


@pytest.mark.parametrize("memory, outcome", [("64MB", "内存上限 64MB"), ("2GB", None)])
def test_memory_flag_sets_the_cap(db, capsys, memory, outcome):
    query = "SELECT length(string_agg(repeat('x', 1000000), '')) FROM range(200)"  # 200 MB
    rc = main(["--db", str(db), "sql", query, "--memory", memory])
    out = capsys.readouterr()
    if outcome:
        assert rc == 3 and outcome in out.err
    else:
        assert rc == 0 and "200000000" in out.out


@pytest.mark.parametrize("text, expected", [("512MB", "512MB"), ("2 gb", "2GB"), ("1.5GiB", "1.5GiB")])
def test_parse_memory(text, expected):
    from flows.readonly_sql import parse_memory

    assert parse_memory(text) == expected


@pytest.mark.parametrize("text", ["lots", "-1GB", "1 PB", ""])
def test_parse_memory_refuses(text):
    from flows.readonly_sql import parse_memory

    with pytest.raises(ReadOnlyQueryError, match="无法识别"):
        parse_memory(text)
