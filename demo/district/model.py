"""The numbers of the sample district, generated bottom-up and kept in 元 (integers).

Every printed figure is a sum of these lines rounded once to 2 decimals of 万元, so the
tables are consistent by construction and the usual 0.01 rounding tails appear where
several rounded terms meet one rounded total. Random draws come from one
``random.Random`` per (seed number, department, year), so a department's numbers do
not change when another department is added.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from demo.district.catalogue import Department, Unit

YEARS = (2024, 2025, 2026)
SOURCES = ("gb", "fund", "sc", "gb_carry", "biz")  # T10 funding columns we use


def wan(yuan: int) -> Decimal:
    """元 → 万元 rounded to 2 decimals, as printed."""
    return (Decimal(yuan) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fmt(yuan: int | None, blank_zero: bool = True, trim: bool = True) -> str:
    """A printed 万元 figure: blank for 0, trailing zeros trimmed like the seed's export."""
    if yuan is None or (yuan == 0 and blank_zero):
        return ""
    s = f"{wan(yuan):.2f}"
    if trim:
        s = s.rstrip("0").rstrip(".")
    return s


def fmt_wan(d: Decimal, trim: bool = True) -> str:
    s = f"{d:.2f}"
    return s.rstrip("0").rstrip(".") if trim else s


@dataclass
class Line:
    func: str  # 7-digit 功能分类 项
    econ: str  # 5-digit 经济分类 款
    yuan: int

    @property
    def personnel(self) -> bool:
        return not self.econ.startswith("302")


@dataclass
class Project:
    serial: int  # the NNNNNNNNN of the code: stable across years for a 常年性 project
    name: str
    unit_code: str
    func: str
    source: str  # one of SOURCES
    lines: list[tuple[str, int]]  # (econ, yuan)
    recurring: bool = True
    code_dept: str = ""  # department code embedded in the project code
    code_year: int = 0

    @property
    def yuan(self) -> int:
        return sum(y for _, y in self.lines)

    @property
    def code(self) -> str:
        return f"420104{self.code_year % 100:02d}{self.code_dept}T{self.serial:09d}"


@dataclass
class UnitYear:
    unit: Unit
    quota: int  # 编制
    basic: list[Line] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)


@dataclass
class DeptYear:
    dept: Department
    year: int
    units: list[UnitYear]

    def lines(self) -> list[Line]:
        return [ln for u in self.units for ln in u.basic]

    def projects(self) -> list[Project]:
        return [p for u in self.units for p in u.projects]

    def only(self, unit_code: str) -> "DeptYear":
        return DeptYear(self.dept, self.year, [u for u in self.units if u.unit.code == unit_code])

    # ---- totals in 元
    def basic(self) -> int:
        return sum(ln.yuan for ln in self.lines())

    def personnel(self) -> int:
        return sum(ln.yuan for ln in self.lines() if ln.personnel)

    def public(self) -> int:
        return self.basic() - self.personnel()

    def project_total(self, sources=SOURCES) -> int:
        return sum(p.yuan for p in self.projects() if p.source in sources)

    def total(self) -> int:
        return self.basic() + self.project_total()

    def general(self) -> int:  # 一般公共预算 (current + carry-over): T5
        return self.basic() + self.project_total(("gb", "gb_carry"))

    def by_source(self, source: str) -> int:
        extra = self.basic() if source == "gb" else 0
        return extra + self.project_total((source,))

    def econ_in_general(self, econ: str) -> int:
        """An 经济分类 code over basic and general-budget project spending (三公 scope)."""
        b = sum(ln.yuan for ln in self.lines() if ln.econ == econ)
        p = sum(y for pr in self.projects() if pr.source in ("gb", "gb_carry") for e, y in pr.lines if e == econ)
        return b + p

    def sangong(self) -> dict[str, int]:
        s = {
            "abroad": self.econ_in_general("30212"),
            "purchase": self.econ_in_general("31013"),
            "operation": self.econ_in_general("30231"),
            "reception": self.econ_in_general("30217"),
        }
        s["vehicle"] = s["purchase"] + s["operation"]
        s["total"] = s["abroad"] + s["vehicle"] + s["reception"]
        return s

    def staff(self) -> tuple[int, int]:
        return sum(u.quota for u in self.units), sum(u.unit.staff for u in self.units)


# ---------------------------------------------------------------- generation

PROJECT_NAMES = [
    "{short}日常工作经费", "{short}信息化建设及运维经费", "{short}专项业务经费", "聘用人员经费",
    "{short}宣传培训经费", "{short}办公场所维修改造经费", "{short}专项督查检查经费",
    "政府购买服务经费", "{short}档案数字化经费", "{short}重点工作推进经费",
]


