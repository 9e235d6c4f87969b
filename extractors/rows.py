"""Row identity: printed row labels and codes to canonical row codes.

Coded tables (T2, T3, T5, T6, T8–T10) carry their code in a 编码/代码 column.
The two-sided summary tables (T1, T4) print names only: their rows get a
``canon.ROW_KEYS`` key, and the expenditure rows the 3-digit 功能分类 类 code
looked up by name (``canon.FUNC_CLASSES``).
"""
from __future__ import annotations

import re

from . import canon
from .profiles import Profile, norm

_ORDINAL_RE = re.compile(r"^(\([一二三四五六七八九十廿]+\)|[一二三四五六七八九十廿]+[、.]|\d+[、.])")
_CODE_RE = re.compile(r"^[0-9]+$|^\d{6,}[A-Z]\d+$")

# Printed label (ordinal stripped, NFKC, no whitespace) -> ROW_KEYS key: the canonical names
# and the national family's wording (vocabulary.yaml); a template's own labels are its profile's
# ``row_aliases``. 'SECTION' labels open the 本年 / 上年结转 blocks of T4, whose fund rows repeat
# under both.
SUMMARY_LABELS: dict[str, str] = {norm(v): k for k, v in canon.ROW_KEYS.items() if not k.startswith("t11:")}
SUMMARY_LABELS.update({norm(label): key for label, key in canon.VOCABULARY["summary_rows"].items()})
_ROW_PATTERNS = [(re.compile(p), key) for p, key in canon.VOCABULARY["summary_row_patterns"].items()]
_FUND_KEYS = {"income:general_budget", "income:gov_fund", "income:state_capital"}
_CLASS_BY_NAME = {norm(name): code for code, name in canon.FUNC_CLASSES.items()}
# 类 names without their '支出', looked up after the income labels: '国有资本经营预算' on the
# income side (普陀 三、国有资本经营预算) is the appropriation, not class 223
_CLASS_BY_SHORT_NAME = {norm(name).removesuffix("支出"): code for code, name in canon.FUNC_CLASSES.items()}
# 类 names before the 2019 reclassification
_CLASS_BY_NAME.update({norm(name): str(code) for name, code in canon.VOCABULARY["class_names"].items()})


def strip_ordinal(label: str) -> str:
    return _ORDINAL_RE.sub("", norm(label), count=1)


def _wrapped_class(label: str, text: str) -> str | None:
    """A numbered 类 row whose name wraps onto the next line or page ("八、社会保障和就" / "业支出"):
    the head names the class when it begins exactly one class name and no income label."""
    if len(text) < 4 or text == norm(label):
        return None
    codes = [code for name, code in _CLASS_BY_NAME.items() if name.startswith(text)]
    if len(set(codes)) != 1 or any(k.startswith(text) for k in SUMMARY_LABELS):
        return None
    return codes[0]


def summary_row_code(label: str, section: str | None, profile: Profile | None = None) -> str | None:
    """Row code of a T1/T4 row label; ``section`` is 'carryover' inside T4's 上年结转 block.
    The reading profile's own row aliases come before the national wording."""
    text = strip_ordinal(label)
    if text in _CLASS_BY_NAME:
        return _CLASS_BY_NAME[text]
    key = (profile.row_aliases.get(text) if profile else None) or SUMMARY_LABELS.get(text)
    if key is None:
        key = next((k for r, k in _ROW_PATTERNS if r.match(text)), None)
    if key is None:
        return _CLASS_BY_SHORT_NAME.get(text) or _wrapped_class(label, text)
    if key in _FUND_KEYS and section == "carryover":
        return key.replace("income:", "carryover:")
    return key


def is_code(text: str) -> bool:
    return bool(_CODE_RE.match(norm(text)))


def is_total_label(label: str) -> bool:
    return norm(label) in {"合计", "总计", "合计数"}
