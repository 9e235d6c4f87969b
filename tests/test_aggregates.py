"""The aggregation views (warehouse/aggregates.sql) on a small district with known figures
(tests/sample_warehouse.py: the seed department 118 in 2025 at × 0.8 and in 2026 corrected,
a second department 119 in 2026 at × 2), and the crawl report recorded by the nightly run."""
from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest



pytestmark = pytest.mark.e2e
D = Decimal


@pytest.fixture(scope="module")
def con(district_db):
    db, _ = district_db
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def one(con, sql, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_primary_filings_count_each_department_once_in_its_current_version(con):
    rows = con.execute("SELECT department_code, fiscal_year, filing_id FROM primary_filings ORDER BY 2, 1").fetchall()
    assert rows == [("118", 2025, "f118-2025"), ("118", 2026, "f118-2026-v2"), ("119", 2026, "f119-2026")]


@pytest.mark.parametrize("level, code, amount, filings", [
    ("类", "208", D("236.28"), 2),      # 78.76 (118) + 157.52 (119); the superseded version is not counted
    ("类", "201", None, 2),
    ("项", "2080899", None, 2),
])
def test_district_function_totals_sum_the_current_filings(con, level, code, amount, filings):
    got, n = one(con, """SELECT amount_wan, filings FROM district_function_totals
                         WHERE fiscal_year = 2026 AND kind = '预算' AND level = ? AND code = ?""", level, code)
    seed = one(con, """SELECT amount_wan FROM function_amounts WHERE filing_id = 'f118-2026-v2' AND code = ?""", code)[0]
    assert got == seed * 3 and n == filings
    if amount is not None:
        assert got == amount


def test_district_totals_by_class_add_up_the_printed_class_rows(con):
    classes = one(con, """SELECT sum(amount_wan) FROM district_function_totals
                          WHERE fiscal_year = 2026 AND kind = '预算' AND level = '类'""")[0]
    seed = one(con, """SELECT sum(amount_wan) FROM facts WHERE filing_id = 'f118-2026-v2' AND table_kind = 'T3'
                       AND column_label = '合计' AND length(row_code) = 3""")[0]
    # the seed's class rows add up to 564.24, one rounding tail below its printed total 564.25
    assert (seed, classes) == (D("564.24"), D("564.24") * 3)


def test_district_economic_totals_are_basic_expenditure(con):
    got = one(con, """SELECT sum(amount_wan) FROM district_economic_totals
                      WHERE fiscal_year = 2026 AND level = '类'""")[0]
    assert got == D("454.75") * 3
    seed = one(con, """SELECT amount_wan FROM facts WHERE filing_id = 'f118-2026-v2' AND table_kind = 'T6'
                       AND row_code = '301' AND column_label = '合计'""")[0]
    assert one(con, """SELECT amount_wan FROM district_economic_totals
                       WHERE fiscal_year = 2026 AND code = '301'""")[0] == seed * 3


def test_department_year_shares_and_cost_per_head(con):
    row = one(con, """SELECT income_total, basic_share_pct, project_share_pct, staff_actual,
                             personnel_per_staff_wan, public_per_staff_wan
                      FROM department_years WHERE department_code = '118' AND fiscal_year = 2026""")
    # 人员构成: 在职实有人数 16 人; 人员经费 431.96, 公用经费 22.79
    assert row == (D("564.25"), D("80.59"), D("19.41"), 16, D("27.00"), D("1.42"))


def test_sangong_change_against_the_year_before(con):
    row = one(con, """SELECT sangong_total, prior_sangong_total, change_wan, change_pct
                      FROM sangong_by_department WHERE department_code = '118' AND fiscal_year = 2026""")
    assert row == (D("0.2"), D("0.16"), D("0.04"), D("25.00"))
    first = one(con, """SELECT prior_sangong_total, change_pct FROM sangong_by_department
                        WHERE department_code = '118' AND fiscal_year = 2025""")
    assert first == (None, None)


def test_projects_list_the_t10_projects_only(con):
    rows = con.execute("""SELECT project_code, project_name, amount_wan, general_budget_wan, page FROM projects
                          WHERE filing_id = 'f118-2026-v2' ORDER BY project_code""").fetchall()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("42010426118T000000100", "区社会管理网格化服务中心工作经费", D("6.8"), D("6.8")),
        ("42010426118T000000101", "派遣人员工作经费", D("102.7"), D("102.7")),
    ]
    assert all(r[4] for r in rows)


