from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.pipeline import discover, sha256_file
from flows.readonly_sql import ReadOnlyQueryError, run_readonly
from flows.settings import resolve_db


@pytest.mark.parametrize(
    "flag, env, expected",
    [
        ("x.duckdb", "y.duckdb", Path("x.duckdb")),
        (None, "y.duckdb", Path("y.duckdb")),
        (None, None, Path("data/budget.duckdb")),
    ],
)
def test_db_resolution_order(monkeypatch, flag, env, expected):
    if env is None:
        monkeypatch.delenv("BUDGETWATCH_DB", raising=False)
    else:
        monkeypatch.setenv("BUDGETWATCH_DB", env)
    assert resolve_db(flag) == expected


@pytest.mark.parametrize("argv, expected", [
    (["--db", "x.duckdb", "check"], "x.duckdb"),           # before the command: was overwritten by None
    (["check", "--db", "x.duckdb"], "x.duckdb"),
    (["--db", "x.duckdb", "check", "--db", "z.duckdb"], "z.duckdb"),
    (["check"], None),
])
def test_db_flag_before_or_after_the_command(argv, expected):
    from flows.cli import build_parser

    assert build_parser().parse_args(argv).db == expected


@pytest.fixture
def tiny_db(tmp_path):
    path = tmp_path / "t.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE filings (filing_id VARCHAR, department VARCHAR)")
    con.execute("INSERT INTO filings VALUES ('f1', '区财政局'), ('f2', '区教育局')")
    con.close()
    return path


def test_sql_select_returns_rows(tiny_db):
    df = run_readonly(tiny_db, "SELECT department FROM filings ORDER BY filing_id")
    assert df["department"].tolist() == ["区财政局", "区教育局"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("DELETE FROM filings", "只允许查询"),
        ("INSERT INTO filings VALUES ('f3', 'x')", "只允许查询"),
        ("CREATE TABLE t (a INT)", "只允许查询"),
        ("ATTACH '/tmp/other.duckdb'", "ATTACH"),
        ("INSTALL httpfs", "INSTALL"),
        ("COPY filings TO '/tmp/out.csv'", "COPY"),
        ("SET enable_external_access = true", "SET"),
        ("SELECT * FROM read_csv('/etc/passwd')", "数据库以外"),
        ("SELECT 1; DELETE FROM filings", "一次只能执行一条"),
    ],
)
def test_sql_refuses(tiny_db, query, message):
    with pytest.raises(ReadOnlyQueryError, match=message):
        run_readonly(tiny_db, query)
    con = duckdb.connect(str(tiny_db), read_only=True)
    assert con.execute("SELECT count(*) FROM filings").fetchone()[0] == 2
    con.close()


def test_cli_sql_refusal_exit_code(tiny_db, capsys):
    assert main(["sql", "--db", str(tiny_db), "DROP TABLE filings"]) == 2
    assert "拒绝执行" in capsys.readouterr().err


def test_cli_missing_db_is_a_clear_error(tmp_path, capsys):
    assert main(["check", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "数据库不存在" in capsys.readouterr().err


def test_discover_walks_folders_and_skips_unknown_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.pdf").write_bytes(b"%PDF-1.4 x")
    (tmp_path / "a" / "notes.txt").write_text("skip me")
    (tmp_path / "y.XLSX").write_bytes(b"PK\x03\x04")
    docs = discover([tmp_path])
    assert [d.path.name for d in docs] == ["x.pdf", "y.XLSX"]
    assert docs[0].sha256 == sha256_file(tmp_path / "a" / "x.pdf")
    assert docs[0].source["source_url"].startswith("file://")


def test_discover_missing_path_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="找不到"):
        discover([tmp_path / "missing"])