def short_name(dept: Department) -> str:
    n = dept.name
    for p in ("中共武汉市硚口区委", "武汉市硚口区", "硚口区", "中国人民政治协商会议武汉市硚口区委员会", "共青团武汉市硚口区委员会"):
        if n.startswith(p) and len(n) > len(p):
            n = n[len(p):]
            break
    return n.replace("办事处", "")[:10] or "本单位"


def _rng(seed: int, *key) -> random.Random:
    return random.Random(f"{seed}|" + "|".join(map(str, key)))


def _hundreds(x: float) -> int:
    return int(round(x / 100.0)) * 100


def _basic_lines(rng: random.Random, unit: Unit, dept: Department, growth: float) -> list[Line]:
    n = unit.staff
    op = unit.op_code
    inst = unit.public_institution
    admin = not inst
    wages: list[Line] = []
    base = int(n * rng.uniform(36000, 44000) * growth)
    wages.append(Line(op, "30101", base))
    allow = int(n * rng.uniform(9000, 16000) * growth)
    wages.append(Line(op, "30102", allow))
    wages.append(Line("2210202", "30102", _hundreds(n * 3600 * growth)))  # 提租补贴
    if admin:
        wages.append(Line(op, "30103", int(n * rng.uniform(50000, 80000) * growth)))
    else:
        wages.append(Line(op, "30103", int(n * rng.uniform(20000, 30000) * growth)))
        wages.append(Line(op, "30107", int(n * rng.uniform(30000, 50000) * growth)))
    payroll = sum(ln.yuan for ln in wages)
    out = list(wages)
    out.append(Line("2080505", "30108", round(payroll * 0.16)))
    out.append(Line("2080506", "30109", round(payroll * 0.08)))
    out.append(Line("2101101" if admin else "2101102", "30110", round(payroll * 0.075)))
    if admin:
        out.append(Line("2101103", "30111", round(payroll * 0.045)))
    out.append(Line(op, "30112", round(payroll * 0.008)))
    out.append(Line("2210201", "30113", round(payroll * 0.12)))
    out.append(Line(op, "30199", _hundreds(n * rng.uniform(300, 900))))
    if rng.random() < 0.5:
        out.append(Line("2080899", "30305", _hundreds(rng.uniform(20000, 90000))))
    # 公用经费
    pub = [
        ("30201", n * rng.uniform(2000, 4500)), ("30207", n * rng.uniform(500, 1200)),
        ("30211", n * rng.uniform(1500, 3000)), ("30216", n * rng.uniform(500, 1500)),
        ("30228", payroll * 0.02), ("30229", payroll * 0.01), ("30239", n * rng.uniform(5000, 9000)),
        ("30299", n * rng.uniform(800, 2500)),
    ]
    # 三公 items are a department's habit, not a yearly coin toss: decided per unit, sized per
    # unit, and then moved by the year's growth like everything else
    habit = _rng(0, unit.code, "sangong")
    reception, cars, abroad = habit.random() < 0.7, habit.uniform(20000, 80000), habit.uniform(30000, 90000)
    if reception or dept.code == "115":
        pub.append(("30217", habit.uniform(2000, 15000) * rng.uniform(0.95, 1.05)))
    if dept.has_cars and unit.code.endswith("001"):
        pub.append(("30231", cars * rng.uniform(0.95, 1.05)))
    if dept.code in ("121", "141", "104") and unit.code.endswith("001"):
        pub.append(("30212", abroad * rng.uniform(0.95, 1.05)))
    for econ, amount in pub:
        yuan = round(amount * growth) if econ in ("30228", "30229") else _hundreds(amount * growth)
        if yuan:
            out.append(Line(op, econ, yuan))
    return out


def _projects(rng: random.Random, dept: Department, unit: Unit, year: int, main: bool) -> list[Project]:
    short = short_name(dept)
    k = 2 + (unit.staff > 40) + (unit.staff > 80) if main else 1
    out = []
    # serials are unique within the department: the main unit's from 100, the special projects'
    # 200-2xx, a long list's 300-3xx, each other unit's from 500 in blocks of 50
    base_serial = 100 if main else 400 + 50 * int(unit.code[-3:])
    names = PROJECT_NAMES[:]
    _rng(0, dept.code, unit.code).shuffle(names)  # the same project names every year
    for i in range(k):
        recurring = i < k - 1 or year % 2 == 0
        amount = _hundreds(rng.uniform(30000, 1500000) if main else rng.uniform(50000, 400000))
        if not recurring:
            amount = _hundreds(rng.uniform(20000, 300000))
        lines = _project_lines(rng, amount)
        name = names[i].format(short=short)
        if not recurring:
            name = f"{year}年{short}专项工作经费"
        out.append(Project(base_serial + i + (0 if recurring else 20 + year % 10), name, unit.code,
                           dept.project_code if main else unit.op_code,
                           "gb", lines, recurring, dept.code, year))
    return out


