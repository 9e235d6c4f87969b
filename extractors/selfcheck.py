"""A table's own sums, checked before its facts are emitted (issue 13, "readings that prove themselves").

Every table of the national family carries its proof: 合计 = Σ parts across a row, 类 = Σ 款 =
Σ 项 down a column, 总计 = 本年 + 结转. Offices keep these about 99.8 % of the time, so a reading
that breaks many of them is a misreading (columns swapped or shifted, codes split wrongly), while
one broken identity in an otherwise consistent table is the office's own arithmetic: the reading
passes and the rule that checks the identity still reports it.

Tolerance is the project's one policy (warehouse/policy.sql): a sum of printed terms may differ
from its printed total by the half-units of the last printed digits of every cell involved.
A blank cell is "not printed": a blank total tests nothing; a blank part counts as nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from . import canon
from .amounts import _BLANKS as BLANKS, UNIT_FACTORS, normalize_cell
from .model import Fact

_DECIMALS_RE = re.compile(r"\.(\d+)")
_DIGITS_RE = re.compile(r"^\d+$")

# A subtotal column and the parts it adds up; when the subtotal is not printed in a row, its
# parts stand in for it in the row's total.
PARTS: dict[str, list[str]] = {
    "基本支出": ["基本支出/人员经费", "基本支出/公用经费"],
    "基本支出/小计": ["基本支出/人员经费", "基本支出/公用经费"],
    "公务用车购置及运行费/小计": ["公务用车购置及运行费/公务用车购置费", "公务用车购置及运行费/公务用车运行费"],
    "本年收入/财政拨款收入": ["本年收入/一般公共预算", "本年收入/政府性基金预算", "本年收入/国有资本经营预算"],
}
_T2_CURRENT = ["本年收入/财政拨款收入", "本年收入/财政专户管理资金", "本年收入/事业收入",
               "本年收入/事业单位经营收入", "本年收入/上级补助收入", "本年收入/附属单位上缴收入", "本年收入/其他收入"]
_T2_CARRY = ["上年结转结余/一般公共预算", "上年结转结余/政府性基金预算", "上年结转结余/国有资本经营预算",
             "上年结转结余/财政专户管理资金", "上年结转结余/单位资金"]
PARTS["本年收入/小计"] = _T2_CURRENT
PARTS["上年结转结余/小计"] = _T2_CARRY

# Per table kind: (total column, term columns) for every printed row.
ROW_SUMS: dict[str, list[tuple[str, list[str]]]] = {
    "T2": [("合计", ["本年收入/小计", "上年结转结余/小计"])],
    "T3": [("合计", ["基本支出", "项目支出", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出",
                    "单位预留机动经费"])],
    "T4": [("合计", ["一般公共预算", "政府性基金预算", "国有资本经营预算"]),
           ("决算数/合计", ["决算数/一般公共预算", "决算数/政府性基金预算", "决算数/国有资本经营预算"])],
    "T5-1": [("合计", ["基本支出/小计", "项目支出"])],
    "T5-2": [("合计", ["基本支出/小计", "项目支出"])],
    "T6": [("合计", ["人员经费", "公用经费"])],
    "T7": [(p + "合计", [p + "因公出国（境）费", p + "公务用车购置及运行费/小计", p + "公务接待费"])
           for p in ("", "年初预算数/")],
    "T8": [("合计", ["基本支出", "项目支出"])],
    # 项目支出表 (A9): each project's 合计 = its funding columns
    "T10": [("合计", [c for c in canon.COLUMNS["T10"] if c != "合计"])],
    "T9": [("合计", ["基本支出", "项目支出"])],
}
# Every subtotal with parts is itself an identity wherever both sides are printed.
for _kind, _sums in ROW_SUMS.items():
    for _total, _terms in list(_sums):
        prefix = _total[: -len("合计")]
        for _t in _terms:
            _bare = _t[len(prefix):]
            if _bare in PARTS:
                _sums.append((_t, [prefix + p for p in PARTS[_bare]]))
ROW_SUMS["T2"].append(("本年收入/财政拨款收入", PARTS["本年收入/财政拨款收入"]))

# Tables whose rows carry classification or unit codes: 类 = Σ 款 = Σ 项 by code prefix.
_BLOCKS = ("年初预算数/", "决算数/")  # column blocks that repeat a table's columns (决算)

HIERARCHY_KINDS = {"T2", "T3", "T5-1", "T5-2", "T6", "T8", "T9"}
SUMMARY_KINDS = {"T1", "T4"}


@dataclass
class Identity:
    what: str  # Chinese, for the detail
    total: Fact
    terms: list[Fact]
    # 'row': across the amount columns of one row (a column order read wrong shows here);
    # 'column': down one column (类 = Σ 款, 总计 = 本年 + 结转: rows or codes read wrong show here)
    family: str = "row"

    def difference(self) -> Decimal:
        return sum((t.amount_wan for t in self.terms), Decimal(0)) - self.total.amount_wan

    def tolerance(self) -> Decimal:
        return half_unit(self.total) + sum((half_unit(t) for t in self.terms), Decimal(0))

    def holds(self) -> bool:
        return abs(self.difference()) <= self.tolerance()


@dataclass
class Verdict:
    outcome: str  # 'pass', 'fail' or 'unchecked'
    tested: int
    failed: list[Identity]
    detail: str


# Tables no sum is checked on: the 绩效目标 forms (T11, T12: their figures are checked by A10 and
# B10, across the form), and a table whose amounts were not read.
FORM_VERDICT = Verdict("unchecked", 0, [], "绩效目标表为表单，不做表内加总自检")
NOTHING_READ = Verdict("unchecked", 0, [], "未读取金额，无从自检")


def half_unit(f: Fact) -> Decimal:
    """Half a unit of the cell's last printed digit, in 万元."""
    m = _DECIMALS_RE.search(normalize_cell(f.printed_value))
    decimals = len(m.group(1)) if m else 0
    return Decimal("0.5") * Decimal(10) ** -decimals * UNIT_FACTORS.get(f.printed_unit, Decimal(1))


