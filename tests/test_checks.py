"""Rule checks on the seed filing: the expected outcomes, and each rule made to fail."""
from __future__ import annotations

import copy
import dataclasses
import json
from decimal import Decimal

import pytest

from fixtures.warehouse.seed_extraction import SEED_SOURCE, seed_extraction
from warehouse.checks import run_checks
from warehouse.db import connect
from warehouse.load import load_extraction

SEED_X = seed_extraction()
FID = "420104-118-2026-budget-dept-" + SEED_X.sha256[:8]
D = Decimal


def checked(x=SEED_X):
    con = connect(":memory:")
    load_extraction(con, x, SEED_SOURCE)
    run_checks(con)
    return con


@pytest.fixture(scope="module")
def seed():
    con = checked()
    yield con
    con.close()


def outcome(con, rule_id, subject):
    rows = con.execute("SELECT outcome FROM findings WHERE rule_id = ? AND subject = ?", [rule_id, subject]).fetchall()
    assert len(rows) == 1, (rule_id, subject, rows)
    return rows[0][0]


def finding(con, rule_id, subject):
    return con.execute(
        "SELECT outcome, expected, actual, difference, tolerance FROM findings WHERE rule_id = ? AND subject = ?",
        [rule_id, subject]).fetchone()


def with_fact(x, table_kind, row_code, column_label, printed):
    """A copy of the extraction with one printed cell changed (added when absent)."""
    x = copy.deepcopy(x)
    for f in x.facts:
        if (f.table_kind, f.row_code, f.column_label) == (table_kind, row_code, column_label):
            f.printed_value, f.amount_wan = printed, D(printed)
            return x
    template = next(f for f in x.facts if f.table_kind == table_kind)
    x.facts.append(dataclasses.replace(template, row_code=row_code, row_label=row_code, column_label=column_label,
                                       printed_value=printed, amount_wan=D(printed)))
    return x


def with_claim(x, kind, subject, **changes):
    x = copy.deepcopy(x)
    c = next(c for c in x.claims if c.kind == kind and c.subject == subject)
    for k, v in changes.items():
        setattr(c, k, v)
    return x


def without_table(x, table_kind):
    return dataclasses.replace(x, facts=[f for f in x.facts if f.table_kind != table_kind],
                               tables=[t for t in x.tables if t.table_kind != table_kind])


# --- the seed --------------------------------------------------------------------------

@pytest.mark.parametrize("rule_id, outcomes", [
    ("A1", {"pass": 3}),
    ("A4", {"pass": 59}),
    ("A6", {"pass": 53}),
    ("A8", {"pass": 1, "not_applicable": 1}),
    ("B5", {"pass": 3}),
    ("B6", {"pass": 2}),
    ("B7", {"pass": 1, "not_applicable": 3}),
    ("C2", {"pass": 18, "fail": 2}),
    ("C3", {"pass": 7}),
    ("D1", {"pass": 4}),
    ("D2", {"pass": 2}),
])
def test_seed_outcomes_by_rule(seed, rule_id, outcomes):
    got = dict(seed.execute("SELECT outcome, count(*) FROM findings WHERE rule_id = ? GROUP BY outcome",
                            [rule_id]).fetchall())
    assert got == outcomes


def test_seed_fails_only_its_genuine_findings(seed):
    # domain.md "The seed": the two narrative names and the look-alike spellings of the unit
    assert seed.execute("SELECT rule_id, subject FROM findings WHERE outcome = 'fail' ORDER BY ALL").fetchall() == [
        ("C2", "func:20103|财政事务"), ("C2", "func:2080899|其他抚恤支出"), ("D4", "name")]


def test_seed_alone_cannot_run_the_history_rules_and_says_so(seed):
    # no 2025 filing, no 近两年 columns, no staff numbers or sections extracted: never a pass
    assert seed.execute("SELECT rule_id, subject FROM findings WHERE outcome = 'insufficient_data' ORDER BY ALL").fetchall() == [
        ("B10", "project:武汉市硚口区城市运行管理中心工作经费"), ("C4", "procurement"),
        ("E1", "yoy:admin_operating"), ("E1", "yoy:general_budget"), ("E1", "yoy:sangong:total"), ("E1", "yoy:total"),
        ("E2", "T11"), ("E6", "personnel_per_staff"), ("E6", "public_per_staff"), ("E6", "sangong_growth"),
        ("F3", "none")]


