"""Final accounts (部门决算) in the Ministry's nine-table layout (公开01表 … 公开09表).

A year's 决算 starts from that year's budget (the model's lines) and spends each line
at an execution rate; carry-overs close the balance. The narrative quotes the budget as
年初预算 (rule E3) and last year's 决算 totals (year-on-year).
"""
from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from datetime import date

from demo.district import catalogue as cat
from demo.district.compose import Printer, Layout, block, cn, func_rows, pct, w
from demo.district.model import DeptYear, wan

# 区人大常委会 approves the previous year's 决算 in late August.
FINAL_APPROVALS = {2024: date(2025, 8, 27), 2025: date(2026, 8, 26)}


@dataclass
class Final:
    budget: DeptYear  # 年初预算
    actual: DeptYear  # the same lines at their executed amounts
    carry_begin: int
    carry_end: int

    @property
    def year(self) -> int:
        return self.budget.year

    def income_gb(self) -> int:
        return self.actual.by_source("gb") + self.actual.project_total(("gb_carry",)) + self.carry_end - self.carry_begin

    def income_total(self) -> int:
        a = self.actual
        return self.income_gb() + a.by_source("fund") + a.by_source("sc") + a.by_source("biz")

    def grand_total(self) -> int:
        return self.income_total() + self.carry_begin


def final_of(budget: DeptYear, seed: int) -> Final:
    rng = random.Random(f"final|{seed}|{budget.dept.code}|{budget.year}")
    actual = copy.deepcopy(budget)
    for u in actual.units:
        for ln in u.basic:
            ln.yuan = round(ln.yuan * rng.uniform(0.95, 1.03))
        for p in u.projects:
            p.lines = [(e, round(y * rng.uniform(0.82, 1.0))) for e, y in p.lines]
    carry_begin = budget.by_source("gb_carry")
    carry_end = round(budget.general() * rng.uniform(0.005, 0.03))
    return Final(budget, actual, carry_begin, carry_end)


def summary(f: Final) -> dict:
    return {"grand_total": f.grand_total(), "expenditure": f.actual.total()}


