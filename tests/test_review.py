"""Staff review of findings (issue 16): the CLI path, the Excel round trip edited with
openpyxl as a user would, and imports that are rejected whole with row-numbered Chinese
errors. Works on a private copy of the seed warehouse (tests/sample_warehouse.py), whose four
genuine fails (C2 ×2, D3, D4; domain.md "The seed") are the findings under review."""
from __future__ import annotations

import hashlib
import shutil

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from flows.cli import main

pytestmark = pytest.mark.e2e  # a private copy of the seed warehouse, built by the nightly flow

C2_20103 = ("C2", "func:20103|财政事务")
C2_2080899 = ("C2", "func:2080899|其他抚恤支出")


@pytest.fixture
def db(sample_db, tmp_path):
    path = tmp_path / "budget.duckdb"
    shutil.copy(sample_db, path)
    main(["--db", str(path), "check"])  # migrate the copy and group its fails (as a nightly run would)
    return path


def q(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def key_of(db, rule_subject) -> str:
    return q(db, "SELECT review_key FROM finding_review WHERE is_current AND rule_id = ? AND subject = ?",
             list(rule_subject))[0][0]


def statuses(db) -> dict:
    return {(r, s): (st, note, by) for r, s, st, note, by in q(
        db, """SELECT rule_id, subject, review_status, review_note, reviewed_by FROM finding_review
               WHERE is_current AND outcome = 'fail'""")}


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_fail_starts_open_in_a_group_of_its_own(db):
    assert set(statuses(db).values()) == {("待核", None, None)}
    assert len(statuses(db)) == 4
    groups = q(db, "SELECT n_findings, n_open, review_status FROM finding_groups")
    assert sorted(groups) == [(1, 1, "待核")] * 4


def test_cli_sets_status_note_and_reviewer_and_keeps_history(db, capsys):
    key = key_of(db, C2_20103)
    assert main(["--db", str(db), "review", key, "--status", "已核实", "--note", "部门确认将更正", "--by", "张三"]) == 0
    assert "已将 1 项核对发现标为“已核实”" in capsys.readouterr().out
    assert main(["--db", str(db), "review", key, "--status", "已说明", "--note", "款名称沿用旧科目", "--by", "李四"]) == 0
    got = statuses(db)
    assert got[C2_20103] == ("已说明", "款名称沿用旧科目", "李四")
    assert got[C2_2080899] == ("待核", None, None)
    history = q(db, "SELECT status, note, reviewed_by, source FROM finding_reviews WHERE review_key = ? "
                    "ORDER BY reviewed_at", [key])
    assert history == [("已核实", "部门确认将更正", "张三", "cli"), ("已说明", "款名称沿用旧科目", "李四", "cli")]


def test_a_group_key_sets_every_member(db):
    group, members = q(db, "SELECT group_id, n_findings FROM finding_groups WHERE rule_id = 'D3'")[0]
    assert main(["--db", str(db), "review", group, "--status", "误报", "--by", "王五"]) == 0
    assert q(db, "SELECT review_status, n_false_positive FROM finding_groups WHERE group_id = ?", [group]) == [
        ("误报", members)]


@pytest.mark.parametrize("argv, message", [
    (["review", "000000000000", "--status", "已核实", "--by", "张三"], "未知编号“000000000000”"),
    (["review", "KEY", "--status", "已确认", "--by", "张三"], "状态“已确认”不在可选范围内"),
    (["review", "KEY", "--by", "张三"], "请给出编号和 --status"),
])
def test_cli_refuses_and_changes_nothing(db, capsys, argv, message):
    argv = [a.replace("KEY", key_of(db, C2_20103)) for a in argv]
    before = sha(db)
    assert main(["--db", str(db), *argv]) == 2
    assert message in capsys.readouterr().err
    assert sha(db) == before


# ---- Excel round trip

def export_sheet(db, tmp_path):
    out = tmp_path / "export.xlsx"
    assert main(["--db", str(db), "export", "--xlsx", str(out)]) == 0
    return out


def edit(path, changes: dict, out=None):
    """Change 状态 / 备注 of the rows whose 编号 is in `changes`, the way a user does in Excel."""
    wb = load_workbook(path)
    ws = wb["核对发现"]
    header = [c.value for c in ws[1]]
    k, s, n = header.index("编号") + 1, header.index("状态") + 1, header.index("备注") + 1
    for row in range(2, ws.max_row + 1):
        key = ws.cell(row, k).value
        if key in changes:
            status, note = changes[key]
            ws.cell(row, s).value = status
            ws.cell(row, n).value = note
    wb.save(out or path)
    return out or path


def test_the_sheet_lists_every_fail_with_its_key_group_and_status(db, tmp_path):
    wb = load_workbook(export_sheet(db, tmp_path), read_only=True)
    assert wb.sheetnames[-1] == "核对发现" and wb.active.title == "核对发现"
    rows = list(wb["核对发现"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:2] == ["编号", "核对组"] and {"状态", "备注", "复核人", "复核时间"} <= set(header)
    keys = {r[0] for r in rows[1:]}
    assert keys == {r[0] for r in q(db, "SELECT review_key FROM finding_review WHERE is_current AND outcome = 'fail'")}
    assert {r[header.index("状态")] for r in rows[1:]} == {"待核"}


def test_round_trip_through_excel(db, tmp_path, capsys):
    a, b = key_of(db, C2_20103), key_of(db, C2_2080899)
    path = edit(export_sheet(db, tmp_path), {a: ("已核实", "部门承认笔误"), b: ("误报", "表5 名称为旧版科目")})
    assert main(["--db", str(db), "review", "--import", str(path), "--by", "赵六"]) == 0
    assert "更新 2 项，未变 2 项" in capsys.readouterr().out
    got = statuses(db)
    assert got[C2_20103] == ("已核实", "部门承认笔误", "赵六")
    assert got[C2_2080899] == ("误报", "表5 名称为旧版科目", "赵六")
    assert q(db, "SELECT count(*), min(source) FROM finding_reviews") == [(2, "xlsx:export.xlsx")]
    # exported again, the sheet carries the statuses; importing it unchanged changes nothing
    again = export_sheet(db, tmp_path)
    rows = list(load_workbook(again, read_only=True)["核对发现"].iter_rows(values_only=True))
    header = list(rows[0])
    shown = {r[0]: (r[header.index("状态")], r[header.index("备注")]) for r in rows[1:]}
    assert shown[a] == ("已核实", "部门承认笔误")
    assert main(["--db", str(db), "review", "--import", str(again), "--by", "赵六"]) == 0
    assert "更新 0 项，未变 4 项" in capsys.readouterr().out


@pytest.mark.parametrize("case, message", [
    ("unknown_key", "第 3 行：未知编号 abcdefabcdef"),
    ("bad_status", "第 2 行：状态“已确认”不在可选范围内（待核 / 已核实 / 已说明 / 误报 / 已更正）"),
    ("wrong_sheet", "文件中没有“核对发现”工作表（现有：Sheet）"),
    ("no_status_column", "“核对发现”工作表缺少列：状态"),
])
def test_a_bad_import_is_rejected_whole(db, tmp_path, capsys, case, message):
    path = export_sheet(db, tmp_path)
    keys = [r[0] for r in load_workbook(path, read_only=True)["核对发现"].iter_rows(min_row=2, values_only=True)]
    good = {keys[1]: ("已核实", "这一行本身没错")}  # valid rows must not be applied either
    if case == "unknown_key":
        edit(path, good)
        wb = load_workbook(path)
        wb["核对发现"].cell(3, 1).value = "abcdefabcdef"
        wb.save(path)
    elif case == "bad_status":
        edit(path, {**good, keys[0]: ("已确认", None)})
    elif case == "wrong_sheet":
        wb = Workbook()
        wb.active.append(["编号", "状态", "备注"])
        wb.active.append([keys[0], "误报", None])
        wb.save(path)
    else:
        wb = load_workbook(path)
        wb["核对发现"].cell(1, [c.value for c in wb["核对发现"][1]].index("状态") + 1).value = "结论"
        wb.save(path)
    before = sha(db)
    assert main(["--db", str(db), "review", "--import", str(path), "--by", "赵六"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert sha(db) == before
    assert q(db, "SELECT count(*) FROM finding_reviews") == [(0,)]


def test_the_report_shows_status_note_and_department_counts(db, tmp_path):
    from parsel import Selector

    from flows.report import write_report

    key = key_of(db, C2_20103)
    assert main(["--db", str(db), "review", key, "--status", "已说明", "--note", "款名称沿用旧科目", "--by", "张三"]) == 0
    assert main(["--db", str(db), "review", key_of(db, C2_2080899), "--status", "已核实", "--by", "张三"]) == 0
    out = tmp_path / "report"
    write_report(db, out)
    dom = Selector(text=(out / "findings.html").read_text("utf-8"))
    shown = {f.css(".review code::text").get(): (f.css(".review-status::text").get(), f.css(".review-note::text").get())
             for f in dom.css("#findings .finding[data-outcome=fail]")}
    assert shown[key] == ("已说明", "款名称沿用旧科目")
    assert shown[key_of(db, C2_2080899)] == ("已核实", None)
    assert sorted(s for s, _ in shown.values()) == ["已核实", "已说明", "待核", "待核"]
    (page,) = list((out / "dept").glob("*.html"))
    dept = Selector(text=page.read_text("utf-8"))
    counts = [dept.css(f"#{i}::text").get() for i in ("n-open", "n-explained", "n-confirmed")]
    assert counts == ["2", "1", "1"]