def _project_lines(rng: random.Random, amount: int) -> list[tuple[str, int]]:
    if amount < 60000:
        return [("30299", amount)]
    parts = [("30227", 0.5), ("30226", 0.2), ("30201", 0.05), ("30211", 0.05), ("31002", 0.05)]
    out, left = [], amount
    for econ, share in parts:
        y = _hundreds(amount * share * rng.uniform(0.6, 1.2))
        y = min(y, left)
        if y:
            out.append((econ, y))
            left -= y
    if left:
        out.append(("30299", left))
    return out


def _special_projects(rng: random.Random, dept: Department, year: int) -> list[Project]:
    main = dept.units[0].code
    out = []
    if "gov_fund" in dept.funds:
        amt = _hundreds(rng.uniform(800000, 6000000))
        out.append(Project(200, "政府性基金安排的专项支出" if dept.fund_code != "2296002" else "福利彩票公益金项目",
                           main, dept.fund_code, "fund", [("30227", amt)], True, dept.code, year))
    if "state_capital" in dept.funds:
        amt = _hundreds(rng.uniform(300000, 1500000))
        out.append(Project(210, "国有企业退休人员社会化管理补助", main, dept.fund_code, "sc",
                           [("30299", amt)], True, dept.code, year))
    if "carryover" in dept.funds:
        amt = _hundreds(rng.uniform(100000, 900000))
        out.append(Project(220, f"{year - 1}年结转{short_name(dept)}专项经费", main, dept.project_code,
                           "gb_carry", [("30227", amt)], False, dept.code, year))
    if "business" in dept.funds:
        for u in dept.units[1:] or dept.units:
            amt = _hundreds(rng.uniform(200000, 1200000))
            out.append(Project(230 + int(u.code[-3:]), f"{u.name.replace('武汉市硚口区', '')}事业收入安排支出",
                               u.code, u.op_code, "biz", [("30299", amt)], True, dept.code, year))
    return out


# Totals the seed itself fixes for 118 (T11's 近两年 columns, the narrative's 比上年 figures and
# the 项目申报表's prior amounts): basic, public (机关运行经费), projects by serial, reception.
PINS = {
    ("118", 2025): {"basic": 4065300, "public": 242900, "projects": {100: 68000, 101: 1712000},
                    "reception": 2000},
    ("118", 2024): {"basic": 4551500, "public": 231600, "projects": {100: 68000, 101: 1970500},
                    "reception": 2000},
}
SEED_118_PROJECTS = {100: "区社会管理网格化服务中心工作经费", 101: "派遣人员工作经费"}


def dept_year(dept: Department, year: int, seed: int) -> DeptYear:
    rng = _rng(seed, dept.code, year)
    growth = {2024: 0.96, 2025: 0.985, 2026: 1.0}[year] * _rng(seed, dept.code, year, "g").uniform(0.97, 1.03)
    units = []
    for i, unit in enumerate(dept.units):
        uy = UnitYear(unit, unit.staff + _rng(seed, unit.code).randint(0, max(1, unit.staff // 4)))
        uy.basic = _basic_lines(rng, unit, dept, growth)
        uy.projects = _projects(rng, dept, unit, year, main=(i == 0))
        units.append(uy)
    for p in _special_projects(rng, dept, year):
        next(u for u in units if u.unit.code == p.unit_code).projects.append(p)
    dy = DeptYear(dept, year, units)
    pin = PINS.get((dept.code, year))
    if pin:
        _apply_pin(dy, pin)
    return dy


def _apply_pin(dy: DeptYear, pin: dict) -> None:
    u = dy.units[0]
    u.basic = [ln for ln in u.basic if ln.econ not in ("30212", "30231", "30217")]
    pub = [ln for ln in u.basic if not ln.personnel]
    per = [ln for ln in u.basic if ln.personnel]
    pub.append(Line(u.unit.op_code, "30217", pin["reception"]))
    _rescale(pub, pin["public"], "30299")
    _rescale(per, pin["basic"] - pin["public"], "30103")
    u.basic = per + pub
    u.projects = [
        Project(s, SEED_118_PROJECTS[s], u.unit.code, "2010399", "gb", [("30226", y)] if s == 101 else
                [("30201", 5000), ("30216", 10000), ("30211", 11000), ("31002", 2500), ("30299", y - 28500)],
                True, "118", dy.year)
        for s, y in pin["projects"].items()
    ]


def _rescale(lines: list[Line], target: int, filler: str) -> None:
    total = sum(ln.yuan for ln in lines)
    fill = next(ln for ln in lines if ln.econ == filler)
    others = total - fill.yuan
    if others >= target:
        factor = (target * 0.8) / others
        for ln in lines:
            if ln is not fill and ln.econ != "30217":  # the pinned 三公 item keeps its amount
                ln.yuan = int(ln.yuan * factor)
        others = sum(ln.yuan for ln in lines if ln is not fill)
    fill.yuan = target - others