def _printed(f: Fact | None) -> bool:
    return f is not None and f.amount_wan is not None


def _row_key(f: Fact) -> tuple:
    # The cells of one printed row: same row code, page and line (bbox top); tables without
    # coordinates (XLSX, HTML) fall back on the printed label.
    top = round(f.bbox[1]) if f.bbox else f.row_label
    return (f.row_code, f.page, top)


def _cell_key(f: Fact) -> tuple:
    # One printed cell may stand under two column labels (收入总表's 合计 read as 本年收入小计 too).
    return (f.page, f.bbox, f.printed_value) if f.bbox else (f.row_code, f.row_label, f.column_label, f.page)


def _row_label(code: str, label: str) -> str:
    return "合计行" if code == canon.TOTAL else f"{code} {label}".strip() + " 行"


def row_identities(kind: str, facts: list[Fact]) -> list[Identity]:
    rows: dict[tuple, dict[str, Fact]] = {}
    for f in facts:
        rows.setdefault(_row_key(f), {}).setdefault(f.column_label, f)
    out = []
    for (code, _, _), cells in rows.items():
        label = next(iter(cells.values())).row_label
        for total, terms in ROW_SUMS.get(kind, []):
            if not _printed(cells.get(total)):
                continue  # a blank total is not printed: nothing to test
            got = [g for t in terms for g in _expand(t, cells)]
            if got:
                out.append(Identity(f"{_row_label(code, label)}：{total} = {' + '.join(terms)}", cells[total], got))
    return out


