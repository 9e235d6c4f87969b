"""The generic reading of a column header: the national family's header words, by content.

A template profile lists its printed header paths one by one. The generic profile cannot: it
reads cities nobody has described. It reads each header cell for what it says instead: which
year block it is in (上年 / 本年 / 变动; 年初预算 / 调整预算 / 决算), and which canonical column
its words name (总计 → 合计, 人员支出 → 人员经费, 一般公共预算拨款收入 → 一般公共预算, …). The
synonyms are data (vocabulary.yaml, ``header_words``); the rules that place them are here.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import canon

# A column of another year or a comparison: never the year's own amount.
_OTHER_YEAR_RE = re.compile(r"^\{Y-\d\}|^上年(?!结转|结余)|执行数|变动|增减|比上年|增长|较上年")
_YEAR_RE = re.compile(r"^\{Y\}年度?")
_THIS_YEAR_BUDGET_RE = re.compile(r"^\{Y\}年度?.*预算")
# A header group that is not the table's money: a year-tagged group the vocabulary does not know,
# and the national family's side columns (政府采购, 绩效, 资产).
_FOREIGN_GROUP_RE = re.compile(r"^\{Y\}|政府采购|绩效|资产")
_LABEL_COLUMN_RE = re.compile(r"编码|代码|名称|^科目|^[类款项]$|序号|行次|栏次")
# Words around the name that say nothing about which column it is.
_NOISE_RE = re.compile(r"(预算数|预算|金额|数)$")


@lru_cache(maxsize=None)
def _words() -> dict[str, str]:
    return {w: c for c, words in canon.VOCABULARY["header_words"].items() for w in [c, *words]}


def _word(part: str) -> str | None:
    """The canonical word a header cell names ('' for a cell that names nothing), or None when
    the cell is not a header word at all."""
    part = _YEAR_RE.sub("", part).replace("“", "").replace("”", "").replace('"', "")
    part = re.sub(r"^其中[:：]?", "", part)
    words = _words()
    if part in words:
        return words[part]
    bare = _NOISE_RE.sub("", part)
    if not bare:
        return ""  # 预算数 / 金额 / 预算: the amount of a column named elsewhere
    return words.get(bare)


def column_label(kind: str, parts: list[str]) -> str | None:
    """Canonical label of a header path (cells top to bottom, normalised, years as {Y}) in a table
    of ``kind``, or None when the column holds no amount of the year read."""
    if any(_OTHER_YEAR_RE.search(p) for p in parts):
        return None
    if any(_LABEL_COLUMN_RE.search(p) for p in parts):
        return None  # a code or name column (决算 T6 prints code | name | amount blocks side by side)
    found = [_word(p) for p in parts]
    if any(w is None and _FOREIGN_GROUP_RE.search(p) for p, w in zip(parts, found)):
        return None  # a group of its own ("{Y}年政府采购项目/小计"): its 小计 is no total of this table
    words = [w for w in found if w]
    if not words and "" not in found:
        return None  # no header word at all: a label or code column
    block = next((w for w in words if w in ("年初预算数", "调整预算数")), None)
    if any(_THIS_YEAR_BUDGET_RE.match(p) for p in parts):
        block = None  # "{Y}年预算数/年初预算数": the budget of the year read, not a 决算's opening budget
    actual = "决算数" in words
    words = [w for w in words if w not in ("年初预算数", "调整预算数", "决算数")]
    if block and not words and kind != "T7":
        return block if block in canon.COLUMNS.get(kind, []) else None
    label = _place(kind, words, actual)
    if label is None:
        return None
    if block and kind == "T7":
        label = f"{block}/{label}"
    elif block:
        label = block if label == "合计" else None
    return label if label in canon.COLUMNS.get(kind, []) else None


_FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金")
_INCOME = ("事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", "财政拨款收入")
_VEHICLE = {"公务用车购置费": "公务用车购置及运行费/公务用车购置费",
            "公务用车运行费": "公务用车购置及运行费/公务用车运行费",
            "公务用车购置及运行费": "公务用车购置及运行费/小计"}


def _place(kind: str, words: list[str], actual: bool) -> str | None:
    if not words:
        # the one amount column of a two-sided table ("金额", "预算数", "决算数"), or of a coded
        # table that prints no split ("金额": 合计)
        return ("决算数" if actual else "预算数") if kind in ("T1", "T4") else ("合计" if kind != "T2" else None)
    leaf = words[-1]
    under = set(words[:-1])
    if kind in ("T1", "T4"):
        if leaf == "合计" and kind == "T1":
            return "决算数" if actual else "预算数"
        if kind == "T4" and leaf in _FUNDS[:3]:
            return leaf
        if kind == "T1" and "基本支出" in under and leaf in ("人员经费", "公用经费"):
            return f"基本支出/{leaf}"
        return leaf if leaf in ("合计", "项目支出") else None
    if kind == "T2":
        if leaf == "本年收入":
            return "本年收入/小计"
        named = [w for w in words[:-1] if w in _FUNDS or w in _INCOME]
        if leaf == "合计" and named:
            leaf = named[-1]  # "一般公共预算资金/小计": the subtotal of that income
        if leaf == "合计":
            if "上年结转结余" in under:
                return "上年结转结余/小计"
            return "本年收入/小计" if "本年收入" in under else "合计"
        if leaf == "上年结转结余":
            return "上年结转结余/小计"
        if leaf in _FUNDS or leaf in _INCOME:
            return f"{'上年结转结余' if '上年结转结余' in under else '本年收入'}/{leaf}"
        return None
    if kind in ("T3", "T5-1", "T5-2"):
        if leaf in ("人员经费", "公用经费"):
            return f"基本支出/{leaf}"
        if leaf == "基本支出" or (leaf == "合计" and "基本支出" in under):
            return "基本支出" if kind == "T3" else "基本支出/小计"
        return leaf if leaf in ("合计", "项目支出", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出") else None
    if kind == "T6":
        return leaf if leaf in ("合计", "人员经费", "公用经费") else None
    if kind == "T7":
        if leaf in _FUNDS and words[:-1]:
            # Items split by fund (因公出国(境)费 / 一般公共预算 …): the canonical 三公 table is
            # the 一般公共预算 part, as every template's T7 prints it.
            return _place(kind, words[:-1], actual) if leaf == "一般公共预算" else None
        if leaf == "三公经费":
            return "合计"
        if leaf == "合计" and "公务用车购置及运行费" in under:
            return _VEHICLE["公务用车购置及运行费"]
        if leaf in _VEHICLE:
            return _VEHICLE[leaf]
        return leaf if leaf in ("合计", "因公出国（境）费", "公务接待费", "机关运行经费", "会议费", "培训费") else None
    if kind in ("T8", "T9"):
        return leaf if leaf in ("合计", "基本支出", "项目支出") else None
    return None


def settle_columns(kind: str, paths: list[list[str]], labels: list[str | None]) -> list[str | None]:
    """Labels read one column at a time, settled against the table's other columns: a 三公 table
    that also prints 会议费 / 培训费 and two 合计 columns (江苏: 合计 | “三公”经费 小计 …) has the
    broader total in the column with the shorter header, 三公会议培训合计."""
    labels = list(labels)
    norm_paths = [[_YEAR_RE.sub("", p) for p in path] for path in paths]
    codes = [j for j, path in enumerate(norm_paths) if any("编码" in p or "代码" in p for p in path)]
    later = [j for j in codes if any(labels[i] for i in range(j))]
    if later:
        # A second code column after amount columns: blocks side by side (决算 T6: 人员经费 codes
        # | 公用经费 codes), each row holding two items. The row's code is the first block's, so the
        # second block's amounts would sit under another item's code: they are not read.
        labels[later[0]:] = [None] * (len(labels) - later[0])
    if kind not in ("T1", "T4"):
        # A column headed only 金额 / 预算数 / 决算数 is the table's 合计 when it is its one amount
        # column; several of them are blocks side by side (决算 T6: 人员经费 | 公用经费, each
        # code | name | 决算数) that no header word tells apart.
        bare = [j for j, path in enumerate(norm_paths) if labels[j] and path and all(_word(p) == "" or _word(p) == "决算数"
                                                                                   for p in path)]
        if len(bare) > 1:
            for j in bare:
                labels[j] = None
    if kind == "T7" and any("决算" in "".join(path) for path in norm_paths):
        # 决算 三公: the budget block beside the actual one is the opening budget (年初预算数/…)
        for j, path in enumerate(norm_paths):
            joined = "".join(path)
            if labels[j] and "预算" in joined and "决算" not in joined and not labels[j].startswith("年初预算数"):
                opening = f"年初预算数/{labels[j]}"
                labels[j] = opening if opening in canon.COLUMNS["T7"] else None
    totals = [j for j, label in enumerate(labels) if label == "合计"]
    if kind != "T7" or len(totals) < 2 or not {"会议费", "培训费"} & set(labels):
        return labels
    broad = min(totals, key=lambda j: len(paths[j]))
    return [("三公会议培训合计" if j == broad else label) for j, label in enumerate(labels)]
