"""The read gate (issue 13): a misread table alerts nobody; a genuine error still fails.

The seed's 表3 is replaced by a small consistent one in which every row has both 基本支出 and
项目支出, so that swapping two columns breaks each row by its own amount, as a misreading does.
"""
from __future__ import annotations

import copy
import dataclasses
import json
from decimal import Decimal

import pytest

from fixtures.warehouse.seed_extraction import SEED_SOURCE, seed_extraction
from test_checks import checked

SEED_X = seed_extraction()
D = Decimal

# row_code: (合计, 基本支出, 项目支出); adds up by row and by 类 / 款 / 项
T3_ROWS = {
    "total": ("215", "170", "45"),
    "201": ("190", "150", "40"), "20101": ("190", "150", "40"),
    "2010101": ("110", "100", "10"), "2010102": ("80", "50", "30"),
    "208": ("25", "20", "5"), "20805": ("25", "20", "5"), "2080501": ("25", "20", "5"),
}
COLUMNS = ("合计", "基本支出", "项目支出")


def with_t3(x, rows=T3_ROWS, columns=COLUMNS):
    """The extraction with its 表3 replaced: ``columns`` names the columns the values are read under."""
    x = copy.deepcopy(x)
    template = next(f for f in x.facts if f.table_kind == "T3")
    facts = [f for f in x.facts if f.table_kind != "T3"]
    for code, values in rows.items():
        for col, v in zip(columns, values):
            facts.append(dataclasses.replace(template, row_code=code, row_label=code, column_label=col,
                                             printed_value=v, amount_wan=D(v)))
    return dataclasses.replace(x, facts=facts)


def with_self_check(x, table_kind, verdict, detail=""):
    x = copy.deepcopy(x)
    for t in x.tables:
        if t.table_kind == table_kind:
            t.self_check, t.self_check_detail, t.read_method = verdict, detail, "generic"
    for f in x.facts:
        if f.table_kind == table_kind:
            f.table_check, f.read_method = verdict, "generic"
    return x


def outcomes(con, rule_id):
    return dict(con.execute("SELECT subject, outcome FROM findings WHERE rule_id = ? ORDER BY 1", [rule_id]).fetchall())


def fails_citing(con, table_kind):
    return con.execute(
        """SELECT rule_id, subject FROM findings WHERE outcome = 'fail'
           AND list_contains(regexp_extract_all(evidence::VARCHAR, '"table":\\s*"([^"]+)"', 1), ?) ORDER BY 1, 2""",
        [table_kind]).fetchall()


SWAPPED = ("项目支出", "基本支出", "合计")  # 合计 and 项目支出 read under each other's header


def test_the_consistent_t3_passes_its_identities():
    con = checked(with_t3(SEED_X))
    assert set(outcomes(con, "A3").values()) == {"pass"}
    assert set(outcomes(con, "A4").values()) == {"pass"}
    assert con.execute("SELECT count(*) FROM table_gate").fetchall() == [(0,)]


def test_a_table_read_with_columns_swapped_yields_no_fail_only_the_reason():
    con = checked(with_t3(SEED_X, columns=SWAPPED))
    assert fails_citing(con, "T3") == []
    a3 = outcomes(con, "A3")
    assert set(a3.values()) == {"insufficient_data"} and len(a3) == len(T3_ROWS)
    msg, ev = con.execute("SELECT message, evidence FROM findings WHERE rule_id = 'A3' AND subject = 'T3:total'").fetchone()
    assert msg.startswith("表格读取未通过自检：表3 支出预算总表：23 项表内恒等关系中 8 项不成立，差额各不相同（5 种）")
    gate = json.loads(ev)["read_gate"]
    assert (gate["tables"], gate["outcome_before"]) == (["T3"], "fail")
    assert con.execute("SELECT table_kind, decided_by, n_failed, n_checked FROM table_gate").fetchall() == [
        ("T3", "identities", 8, 23)]


def test_a_misread_table_puts_its_document_on_the_review_list():
    con = checked(with_t3(SEED_X, columns=SWAPPED))
    rows = con.execute("SELECT tables, sha256s FROM review_needed").fetchall()
    assert rows == [(["T3"], [SEED_X.sha256])]
    assert con.execute("SELECT table_kind FROM table_reads WHERE misread").fetchall() == [("T3",)]