def _expand(term: str, cells: dict[str, Fact]) -> list[Fact]:
    """The printed cell of a term, or, where it is not printed, the printed cells of its parts."""
    if _printed(cells.get(term)):
        return [cells[term]]
    prefix, bare = "", term
    if term.startswith(_BLOCKS):
        prefix, bare = term.split("/", 1)
        prefix += "/"
    return [g for p in PARTS.get(bare, []) for g in _expand(prefix + p, cells)]


def _namespace(code: str) -> tuple[str, str]:
    ns, _, leaf = code.rpartition("/")
    return ns, leaf


def hierarchy_identities(facts: list[Fact]) -> list[Identity]:
    """Per column: parent code = Σ its direct children (by code prefix); 合计 = Σ top-level codes."""
    cells: dict[tuple[str, str], dict[str, list[Fact]]] = {}
    totals: dict[str, list[Fact]] = {}
    for f in facts:
        if not _printed(f):
            continue
        if f.row_code == canon.TOTAL:
            totals.setdefault(f.column_label, []).append(f)
            continue
        ns, leaf = _namespace(f.row_code)
        if _DIGITS_RE.match(leaf) and len(leaf) >= 3:
            cells.setdefault((ns, f.column_label), {}).setdefault(leaf, []).append(f)
    out = []
    for (ns, column), by_code in cells.items():
        # A code printed twice with different amounts (two units' rows) has no single value.
        single = {c: fs[0] for c, fs in by_code.items()
                  if len({x.amount_wan for x in fs}) == 1}
        codes = sorted(single)
        parent_of: dict[str, str | None] = {}
        for c in codes:
            ancestors = [p for p in codes if p != c and c.startswith(p)]
            parent_of[c] = max(ancestors, key=len) if ancestors else None
        children: dict[str | None, list[str]] = {}
        for c, p in parent_of.items():
            children.setdefault(p, []).append(c)
        for p, kids in children.items():
            if p is None:
                continue
            out.append(Identity(f"「{column}」列：{p} {single[p].row_label} = 其下各级科目之和",
                                single[p], [single[k] for k in kids], "column"))
        tops = children.get(None, [])
        if ns == "" and tops and len({len(c) for c in tops}) == 1 and len(totals.get(column, [])) == 1:
            out.append(Identity(f"「{column}」列：合计 = 各{len(tops[0])}位科目之和",
                                totals[column][0], [single[c] for c in tops], "column"))
    return out


def summary_identities(facts: list[Fact]) -> list[Identity]:
    """T1 / T4, per amount column: 总计 = 本年合计 + 结转, each side; 收入总计 = 支出总计."""
    by_col: dict[str, dict[str, Fact]] = {}
    for f in facts:
        if _printed(f):
            by_col.setdefault(f.column_label, {}).setdefault(f.row_code, f)
    out = []
    for column, rows in by_col.items():
        for side, zh in (("income", "收入"), ("expenditure", "支出")):
            total, current, carry = rows.get(f"{side}_total"), rows.get(f"{side}_current"), rows.get(f"{side}_carryover")
            if total is None or current is None or total is current:
                continue
            terms = [current]
            if carry is not None:
                terms.append(carry)
            elif side == "income":
                terms += [f for code, f in rows.items() if code.startswith("carryover:")]
            out.append(Identity(f"「{column}」列：{zh}总计 = 本年{zh}合计 + 结转", total, terms, "column"))
        if "income_total" in rows and "expenditure_total" in rows:
            out.append(Identity(f"「{column}」列：收入总计 = 支出总计", rows["income_total"],
                                [rows["expenditure_total"]], "column"))
    return out


def identities(kind: str, facts: list[Fact]) -> list[Identity]:
    if kind in SUMMARY_KINDS:
        return summary_identities(facts) + (row_identities(kind, facts) if kind == "T4" else [])
    out = row_identities(kind, facts)
    if kind in HIERARCHY_KINDS:
        out += hierarchy_identities(facts)
    return out