@pytest.mark.parametrize("rule_id, subject, expected", [
    # the 0.01 万元 tails of the seed are rounding, inside the envelope
    ("A4", "T3:total:合计", ("pass", D("564.25"), D("564.24"), D("-0.01"), D("0.025"))),
    ("A4", "T3:total:基本支出", ("pass", D("454.75"), D("454.74"), D("-0.01"), D("0.025"))),
    ("A4", "T5-1:total:合计", ("pass", D("564.25"), D("564.24"), D("-0.01"), D("0.025"))),
    ("A6", "T5-1:2010350:基本=人员+公用", ("pass", D("296.25"), D("296.26"), D("0.01"), D("0.015"))),
    ("A6", "T5-1:total:基本=人员+公用", ("pass", D("454.75"), D("454.75"), D("0"), D("0.015"))),
    ("A6", "T5-2:total:合计:Σ单位", ("pass", D("564.25"), D("564.25"), D("0"), D("0.01"))),
    ("A6", "T5-2:118:项目支出:Σ单位", ("pass", D("109.5"), D("109.5"), D("0"), D("0.01"))),
    ("A1", "balance", ("pass", D("564.25"), D("564.25"), D("0"), D("0.01"))),
    ("A1", "income", ("pass", D("564.25"), D("564.25"), D("0"), D("0.01"))),
    ("A8", "total", ("pass", D("0.2"), D("0.2"), D("0"), D("0.01"))),
    ("B5", "basic", ("pass", D("454.75"), D("454.75"), D("0"), D("0.01"))),
    ("B5", "personnel", ("pass", D("431.96"), D("431.96"), D("0"), D("0.01"))),
    ("B5", "public", ("pass", D("22.79"), D("22.79"), D("0"), D("0.01"))),
    ("B6", "T3", ("pass", D("109.5"), D("109.5"), D("0"), D("0.01"))),
    ("B6", "T5", ("pass", D("109.5"), D("109.5"), D("0"), D("0.01"))),
    ("B7", "sangong:reception", ("pass", D("0.2"), D("0.2"), D("0"), D("0.01"))),
    ("B7", "sangong:abroad", ("not_applicable", D("0"), None, None, None)),
    ("C3", "sangong:total", ("pass", D("0.2"), D("0.2"), D("0"), D("0.01"))),
    ("C3", "sangong:reception", ("pass", D("0.2"), D("0.2"), D("0"), D("0.01"))),
    ("C3", "sangong:abroad", ("pass", D("0"), D("0"), D("0"), D("0.005"))),  # blank T7 item: exact 0
    ("C3", "sangong:vehicle_purchase", ("pass", D("0"), D("0"), D("0"), D("0.005"))),
    ("C3", "admin_operating", ("pass", D("22.79"), D("22.79"), D("0"), D("0.01"))),
    ("D1", "yoy:total", ("pass", D("3.4695"), D("3.5"), D("0.0305"), D("0.5"))),
    ("D1", "yoy:admin_operating", ("pass", D("6.1754"), D("6.18"), D("0.0046"), D("0.5"))),
    ("D2", "share:basic", ("pass", D("80.5937"), D("80.59"), D("-0.0037"), D("0.5"))),
    ("D2", "share:project", ("pass", D("19.4063"), D("19.41"), D("0.0037"), D("0.5"))),
])
def test_seed_finding_values(seed, rule_id, subject, expected):
    assert finding(seed, rule_id, subject) == expected


@pytest.mark.parametrize("subject, outcome_", [
    ("func:20103|财政事务", "fail"),
    ("func:2080899|其他抚恤支出", "fail"),
    ("func:2080899|其他优抚支出", "pass"),              # 名词解释 uses the table's name
    ("func:20103|政府办公厅及相关机构事务", "pass"),      # (室) dropped
    ("func:2010399|其他政府办公厅及相关机构事务支出", "pass"),  # half-width brackets + (室)
    ("func:201|一般公共服务", "pass"),                  # 类 name without 支出
])
def test_c2_names(seed, subject, outcome_):
    assert outcome(seed, "C2", subject) == outcome_


