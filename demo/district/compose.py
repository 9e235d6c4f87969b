"""A department-year's numbers → a filing dict shaped like the seed (demo.seed_filing).

The layout copies the seed's 12-table Wuhan template (or the 15-table 江岸 one); every
printed amount is formatted from the model's 元 totals, and the narrative is written
with the seed's sentence patterns so the same reader that reads the seed reads these.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from demo.district import catalogue as cat
from demo.district.model import DeptYear, fmt, fmt_wan, wan
from demo.seed_filing import load_seed

CN_NUM = "一二三四五六七八九十"


def cn(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    if n < 20:
        return "十" + CN_NUM[n - 11]
    return CN_NUM[n // 10 - 1] + "十" + (CN_NUM[n % 10 - 1] if n % 10 else "")


@dataclass(frozen=True)
class Layout:
    template: str = "wuhan"  # 'wuhan' (12 tables) | 'jiangan' (15 tables)
    yuan: bool = False  # T1–T10 printed in 元
    three_col: bool = False  # T3 / T5-1 codes as 类 | 款 | 项 columns
    trim: bool = True  # '109.5' rather than '109.50'


def block(rows, header_rows=0, bold=(), spans=()):
    return {"ncols": len(rows[0]), "header_rows": header_rows, "rows": [list(r) for r in rows],
            "bold_rows": list(bold), "spans": [list(s) for s in spans]}


class Printer:
    def __init__(self, layout: Layout):
        self.layout = layout

    def __call__(self, yuan: int | None, blank_zero: bool = True) -> str:
        if yuan is None or (yuan == 0 and blank_zero):
            return ""
        if self.layout.yuan:
            return f"{yuan:,.2f}"
        return fmt(yuan, blank_zero, self.layout.trim)

    @property
    def unit_line(self) -> str:
        return "单位：元" if self.layout.yuan else "单位：万元"


def w(yuan: int) -> str:
    """A narrative amount in 万元 ('564.25')."""
    return fmt(yuan, blank_zero=False) or "0"


def pct(part: Decimal, whole: Decimal) -> str:
    if whole == 0:
        return "0"
    return f"{(part / whole * 100).quantize(Decimal('0.01'))}"


# ---------------------------------------------------------------- hierarchy helpers

def func_rows(values: dict[str, list[int]], three_col: bool) -> list[tuple[list[str], str, list[int], bool]]:
    """项 values → printed rows (code cells, name, column sums, bold) for 类 / 款 / 项."""
    out = []
    classes = sorted({c[:3] for c in values})
    for c3 in classes:
        items = sorted(k for k in values if k.startswith(c3))
        out.append((c3, cat.func_name(c3), _colsum(values, items), True))
        for c5 in sorted({k[:5] for k in items}):
            sub = [k for k in items if k.startswith(c5)]
            out.append((c5, cat.func_name(c5), _colsum(values, sub), True))
            for k in sub:
                out.append((k, cat.func_name(k), values[k], False))
    rows = []
    for code, name, vals, bold in out:
        cells = [code[:3], code[3:5], code[5:7]] if three_col else [code]
        rows.append((cells, name, vals, bold))
    return rows


def _colsum(values, keys):
    return [sum(values[k][i] for k in keys) for i in range(len(values[keys[0]]))]


# ---------------------------------------------------------------- composer

class Composer:
    def __init__(self, dy: DeptYear, history: dict[int, dict], layout: Layout, scope: str = "部门",
                 name: str | None = None):
        self.dy = dy
        self.year = dy.year
        self.hist = history  # {year: summary dict of earlier budgets}
        self.layout = layout
        self.p = Printer(layout)
        self.scope = scope
        self.name = name or dy.dept.name
        self.seed = load_seed()

    # ---- values
    def func_values(self, general_only: bool) -> dict[str, list[int]]:
        """项 → [合计, 基本, 人员, 公用, 项目] (T5) or [合计, 基本, 项目] (T3)."""
        vals: dict[str, list[int]] = {}
        for ln in self.dy.lines():
            v = vals.setdefault(ln.func, [0, 0, 0, 0, 0])
            v[0] += ln.yuan
            v[1] += ln.yuan
            v[2 if ln.personnel else 3] += ln.yuan
        for pr in self.dy.projects():
            if general_only and pr.source not in ("gb", "gb_carry"):
                continue
            v = vals.setdefault(pr.func, [0, 0, 0, 0, 0])
            v[0] += pr.yuan
            v[4] += pr.yuan
        if general_only:
            return vals
        return {k: [v[0], v[1], v[4]] for k, v in vals.items()}

    def class_totals(self, sources=None) -> dict[str, int]:
        out: dict[str, int] = {}
        for ln in self.dy.lines():
            out[ln.func[:3]] = out.get(ln.func[:3], 0) + ln.yuan
        for pr in self.dy.projects():
            if sources is None or pr.source in sources:
                out[pr.func[:3]] = out.get(pr.func[:3], 0) + pr.yuan
        return out

    def dept_line(self) -> str:
        return f"部门/单位：{self.name}"

    def table(self, tid, caption, title, blocks, statement="", unit=True, notes=()):
        return {"id": tid, "caption": caption, "title": title, "dept_line": self.dept_line(),
                "unit_line": self.p.unit_line if unit else "", "notes": list(notes), "blocks": blocks,
                "statement": statement}

    # ---- tables
    def t1(self):
        dy, p = self.dy, self.p
        t = copy.deepcopy(self.seed["tables"]["T1"])
        rows = t["blocks"][0]["rows"]
        income = [dy.by_source("gb"), dy.by_source("fund"), dy.by_source("sc"), 0, dy.by_source("biz"), 0, 0, 0, 0]
        carry = dy.by_source("gb_carry")
        ct = self.class_totals()
        for i, code in enumerate(cat.CLASSES):
            r = rows[2 + i]
            if i < 9:
                r[1] = p(income[i])
            r[3] = p(ct.get(code, 0))
        cur_in = sum(income)
        rows[28][1], rows[28][3] = p(cur_in), p(dy.total())
        rows[29][1], rows[29][3] = p(carry), ""
        rows[30][1], rows[30][3] = p(cur_in + carry), p(dy.total())
        t["dept_line"], t["unit_line"] = self.dept_line(), p.unit_line
        return t

    def entity_rows(self, values) -> list[tuple[str, str, Any]]:
        """(code, name, values(entity)) for the 合计 row, the department row and each unit."""
        rows = [("", "合计", values(self.dy)), (self.dy.dept.code, self.dy.dept.formal, values(self.dy))]
        for u in self.dy.units:
            rows.append((u.unit.code, u.unit.name, values(self.dy.only(u.unit.code))))
        return rows

    def t2(self):
        p = self.p
        hdr = copy.deepcopy(self.seed["tables"]["T2"]["blocks"][0])

        def vals(d: DeptYear):
            cur = [d.by_source("gb"), d.by_source("fund"), d.by_source("sc"), 0, d.by_source("biz"), 0, 0, 0, 0]
            car = [d.by_source("gb_carry"), 0, 0, 0, 0]
            return [sum(cur) + sum(car), sum(cur), *cur, sum(car), *car]

        rows = hdr["rows"][:2]
        for code, name, v in self.entity_rows(vals):
            rows.append([code, name] + [p(x) for x in v])
        hdr["rows"] = rows
        return self.table("T2", "表 2.收入预算总表", "收入总表", [hdr])

    def t3(self):
        vals = self.func_values(general_only=False)
        three = self.layout.three_col
        p = self.p
        if three:
            head = [["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出", "事业单位经营支出", "上缴上级支出",
                     "对附属单位补助支出"], ["类", "款", "项", "", "", "", "", "", "", ""]]
            spans = [[0, 0, 0, 2]] + [[0, c, 1, c] for c in range(3, 10)]
        else:
            head = [["科目编码", "科目名称", "合计", "基本支出", "项目支出", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出"]]
            spans = []
        ncode = 3 if three else 1
        total = [sum(v[i] for v in vals.values()) for i in range(3)]
        rows = head + [[""] * ncode + ["合计"] + [p(x) for x in total] + ["", "", ""]]
        bold = [len(head)]
        for cells, name, v, b in func_rows(vals, three):
            if b:
                bold.append(len(rows))
            rows.append(cells + [name] + [p(x) for x in v] + ["", "", ""])
        return self.table("T3", "表 3.支出预算总表", "支出总表", [block(rows, len(head), bold, spans)])

    def t4(self):
        dy, p = self.dy, self.p
        t = copy.deepcopy(self.seed["tables"]["T4"])
        rows = t["blocks"][0]["rows"]
        fiscal = ("gb", "fund", "sc", "gb_carry")
        gb, fund, sc, carry = (dy.by_source(s) for s in fiscal)
        cur = gb + fund + sc
        left = [cur, gb, fund, sc, carry, carry, 0, 0]
        for i, v in enumerate(left):
            rows[2 + i][1] = p(v)
        ct = self.class_totals(fiscal)
        spend = sum(ct.values())
        rows[2][3] = p(spend)
        for i, code in enumerate(cat.CLASSES):
            rows[3 + i][3] = p(ct.get(code, 0))
        rows[-1][1], rows[-1][3] = p(cur + carry), p(spend)
        t["dept_line"], t["unit_line"] = self.dept_line(), p.unit_line
        return t

    def t5_1(self):
        vals = self.func_values(general_only=True)
        vals = {k: v for k, v in vals.items() if v[0]}
        three = self.layout.three_col
        p = self.p
        if three:
            head = [["科目编码", "", "", "科目名称", "合计", "基本支出", "", "", "项目支出"],
                    ["类", "款", "项", "", "", "小计", "人员经费", "公用经费", ""]]
            spans = [[0, 0, 0, 2], [0, 3, 1, 3], [0, 4, 1, 4], [0, 5, 0, 7], [0, 8, 1, 8]]
        else:
            head = copy.deepcopy(self.seed["tables"]["T5-1"]["blocks"][0]["rows"][:2])
            spans = self.seed["tables"]["T5-1"]["blocks"][0]["spans"]
        ncode = 3 if three else 1
        total = [sum(v[i] for v in vals.values()) for i in range(5)]
        rows = head + [[""] * ncode + ["合计"] + [p(x) for x in total]]
        bold = [2]
        for cells, name, v, b in func_rows(vals, three):
            if b:
                bold.append(len(rows))
            rows.append(cells + [name] + [p(x) for x in v])
        return self.table("T5-1", "表 5-1.一般公共预算支出表（分功能科目）", "一般公共预算支出表(分功能科目)",
                          [block(rows, 2, bold, spans)])

    def t5_2(self):
        p = self.p
        b = copy.deepcopy(self.seed["tables"]["T5-2"]["blocks"][0])

        def vals(d: DeptYear):
            proj = d.project_total(("gb", "gb_carry"))
            return [d.general(), d.basic(), d.personnel(), d.public(), proj]

        b["rows"] = b["rows"][:2] + [[c, n] + [p(x) for x in v] for c, n, v in self.entity_rows(vals)]
        return self.table("T5-2", "表 5-2.一般公共预算支出表（分单位）", "一般公共预算支出表(分单位)", [b])

    def t6(self):
        p = self.p
        econ: dict[str, list[int]] = {}
        for ln in self.dy.lines():
            v = econ.setdefault(ln.econ, [0, 0, 0])
            v[0] += ln.yuan
            v[1 if ln.personnel else 2] += ln.yuan
        head = copy.deepcopy(self.seed["tables"]["T6"]["blocks"][0]["rows"][:2])
        total = [sum(v[i] for v in econ.values()) for i in range(3)]
        rows = head + [["", "合计"] + [p(x) for x in total]]
        bold = [2]
        for c3 in sorted({k[:3] for k in econ}):
            keys = sorted(k for k in econ if k.startswith(c3))
            bold.append(len(rows))
            rows.append([c3, cat.ECON_CLASSES[c3]] + [p(sum(econ[k][i] for k in keys)) for i in range(3)])
            for k in keys:
                rows.append([k, cat.ECON[k]] + [p(x) for x in econ[k]])
        spans = self.seed["tables"]["T6"]["blocks"][0]["spans"]
        return self.table("T6", "表 6.一般公共预算基本支出表", "一般公共预算基本支出表", [block(rows, 2, bold, spans)])

    def t7(self):
        s = self.dy.sangong()
        b = copy.deepcopy(self.seed["tables"]["T7"]["blocks"][0])
        p = self.p
        b["rows"] = b["rows"][:2] + [[p(s["total"], False), p(s["abroad"]), p(s["vehicle"]), p(s["purchase"]),
                                      p(s["operation"]), p(s["reception"])]]
        return self.table("T7", "表 7.一般公共预算“三公”经费支出表", "一般公共预算“三公”经费支出表", [b])

    def fund_table(self, tid, source, caption, title, word):
        b = copy.deepcopy(self.seed["tables"][tid]["blocks"][0])
        vals = {}
        for pr in self.dy.projects():
            if pr.source == source:
                v = vals.setdefault(pr.func, [0, 0, 0])
                v[0] += pr.yuan
                v[2] += pr.yuan
        if not vals:
            return self.table(tid, caption, title, [b], statement=f"本单位 {self.year} 年无{word}")
        p = self.p
        total = [sum(v[i] for v in vals.values()) for i in range(3)]
        rows = b["rows"][:2] + [["", "合计"] + [p(x) for x in total]]
        bold = [2]
        for cells, name, v, bb in func_rows(vals, False):
            if bb:
                bold.append(len(rows))
            rows.append(cells + [name] + [p(x) for x in v])
        b["rows"], b["bold_rows"] = rows, bold
        return self.table(tid, caption, title, [b])

    def t10(self):
        p = self.p
        b = copy.deepcopy(self.seed["tables"]["T10"]["blocks"][0])
        cols = ("gb", "fund", "sc", "gb_carry")

        def vals(prs):
            v = [sum(x.yuan for x in prs)] + [sum(x.yuan for x in prs if x.source == s) for s in cols]
            return v[:4] + [v[4], 0, 0, 0, sum(x.yuan for x in prs if x.source == "biz")]

        allp = self.dy.projects()
        rows = b["rows"][:2] + [["", "", ""] + [p(x) for x in vals(allp)]]
        rows.append([self.dy.dept.code, self.dy.dept.formal, ""] + [p(x) for x in vals(allp)])
        for u in self.dy.units:
            if not u.projects:
                continue
            rows.append([u.unit.code, u.unit.name, ""] + [p(x) for x in vals(u.projects)])
            rows.append(["31", "本级支出项目", ""] + [p(x) for x in vals(u.projects)])
            for pr in u.projects:
                rows.append([pr.code, pr.name, u.unit.name] + [p(x) for x in vals([pr])])
        b["rows"] = rows
        return self.table("T10", "表 10.项目支出表", "项目支出表", [b])

    def t11(self):
        dy = self.dy
        b = copy.deepcopy(self.seed["tables"]["T11"]["blocks"][0])
        rows = b["rows"][:11] + [[""] * 7]
        rows[0][1] = dy.dept.formal if self.scope == "部门" else self.name
        y1, y2 = self.year - 2, self.year - 1
        rows[3][5], rows[3][6] = f"{y1} 年", f"{y2} 年"
        h1, h2 = self.hist[y1], self.hist[y2]
        total = dy.total()
        fiscal = total - dy.by_source("biz")
        cur = [fiscal, dy.by_source("biz"), total, dy.basic(), dy.project_total(), total]
        keys = ["fiscal", "other", "total", "basic", "project", "total"]
        twhole = wan(total)
        for i, (v, k) in enumerate(zip(cur, keys)):
            r = rows[4 + i]
            r[3] = fmt(v, blank_zero=False) or "0"
            r[4] = (pct(wan(v), twhole).rstrip("0").rstrip(".") + "%") if v else "0%"
            r[5] = fmt(h1[k], blank_zero=False) or "0"
            r[6] = fmt(h2[k], blank_zero=False) or "0"
        rows[10] = ["部门职能概述", "；".join(d.rstrip("。") for d in self.duties()) + "。", "", "", "", "", ""]
        rows[11] = ["年度工作任务", f"围绕区委、区政府中心工作，做好{self.short()}{self.year}年度各项工作，保障机构正常运转。",
                    "", "", "", "", ""]
        b["rows"] = rows
        b["spans"] = [s for s in b["spans"] if s[0] <= 10] + [[11, 1, 11, 6]]
        title = f"{self.year} 年{self.short_title()}整体支出绩效目标申报表"
        return {"id": "T11", "caption": "表 11.部门整体支出绩效目标表", "title": title, "dept_line": "",
                "unit_line": "", "notes": ["部门盖章：", "监督评价科盖章："], "blocks": [b], "statement": ""}

    def t12(self):
        forms = []
        tmpl = self.seed["tables"]["T12"]["forms"][0]["blocks"]
        for i, pr in enumerate(self.dy.projects(), start=1):
            a = copy.deepcopy(tmpl[0])
            r = a["rows"]
            unit = next(u.unit.name for u in self.dy.units if u.unit.code == pr.unit_code)
            r[0][1] = pr.name
            r[1][1], r[1][3] = "区政府", unit
            r[2][1], r[2][3] = "（略）", "（略）"
            r[3][1] = "硚口区（略）"
            r[4][1], r[4][3] = "专项业务类", "常年性项目" if pr.recurring else "一次性项目"
            r[5][1], r[5][3] = f"{self.year} 年", f"{self.year} 年"
            r[6][1] = f"保障{self.short()}{pr.name}相关工作顺利开展。"
            r[7][1] = "区委、区政府年度工作部署及相关文件。"
            r[8][1] = f"资金主要投向：{pr.name}，合计 {fmt(pr.yuan, trim=True)} 万元。"
            r[9][1] = r[9][3] = str(pr.yuan)
            for k, yy in enumerate((self.year - 2, self.year - 1)):
                prior = self.hist[yy]["projects"].get((pr.unit_code, pr.serial), 0) if pr.recurring else 0
                r[11 + k][1:5] = [f"{yy} 年", str(prior), str(prior), "100%" if prior else "0%"]
            a["rows"] = r
            bb = copy.deepcopy(tmpl[1])
            fund = bb["rows"]
            amt = str(pr.yuan)
            src = {"gb": (amt, amt, "0", "0", "0", "0"), "gb_carry": (amt, "0", "0", "0", "0", amt),
                   "fund": ("0", "0", amt, "0", "0", "0"), "sc": ("0", "0", "0", amt, "0", "0"),
                   "biz": ("0", "0", "0", "0", amt, "0")}[pr.source]
            fund[1][5] = amt
            if pr.source == "sc":  # the template has no 国有资本经营 line: it takes the 财政专户 line's place
                fund[5][1] = "国有资本经营预算财政拨款"
            for k, v in enumerate(src):
                fund[2 + k][5] = v
            detail = [[cat.ECON[e], str(y), "", "", "", ""] for e, y in pr.lines]
            rows = fund[:10] + detail
            spans = [s for s in bb["spans"] if s[2] <= 9]
            bb["rows"], bb["spans"], bb["bold_rows"] = rows, spans, [8]
            forms.append({"label": f"12-{i}", "title": "项目申报表", "blocks": [a, bb]})
        return {"id": "T12", "caption": "表 12.部门项目支出绩效目标表", "title": "", "dept_line": "", "unit_line": "",
                "notes": [], "statement": "", "forms": forms}

    def procurement(self) -> dict[str, int]:
        goods = sum(y for pr in self.dy.projects() for e, y in pr.lines if e in ("31002", "31013"))
        services = sum(y for pr in self.dy.projects() for e, y in pr.lines if e == "30227")
        return {"goods": goods, "works": 0, "services": services}

    def t_procurement(self, n):
        pc = self.procurement()
        rows = [["项目名称", "采购品目", "采购类别", "金额"]]
        for pr in self.dy.projects():
            for e, y in pr.lines:
                if e in ("31002", "31013", "30227"):
                    rows.append([pr.name, cat.ECON[e], "货物" if e != "30227" else "服务", self.p(y)])
        rows.append(["合计", "", "", self.p(sum(pc.values()), False)])
        return self.table(f"J{n}", f"表 {n}.政府采购支出情况表", "政府采购支出情况表", [block(rows, 1)])

    def t_purchase_services(self, n):
        rows = [["项目名称", "服务内容", "金额"]]
        total = 0
        for pr in self.dy.projects():
            for e, y in pr.lines:
                if e == "30226":
                    rows.append([pr.name, "劳务派遣及辅助性服务", self.p(y)])
                    total += y
        rows.append(["合计", "", self.p(total, False)])
        return self.table(f"J{n}", f"表 {n}.政府购买服务支出情况表", "政府购买服务支出情况表", [block(rows, 1)])

    # ---- narrative
    def short(self) -> str:
        from demo.district.model import short_name

        return short_name(self.dy.dept)

    def short_title(self) -> str:
        return "区" + self.short()

    def duties(self) -> list[str]:
        s = self.short()
        return [
            f"1、贯彻执行国家、省、市有关{s}工作的方针政策和法律法规，拟订全区相关政策措施并组织实施。",
            f"2、负责全区{s}相关工作的统筹协调、指导和监督检查。",
            "3、按规定承担全面从严治党、意识形态、安全生产、保密等主体责任。",
            "4、完成区委、区政府交办的其他任务。",
        ]

    def part1(self):
        dy = self.dy
        quota, actual = dy.staff()
        subs = [u.unit.name for u in dy.units[1:]]
        units = f"纳入{self.name} {self.year} 年部门预算编制范围的预算单位包括本级机关 1 个"
        units += (f"、下属事业单位 {len(subs)} 个：{'、'.join(subs)}。" if subs else "。")
        kind = "事业" if dy.units[0].unit.public_institution else "行政"
        out = [{"kind": "heading", "level": 2, "text": "一、部门主要职能"}]
        out += [{"kind": "para", "text": d} for d in self.duties()]
        out += [{"kind": "heading", "level": 1, "text": "二、部门预算单位构成"}, {"kind": "para", "text": units},
                {"kind": "heading", "level": 1, "text": "三、部门预算单位人员构成"},
                {"kind": "para", "text": f"{self.name}编制人数 {quota} 人，其中：{kind}编制 {quota} 人，在职实有人数 {actual} 人。"}]
        return out

    def yoy(self, cur: int, prior: int, what: str, reason: str, delta_shift: int = 0, pct_shift: int = 0) -> str:
        """'比 2025 年预算减少 20.28 万元，降低 3.47%，主要是…' from the printed figures.

        ``delta_shift`` (元) misquotes Δ with a percentage consistent with the wrong Δ (an E1
        fault); ``pct_shift`` misprints the percentage only (a D1 fault)."""
        c, pv = wan(cur), wan(prior)
        d = c - pv + wan(delta_shift)
        base = c - d
        if d == 0:
            return f"与 {self.year - 1} 年{what}持平"
        word, rate = ("增加", "增长") if d > 0 else ("减少", "降低")
        if base <= 0:
            return f"{self.year - 1} 年未安排{what}"
        p = Decimal(pct(abs(d), base)) + pct_shift
        return f"比 {self.year - 1} 年{what}{word} {fmt_wan(abs(d))} 万元，{rate} {p}%，主要是{reason}"

    def part3(self, faults: dict | None = None):
        faults = faults or {}
        dy, Y = self.dy, self.year
        prev = self.hist[Y - 1]
        name = self.name
        inc = [("一般公共预算财政拨款收入", dy.by_source("gb")), ("政府性基金预算财政拨款收入", dy.by_source("fund")),
               ("国有资本经营预算财政拨款收入", dy.by_source("sc")), ("事业收入", dy.by_source("biz")),
               ("上年结转", dy.by_source("gb_carry"))]
        inc = [(n, v) for n, v in inc if v]
        ct = self.class_totals()
        spend = "、".join(f"{cat.CLASSES[c]} {w(v)} 万元" for c, v in sorted(ct.items()))
        total = dy.total()
        P = []

        def h(t, level=1):
            P.append({"kind": "heading", "level": level, "text": t})

        def para(t):
            P.append({"kind": "para", "text": t})

        h("一、预算收支情况总体说明")
        para(f"按照综合预算的原则，{name}所有收入和支出均纳入部门预算管理。收入包括："
             + "、".join(f"{n} {w(v)} 万元" for n, v in inc) + f"。支出包括：{spend}。")
        total_yoy = self.yoy(total, prev["total"], "预算", "人员经费及项目支出调整",
                             faults.get("total_delta_delta", 0), faults.get("total_pct_delta", 0))
        para(f"{Y} 年部门收支总预算 {w(total)} 万元。{total_yoy}。")
        h("二、预算收入情况说明")
        income_total = w(total + faults.get("income_total_delta", 0))
        para(f"预算收入 {income_total} 万元。其中：" + "，".join(f"{n} {w(v)} 万元" for n, v in inc) + "。")
        h("三、预算支出情况说明")
        T, B, Pj = wan(total), wan(dy.basic()), wan(dy.project_total())
        sd = faults.get("share_delta", 0)
        shares = (Decimal(pct(B, T)) + sd, Decimal(pct(Pj, T)) - sd)
        para(f"{Y} 年支出预算 {w(total)} 万元，其中基本支出 {w(dy.basic())} 万元，占 {shares[0]}%；"
             f"项目支出 {w(dy.project_total())} 万元，占 {shares[1]}%。")
        h("四、财政拨款收支预算情况说明")
        fiscal_src = ("gb", "fund", "sc", "gb_carry")
        fct = self.class_totals(fiscal_src)
        fiscal = sum(fct.values())
        finc = [(n, v) for n, v in (("一般公共预算财政拨款本年收入", dy.by_source("gb")),
                                    ("政府性基金预算财政拨款本年收入", dy.by_source("fund")),
                                    ("国有资本经营预算财政拨款本年收入", dy.by_source("sc")),
                                    ("上年结转", dy.by_source("gb_carry"))) if v]
        verb = "支出包括" if fct == ct else "支出安排"
        para(f"{Y} 年财政拨款收支总预算 {w(fiscal)} 万元。收入包括：" + "，".join(f"{n} {w(v)} 万元" for n, v in finc)
             + f"。{verb}：" + "，".join(f"{cat.CLASSES[c]} {w(v)} 万元" for c, v in sorted(fct.items())) + "。")
        h("五、一般公共预算支出安排情况说明")
        gen_cur = dy.by_source("gb")
        para(f"{Y} 年一般公共预算支出预算数为 {w(dy.general())} 万元，其中：")
        para(f"(1) 本年预算 {w(gen_cur)} 万元，"
             + self.yoy(gen_cur, prev["gb"], "预算", "人员经费正常增长及项目调整")
             + f"；(2) 上年结转 {w(dy.by_source('gb_carry'))} 万元。具体安排情况如下：")
        para(f"(一) 基本支出 {w(dy.basic())} 万元，主要用于人员经费(工资福利支出、对个人和家庭补助支出)、"
             "公用经费(商品和服务支出)。其中：")
        fv = self.func_values(general_only=True)
        names = faults.get("names", {})
        basic_items = [(k, v[1]) for k, v in sorted(fv.items()) if v[1]]
        para("，".join(f"{names.get(k, cat.func_name(k))} {w(v)} 万元" for k, v in basic_items) + "。")
        proj_g = dy.project_total(("gb", "gb_carry"))
        para(f"(二) 项目支出 {w(proj_g)} 万元，其中：")
        groups: dict[str, list[tuple[str, int]]] = {}
        for k, v in sorted(fv.items()):
            if v[4]:
                groups.setdefault(k[:5], []).append((k, v[4]))
        for gi, (c5, items) in enumerate(groups.items(), start=1):
            para(f"{gi}、{cat.func_name(c5[:3])}(类){names.get(c5, cat.func_name(c5))}(款)")
            for ii, (k, v) in enumerate(items, start=1):
                para(f"({ii}) {names.get(k, cat.func_name(k))} {w(v)} 万元。主要用于保障{self.short()}相关业务工作开展。")
        h("六、一般公共预算基本支出安排情况说明")
        para(f"{Y} 年一般公共预算基本支出 {w(dy.basic())} 万元。按部门预算支出经济分类包括：")
        pers = dy.personnel()
        para(f"1、人员经费 {w(pers)} 万元。包括：")
        e301 = sum(ln.yuan for ln in dy.lines() if ln.econ.startswith("301"))
        e303 = sum(ln.yuan for ln in dy.lines() if ln.econ.startswith("303"))
        para(f"工资福利支出 {w(e301)} 万元，主要用于：在职人员基本工资、津贴补贴、奖金、绩效工资、机关事业单位基本养老保险缴费、"
             "职业年金缴费、职工基本医疗保险缴费、公务员医疗补助、其他社会保障缴费、住房公积金、其他工资福利支出等。")
        if e303:
            para(f"对个人和家庭的补助 {w(e303)} 万元，主要用于：离休费、退休费、抚恤金、生活补助等。")
        para(f"2、公用经费 {w(dy.public())} 万元。包括商品和服务支出 {w(dy.public())} 万元。主要用于：办公费、印刷费、"
             "水费、电费、邮电费、物业管理费、差旅费、维修(护)费、会议费、培训费、公务接待费、工会经费、福利费、"
             "公务用车运行维护费、其他交通费用、其他商品和服务支出等。")
        lookalike = name.replace("硚口区", faults["lookalike"]) if faults.get("lookalike") else name
        h("七、政府性基金预算支出安排情况说明")
        fund = dy.by_source("fund")
        if fund and not faults.get("deny_fund"):
            para(f"{Y} 年政府性基金预算支出 {w(fund)} 万元，全部为项目支出，主要用于相关专项工作。")
        else:
            para(f"{lookalike} {Y} 年没有使用政府性基金预算安排的支出。")
        h("八、国有资本经营预算支出安排情况说明")
        sc = dy.by_source("sc")
        if sc:
            para(f"{Y} 年国有资本经营预算支出 {w(sc)} 万元，主要用于国有企业退休人员社会化管理补助。")
        else:
            para(f"{lookalike} {Y} 年没有使用国有资本经营预算安排的支出。")
        h("九、一般公共预算“三公”经费支出情况说明")
        h("1、“三公”经费安排的单位范围", 2)
        scope = "本单位" if len(dy.units) == 1 else "本部门本级及下属单位"
        para(f"本年一般公共预算财政拨款预算安排“三公”经费的单位包括{scope}。")
        h("2、一般公共预算财政拨款“三公”经费预算安排情况", 2)
        s = dy.sangong()
        s_print = {k: v + faults.get("sangong", {}).get(k, 0) for k, v in s.items()}
        para(f"{Y} 年财政拨款“三公”经费预算数 {w(s_print['total'])} 万元，其中：")
        para(f"(1) 因公出国(境)费 {w(s_print['abroad'])} 万元；")
        para(f"(2) 公务接待费 {w(s_print['reception'])} 万元；")
        para(f"(3) 公务用车购置及运行维护费 {w(s_print['vehicle'])} 万元，其中：公务用车购置费 {w(s_print['purchase'])} 万元，"
             f"公务用车运行维护费 {w(s_print['operation'])} 万元；")
        sy = self.yoy(s["total"], prev["sangong"], "“三公”经费预算", "严格执行中央八项规定精神，压减一般性支出")
        para(f"{Y} 年“三公”经费预算 {w(s['total'])} 万元，{sy}。")
        h("十、项目支出安排情况")
        para(f"{Y} 年项目支出 {w(dy.project_total())} 万元，其中：一般公共预算本年拨款 {w(dy.project_total(('gb',)))} 万元、"
             f"结转结余 {w(dy.project_total(('gb_carry',)))} 万元、政府性基金 {w(fund)} 万元、单位资金 {w(dy.by_source('biz'))} 万元。"
             "具体使用情况如下：")
        for i, pr in enumerate(dy.projects(), start=1):
            para(f"{i}. {pr.name}项目 {w(pr.yuan)} 万元，主要用于：{pr.name}相关支出；")
        h("十一、其他重要事项的情况说明")
        if not faults.get("drop_admin"):
            h("（一）机关运行经费安排情况", 2)
            ay = faults.get("admin_yoy") or self.yoy(dy.public(), prev["public"], "", "从严控制一般性支出")
            para(f"{Y} 年本部门机关运行经费 {w(dy.public())} 万元。主要包括：办公费、印刷费、水电费、邮电费、差旅费、会议费、"
                 f"福利费、日常维修费、公务用车运行维护费及其他费用等。此项支出{ay}。")
        h("（二）政府采购预算安排情况", 2)
        pc = self.procurement()
        ptotal = sum(pc.values()) + faults.get("procurement_delta", 0)
        para(f"{Y} 年部门预算中纳入政府采购预算支出合计 {w(ptotal)} 万元。包括：货物类 {w(pc['goods'])} 万元，"
             f"服务类 {w(pc['services'])} 万元，工程类 {w(pc['works'])} 万元。")
        h("（三）政府购买服务预算安排情况", 2)
        para("政府购买服务预算安排详见项目支出表。")
        if not faults.get("drop_assets"):
            h("（四）国有资产占有使用情况", 2)
            cars = 1 if dy.dept.has_cars else 0
            para(f"截至 {Y - 1} 年 12 月 31 日，部门占有使用国有资产 {w(dy.basic() // 6)} 万元。其中：车辆 {cars} 辆；"
                 "单位价值 50 万元以上设备 0 套。")
        h("（五）预算绩效管理情况", 2)
        para(f"{Y} 年部门项目实行绩效目标管理，设置了部门整体支出绩效目标、{len(dy.projects())} 个一级项目支出绩效目标，"
             f"预算支出 {w(total)} 万元全面实施绩效目标管理。")
        h("（六）非税收入征收预计数增减变动情况", 2)
        para(f"{Y} 年本部门无纳入预算管理的非税收入。")
        return P

    def part4(self, faults: dict | None = None):
        names = (faults or {}).get("names", {})
        out = [
            {"kind": "para", "text": "(一) 一般公共预算财政拨款收入：指区级财政一般公共预算当年拨付的资金。"},
            {"kind": "para", "text": "(二) 政府性基金预算财政拨款收入：指区级财政政府性基金预算当年拨付的资金。"},
            {"kind": "para", "text": "(三) 事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。"},
            {"kind": "para", "text": "(四) 上年结转：指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。"},
            {"kind": "para", "text": "(五) 基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"},
            {"kind": "para", "text": "(六) 项目支出：指在基本支出之外为完成特定的行政任务和事业发展目标所发生的支出。"},
            {"kind": "para", "text": "(七) 本部门使用的主要支出功能分类科目(项级)："},
        ]
        fv = self.func_values(general_only=True)
        for i, k in enumerate(sorted(k for k, v in fv.items() if v[0]), start=1):
            out.append({"kind": "para", "text": f"{i}、{cat.func_name(k[:3])}(类){names.get(k[:5], cat.func_name(k[:5]))}(款)"
                                                 f"{names.get(k, cat.func_name(k))}(项)：反映{self.name}用于该科目的支出。"})
        out += [
            {"kind": "para", "text": "(八)“三公”经费：纳入财政一般公共预算管理的“三公”经费，是指区级部门用一般公共预算财政拨款安排的"
                                     "因公出国(境)费、公务用车购置及运行维护费和公务接待费。"},
            {"kind": "para", "text": "(九) 机关运行经费：为保障行政单位(包括参照公务员法管理的事业单位)运行用于购买货物和服务的各项资金。"},
            {"kind": "para", "text": "备注：本报告中金额转化为万元时，四舍五入可能存在尾差。"},
        ]
        return out

    # ---- whole filing
    def filing(self, faults: dict | None = None, drop_tables=(), created: str | None = None) -> dict:
        faults = faults or {}
        Y, name = self.year, self.name
        jiangan = self.layout.template == "jiangan"
        tables = {
            "T1": self.t1(), "T2": self.t2(), "T3": self.t3(), "T4": self.t4(), "T5-1": self.t5_1(),
            "T5-2": self.t5_2(), "T6": self.t6(), "T7": self.t7(),
            "T8": self.fund_table("T8", "fund", "表 8.政府性基金预算支出表", "政府性基金预算支出表", "政府性基金预算"),
            "T9": self.fund_table("T9", "sc", "表 9.国有资本经营预算支出表", "国有资本经营预算支出表", "国有资本经营预算"),
            "T10": self.t10(), "T11": self.t11(), "T12": self.t12(),
        }
        if self.layout.yuan:
            tables["T1"]["unit_line"] = tables["T4"]["unit_line"] = "单位：元"
        order = list(tables)
        if jiangan:
            tables["J12"] = self.t_procurement(12)
            tables["J13"] = self.t_purchase_services(13)
            order = ["T1", "T2", "T3", "T4", "T5-1", "T5-2", "T6", "T7", "T8", "T9", "T10", "J12", "J13", "T11", "T12"]
            numbers = {"T5-2": 6, "T6": 7, "T7": 8, "T8": 9, "T9": 10, "T10": 11, "T11": 14, "T12": 15}
            for tid, n in numbers.items():
                cap = tables[tid]["caption"]
                tables[tid]["caption"] = f"表 {n}." + cap.split(".", 1)[1]
            tables["T5-1"]["caption"] = "表 5.一般公共预算支出表"
        for fn in faults.get("table_edits", []):
            fn(tables)
        order = [t for t in order if t not in drop_tables]
        kind_word = "部门预算" if self.scope == "部门" else "单位预算"
        titles = [tables[t]["caption"].split(".", 1)[1] for t in order]
        p3 = self.part3(faults)
        return {
            "meta": {"region_code": cat.REGION_CODE, "region_name": cat.REGION, "department": name,
                     "department_code": self.dy.dept.code, "unit_scope": self.scope, "fiscal_year": Y, "kind": "预算",
                     "template": "jiangan-15" if jiangan else "wuhan-12", "pdf_created": created},
            "cover": {"title": faults.get("cover_name", name), "subtitle": f"{Y} 年{kind_word}"},
            "toc": [
                {"heading": f"第一部分 {name}概况", "items": ["一、主要职能", "二、部门预算单位构成", "三、部门人员构成"]},
                {"heading": f"第二部分 {name} {Y} 年{kind_word}表", "items": [f"{cn(i)}、{t}" for i, t in enumerate(titles, 1)]},
                {"heading": f"第三部分 {name} {Y} 年{kind_word}情况说明",
                 "items": [x["text"] for x in p3 if x["kind"] == "heading" and x.get("level") == 1]},
                {"heading": "第四部分 名词解释", "items": []},
            ],
            "part_titles": {"1": f"第一部分 {name}概况", "2": f"第二部分 {name} {Y} 年{kind_word}表",
                            "3": f"第三部分 {name} {Y} 年{kind_word}情况说明", "4": "第四部分 名词解释"},
            "part1": self.part1(),
            "table_order": order,
            "tables": tables,
            "part3": p3,
            "part4": self.part4(faults),
        }


def summary(dy: DeptYear) -> dict:
    """What later filings quote of this one (yoy sentences, T11, 项目申报表 prior years)."""
    return {
        "total": dy.total(), "gb": dy.by_source("gb"), "public": dy.public(), "sangong": dy.sangong()["total"],
        "fiscal": dy.total() - dy.by_source("biz"), "other": dy.by_source("biz"), "basic": dy.basic(),
        "project": dy.project_total(),
        "projects": {(p.unit_code, p.serial): p.yuan for p in dy.projects() if p.recurring},
    }