def _one_cell_explains(failed: list[Identity]) -> bool:
    """True when one printed cell lies in every failing identity: a single wrong figure."""
    common: set | None = None
    for i in failed:
        keys = {_cell_key(i.total)} | {_cell_key(t) for t in i.terms}
        common = keys if common is None else common & keys
        if not common:
            return False
    return bool(common)


def _one_amount_explains(failed: list[Identity]) -> bool:
    """True when every failing identity is off by the same amount: one figure wrong and carried
    into the subtotals above it (an item's column raised by 1 with its 款, 类 and 合计), or one
    unit's row raised in every column. A misreading (columns exchanged or shifted) is off by a
    different amount in each row."""
    first = abs(failed[0].difference()) if failed else None
    return bool(failed) and all(abs(abs(i.difference()) - first) <= i.tolerance() + failed[0].tolerance()
                                for i in failed)


def is_misreading(tested: list[Identity], failed: list[Identity]) -> bool:
    """More than two identities failing, more than a fifth of those tested of their family (row
    sums or column sums: a column order read wrong breaks row sums only, while the column sums
    of relabelled columns still hold and would dilute the share), and no single cell or single
    amount to blame: the reading, not the office, is wrong."""
    if _one_cell_explains(failed) or _one_amount_explains(failed):
        return False
    for family in ("row", "column"):
        n = sum(1 for i in failed if i.family == family)
        if n > 2 and n * 5 > sum(1 for i in tested if i.family == family):
            return True
    return False


def misplaced(facts: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    """Cells a reading put where no printed table has them, whatever the sums say: words in an
    amount column ("商品和服务支出" under 公用经费: a code | name | amount block read as amounts),
    and a second cell of one printed row under a column label the row already has (two columns
    mapped to one label). Neither occurs in any table of the corpus as its profiles read it."""
    words = [f for f in facts if f.amount_wan is None and normalize_cell(f.printed_value) not in BLANKS]
    seen: set[tuple] = set()
    twice = []
    for f in facts:  # one Fact per printed cell and label
        key = (_row_key(f), f.column_label)
        if key in seen:
            twice.append(f)
        seen.add(key)
    return words, twice


def check_table(kind: str, facts: list[Fact]) -> Verdict:
    words, twice = misplaced(facts)
    if len(words) > 2 or twice:
        what = []
        if twice:
            what.append(f"{len(twice)} 个单元格与同行另一单元格同属“{twice[0].column_label}”列")
        if len(words) > 2:
            what.append(f"金额列中有 {len(words)} 个非金额文字（如“{words[0].printed_value}”）")
        return Verdict("fail", 0, [], "表格可能读错（列标题与数据错位）：" + "；".join(what))
    tested = identities(kind, facts)
    failed = [i for i in tested if not i.holds()]
    if not tested:
        return Verdict("unchecked", 0, [], "没有可核对的恒等关系（表内无合计或无分项）")
    if is_misreading(tested, failed):
        outcome = "fail"
        detail = f"{len(tested)} 项恒等关系中 {len(failed)} 项不成立，表格可能读错（列错位或科目拆分有误）"
    elif failed:
        outcome = "pass"
        detail = f"{len(tested)} 项恒等关系中 {len(failed)} 项不成立（个别差异，按原表照录，由核对规则报告）"
    else:
        return Verdict("pass", len(tested), [], f"{len(tested)} 项恒等关系全部成立")
    first = failed[0]
    detail += f"；例：{first.what}，相差 {_fmt(first.difference())} 万元"
    return Verdict(outcome, len(tested), failed, detail)


def _fmt(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


def score(verdict: Verdict) -> tuple[int, int]:
    """Order readings: fewer failing identities first, then more identities tested."""
    return (len(verdict.failed), -verdict.tested)


def stamp(facts: list[Fact], verdict: Verdict, read_method: str) -> None:
    for f in facts:
        f.read_method = read_method
        f.table_check = verdict.outcome
