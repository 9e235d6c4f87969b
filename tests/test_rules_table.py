"""One table for the whole rule catalogue: every rule id of warehouse/rules.yaml with a `pass`,
a `fail` and an `insufficient_data` case on the seed filing changed in one place (issue 15).

Each case loads the filings it names into an in-memory warehouse and runs that one rule
through the real runner, then reads the finding of one subject on the first filing. A `fail`
states the figures its finding must give (expected, actual, difference). Where a rule's SQL
cannot produce one of the three outcomes, GAPS says why instead of faking a case.
"""
from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
import yaml

import warehouse.checks as checks_mod
from fixtures.warehouse.seed_extraction import SEED_SOURCE, seed_extraction
from test_checks import with_claim, with_fact, without_table
from warehouse.checks import run_checks
from warehouse.db import check_files, connect
from warehouse.load import load_extraction

SEED_X = seed_extraction()
D = Decimal
OUTCOMES = ("pass", "fail", "insufficient_data")
RULE_IDS = [r["id"] for r in yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "warehouse" / "rules.yaml").read_text(encoding="utf-8"))["rules"]]


# --- building the filings of a case ---------------------------------------------------------

def other(x=SEED_X, tag: str = "1", **meta):
    """Another filing made from `x`: its own sha256 (so its own document) and metadata changed
    as given (fiscal_year, kind, unit_scope, department_code …)."""
    return dataclasses.replace(copy.deepcopy(x), sha256=(tag * 64)[:64], meta=dataclasses.replace(x.meta, **meta))


def with_claims(x, *claims):
    x = copy.deepcopy(x)
    x.claims.extend(claims)
    return x


def with_meta(x, **meta):
    return dataclasses.replace(x, meta=dataclasses.replace(x.meta, **meta))


def add_fact(x, table_kind, row_code, column_label, printed, label=None):
    """A copy with one cell added to a table that may have printed none (T8 / T9 of the seed)."""
    x = copy.deepcopy(x)
    page = next(t.pages[0] for t in x.tables if t.table_kind == table_kind)
    x.facts.append(dataclasses.replace(x.facts[0], table_kind=table_kind, row_code=row_code, row_label=label or row_code,
                                       column_label=column_label, printed_value=printed, amount_wan=D(printed), page=page))
    return x


def with_yuan(x, table_kind, row_code, column_label, printed):
    """with_fact for a table printed in 元 (T12): the amount is the printed value / 10000."""
    x = with_fact(x, table_kind, row_code, column_label, printed)
    f = next(f for f in x.facts if (f.table_kind, f.row_code, f.column_label) == (table_kind, row_code, column_label))
    f.amount_wan = D(printed) / 10000
    return x


def t8_spends(x, t4_fund: bool):
    """T8 printing 5 万元 of 政府性基金 spending (and so no longer its note that the unit has
    none), with or without T4 receiving the 5 万元."""
    x = add_fact(x, "T8", "total", "合计", "5")
    x.tables = [dataclasses.replace(t, note="") if t.table_kind == "T8" else t for t in x.tables]
    return with_fact(x, "T4", "income:gov_fund", "预算数", "5") if t4_fund else x


def with_label(x, table_kind, row_code, label):
    x = copy.deepcopy(x)
    for f in x.facts:
        if (f.table_kind, f.row_code) == (table_kind, row_code):
            f.row_label = label
    return x


def claim(kind, subject, amount=None, **kw):
    template = next(c for c in SEED_X.claims if c.kind == "amount")
    return dataclasses.replace(template, kind=kind, subject=subject, label=kw.pop("label", subject),
                               amount_wan=None if amount is None else D(amount), text=kw.pop("text", subject), **kw)


def source(**changes):
    return {**SEED_SOURCE, **changes}


# --- running one rule -----------------------------------------------------------------------