def test_coverage_accounts_for_every_implemented_rule(con):
    implemented = one(con, "SELECT count(*) FROM rules WHERE implemented")[0]
    for row in con.execute("""SELECT filing_id, rules_implemented, passed + failed + not_applicable + insufficient_data
                                     + errors + not_run, failed FROM coverage""").fetchall():
        assert row[1] == implemented and row[2] == implemented, row
    # the corrected seed still misnames 20103 (C2), the 2025 clone carries an A1 failure
    failed = dict(con.execute("SELECT filing_id, failed FROM coverage").fetchall())
    rules = dict(con.execute("""SELECT filing_id, list(rule_id ORDER BY rule_id) FROM rule_outcomes
                                WHERE outcome = 'fail' GROUP BY 1""").fetchall())
    assert "C2" in rules["f118-2026-v2"] and "A1" in rules["f118-2025"]
    assert failed["f118-2026-v2"] == len(rules["f118-2026-v2"])


def test_compliance_score_is_the_mean_of_the_evaluated_dimensions(con):
    for fid, c, t, d, score in con.execute(
            "SELECT filing_id, completeness, timeliness, detail, score FROM compliance_scores").fetchall():
        dims = [x for x in (c, t, d) if x is not None]
        assert score == (round(sum(dims) / len(dims), 1) if dims else None), fid
        assert all(0 <= x <= 100 for x in dims)


def test_nightly_records_its_crawl_report(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        rows = con.execute("""SELECT site, partial, listing_pages >= 1, detail_pages, files_seen, files_new,
                                     files_failed, robots_status, errors FROM crawl_runs""").fetchall()
    finally:
        con.close()
    assert rows == [("sample", False, True, 1, 1, 1, 0, "ok", {})]


def test_primary_filings_one_department_filing_else_each_unit(district_db, tmp_path):
    """The one rule of primary_filings: a 部门 filing counts instead of its units' (a unit joins the
    department its code starts with); a department that files only 单位 versions counts each unit."""
    import shutil

    from sample_warehouse import _clone_filing

    db = tmp_path / "budget.duckdb"
    shutil.copy(district_db[0], db)
    c = duckdb.connect(str(db))
    try:
        for fid, sha, code, name, year, scope in (
                ("u120001", "1" * 64, "120001", "甲单位", 2026, "单位"),
                ("u120002", "2" * 64, "120002", "乙单位", 2026, "单位"),
                ("d121", "3" * 64, "121", "丙部门", 2026, "部门"),
                ("u121001", "4" * 64, "121001", "丙部门本级", 2026, "单位"),
                ("u121001-2025", "5" * 64, "121001", "丙部门本级", 2025, "单位")):
            _clone_filing(c, "f119-2026", fid, sha, code=code, name=name, year=year,
                          url=f"http://portal.example/{fid}.pdf", published="2026-01-28")
            c.execute("UPDATE filing SET unit_scope = ? WHERE filing_id = ?", [scope, fid])
        rows = c.execute("""SELECT fiscal_year, dept_key, filing_id FROM primary_filings
                            WHERE filing_id NOT LIKE 'f11%' ORDER BY 1, 2, 3""").fetchall()
        depts = c.execute("""SELECT fiscal_year, dept_key, len(filing_ids) FROM department_totals
                             WHERE dept_key NOT LIKE '%-11_' ORDER BY 1, 2""").fetchall()
    finally:
        c.close()
    assert rows == [(2025, "420104-121", "u121001-2025"),
                    (2026, "420104-120001", "u120001"), (2026, "420104-120002", "u120002"),
                    (2026, "420104-121", "d121")]
    assert depts == [(2025, "420104-121", 1), (2026, "420104-120001", 1), (2026, "420104-120002", 1),
                     (2026, "420104-121", 1)]


@pytest.mark.parametrize("measure, year, amount, prior, change, pct", [
    ("sangong_total", 2026, D("0.2"), D("0.16"), D("0.04"), D("25.0000")),
    ("income_total", 2026, D("564.25"), D("451.40"), D("112.85"), D("25.0000")),
    ("income_total", 2025, D("451.40"), None, None, None),
])
def test_year_on_year_of_a_department(con, measure, year, amount, prior, change, pct):
    row = one(con, """SELECT amount_wan, prior_amount_wan, change_wan, change_pct FROM year_on_year
                      WHERE subject_kind = 'department' AND subject = '420104-118' AND kind = '预算'
                        AND measure = ? AND fiscal_year = ?""", measure, year)
    assert row == (amount, prior, change, pct)


def test_year_on_year_of_a_function_class(con):
    row = one(con, """SELECT amount_wan, prior_amount_wan, change_wan, change_pct FROM year_on_year
                      WHERE subject_kind = 'function_class' AND subject = '201' AND fiscal_year = 2026""")
    assert row == (D("1217.25"), D("324.60"), D("892.65"), D("275.0000"))