def test_c2_message_and_evidence_state_both_sides(seed):
    msg, ev = seed.execute("SELECT message, evidence FROM findings WHERE rule_id = 'C2' AND subject = ?",
                           ["func:2080899|其他抚恤支出"]).fetchone()
    assert msg == ("科目 2080899（项）名称：说明称“其他抚恤支出”（第 22 页），表5-1 一般公共预算支出表（分功能科目）"
                   "中该编码名称为“其他优抚支出”，两者不一致。")
    ev = json.loads(ev)
    assert ev["expected"] == {"table": "T5-1", "page": 8, "row": "2080899", "label": "其他优抚支出"}
    assert (ev["actual"]["page"], ev["actual"]["label"]) == (22, "其他抚恤支出")


def test_sum_evidence_lists_every_printed_term(seed):
    ev = json.loads(seed.execute("SELECT evidence FROM findings WHERE rule_id = 'A4' AND subject = 'T3:total:合计'")
                    .fetchone()[0])
    assert ev["expected"]["printed"] == "564.25" and ev["expected"]["page"] == 6
    assert [(t["row"], t["printed"]) for t in ev["actual"]] == [
        ("201", "405.75"), ("208", "78.76"), ("210", "40.4"), ("221", "39.33")]


def test_messages_are_chinese_and_present(seed):
    assert seed.execute("SELECT count(*) FROM findings WHERE message IS NULL OR NOT regexp_matches(message, '[一-龥]')"
                        ).fetchone()[0] == 0


def test_severity_comes_from_the_catalogue(seed):
    assert seed.execute("SELECT DISTINCT rule_id, severity FROM findings WHERE rule_id IN ('A1', 'C2') ORDER BY 1"
                        ).fetchall() == [("A1", "high"), ("C2", "medium")]


# --- each rule can fail ---------------------------------------------------------------

@pytest.mark.parametrize("change, rule_id, subject", [
    (lambda x: with_fact(x, "T1", "expenditure_total", "预算数", "564.35"), "A1", "balance"),
    (lambda x: with_fact(x, "T1", "income_carryover", "预算数", "1.00"), "A1", "income"),
    (lambda x: with_fact(x, "T3", "total", "合计", "564.27"), "A4", "T3:total:合计"),  # 0.03 > 0.025
    (lambda x: with_fact(x, "T5-1", "20805", "合计", "35.66"), "A4", "T5-1:208:合计"),
    (lambda x: with_fact(x, "T5-1", "2010350", "基本支出/人员经费", "273.57"), "A6", "T5-1:2010350:基本=人员+公用"),
    (lambda x: with_fact(x, "T5-1", "2010399", "合计", "109.6"), "A6", "T5-1:2010399:合计=基本+项目"),
    (lambda x: with_fact(x, "T5-2", "118001", "合计", "564.35"), "A6", "T5-2:118:合计:Σ单位"),
    (lambda x: with_fact(x, "T7", "total", "合计", "0.3"), "A8", "total"),
    (lambda x: with_fact(x, "T7", "total", "公务用车购置及运行费/公务用车运行费", "0.5"), "A8", "vehicle"),
    (lambda x: with_fact(x, "T6", "total", "公用经费", "22.89"), "B5", "public"),
    (lambda x: with_fact(x, "T10", "total", "合计", "109.6"), "B6", "T3"),
    (lambda x: with_fact(x, "T10", "total", "财政拨款结转结余/一般公共预算", "1.00"), "B6", "T5"),
    (lambda x: with_fact(x, "T6", "30217", "合计", "0.3"), "B7", "sangong:reception"),
    (lambda x: with_fact(x, "T6", "30212", "合计", "0.5"), "B7", "sangong:abroad"),
    (lambda x: with_claim(x, "item_name", "func:2210202", label="提租补助"), "C2", "func:2210202|提租补助"),
    (lambda x: with_claim(x, "amount", "sangong:reception", amount_wan=D("0.3")), "C3", "sangong:reception"),
    (lambda x: with_claim(x, "amount", "sangong:abroad", amount_wan=D("0.1")), "C3", "sangong:abroad"),
    (lambda x: with_claim(x, "amount", "admin_operating", amount_wan=D("22.69")), "C3", "admin_operating"),
    (lambda x: with_claim(x, "yoy", "total", percent=D("4.5")), "D1", "yoy:total"),
    (lambda x: with_claim(x, "yoy", "total", direction="增加"), "D1", "yoy:total"),
    (lambda x: with_claim(x, "yoy", "sangong:total", delta_wan=D("0.1")), "D1", "yoy:sangong:total"),
    (lambda x: with_claim(x, "share", "basic", percent=D("81.2")), "D2", "share:basic"),
])
def test_rule_fails_on_a_broken_filing(change, rule_id, subject):
    con = checked(change(SEED_X))
    assert outcome(con, rule_id, subject) == "fail"


