"""Row identity: printed row labels and codes to canonical row codes.

Coded tables (T2, T3, T5, T6, T8–T10) carry their code in a 编码/代码 column.
The two-sided summary tables (T1, T4) print names only: their rows get a
``canon.ROW_KEYS`` key, and the expenditure rows the 3-digit 功能分类 类 code
looked up by name (``canon.FUNC_CLASSES``).
"""
from __future__ import annotations

import re

from . import canon
from .profiles import norm

_ORDINAL_RE = re.compile(r"^(\([一二三四五六七八九十廿]+\)|[一二三四五六七八九十廿]+[、.]|\d+[、.])")
_CODE_RE = re.compile(r"^[0-9]+$|^\d{6,}[A-Z]\d+$")

# Printed label (ordinal stripped, NFKC, no whitespace) -> ROW_KEYS key. 'SECTION' labels
# open the 本年 / 上年结转 blocks of T4, whose fund rows repeat under both.
SUMMARY_LABELS: dict[str, str] = {norm(v): k for k, v in canon.ROW_KEYS.items() if not k.startswith("t11:")}
SUMMARY_LABELS.update({
    "一般公共预算拨款": "income:general_budget",
    "一般公共预算财政拨款收入": "income:general_budget",
    "政府性基金预算拨款": "income:gov_fund",
    "国有资本经营预算拨款": "income:state_capital",
    "本年收入": "income_current",
    "上年结转": "income_carryover",
    "本年支出": "expenditure_current",
    "结转下年": "expenditure_carryover",
    "结转下年支出": "expenditure_carryover",
    # 江苏 T1
    "当年收入小计": "income_current",
    "当年支出小计": "expenditure_current",
    "上年结转资金": "income_carryover",
    "结转下年资金": "expenditure_carryover",
    "其他资金": "income:other",
    # 江苏, 深圳 T1
    "财政专户管理资金": "income:special_account",
    # 珠海 T1: the three appropriations in one 预算拨款 row
    "预算拨款": "income:fiscal",
    "财政专户拨款": "income:special_account",
    "结转结余下年": "expenditure_carryover",
    # 深圳 T1 / T4
    "上年结余、结转": "income_carryover",
    "一般公共预算拨款结余、结转": "carryover:general_budget",
    "政府性基金预算拨款结余、结转": "carryover:gov_fund",
    "国有资本经营预算拨款结余、结转": "carryover:state_capital",
    "收入合计": "income_current",
    "支出合计": "expenditure_current",
    # 上海 T1 / T4 print the fund names alone under 财政拨款收入
    "一般公共预算": "income:general_budget",
    "政府性基金预算": "income:gov_fund",
    "政府性基金": "income:gov_fund",  # 普陀
    "国有资本经营预算": "income:state_capital",
    "财政拨款": "income:fiscal",
    # 决算 wording
    "年初结转和结余": "income_carryover",
    "年末结转和结余": "expenditure_carryover",
    "年初财政拨款结转和结余": "income_carryover",  # 财政拨款收入支出决算总表
    "年末财政拨款结转和结余": "expenditure_carryover",
    "本年收入合计": "income_current",
    "本年支出合计": "expenditure_current",
    "一般公共预算财政拨款": "income:general_budget",
    "政府性基金预算财政拨款": "income:gov_fund",
    "国有资本经营预算财政拨款": "income:state_capital",
    "政府性基金预算财政拨款收入": "income:gov_fund",
    "国有资本经营预算财政拨款收入": "income:state_capital",
    "经营收入": "income:operating",
    "财政拨款收入合计": "income:fiscal",
    "一般公共预算资金": "income:general_budget",
    "政府性基金预算资金": "income:gov_fund",
    "国有资本经营预算资金": "income:state_capital",
})
_FUND_KEYS = {"income:general_budget", "income:gov_fund", "income:state_capital"}
_CLASS_BY_NAME = {norm(name): code for code, name in canon.FUNC_CLASSES.items()}
# 类 names without their '支出', looked up after the income labels: '国有资本经营预算' on the
# income side (普陀 三、国有资本经营预算) is the appropriation, not class 223
_CLASS_BY_SHORT_NAME = {norm(name).removesuffix("支出"): code for code, name in canon.FUNC_CLASSES.items()}
# 类 names before the 2019 reclassification (江苏 2017–18)
_CLASS_BY_NAME.update({"文化体育与传媒支出": "207", "医疗卫生与计划生育支出": "210", "资源勘探信息等支出": "215",
                       "国土海洋气象等支出": "220"})


def strip_ordinal(label: str) -> str:
    return _ORDINAL_RE.sub("", norm(label), count=1)


def summary_row_code(label: str, section: str | None) -> str | None:
    """Row code of a T1/T4 row label; ``section`` is 'carryover' inside T4's 上年结转 block."""
    text = strip_ordinal(label)
    if text in _CLASS_BY_NAME:
        return _CLASS_BY_NAME[text]
    key = SUMMARY_LABELS.get(text)
    if key is None:
        return _CLASS_BY_SHORT_NAME.get(text)
    if key in _FUND_KEYS and section == "carryover":
        return key.replace("income:", "carryover:")
    return key


def is_code(text: str) -> bool:
    return bool(_CODE_RE.match(norm(text)))


def is_total_label(label: str) -> bool:
    return norm(label) in {"合计", "总计", "合计数"}