@pytest.mark.parametrize("code, column, printed, failing", [
    # one wrong cell: its row, and its 款's column (Σ 项), fail by the same 1.00
    ("2010101", "合计", "111", {("A3", "T3:2010101"), ("A4", "T3:20101:合计")}),
    ("2080501", "项目支出", "6", {("A3", "T3:2080501"), ("A4", "T3:20805:项目支出")}),
])
def test_a_single_genuine_error_in_a_consistent_table_still_fails(code, column, printed, failing):
    rows = dict(T3_ROWS)
    values = list(rows[code])
    values[COLUMNS.index(column)] = printed
    rows[code] = tuple(values)
    con = checked(with_t3(SEED_X, rows=rows))
    got = {(r, s) for r, s in fails_citing(con, "T3") if r in ("A3", "A4")}
    assert got == failing
    assert con.execute("SELECT count(*) FROM table_gate").fetchall() == [(0,)]


def test_the_extractions_self_check_fail_gates_a_table_whose_sums_look_fine():
    x = with_self_check(SEED_X, "T7", "fail", "3 项恒等关系中 2 项不成立")
    con = checked(x)
    assert outcomes(con, "A8") == {"total": "insufficient_data", "vehicle": "not_applicable"}
    msg = con.execute("SELECT message FROM findings WHERE rule_id = 'A8' AND subject = 'total'").fetchone()[0]
    assert msg == ("表格读取未通过自检：表7 一般公共预算“三公”经费支出表：提取时自检不平（3 项恒等关系中 2 项不成立）。"
                   "本项核对不予采信，请人工核对原表。")
    assert con.execute("SELECT table_kind, decided_by FROM table_gate").fetchall() == [("T7", "self_check")]


def test_the_extractions_self_check_pass_stands_against_the_identities():
    x = with_self_check(with_t3(SEED_X, columns=SWAPPED), "T3", "pass")
    con = checked(x)
    assert outcomes(con, "A3")["T3:total"] == "fail"
    assert con.execute("SELECT count(*) FROM table_gate").fetchall() == [(0,)]


def test_how_a_table_was_read_is_loaded():
    con = checked(with_self_check(SEED_X, "T7", "pass", ""))
    assert con.execute("SELECT DISTINCT read_method, table_check FROM facts WHERE table_kind = 'T7'").fetchall() == [
        ("generic", "pass")]
    assert con.execute("SELECT read_method, self_check FROM table_reads WHERE table_kind = 'T7'").fetchall() == [
        ("generic", "pass")]
    # extractions older than the self-check load as '' (not checked), never as a verdict
    assert con.execute("SELECT DISTINCT self_check FROM table_reads WHERE table_kind = 'T1'").fetchall() == [("",)]


# --- 需人工核对 in the run summary, the digest and the report ------------------------------

@pytest.fixture(scope="module")
def misread():
    con = checked(with_t3(SEED_X, columns=SWAPPED))
    yield con
    con.close()


REASON = "表3 支出预算总表：23 项表内恒等关系中 8 项不成立，差额各不相同（5 种），疑为读错行或列"


def test_the_summary_lists_the_document_for_review(misread):
    from flows.summary import summarize

    text = summarize(misread)
    assert "需人工核对：1 份文件的表格读取未通过自检，相关核对记为无法核对、未告警：" in text
    assert f"  硚口区城市运行管理中心 2026 预算：{REASON}" in text


def test_the_digest_lists_the_document_for_review_apart_from_the_findings(misread):
    from flows.alerts.digest import compose, review_needed

    fid = misread.execute("SELECT filing_id FROM filings").fetchone()[0]
    review = review_needed(misread, [fid])
    assert [(r["filing_id"], r["tables"]) for r in review] == [(fid, ["T3"])]
    digest = compose([], [], "high", review=review)
    assert digest.title == "budgetwatch 预算公开核对：1 份文件需人工核对"
    assert f"- [硚口区城市运行管理中心 2026 年部门预算]({SEED_SOURCE['source_url']})：{REASON}" in digest.body.splitlines()
    assert digest.n_items == 1 and digest.findings == []
    assert review_needed(misread, []) == []


def test_the_report_lists_the_document_for_review(misread, tmp_path):
    from flows.report import write_report

    db = tmp_path / "w.duckdb"
    misread.execute(f"ATTACH '{db}' AS out")
    misread.execute("COPY FROM DATABASE memory TO out")
    misread.execute("DETACH out")
    html = write_report(db, tmp_path / "site").read_text(encoding="utf-8")
    assert '<h2 id="review">需人工核对（1 份）</h2>' in html
    assert REASON in html
