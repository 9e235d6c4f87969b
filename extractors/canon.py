"""Canonical vocabulary shared by extractors, warehouse checks and reports.

The Wuhan 12-table numbering (domain.md, "Templates") is the canonical table
vocabulary: other templates map their titles onto these kinds through their
alias profile. Column labels are canonical Chinese labels; a multi-row header
is joined with '/' (parent/child).
"""
from __future__ import annotations

from pathlib import Path

import yaml

# The national family's printed wording, kept as data (issue 13 item 7).
VOCABULARY: dict = yaml.safe_load(Path(__file__).with_name("vocabulary.yaml").read_text(encoding="utf-8"))

TABLE_KINDS: dict[str, str] = {str(k): v for k, v in VOCABULARY["tables"].items()}

TOTAL = "total"  # the 合计 / 总计 row of a table

# Row keys of the two-sided summary tables (T1, T4) and of T11.
ROW_KEYS: dict[str, str] = {
    # income side
    "income:general_budget": "一般公共预算拨款收入",
    "income:gov_fund": "政府性基金预算拨款收入",
    "income:state_capital": "国有资本经营预算拨款收入",
    "income:special_account": "财政专户管理资金收入",
    "income:business": "事业收入",
    "income:operating": "事业单位经营收入",
    "income:superior_subsidy": "上级补助收入",
    "income:affiliated": "附属单位上缴收入",
    "income:other": "其他收入",
    "income_current": "本年收入合计",
    "income_carryover": "上年结转结余",
    "carryover:general_budget": "上年结转（一般公共预算拨款）",
    "carryover:gov_fund": "上年结转（政府性基金预算拨款）",
    "carryover:state_capital": "上年结转（国有资本经营预算拨款）",
    "income_total": "收入总计",
    "income:non_fiscal_balance": "使用非财政拨款结余",  # Ministry template's T1 / T2
    "income:fiscal": "财政拨款收入",  # 上海 / 江苏 T1: the three appropriations together
    # expenditure side: 功能类 rows use their 3-digit code ('201'); these are the rest
    "expenditure_current": "本年支出合计",
    "expenditure_carryover": "年终结转结余",
    "expenditure_total": "支出总计",
    # T11 整体支出绩效目标表
    "t11:income:fiscal": "财政拨款",
    "t11:income:other": "其他资金",
    "t11:income_total": "收入合计",
    "t11:exp:basic": "基本支出",
    "t11:exp:project": "项目支出",
    "t11:expenditure_total": "支出合计",
}