class FinalComposer:
    def __init__(self, f: Final, prior: dict, name: str | None = None):
        self.f = f
        self.a = f.actual
        self.year = f.year
        self.prior = prior  # summary of last year's 决算
        self.name = name or f.budget.dept.name
        self.p = Printer(Layout())

    def table(self, n, title, blocks, statement=""):
        return {"id": f"F{n}", "caption": f"公开{n:02d}表", "title": title, "dept_line": f"部门：[{self.f.budget.dept.code}]{self.name}",
                "unit_line": "金额单位：万元", "notes": [], "blocks": blocks, "statement": statement}

    def func_values(self, sources, cols) -> dict[str, list[int]]:
        vals: dict[str, list[int]] = {}
        for ln in self.a.lines():
            v = vals.setdefault(ln.func, [0, 0, 0])
            v[0] += ln.yuan
            v[1] += ln.yuan
        for pr in self.a.projects():
            if pr.source in sources:
                v = vals.setdefault(pr.func, [0, 0, 0])
                v[0] += pr.yuan
                v[2] += pr.yuan
        return vals

    def tree(self, head, vals, width, header_rows, lead_total="合计"):
        p = self.p
        n = len(next(iter(vals.values())))
        total = [sum(v[i] for v in vals.values()) for i in range(n)]
        rows = [list(r) for r in head] + [["", lead_total] + [p(x) for x in total] + [""] * (width - 2 - n)]
        bold = [len(head)]
        for cells, name, v, b in func_rows(vals, False):
            if b:
                bold.append(len(rows))
            rows.append(cells + [name] + [p(x) for x in v] + [""] * (width - 2 - n))
        return block(rows, header_rows, bold)

    def t1(self):
        p, a, f = self.p, self.a, self.f
        ct = {}
        for ln in a.lines():
            ct[ln.func[:3]] = ct.get(ln.func[:3], 0) + ln.yuan
        for pr in a.projects():
            ct[pr.func[:3]] = ct.get(pr.func[:3], 0) + pr.yuan
        income = [("一般公共预算财政拨款收入", f.income_gb()), ("政府性基金预算财政拨款收入", a.by_source("fund")),
                  ("国有资本经营预算财政拨款收入", a.by_source("sc")), ("上级补助收入", 0), ("事业收入", a.by_source("biz")),
                  ("经营收入", 0), ("附属单位上缴收入", 0), ("其他收入", 0)]
        rows = [["收入", "", "", "支出", "", ""], ["项目", "行次", "金额", "项目", "行次", "金额"],
                ["栏次", "", "1", "栏次", "", "2"]]
        classes = list(cat.CLASSES.items())
        for i, (code, name) in enumerate(classes):
            left = [f"{cn(i + 1)}、{income[i][0]}", str(i + 1), p(income[i][1])] if i < len(income) else ["", str(i + 1), ""]
            rows.append(left + [f"{cn(i + 1)}、{name}", str(len(classes) + 6 + i), p(ct.get(code, 0))])
        n = len(classes)
        rows.append(["本年收入合计", str(n + 1), p(f.income_total()), "本年支出合计", str(2 * n + 6), p(a.total())])
        rows.append(["使用非财政拨款结余", str(n + 2), "", "结余分配", str(2 * n + 7), ""])
        rows.append(["年初结转和结余", str(n + 3), p(f.carry_begin), "年末结转和结余", str(2 * n + 8), p(f.carry_end)])
        rows.append(["总计", str(n + 4), p(f.grand_total()), "总计", str(2 * n + 9), p(a.total() + f.carry_end)])
        return self.table(1, "收入支出决算总表", [block(rows, 3, spans=[[0, 0, 0, 2], [0, 3, 0, 5]])])

    def t2(self):
        vals = self.func_values(("gb", "fund", "sc", "gb_carry", "biz"), 3)
        f = self.f
        income = {k: [v[0], v[0], 0, 0] for k, v in vals.items()}
        for pr in self.a.projects():
            if pr.source == "biz":
                income[pr.func][1] -= pr.yuan
                income[pr.func][3] += pr.yuan
            if pr.source == "gb_carry":  # spent from last year's money, not this year's income
                income[pr.func][0] -= pr.yuan
                income[pr.func][1] -= pr.yuan
        # this year's 财政拨款 income closes the balance (T1 本年收入合计): the year-end balance is
        # income not spent, and the opening balance not spent on the carried-over projects is too
        op = self.a.units[0].unit.op_code
        unspent = f.carry_begin - self.a.project_total(("gb_carry",))
        income[op][0] += f.carry_end - unspent
        income[op][1] += f.carry_end - unspent
        income = {k: v for k, v in income.items() if v[0]}
        head = [["项目", "", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
                ["科目代码", "科目名称", "", "", "", "", "", "", ""], ["栏次", "", "1", "2", "3", "4", "5", "6", "7"]]
        vals4 = {k: [v[0], v[1], v[2], v[3]] for k, v in income.items()}
        b = self.tree(head, vals4, 9, 3)  # columns: 合计, 财政拨款, 上级补助 (blank), 事业收入
        b["spans"] = [[0, 0, 0, 1]]
        return self.table(2, "收入决算表", [b])

    def t3(self):
        vals = self.func_values(("gb", "fund", "sc", "gb_carry", "biz"), 3)
        head = [["项目", "", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
                ["科目代码", "科目名称", "", "", "", "", "", ""], ["栏次", "", "1", "2", "3", "4", "5", "6"]]
        b = self.tree(head, vals, 8, 3)
        b["spans"] = [[0, 0, 0, 1]]
        return self.table(3, "支出决算表", [b])

    def t4(self):
        p, a, f = self.p, self.a, self.f
        fiscal = ("gb", "fund", "sc", "gb_carry")
        ct = {}
        for ln in a.lines():
            ct[ln.func[:3]] = ct.get(ln.func[:3], 0) + ln.yuan
        for pr in a.projects():
            if pr.source in fiscal:
                ct[pr.func[:3]] = ct.get(pr.func[:3], 0) + pr.yuan
        cur = f.income_gb() + a.by_source("fund") + a.by_source("sc")
        spend = sum(ct.values())
        left = [("一、一般公共预算财政拨款", f.income_gb()), ("二、政府性基金预算财政拨款", a.by_source("fund")),
                ("三、国有资本经营预算财政拨款", a.by_source("sc"))]
        rows = [["收入", "", "支出", ""], ["项目", "金额", "项目", "金额"]]
        used = sorted(ct)
        for i in range(max(len(left), len(used))):
            lhs = [left[i][0], p(left[i][1])] if i < len(left) else ["", ""]
            rhs = [f"{cn(i + 1)}、{cat.CLASSES[used[i]]}", p(ct[used[i]])] if i < len(used) else ["", ""]
            rows.append(lhs + rhs)
        rows.append(["本年收入合计", p(cur), "本年支出合计", p(spend)])
        rows.append(["年初财政拨款结转和结余", p(f.carry_begin), "年末财政拨款结转和结余", p(f.carry_end)])
        rows.append(["总计", p(cur + f.carry_begin), "总计", p(spend + f.carry_end)])
        return self.table(4, "财政拨款收入支出决算总表", [block(rows, 2, spans=[[0, 0, 0, 1], [0, 2, 0, 3]])])

    def t5(self):
        vals = self.func_values(("gb", "gb_carry"), 3)
        head = [["项目", "", "本年支出", "", ""], ["科目代码", "科目名称", "小计", "基本支出", "项目支出"]]
        b = self.tree(head, vals, 5, 2)
        b["spans"] = [[0, 0, 0, 1], [0, 2, 0, 4]]
        return self.table(5, "一般公共预算财政拨款支出决算表", [b])

    def t6(self):
        p = self.p
        econ: dict[str, list[int]] = {}
        for ln in self.a.lines():
            v = econ.setdefault(ln.econ, [0, 0, 0])
            v[0] += ln.yuan
            v[1 if ln.personnel else 2] += ln.yuan
        rows = [["科目代码", "科目名称", "合计", "人员经费", "公用经费"]]
        total = [sum(v[i] for v in econ.values()) for i in range(3)]
        rows.append(["", "合计"] + [p(x) for x in total])
        bold = [1]
        for c3 in sorted({k[:3] for k in econ}):
            keys = sorted(k for k in econ if k.startswith(c3))
            bold.append(len(rows))
            rows.append([c3, cat.ECON_CLASSES[c3]] + [p(sum(econ[k][i] for k in keys)) for i in range(3)])
            rows += [[k, cat.ECON[k]] + [p(x) for x in econ[k]] for k in keys]
        return self.table(6, "一般公共预算财政拨款基本支出决算表", [block(rows, 1, bold)])

    def t_fund(self, n, source, title, word):
        vals = {}
        for pr in self.a.projects():
            if pr.source == source:
                v = vals.setdefault(pr.func, [0, 0, 0])
                v[0] += pr.yuan
                v[2] += pr.yuan
        head = [["项目", "", "本年支出", "", ""], ["科目代码", "科目名称", "合计", "基本支出", "项目支出"]]
        if not vals:
            return self.table(n, title, [block(head, 2, spans=[[0, 0, 0, 1], [0, 2, 0, 4]])],
                              statement=f"说明：{self.name}没有{word}，也没有使用{word}安排的支出，故本表无数据。")
        b = self.tree(head, vals, 5, 2)
        b["spans"] = [[0, 0, 0, 1], [0, 2, 0, 4]]
        return self.table(n, title, [b])

    def t9(self):
        p = self.p
        bud, act = self.f.budget.sangong(), self.a.sangong()
        row = []
        for s in (bud, act):
            row += [p(s["total"], False), p(s["abroad"]), p(s["vehicle"]), p(s["purchase"]), p(s["operation"]), p(s["reception"])]
        head = [["预算数", "", "", "", "", "", "决算数", "", "", "", "", ""],
                ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"] * 2,
                ["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""] * 2]
        spans = [[0, 0, 0, 5], [0, 6, 0, 11], [1, 2, 1, 4], [1, 8, 1, 10], [1, 0, 2, 0], [1, 1, 2, 1], [1, 5, 2, 5],
                 [1, 6, 2, 6], [1, 7, 2, 7], [1, 11, 2, 11]]
        return self.table(9, "一般公共预算财政拨款“三公”经费支出决算表", [block(head + [row], 3, spans=spans)])

    def part3(self, faults: dict | None = None) -> list[dict]:
        faults = faults or {}
        a, f, Y = self.a, self.f, self.year
        P = []

        def h(t):
            P.append({"kind": "heading", "level": 1, "text": t})

        def para(t):
            P.append({"kind": "para", "text": t})

        g = f.grand_total()
        h("一、收入支出决算总体情况说明")
        d = wan(g) - wan(self.prior["grand_total"])
        word, rate = ("增加", "增长") if d >= 0 else ("减少", "降低")
        para(f"{Y} 年度收、支总计 {w(g)} 万元。比 {Y - 1} 年度决算数{word} {abs(d)} 万元，{rate} "
             f"{pct(abs(d), wan(self.prior['grand_total']))}%，主要原因是人员经费正常增长及项目支出调整。")
        h("二、收入决算情况说明")
        it = f.income_total()
        para(f"{Y} 年度本年收入合计 {w(it)} 万元，其中：一般公共预算财政拨款收入 {w(f.income_gb())} 万元，"
             f"占 {pct(wan(f.income_gb()), wan(it))}%；事业收入 {w(a.by_source('biz'))} 万元。")
        h("三、支出决算情况说明")
        t = a.total()
        para(f"{Y} 年度本年支出合计 {w(t)} 万元，其中：基本支出 {w(a.basic())} 万元，占 {pct(wan(a.basic()), wan(t))}%；"
             f"项目支出 {w(a.project_total())} 万元，占 {pct(wan(a.project_total()), wan(t))}%。")
        h("四、财政拨款收入支出决算总体情况说明")
        para(f"{Y} 年度财政拨款收、支总计 {w(it - a.by_source('biz') + f.carry_begin)} 万元。")
        h("五、一般公共预算财政拨款支出决算情况说明")
        plan = f.budget.general() + faults.get("plan_delta", 0)
        spent = a.general()
        para(f"{Y} 年度一般公共预算财政拨款支出年初预算为 {w(plan)} 万元，支出决算为 {w(spent)} 万元，"
             f"完成年初预算的 {pct(wan(spent), wan(plan))}%。")
        h("六、一般公共预算财政拨款基本支出决算情况说明")
        para(f"{Y} 年度一般公共预算财政拨款基本支出 {w(a.basic())} 万元，其中：人员经费 {w(a.personnel())} 万元，"
             f"主要包括基本工资、津贴补贴、奖金、社会保障缴费、住房公积金等；公用经费 {w(a.public())} 万元，"
             "主要包括办公费、差旅费、培训费、公务接待费、工会经费、公务用车运行维护费等。")
        h("七、一般公共预算财政拨款“三公”经费支出决算情况说明")
        bs, s = f.budget.sangong(), a.sangong()
        done = f"，完成预算的 {pct(wan(s['total']), wan(bs['total']))}%" if bs["total"] else ""
        para(f"{Y} 年度“三公”经费财政拨款支出预算为 {w(bs['total'])} 万元，支出决算为 {w(s['total'])} 万元{done}。"
             f"其中：因公出国(境)费支出决算 {w(s['abroad'])} 万元；公务用车购置及运行维护费支出决算 {w(s['vehicle'])} 万元，"
             f"其中：公务用车购置费 {w(s['purchase'])} 万元，公务用车运行维护费 {w(s['operation'])} 万元；"
             f"公务接待费支出决算 {w(s['reception'])} 万元。")
        h("八、政府性基金预算财政拨款收入支出决算情况说明")
        fund = a.by_source("fund")
        para(f"{Y} 年度政府性基金预算财政拨款支出 {w(fund)} 万元。" if fund else
             f"{self.name} {Y} 年度没有使用政府性基金预算安排的支出。")
        h("九、国有资本经营预算财政拨款支出决算情况说明")
        sc = a.by_source("sc")
        para(f"{Y} 年度国有资本经营预算财政拨款支出 {w(sc)} 万元。" if sc else
             f"{self.name} {Y} 年度没有使用国有资本经营预算安排的支出。")
        h("十、其他重要事项的情况说明")
        para(f"(一) 机关运行经费支出情况：{Y} 年度机关运行经费支出 {w(a.public())} 万元。")
        goods = sum(y for pr in a.projects() for e, y in pr.lines if e in ("31002", "31013"))
        services = sum(y for pr in a.projects() for e, y in pr.lines if e == "30227")
        para(f"(二) 政府采购支出情况：{Y} 年度政府采购支出总额 {w(goods + services)} 万元，其中：政府采购货物支出 {w(goods)} 万元、"
             f"政府采购工程支出 0 万元、政府采购服务支出 {w(services)} 万元。")
        para(f"(三) 国有资产占有使用情况：截至 {Y} 年 12 月 31 日，部门共有车辆 {1 if f.budget.dept.has_cars else 0} 辆。")
        para(f"(四) 预算绩效管理情况：{Y} 年度部门对 {len(a.projects())} 个项目开展了绩效自评。")
        return P

    def filing(self, faults: dict | None = None) -> dict:
        Y, name = self.year, self.name
        tables = {"F1": self.t1(), "F2": self.t2(), "F3": self.t3(), "F4": self.t4(), "F5": self.t5(), "F6": self.t6(),
                  "F7": self.t_fund(7, "fund", "政府性基金预算财政拨款收入支出决算表", "政府性基金收入"),
                  "F8": self.t_fund(8, "sc", "国有资本经营预算财政拨款支出决算表", "国有资本经营预算"),
                  "F9": self.t9()}
        order = list(tables)
        p3 = self.part3(faults)
        return {
            "meta": {"region_code": cat.REGION_CODE, "region_name": cat.REGION, "department": name,
                     "department_code": self.f.budget.dept.code, "unit_scope": "部门", "fiscal_year": Y, "kind": "决算",
                     "template": "ministry-final-9"},
            "cover": {"title": name, "subtitle": f"{Y} 年度部门决算"},
            "toc": [
                {"heading": f"第一部分 {name}概况", "items": ["一、部门职责", "二、机构设置"]},
                {"heading": f"第二部分 {name} {Y} 年度部门决算表",
                 "items": [f"{cn(i)}、{tables[t]['title']}" for i, t in enumerate(order, 1)]},
                {"heading": f"第三部分 {name} {Y} 年度部门决算情况说明",
                 "items": [x["text"] for x in p3 if x["kind"] == "heading"]},
                {"heading": "第四部分 名词解释", "items": []},
            ],
            "part_titles": {"1": f"第一部分 {name}概况", "2": f"第二部分 {name} {Y} 年度部门决算表",
                            "3": f"第三部分 {name} {Y} 年度部门决算情况说明", "4": "第四部分 名词解释"},
            "part1": [{"kind": "heading", "level": 1, "text": "一、部门职责"},
                      {"kind": "para", "text": f"{name}负责全区相关领域的政策执行、统筹协调和监督管理工作。"},
                      {"kind": "heading", "level": 1, "text": "二、机构设置"},
                      {"kind": "para", "text": f"纳入{name} {Y} 年度部门决算编制范围的单位共 {len(self.a.units)} 个。"}],
            "table_order": order,
            "tables": tables,
            "part3": p3,
            "part4": [{"kind": "para", "text": "(一) 财政拨款收入：指区级财政当年拨付的资金。"},
                      {"kind": "para", "text": "(二) 年初结转和结余：指以前年度尚未完成、结转到本年按有关规定继续使用的资金。"},
                      {"kind": "para", "text": "(三) 基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"},
                      {"kind": "para", "text": "(四) 项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。"}],
        }


def final_departments(codes: list[str]) -> list[str]:
    """A third of the departments (and the seed's) publish their 决算 in the sample."""
    return [c for c in codes if int(c) % 3 == 0 or c == "118"]