def test_d1_rejects_a_percentage_from_a_zero_base():
    x = with_claim(SEED_X, "yoy", "admin_operating", amount_wan=D("1.5"), delta_wan=D("1.5"), direction="增加",
                   percent=D("100"))
    con = checked(x)
    assert outcome(con, "D1", "yoy:admin_operating") == "fail"
    assert "上年为零，不应给出增减率" in con.execute(
        "SELECT message FROM findings WHERE rule_id = 'D1' AND subject = 'yoy:admin_operating'").fetchone()[0]


# --- missing inputs are never a pass ----------------------------------------------------

@pytest.mark.parametrize("table_kind, rule_id, subject", [
    ("T1", "A1", "balance"),
    ("T3", "A4", "T3"),
    ("T5-1", "A6", "T5-1"),
    ("T7", "A8", "total"),
    ("T6", "B5", "basic"),
    ("T10", "B6", "T3"),
    ("T7", "B7", "sangong:reception"),
    ("T6", "B7", "sangong:reception"),
    ("T7", "C3", "sangong:reception"),
    ("T6", "C3", "admin_operating"),
])
def test_missing_table_gives_insufficient_data(table_kind, rule_id, subject):
    con = checked(without_table(SEED_X, table_kind))
    assert outcome(con, rule_id, subject) == "insufficient_data"


def test_blank_cells_loaded_as_facts_change_nothing(seed):
    x = copy.deepcopy(SEED_X)
    t7 = next(f for f in x.facts if f.table_kind == "T7")
    for col in ("因公出国（境）费", "公务用车购置及运行费/小计", "公务用车购置及运行费/公务用车购置费",
                "公务用车购置及运行费/公务用车运行费"):
        x.facts.append(dataclasses.replace(t7, column_label=col, printed_value="", amount_wan=None))
    con = checked(x)
    q = "SELECT rule_id, subject, outcome, expected, actual FROM findings ORDER BY rule_id, subject"
    assert con.execute(q).fetchall() == seed.execute(q).fetchall()


# --- the runner -------------------------------------------------------------------------

def test_rerun_keeps_first_seen_and_moves_last_seen():
    con = checked()
    first = con.execute("SELECT rule_id, subject, first_seen, last_seen FROM findings ORDER BY 1, 2").fetchall()
    counts = run_checks(con)
    again = con.execute("SELECT rule_id, subject, first_seen, last_seen FROM findings ORDER BY 1, 2").fetchall()
    assert [r[:3] for r in again] == [r[:3] for r in first]
    assert all(b[3] >= a[3] for a, b in zip(first, again))
    assert counts == {"pass": 265, "fail": 3, "insufficient_data": 11, "not_applicable": 7}


def test_run_checks_only_touches_the_filings_asked_for():
    con = connect(":memory:")
    load_extraction(con, SEED_X, SEED_SOURCE)
    assert run_checks(con, filing_ids=["nope"]) == {}
    assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == 0
    assert sum(run_checks(con, filing_ids=[FID]).values()) == 286