# Canonical column labels per table kind (Wuhan budget template).
COLUMNS: dict[str, list[str]] = {
    "T1": ["预算数"],  # + the 决算 and 上海 columns appended below
    "T2": [
        "合计",
        "本年收入/小计", "本年收入/一般公共预算", "本年收入/政府性基金预算", "本年收入/国有资本经营预算",
        "本年收入/财政专户管理资金", "本年收入/事业收入", "本年收入/事业单位经营收入",
        "本年收入/上级补助收入", "本年收入/附属单位上缴收入", "本年收入/其他收入",
        "上年结转结余/小计", "上年结转结余/一般公共预算", "上年结转结余/政府性基金预算",
        "上年结转结余/国有资本经营预算", "上年结转结余/财政专户管理资金", "上年结转结余/单位资金",
    ],
    "T3": ["合计", "基本支出", "项目支出", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出"],
    "T4": ["预算数", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
    "T5-1": ["合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"],
    "T5-2": ["合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"],
    "T6": ["合计", "人员经费", "公用经费"],
    "T7": [
        "合计", "因公出国（境）费", "公务用车购置及运行费/小计",
        "公务用车购置及运行费/公务用车购置费", "公务用车购置及运行费/公务用车运行费", "公务接待费",
    ],
    "T8": ["合计", "基本支出", "项目支出"],
    "T9": ["合计", "基本支出", "项目支出"],
    "T10": [
        "合计",
        "本年拨款/一般公共预算", "本年拨款/政府性基金预算", "本年拨款/国有资本经营预算",
        "财政拨款结转结余/一般公共预算", "财政拨款结转结余/政府性基金预算", "财政拨款结转结余/国有资本经营预算",
        "财政专户管理资金", "单位资金",
    ],
    # T11: '当年预算' and the two prior years as '近两年/2024', '近两年/2025'
    "T11": ["当年预算"],
    # T12 (项目申报表, printed in 元): row_code 'project:<项目名称>'
    "T12": ["项目总预算", "项目当年预算", "前两年/<年度>/预算数", "前两年/<年度>/执行数", "资金来源/<来源项目>"],
}

CLAIM_KINDS: dict[str, str] = {
    "amount": "an amount quoted for a subject (subject: total, income_total, expenditure_total, basic, "
    "project, personnel, public, general_budget, fiscal_appropriation, func:<code>, econ:<code>, "
    "sangong:total|abroad|vehicle|vehicle_purchase|vehicle_operation|reception, admin_operating, "
    "procurement:total|goods|works|services)",
    "share": "a percentage share quoted for a subject of the total (percent; amount_wan when also quoted)",
    "yoy": "a year-on-year change: amount_wan this year, delta_wan, percent, direction, prior_year",
    "item_name": "a 功能分类 name the narrative uses for a code (subject func:<code>, label, level)",
    "no_fund": "a statement that there is no 政府性基金 (subject gov_fund) or 国有资本经营 (state_capital) money",
    "sangong_scope": "the unit scope of 三公 ('本单位', '本单位及下属单位')",
    "count": "a head count quoted in 人员构成 (subject staff:quota 编制人数, staff:actual 在职实有人数); "
    "the number of people is carried in amount_wan",
}

# Appended (the names above are a contract): columns of templates other than Wuhan's budget.
# 上海's 财务收支预算总表 splits each expenditure row into 基本 (人员 / 公用) and 项目.
COLUMNS["T1"] += ["基本支出/人员经费", "基本支出/公用经费", "项目支出"]
# 上海's 收入预算总表 prints one 财政拨款收入 column for the three kinds of appropriation.
COLUMNS["T2"] += ["本年收入/财政拨款收入"]
# 湖州's 支出预算总表 splits 基本支出 into 人员 / 公用 without a 基本支出 column.
COLUMNS["T3"] += ["基本支出/人员经费", "基本支出/公用经费"]
# 江苏's 支出预算总表 is one 合计 row: 基本支出 + 项目支出 + 单位预留机动经费 (a reserve the
# department holds back unallocated), beside a 结转下年资金 column.
COLUMNS["T3"] += ["单位预留机动经费"]
# 上海 prints 机关运行经费 in the same table as 三公.
COLUMNS["T7"] += ["机关运行经费"]
# 江苏 prints 三公, 会议费 and 培训费 in one table whose 合计 covers all of them.
COLUMNS["T7"] += ["会议费", "培训费", "三公会议培训合计"]
# 决算 (final accounts): the actual amount of T1 / T4 is '决算数'; tables that print the
# opening budget beside the actual keep the actual under the budget template's label and
# the opening budget / adjusted budget under '年初预算数/…' / '调整预算数/…'.
COLUMNS["T1"] += ["决算数", "年初预算数"]
COLUMNS["T4"] += ["决算数", "年初预算数", "决算数/合计", "决算数/一般公共预算", "决算数/政府性基金预算",
                  "决算数/国有资本经营预算"]
COLUMNS["T7"] += ["年初预算数/合计", "年初预算数/因公出国（境）费", "年初预算数/公务用车购置及运行费/小计",
                  "年初预算数/公务用车购置及运行费/公务用车购置费",
                  "年初预算数/公务用车购置及运行费/公务用车运行费", "年初预算数/公务接待费"]
for _kind in ("T3", "T5-1", "T6", "T8", "T9"):
    COLUMNS[_kind] += ["年初预算数", "调整预算数"]

# A vertical 三公 table (福州, 江苏): one row per item; the item name decides the column.
# The national wording; a template's own item names are its profile's ``t7_items``.
T7_ITEM_LABELS: dict[str, str] = dict(VOCABULARY["t7_items"])

# Region names and look-alike spellings -> region code (vocabulary.yaml, "regions").
REGION_ALIASES: dict[str, str] = {name: str(code) for name, code in VOCABULARY["regions"].items()}

# 功能分类 类 codes and their names (vocabulary.yaml, "function_classes").
FUNC_CLASSES: dict[str, str] = {str(k): v for k, v in VOCABULARY["function_classes"].items()}