class Warehouse:
    """One in-memory warehouse for the module, emptied between cases: creating the schema
    costs twice what a case does. Emptying deletes every table that was empty when the schema
    was made (the loads' and the runs' tables) and then checks that every table is back to
    its fresh row count, so a case never sees another's rows."""

    def __init__(self):
        self.con = connect(":memory:")
        self.fresh = self._counts()

    def _counts(self) -> dict[str, int]:
        tables = [r[0] for r in self.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY 1").fetchall()]
        return {t: self.con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

    def empty(self) -> None:
        for table, n in self.fresh.items():
            if n == 0:
                self.con.execute(f'DELETE FROM "{table}"')
        assert self._counts() == self.fresh

    def finding(self, rule_id: str, filings: list, subject: str):
        """Load the filings (an Extraction, or (Extraction, source)), run `rule_id` alone through
        run_checks, and return (outcome, expected, actual, difference) of `subject` on the first.

        The runner is the real one with its catalogue narrowed to this rule: the other 40 SQL
        files would triple a case's time, and no case asserts their findings."""
        self.empty()
        for f in filings:
            x, src = f if isinstance(f, tuple) else (f, SEED_SOURCE)
            load_extraction(self.con, x, src)
        first = filings[0][0] if isinstance(filings[0], tuple) else filings[0]
        only = {rule_id: check_files()[rule_id]}
        with mock.patch.object(checks_mod, "check_files", lambda: only):
            run_checks(self.con)
        rows = self.con.execute(
            """SELECT f.outcome, f.expected, f.actual, f.difference FROM findings f JOIN filing USING (filing_id)
               WHERE filing.sha256 = ? AND f.rule_id = ? AND f.subject = ?""", [first.sha256, rule_id, subject]).fetchall()
        assert len(rows) == 1, (rule_id, subject, rows, self.con.execute(
            "SELECT rule_id, subject, outcome FROM findings ORDER BY ALL").fetchall())
        return rows[0]


@dataclasses.dataclass(frozen=True)
class Case:
    rule: str
    outcome: str
    subject: str
    filings: Callable[[], list] = lambda: [SEED_X]
    figures: tuple | None = None  # a fail's (expected, actual, difference)

    @property
    def id(self):
        return f"{self.rule}-{self.outcome}"


# A case's filings are built when it runs (a list: the checked filing first, then the others).

def seed(change=lambda x: x):
    return lambda: [change(SEED_X)]


def cut(table_kind):
    return seed(lambda x: without_table(x, table_kind))


def fact(table_kind, row_code, column, printed):
    return seed(lambda x: with_fact(x, table_kind, row_code, column, printed))


def last_year(change=lambda x: x):
    """The seed with the department's 2025 filing beside it (the same tables, changed as given)."""
    return lambda: [SEED_X, change(other(SEED_X, "a", fiscal_year=2025))]


def final_account(opening: str, with_budget: bool = True):
    """The department's 2026 决算 printing its 年初预算 income total in T1, beside (or without)
    the 2026 budget (the seed, 564.25)."""
    def build():
        final = with_fact(other(SEED_X, "d", kind="决算"), "T1", "income_total", "年初预算数", opening)
        return [final, SEED_X] if with_budget else [final]
    return build


UNIT_ROWS = ("合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费", "项目支出")


def with_second_unit(x):
    """The department's T2 and T5-2 list a second unit, 118002 (amounts are not F5's concern)."""
    for col in UNIT_ROWS:
        x = with_fact(x, "T5-2", "118002", col, "0")
    return with_fact(x, "T2", "118002", "合计", "0")


def unit_filing(code: str, tag: str, change=lambda x: x):
    return change(other(SEED_X, tag, unit_scope="单位", department_code=code))


def peers(target_personnel: str):
    """Nine 2026 部门 filings of one district, each quoting one staff member, so personnel per
    head is the T5-1 人员经费 total: the first (checked) one's, then 10 … 17 万元."""
    def build():
        out = []
        for i, amount in enumerate([target_personnel] + [str(v) for v in range(10, 18)]):
            x = with_fact(SEED_X, "T5-1", "total", "基本支出/人员经费", amount)
            x = with_claims(x, claim("staff", "staff:total", "1"))
            out.append(other(x, "0123456789"[i], department_code=str(201 + i)))
        return out
    return build


SECTIONS = ("functions", "units", "staff", "changes", "sangong", "admin_operating", "procurement", "assets",
            "performance", "glossary")


def sections(*names):
    return seed(lambda x: with_claims(x, *[claim("section", "section:" + n) for n in names]))


def procurement(total, goods, works, services):
    parts = {"total": total, "goods": goods, "works": works, "services": services}
    return seed(lambda x: with_claims(x, *[claim("amount", "procurement:" + k, v) for k, v in parts.items() if v]))


T12_NAME = "武汉市硚口区城市运行管理中心劳务派遣人员工作经费"
NO_FIGURES = (None, None, None)  # a rule that states no amounts: its message names what differs


def F(expected, actual, difference):
    return tuple(None if v is None else D(v) for v in (expected, actual, difference))


NO_CLAIMS = seed(lambda x: dataclasses.replace(x, claims=[]))


def said(kind, subject, **changes):
    """The seed with one narrative claim changed."""
    return seed(lambda x: with_claim(x, kind, subject, **changes))


def t11_prior(printed, with_2025=True):
    """The seed's T11 printing its 2025 income total in the 近两年 column, beside (or without)
    the department's 2025 filing, whose T11 current-year income total is 564.25."""
    return lambda: ([with_fact(SEED_X, "T11", "t11:income_total", "近两年/2025", printed)]
                    + ([other(SEED_X, "a", fiscal_year=2025)] if with_2025 else []))


def unit_118001(change=lambda x: x):
    """The seed (a 部门 filing listing unit 118001 in T5-2) and that unit's own filing."""
    return lambda: [SEED_X, unit_filing("118001", "b", change)]


CASES = [
    # within-table sums: one printed cell changed; a missing table is one insufficient_data
    Case("A1", "pass", "balance"),
    Case("A1", "fail", "balance", fact("T1", "expenditure_total", "预算数", "564.35"),
         figures=F("564.25", "564.35", "0.1")),
    Case("A1", "insufficient_data", "balance", cut("T1")),
    Case("A2", "pass", "income"),
    Case("A2", "fail", "income", fact("T1", "income:general_budget", "预算数", "560.25"),
         figures=F("564.25", "560.25", "-4")),
    Case("A2", "insufficient_data", "income", cut("T1")),
    Case("A3", "pass", "T3:2010350"),
    Case("A3", "fail", "T3:2010350", fact("T3", "2010350", "基本支出", "290.25"),
         figures=F("296.25", "290.25", "-6")),
    Case("A3", "insufficient_data", "T3", cut("T3")),
    Case("A4", "pass", "T3:20103:合计"),
    Case("A4", "fail", "T3:total:合计", fact("T3", "total", "合计", "570.25"),
         figures=F("570.25", "564.24", "-6.01")),  # the classes add up to 564.24 (the seed's rounding tail)
    Case("A4", "insufficient_data", "T3", cut("T3")),
    Case("A5", "pass", "T4:balance:预算数"),
    Case("A5", "fail", "T4:balance:预算数", fact("T4", "expenditure_total", "预算数", "570.25"),
         figures=F("564.25", "570.25", "6")),
    Case("A5", "insufficient_data", "T4", cut("T4")),
    Case("A6", "pass", "T5-1:2010350:合计=基本+项目"),
    Case("A6", "fail", "T5-1:2010399:合计=基本+项目", fact("T5-1", "2010399", "合计", "119.5"),
         figures=F("119.5", "109.5", "-10")),
    Case("A6", "insufficient_data", "T5-1", cut("T5-1")),
    Case("A7", "pass", "T6:30101:合计=人员+公用"),
    Case("A7", "fail", "T6:30101:合计=人员+公用", fact("T6", "30101", "人员经费", "80.8"),
         figures=F("82.8", "80.8", "-2")),
    Case("A7", "insufficient_data", "T6", cut("T6")),
    Case("A8", "pass", "total"),
    Case("A8", "fail", "total", fact("T7", "total", "合计", "0.3"), figures=F("0.3", "0.2", "-0.1")),
    Case("A8", "insufficient_data", "total", cut("T7")),
    Case("A9", "pass", "T10:118001:合计:Σ项目"),
    Case("A9", "fail", "T10:118001:合计:Σ项目", fact("T10", "42010426118T000000100", "合计", "7.8"),
         figures=F("109.5", "110.5", "1")),  # projects 7.8 + 102.7 under a unit subtotal of 109.5
    Case("A9", "insufficient_data", "T10", cut("T10")),
    Case("A10", "pass", "T11:income:当年预算"),
    Case("A10", "fail", "T11:income:当年预算", fact("T11", "t11:income:fiscal", "当年预算", "560.25"),
         figures=F("564.25", "560.25", "-4")),
    Case("A10", "insufficient_data", "T11", cut("T11")),

    # across tables: one side changed; the other side's table missing
    Case("B1", "pass", "income_total"),
    Case("B1", "fail", "income_total", fact("T2", "total", "合计", "570.25"), figures=F("564.25", "570.25", "6")),
    Case("B1", "insufficient_data", "tables", cut("T2")),
    Case("B2", "pass", "total"),
    Case("B2", "fail", "total", fact("T3", "total", "合计", "570.25"), figures=F("564.25", "570.25", "6")),
    Case("B2", "insufficient_data", "total", cut("T3")),
    # the seed's income is all 财政拨款, so T1 = T4 is required (not only T4 <= T1)
    Case("B3", "pass", "income_total"),
    Case("B3", "fail", "income_total", fact("T4", "income_total", "预算数", "560.25"),
         figures=F("564.25", "560.25", "-4")),
    Case("B3", "insufficient_data", "tables", cut("T4")),
    Case("B4", "pass", "total"),
    Case("B4", "fail", "total", fact("T5-1", "total", "合计", "570.25"), figures=F("564.25", "570.25", "6")),
    Case("B4", "insufficient_data", "tables", cut("T5-1")),
    Case("B5", "pass", "public"),
    Case("B5", "fail", "public", fact("T6", "total", "公用经费", "22.89"), figures=F("22.79", "22.89", "0.1")),
    Case("B5", "insufficient_data", "public", cut("T6")),
    Case("B6", "pass", "T3"),
    Case("B6", "fail", "T3", fact("T10", "total", "合计", "119.5"), figures=F("109.5", "119.5", "10")),
    Case("B6", "insufficient_data", "T3", cut("T10")),
    Case("B7", "pass", "sangong:reception"),
    Case("B7", "fail", "sangong:reception", fact("T6", "30217", "合计", "0.3"), figures=F("0.2", "0.3", "0.1")),
    Case("B7", "insufficient_data", "sangong:reception", cut("T7")),
    # pass on printed money on both sides (T8 spends 5, T4 receives 5 of 政府性基金), not on two blanks
    Case("B8", "pass", "T8", seed(lambda x: t8_spends(x, t4_fund=True))),
    Case("B8", "fail", "T8", seed(lambda x: t8_spends(x, t4_fund=False)), figures=F("0", "5", None)),
    Case("B8", "insufficient_data", "T8", cut("T4")),
    Case("B9", "pass", "unit:118001"),
    Case("B9", "fail", "unit:118001", seed(lambda x: with_label(x, "T10", "118001", "硚口区另一单位")),
         figures=NO_FIGURES),
    Case("B9", "insufficient_data", "unit:118001", cut("T2")),
    Case("B10", "pass", f"project:{T12_NAME}"),
    Case("B10", "fail", f"project:{T12_NAME}",
         seed(lambda x: with_yuan(x, "T12", f"project:{T12_NAME}", "项目当年预算", "1037000")),
         figures=F("102.7", "103.7", "1")),
    Case("B10", "insufficient_data", f"project:{T12_NAME}", cut("T10")),
    Case("B11", "pass", "basic"),
    Case("B11", "fail", "basic", fact("T11", "t11:exp:basic", "当年预算", "450.75"),
         figures=F("450.75", "454.75", "4")),
    Case("B11", "insufficient_data", "basic", cut("T3")),

    # narrative against the tables: one claim changed; no claims, or the table missing
    Case("C1", "pass", "share:basic"),
    Case("C1", "fail", "share:basic", said("share", "basic", amount_wan=D("450.75")),
         figures=F("454.75", "450.75", "-4")),
    Case("C1", "insufficient_data", "none", NO_CLAIMS),
    Case("C2", "pass", "func:2010350|事业运行"),
    Case("C2", "fail", "func:20103|财政事务", figures=NO_FIGURES),  # the seed's own misnamed 款 (domain.md)
    Case("C2", "insufficient_data", "none", NO_CLAIMS),
    Case("C3", "pass", "admin_operating"),
    Case("C3", "fail", "admin_operating", said("amount", "admin_operating", amount_wan=D("22.69")),
         figures=F("22.79", "22.69", "-0.1")),
    Case("C3", "insufficient_data", "admin_operating", cut("T6")),
    Case("C4", "pass", "procurement", procurement("10", "4", "3", "3")),
    Case("C4", "fail", "procurement", procurement("10", "4", "3", "4"), figures=F("10", "11", "1")),
    Case("C4", "insufficient_data", "procurement", procurement("10", None, None, None)),  # a total, no parts
    Case("C5", "pass", "gov_fund"),
    # the narrative's 没有使用政府性基金预算安排的支出 against T4 receiving 5 万元 of it
    Case("C5", "fail", "gov_fund", fact("T4", "income:gov_fund", "预算数", "5"), figures=F(None, "5", None)),
    Case("C5", "insufficient_data", "gov_fund", seed(lambda x: without_table(without_table(x, "T8"), "T4"))),

    # the narrative against itself
    Case("D1", "pass", "yoy:total"),
    Case("D1", "fail", "yoy:total", said("yoy", "total", percent=D("4.5")), figures=F("3.4695", "4.5", "1.0305")),
    Case("D1", "insufficient_data", "none", NO_CLAIMS),
    Case("D2", "pass", "share:basic"),
    Case("D2", "fail", "share:basic", said("share", "basic", percent=D("81.2")), figures=F("80.5937", "81.2", "0.6063")),
    Case("D2", "insufficient_data", "none", NO_CLAIMS),
    Case("D3", "pass", "years:yoy"),
    Case("D3", "fail", "years:yoy", said("yoy", "total", prior_year=2024), figures=NO_FIGURES),
    Case("D3", "insufficient_data", "years", NO_CLAIMS),
    Case("D4", "pass", "name", seed(lambda x: with_meta(x, names_seen=["硚口区城市运行管理中心"]))),
    Case("D4", "fail", "name", figures=NO_FIGURES),  # the seed's look-alike spellings 硌口区 / 硃口区
    Case("D4", "insufficient_data", "name", seed(lambda x: with_meta(x, names_seen=[]))),

    # across filings: the seed says 2026 = 564.25, 20.28 less than 2025, so 2025 was 584.53
    Case("E1", "pass", "yoy:total", last_year(lambda x: with_fact(x, "T1", "income_total", "预算数", "584.53"))),
    Case("E1", "fail", "yoy:total", last_year(lambda x: with_fact(x, "T1", "income_total", "预算数", "600")),
         figures=F("600", "584.53", "-15.47")),
    Case("E1", "insufficient_data", "yoy:total"),  # no 2025 filing in the warehouse
    Case("E2", "pass", "t11:income_total:2025", t11_prior("564.25")),
    Case("E2", "fail", "t11:income_total:2025", t11_prior("570.25"), figures=F("564.25", "570.25", "6")),
    Case("E2", "insufficient_data", "t11:income_total:2025", t11_prior("564.25", with_2025=False)),
    Case("E3", "pass", "T1:income_total:年初预算数", final_account("564.25")),
    Case("E3", "fail", "T1:income_total:年初预算数", final_account("570.25"), figures=F("564.25", "570.25", "6")),
    Case("E3", "insufficient_data", "T1:income_total:年初预算数", final_account("564.25", with_budget=False)),
    Case("E4", "pass", "unit:118001:T5-2:合计", unit_118001()),
    Case("E4", "fail", "unit:118001:T5-2:合计", unit_118001(lambda x: with_fact(x, "T5-2", "total", "合计", "570.25")),
         figures=F("564.25", "570.25", "6")),
    Case("E4", "insufficient_data", "unit:118001:T5-2:合计", unit_118001(lambda x: without_table(x, "T5-2"))),
    Case("E5", "pass", "project:42010426118T000000100"),
    # a project code embedding department 119 in department 118's filing
    Case("E5", "fail", "project:42010426119T000000300", fact("T10", "42010426119T000000300", "合计", "1"),
         figures=NO_FIGURES),
    Case("E5", "insufficient_data", "projects", cut("T10")),
    # nine peers per head 10 … 17 and the checked one: median 14, MAD 2, z = 0.6745 (x - 14) / 2
    Case("E6", "pass", "personnel_per_staff", peers("15")),
    Case("E6", "fail", "personnel_per_staff", peers("100"), figures=F("14", "100", "29.0035")),
    Case("E6", "insufficient_data", "personnel_per_staff"),  # no staff number quoted

    # compliance; the seed is published 26 days after 人大 approval (limit 40)
    Case("F1", "pass", "timeliness"),
    Case("F1", "fail", "timeliness", lambda: [(SEED_X, source(published_at="2026-03-01"))],
         figures=F("40", "54", "14")),
    # late by the first crawl alone: the page may have been up for weeks
    Case("F1", "insufficient_data", "timeliness",
         lambda: [(SEED_X, source(published_at="2026-03-01", published_at_source="first_seen"))]),
    Case("F2", "pass", "missing"),
    Case("F2", "fail", "missing", cut("T7"), figures=NO_FIGURES),
    Case("F2", "insufficient_data", "template", seed(lambda x: with_meta(x, template=None))),
    Case("F3", "pass", "section:glossary", sections(*SECTIONS)),
    Case("F3", "fail", "section:glossary", sections(*SECTIONS[:-1]), figures=NO_FIGURES),
    Case("F3", "insufficient_data", "none"),  # no section extracted at all
    Case("F4", "pass", "func"),
    Case("F4", "fail", "func", fact("T5-1", "20199", "合计", "1"), figures=NO_FIGURES),  # a 款 with money, no 项
    Case("F4", "insufficient_data", "func", cut("T5-1")),
    Case("F5", "pass", "unit:118002",
         lambda: [with_second_unit(SEED_X), unit_filing("118001", "b"), unit_filing("118002", "c")]),
    Case("F5", "fail", "unit:118002", lambda: [with_second_unit(SEED_X), unit_filing("118001", "b")],
         figures=NO_FIGURES),
    Case("F5", "insufficient_data", "units", seed(lambda x: without_table(without_table(x, "T2"), "T5-2"))),
]

# (rule id, outcome) -> why the rule's SQL cannot produce that outcome on any input. Empty
# today: every rule of the catalogue can pass, fail and lack data, and the table shows each.
GAPS: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def warehouse():
    w = Warehouse()
    yield w
    w.con.close()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule_outcome(warehouse, case):
    outcome, *figures = warehouse.finding(case.rule, case.filings(), case.subject)
    assert outcome == case.outcome
    if case.outcome == "fail":
        assert tuple(figures) == case.figures


def test_every_catalogue_rule_has_all_three_outcomes_or_a_reason():
    have = [(c.rule, c.outcome) for c in CASES]
    assert len(have) == len(set(have)), "a rule and outcome listed twice"
    assert set(have) & set(GAPS) == set(), "a gap that has a case is no gap"
    assert [k for k, reason in GAPS.items() if not reason.strip()] == []
    grid = {(r, o) for r in RULE_IDS for o in OUTCOMES}
    assert sorted(grid - set(have) - set(GAPS)) == []  # neither a case nor a reason
    assert sorted((set(have) | set(GAPS)) - grid) == []  # not a catalogue rule, or not one of the three


def test_the_table_knows_exactly_the_catalogue():
    assert len(RULE_IDS) == 41
    assert sorted({c.rule for c in CASES} | {r for r, _ in GAPS}) == sorted(RULE_IDS) == sorted(check_files())


def test_every_fail_states_its_figures():
    assert [c.id for c in CASES if c.outcome == "fail" and c.figures is None] == []