@pytest.mark.parametrize("broken_sql", [
    "SELECT no_such_column FROM filing",
    # the same subject twice would make the upsert ambiguous
    "SELECT filing_id, 'D2' AS rule_id, 's' AS subject, 'pass' AS outcome, '' AS message, NULL AS expected, "
    "NULL AS actual, NULL AS difference, NULL AS tolerance, NULL::JSON AS evidence FROM filing, range(2)",
    "SELECT filing_id, 'D2' AS rule_id, 's' AS subject, 'ok' AS outcome, '' AS message, NULL AS expected, "
    "NULL AS actual, NULL AS difference, NULL AS tolerance, NULL::JSON AS evidence FROM filing",
])
def test_a_broken_check_becomes_an_error_finding(tmp_path, monkeypatch, broken_sql):
    import warehouse.checks as checks_mod
    files = dict(checks_mod.check_files())
    bad = tmp_path / "D2.sql"
    bad.write_text(broken_sql, encoding="utf-8")
    files["D2"] = bad
    con = checked()
    monkeypatch.setattr(checks_mod, "check_files", lambda: files)
    counts = run_checks(con)
    assert counts["error"] == 1
    assert outcome(con, "D2", "rule") == "error"
    assert outcome(con, "A1", "balance") == "pass"
    # the rule's earlier findings are kept, not silently dropped
    assert outcome(con, "D2", "share:basic") == "pass"


@pytest.mark.parametrize("printed, unit, half_unit", [
    ("564.25", "万元", D("0.005")), ("109.5", "万元", D("0.05")), ("128", "万元", D("0.5")),
    ("68000", "元", D("0.00005")), ("1,027,000.00", "元", D("0.0000005")),
])
def test_half_unit_of_a_printed_value(printed, unit, half_unit):
    con = connect(":memory:")
    assert con.execute("SELECT half_unit_wan(printed_decimals(?), ?)", [printed, unit]).fetchone()[0] == half_unit


def test_values_printed_short_take_their_tables_precision(seed):
    # '109.5' in T3 is 109.50 with its trailing zero trimmed: half-unit 0.005, not 0.05
    assert seed.execute("SELECT half_unit FROM cell WHERE table_kind = 'T3' AND row_code = '2010399' "
                        "AND column_label = '合计'").fetchone()[0] == D("0.005")


@pytest.mark.parametrize("rule_id", ["C2", "C3", "D1", "D2"])
def test_a_narrative_without_claims_is_insufficient_data(rule_id):
    con = checked(dataclasses.replace(SEED_X, claims=[]))
    assert con.execute("SELECT subject, outcome FROM findings WHERE rule_id = ?", [rule_id]).fetchall() == [
        ("none", "insufficient_data")]


def test_a_reparse_under_another_filing_id_drops_the_old_findings():
    con = checked()
    x = dataclasses.replace(SEED_X, parser_version="9.9.9",
                            meta=dataclasses.replace(SEED_X.meta, department_code="119"))
    load_extraction(con, x, SEED_SOURCE)
    assert con.execute("SELECT count(*) FROM findings WHERE filing_id = ?", [FID]).fetchone()[0] == 0
    run_checks(con)
    assert con.execute("SELECT DISTINCT filing_id FROM findings").fetchall() == [(FID.replace("-118-", "-119-"),)]


def test_a_reparse_under_the_same_filing_id_keeps_first_seen():
    con = checked()
    first = con.execute("SELECT min(first_seen) FROM findings").fetchone()[0]
    load_extraction(con, dataclasses.replace(SEED_X, parser_version="9.9.9"), SEED_SOURCE)
    run_checks(con)
    assert con.execute("SELECT min(first_seen), max(first_seen) FROM findings").fetchone() == (first, first)


def test_a6_skips_the_split_a_template_does_not_print():
    # 武汉市 2026 templates print T5-1 with 基本支出 as one column: no 人员/公用 identity then
    x = copy.deepcopy(SEED_X)
    x.facts = [f for f in x.facts if not (f.table_kind == "T5-1" and f.column_label in
                                          ("基本支出/人员经费", "基本支出/公用经费"))]
    con = checked(x)
    assert con.execute("SELECT count(*) FROM findings WHERE rule_id = 'A6' AND subject LIKE 'T5-1:%基本=人员+公用'"
                       ).fetchone()[0] == 0
    assert outcome(con, "A6", "T5-1:2010350:合计=基本+项目") == "pass"
    assert outcome(con, "B5", "personnel") == "insufficient_data"
