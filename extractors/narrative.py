"""Claims of the narrative (情况说明): the amounts, shares, year-on-year changes and
classification names that rules C1–C3 and D1–D2 check against the tables.

The narrative is read from the pypdfium2 text layer (no table finder needed),
joined across lines and pages, NFKC-normalised. Every claim keeps the page
where its sentence starts and the sentence itself.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from . import canon
from .model import Claim, Fact

AMT = r"(\d[\d,]*(?:\.\d+)?)\s*万\s*元"
PCT = r"(\d+(?:\.\d+)?)\s*%"
NAME = r"[\u4e00-\u9fff()、]"

_PART_RE = re.compile(r"第[三四]部分")
_CJK_GAP_RE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_PAGE_NO_RE = re.compile(r"^\s*-?\s*\d+\s*-?\s*$")


@dataclass
class Text:
    """The narrative as one string, with a map from offsets back to pages."""

    text: str
    starts: list[int]  # offset where each page starts
    pages: list[int]

    def page_at(self, pos: int) -> int:
        return self.pages[max(0, bisect_right(self.starts, pos) - 1)]

    def sentence(self, start: int, end: int) -> str:
        a = max(self.text.rfind(p, 0, start) for p in "。；;") + 1
        b_candidates = [i for i in (self.text.find(p, end) for p in "。；;") if i != -1]
        b = min(b_candidates) + 1 if b_candidates else len(self.text)
        if b - a > 200:
            # No full stop since the tables before (上海's 其他相关情况说明 opens right after
            # the last table page): quote from the match's page, not the tables' text.
            page_start = self.starts[max(0, bisect_right(self.starts, start) - 1)]
            a = max(a, page_start if start - page_start <= 160 else start - 40)
        return self.text[a:b].strip()[:200]


def _running_lines(pages: list[tuple[int, str]]) -> set[str]:
    """Lines printed on most pages (a running header such as "苏州市审计局 2026 年度部门预算公开"):
    joined into the text they land mid-sentence ("减苏州市…公开少") and mid-name."""
    if len(pages) < 3:
        return set()
    seen: dict[str, int] = {}
    for _, raw in pages:
        for line in {line.strip() for line in raw.splitlines()}:
            if len(line) >= 4 and not line.endswith(("。", "；", ";")):
                seen[line] = seen.get(line, 0) + 1
    return {line for line, n in seen.items() if n >= 3 and n * 2 >= len(pages)}


def narrative_text(pages: list[tuple[int, str]]) -> Text:
    """pages: (1-based number, text) of the pages that hold the narrative."""
    parts, starts, numbers = [], [], []
    offset = 0
    running = _running_lines(pages)
    for number, raw in pages:
        lines = [line.strip() for line in raw.splitlines()
                 if not _PAGE_NO_RE.match(line) and line.strip() not in running]
        text = unicodedata.normalize("NFKC", "".join(lines))
        # Justified lines print as "国 家 信 访 局": drop spaces between two CJK characters.
        text = _CJK_GAP_RE.sub("", text)
        starts.append(offset)
        numbers.append(number)
        parts.append(text)
        offset += len(text)
    return Text("".join(parts), starts, numbers)


def _dec(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


class _Builder:
    def __init__(self, text: Text, fiscal_year: int | None):
        self.t = text
        self.fy = fiscal_year
        self.claims: list[Claim] = []
        self._seen: set = set()

    def add(self, m: re.Match, **kw) -> None:
        key = tuple(kw.get(k) for k in ("kind", "subject", "label", "level", "amount_wan", "percent",
                                         "delta_wan", "direction"))
        if key in self._seen:
            return
        self._seen.add(key)
        self.claims.append(Claim(page=self.t.page_at(m.start()), text=self.t.sentence(m.start(), m.end()), **kw))

    def first(self, pattern: str, start: int = 0, end: int | None = None) -> re.Match | None:
        return re.compile(pattern).search(self.t.text, start, len(self.t.text) if end is None else end)


def _amount_claims(b: _Builder) -> None:
    simple = [
        # a budget's 收支总预算; a 决算's "2024 年度收入支出总计 9859.38 万元" (or 收支总计, 收、支总计)
        # and 江苏's "2017 年度收入、支出预算总计 17996.68 万元"
        ("total", r"(?<!财政拨款)(?:收支总预算|收入支出总计|收、?支总计|收入、?支出预算总计)(?:为)?\s*" + AMT),
        ("fiscal_appropriation", r"财政拨款(?:收支总预算|收入支出总计|收、?支总计)(?:为)?\s*" + AMT),
        ("income_total", r"(?:预算收入|收入预算总计)(?:为)?\s*" + AMT),
        ("expenditure_total", r"(?:支出预算总计|年支出预算)(?:为)?\s*" + AMT),
        ("general_budget", r"一般公共预算支出预算数为\s*" + AMT),
        ("personnel", r"人员经费\s*" + AMT),
        ("public", r"公用经费\s*" + AMT),
        ("admin_operating", r"机关运行经费(?:财政拨款预算)?\s*" + AMT),
    ]
    for subject, pattern in simple:
        m = b.first(pattern)
        if m:
            b.add(m, kind="amount", subject=subject, amount_wan=_dec(m.group(1)))
    for m in re.finditer(r"(基本支出|项目支出|一般公共预算拨款收入)\s*" + AMT + r"\s*[,，]\s*占\s*" + PCT, b.t.text):
        subject = {"基本支出": "basic", "项目支出": "project", "一般公共预算拨款收入": "general_budget"}[m.group(1)]
        b.add(m, kind="share", subject=subject, label=m.group(1), amount_wan=_dec(m.group(2)),
              percent=Decimal(m.group(3)))
    # 类 amounts in the "支出包括：…" sentences
    for m in re.finditer(r"支出包括[:：]([^。]*)", b.t.text):
        for code, name in canon.FUNC_CLASSES.items():
            for mm in re.finditer(re.escape(name) + r"\s*" + AMT, m.group(1)):
                pos = m.start(1) + mm.start()
                fake = re.compile(".").match(b.t.text, pos)
                b.add(fake, kind="amount", subject=f"func:{code}", label=name, amount_wan=_dec(mm.group(1)))


_CHANGE = (r"(?P<dir>增加|减少)\s*(?P<delta>\d[\d,]*(?:\.\d+)?)\s*万\s*元"
           r"(?:\s*[,，]\s*(?:增长|降低|减少|增加|下降|上升|增幅|减幅)\s*(?P<pct>\d+(?:\.\d+)?)\s*%)?")
# "比上年增加 X 万元，增长 Y%" and the 决算 wording "与 2023 年度相比，收入支出总计增加 X 万元，增长 Y%".
# A change without its percentage still states Δ (D1 checks the word and the base).
_YOY_RES = (
    re.compile(r"(?:比|较)\s*(?P<prior>上年|(?P<y>\d{4})\s*年)[^,，。]{0,12}?" + _CHANGE),
    re.compile(r"与\s*(?P<prior>上年|(?P<y>\d{4})\s*年)[^,，。]{0,8}?相比\s*[,，]?[^,，。\d]{0,16}?" + _CHANGE),
)
_FLAT_RE = re.compile(r"与\s*(?P<prior>上年|(?P<y>\d{4})\s*年)[^。]{0,20}?持平")
# The words that name the subject of a change; in a sentence the nearest before the change wins.
_YOY_SUBJECTS = (
    (r"机关运行经费", "admin_operating"),
    (r"三公", "sangong:total"),
    (r"因公出国", "sangong:abroad"),
    (r"公务用车购置及运行", "sangong:vehicle"),
    (r"公务用车购置费", "sangong:vehicle_purchase"),
    (r"公务用车运行(?:维护)?费", "sangong:vehicle_operation"),
    (r"公务接待费", "sangong:reception"),
    (r"收支总预算", "total"),
    (r"(?<!财政拨款)(?:收入支出总计|收、?支总计)", "total"),
    # 江苏: "收入、支出预算总计 X 万元，与上年相比收、支预算总计各增加 Y 万元"
    (r"(?<!财政拨款)(?:收入、?支出|收、?支)预算总计", "total"),
    (r"财政拨款(?:收入支出总计|收、?支总计)", "fiscal_appropriation"),
    (r"本年预算", "general_budget"),
    (r"一般公共预算当年", "general_budget"),
)
_AMT_RE = re.compile(AMT)
_SUBJECT_REACH = 36  # characters from a subject's words to its amount or change word


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts; a sentence that opens with the change itself
    ("收支总预算 564.25 万元。比 2025 年预算减少 20.28 万元") continues the one before."""
    start = max(text.rfind(p, 0, pos) for p in "。；;") + 1
    if start > 1 and not text[start:pos].strip():
        start = max(text.rfind(p, 0, start - 1) for p in "。；;") + 1
    return start


def _yoy_subject(b: _Builder, start: int, at: int, end: int) -> tuple[str | None, Decimal | None]:
    """The subject of the change phrase at ``at`` and its amount this year, both from the
    sentence itself: the subject's words between the sentence start and ``end`` (where the
    change word is), the amount
    printed right before the change ("…预算 105.75 万元，比上年…") or, in a 决算's
    "…收入支出总计 9859.38 万元。与 2023 年度相比，收入支出总计增加…", after the same words in
    the sentence before. A change whose subject the sentence does not name is not read: its
    amount and base would be guesses."""
    text = b.t.text
    amounts = list(_AMT_RE.finditer(text, start, at))
    near = amounts[-1] if amounts and re.fullmatch(r"[^\d%]{0,6}", text[amounts[-1].end():at]) else None
    best = None
    stop = near.start() if near else end
    for words, subject in _YOY_SUBJECTS:
        # close to its amount: a heading's words before an item's own name do not name the item
        for m in re.compile(words).finditer(text, max(start, stop - _SUBJECT_REACH), stop):
            if best is None or m.start() > best[0]:
                best = (m.start(), subject, words)
    if best is None:
        return None, None
    if near:
        return best[1], _dec(near.group(1))
    back = max(0, start - 200)
    said = list(re.finditer(best[2] + r"(?:为|是)?\s*" + AMT, text[back:end]))
    return best[1], _dec(said[-1].group(1)) if said else None


_REFERS_BACK = re.compile(r"(?:此|该|上述)(?:项|部分)")


def _referred_subject(b: _Builder, start: int) -> tuple[str | None, Decimal | None]:
    """"机关运行经费 22.79 万元。主要包括：…。此项支出比上年减少 1.5 万元": the subject and
    amount that "此项" points back to, stated together in one of the two sentences before."""
    text = b.t.text
    back = _sentence_start(text, _sentence_start(text, max(0, start - 1)) - 1) if start > 1 else 0
    best = None
    for words, subject in _YOY_SUBJECTS:
        for m in re.compile(words + r"[^。；;\d]{0,12}?" + AMT).finditer(text, back, start):
            if best is None or m.start() > best[0]:
                best = (m.start(), subject, _dec(m.group(1)))
    return (best[1], best[2]) if best else (None, None)


def _yoy_claims(b: _Builder) -> None:
    text = b.t.text
    for yoy_re in _YOY_RES:
        for m in yoy_re.finditer(text):
            start = _sentence_start(text, m.start())
            subject, amount = _yoy_subject(b, start, m.start(), m.start("dir"))
            if subject is None and _REFERS_BACK.search(text, start, m.start()):
                subject, amount = _referred_subject(b, start)
            if subject is None:
                continue
            prior = int(m.group("y")) if m.group("y") else (b.fy - 1 if b.fy else None)
            sign = -1 if m.group("dir") == "减少" else 1
            b.add(m, kind="yoy", subject=subject, amount_wan=amount, direction=m.group("dir"), prior_year=prior,
                  delta_wan=sign * _dec(m.group("delta")),
                  percent=sign * Decimal(m.group("pct")) if m.group("pct") else None)
    for m in _FLAT_RE.finditer(text):
        start = _sentence_start(text, m.start())
        subject, amount = _yoy_subject(b, start, m.start(), m.end())
        if subject is None and _REFERS_BACK.search(text, start, m.start()):
            subject, amount = _referred_subject(b, start)
        if subject is None:
            continue
        prior = int(m.group("y")) if m.group("y") else (b.fy - 1 if b.fy else None)
        b.add(m, kind="yoy", subject=subject, amount_wan=amount, direction="持平", prior_year=prior,
              delta_wan=Decimal(0))


_COMPLETION_RE = re.compile(r"\s*[,，]\s*完成(?:年初)?预算的\s*" + PCT)


def _completion(b: _Builder, m: re.Match, subject: str) -> None:
    """A 决算's "支出决算为 46.21 万元，完成预算的 60.46%": the actual with the share of the
    budget it quotes (D2 recomputes it from T7's 年初预算 columns)."""
    mm = _COMPLETION_RE.match(b.t.text, m.end())
    if mm:
        b.add(m, kind="completion", subject=subject, amount_wan=_dec(m.group(1)), percent=Decimal(mm.group(1)))


def _sangong_claims(b: _Builder) -> None:
    # a budget's "三公经费预算数 X"; a 决算's "…预算为 X 万元，支出决算为 Y 万元" or "…预算为 X 万元，
    # 2024 年度支出决算为 Y 万元" (the 决算 amount)
    # "预算数为0，与2025年预算持平" (上海): a bare 0 needs no unit
    m = (b.first(r"“?三公”?经费(?:财政拨款)?预算数(?:为)?\s*(?:" + AMT + r"|(0)(?=[，,。；;]))")
         or b.first(r"“?三公”?经费(?:财政拨款)?支出(?:年初)?预算为\s*[\d,.]+\s*万元[，,]\s*(?:\d{4}\s*年度?)?\s*支出决算(?:数)?为\s*"
                   + AMT))
    if m:
        b.add(m, kind="amount", subject="sangong:total", amount_wan=_dec(m.group(1) or m.group(2)))
        _completion(b, m, "sangong:total")
        end = m.end() + 600
        spent = r"(?:用)?(?:支出)?(?:决算(?:数)?)?(?:为)?\s*"  # 决算: "费支出决算为 X", "费决算为 X"
        items = [
            ("sangong:abroad", r"因公出国\(境\)费" + spent + AMT),
            ("sangong:vehicle", r"公务用车购置及运行(?:维护)?费" + spent + AMT),
            ("sangong:vehicle_purchase", r"公务用车购置费" + spent + AMT),
            ("sangong:vehicle_operation", r"公务用车运行(?:维护)?费" + spent + AMT),
            ("sangong:reception", r"公务接待费" + spent + AMT),
        ]
        for subject, pattern in items:
            mm = b.first(pattern, m.end(), end)
            if mm:
                b.add(mm, kind="amount", subject=subject, amount_wan=_dec(mm.group(1)))
                _completion(b, mm, subject)
    else:
        # "2024 年度无“三公”经费财政拨款支出" / "本年度没有财政拨款“三公”经费支出": the filing
        # states its 三公 total is nil (its 三公 table is printed empty). Only when no amount is
        # stated: a template's leftover note beside printed figures must not zero them.
        m = b.first(r"(?:没有|无)(?:财政拨款)?[“\"]?三公[”\"]?经费(?:财政拨款)?(?:支出|预算)")
        if m:
            b.add(m, kind="amount", subject="sangong:total", label=m.group(0), amount_wan=Decimal(0))
    m = b.first(r"三公”?经费的单位(?:范围)?包括([^。]+?)。")
    if m:
        b.add(m, kind="sangong_scope", subject="sangong", label=m.group(1).strip())


def _procurement_claims(b: _Builder) -> None:
    m = b.first(r"政府采购(?:预算支出合计|预算总额|预算支出|预算)(?:为)?\s*" + AMT)
    if not m:
        return
    b.add(m, kind="amount", subject="procurement:total", amount_wan=_dec(m.group(1)))
    for subject, word in (("goods", "货物"), ("works", "工程"), ("services", "服务")):
        mm = b.first(r"(?:政府采购)?" + word + r"(?:类|预算)?\s*" + AMT, m.end(), m.end() + 200)
        if mm:
            b.add(mm, kind="amount", subject=f"procurement:{subject}", amount_wan=_dec(mm.group(1)))


# "没有政府性基金预算", or the fund's spending given as 0 (江苏: "政府性基金支出预算支出 0 万元";
# 上海: "政府性基金拨款支出预算为0；"); a 0 followed by other digits is an amount, not none.
_ZERO_SPENDING = r"(?:预算)?(?:财政)?(?:拨款)?支出(?:预算)?(?:支出)?(?:安排)?(?:为)?\s*0(?:\.0+)?(?![\d.])(?:\s*万元)?"


def _no_fund_claims(b: _Builder) -> None:
    for subject, word in (("gov_fund", "政府性基金"), ("state_capital", "国有资本经营")):
        m = re.search(r"(没有|无)(使用)?[^。]{0,6}" + word + r"预算", b.t.text) or re.search(word + _ZERO_SPENDING, b.t.text)
        if m:
            b.add(m, kind="no_fund", subject=subject, label=m.group(0))


# Head counts of 人员构成 ("编制人数 24 人 … 在职实有人数 16 人"): the first count quoted is the
# department's own; later ones break it down by kind of post or unit.
_STAFF = (
    ("staff:quota", r"(?:核定)?编制(?:人数|数)?(?:为|共)?\s*(\d+)\s*[人名]"),
    ("staff:actual", r"(?:在职)?实有(?:人数|人员)?(?:为|共)?\s*(\d+)\s*[人名]"),
)


def staff_claims(pages: list[tuple[int, str]]) -> list[Claim]:
    """Head counts from the 部门概况 part, which comes before the tables (not in the narrative)."""
    b = _Builder(narrative_text(pages), None)
    for subject, pattern in _STAFF:
        m = b.first(pattern)
        if m:
            b.add(m, kind="count", subject=subject, label=m.group(0), amount_wan=Decimal(m.group(1)))
    return b.claims


# 年初预算 quoted in a 决算 narrative ("一般公共预算财政拨款支出年初预算为 X 万元"), for E3.
_PLAN_SUBJECTS = (
    (r"一般公共预算财政拨款支出", "general_budget_expenditure"),  # T5-1 合计, carry-over included
    (r"[“\"]?三公[”\"]?经费(?:财政拨款)?(?:支出)?", "sangong:total"),
    (r"因公出国[（(]境[)）]费(?:支出)?", "sangong:abroad"),
    (r"公务用车购置费", "sangong:vehicle_purchase"),
    (r"公务用车运行(?:维护)?费", "sangong:vehicle_operation"),
    (r"公务接待费(?:支出)?", "sangong:reception"),
    (r"机关运行经费(?:支出)?", "admin_operating"),
)


def _plan_claims(b: _Builder) -> None:
    for words, subject in _PLAN_SUBJECTS:
        for m in re.finditer(words + r"(?:全年)?年初预算(?:数)?为\s*([\d,]+(?:\.\d+)?)\s*万元", b.t.text):
            b.add(m, kind="plan", subject=subject, label=m.group(0), amount_wan=_dec(m.group(1)))


# Required parts of the narrative (F3), found by their headings: "一、部门主要职能",
# "（四）国有资产占有使用情况", "第四部分 名词解释". Table titles ("…“三公”经费支出表") and
# the 目录 page do not count: a part listed in the contents but missing in the text is missing.
_HEADING_RE = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[、.．])\s*(.{2,40})$")
_LEAD_HEADING_RE = re.compile(r"^((?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])\s*[^：:“”\d]{2,30})[：:]")
_SECTIONS = (
    ("section:functions", r"职能|职责"),
    ("section:units", r"单位构成|机构设置|机构构成|部门构成|机构编制"),
    ("section:staff", r"人员构成|人员情况|人员编制"),
    ("section:changes", r"增减变化|增减.*原因|总体情况|总体说明|预算编制说明"),
    ("section:sangong", r"三公"),
    ("section:admin_operating", r"机关运行经费"),
    ("section:procurement", r"政府采购"),
    ("section:assets", r"国有资产"),
    ("section:performance", r"绩效"),
    ("section:glossary", r"名词解释|名词说明|专业名词"),
)


# A part named without a number, on a line of its own: "上海市统计局（单位）主要职能",
# "名词解释", "单位预算编制说明" (上海). Only a short line with no sentence punctuation that ends
# with the part's own words counts, so a sentence's wrapped last line does not.
_BARE_HEADING_RE = re.compile(r"^[^。，；：,;:]{2,40}$")
_PART_ONLY_RE = re.compile(r"^第[一二三四五六七八九十]+部分$")


# A part's heading run onto the end of the sentence before it by the text layer
# ("…增幅 12.5%。第四部分 政府采购预算情况", 深圳).
_RUN_ON_PART_RE = re.compile(r"(?<=[。；])\s*(?=第[一二三四五六七八九十]+部分)")


def _heading_lines(lines: list[str]) -> list[str]:
    """The page's lines with a "第四部分" heading run onto a sentence split off, and a bare
    "第四部分" joined to the part's name on the next line."""
    out: list[str] = []
    for line in (part for line in lines for part in _RUN_ON_PART_RE.split(line) if part):
        if out and _PART_ONLY_RE.match(out[-1]) and not _PART_ONLY_RE.match(line):
            out[-1] += line
        else:
            out.append(line)
    return out


def section_claims(pages: list[tuple[int, str]]) -> list[Claim]:
    """One claim per required part whose heading is printed, at its first page."""
    claims: list[Claim] = []
    seen: set[str] = set()
    in_contents = False
    in_glossary = False
    for number, raw in pages:
        lines = [unicodedata.normalize("NFKC", _CJK_GAP_RE.sub("", line.strip())) for line in raw.splitlines()]
        lines = _heading_lines([line for line in lines if line and not _PAGE_NO_RE.match(line)])
        if any(re.fullmatch(r"目\s*录", line) for line in lines):
            in_contents = True
            continue
        # the contents may run over several pages: a page of headings only still belongs to it
        in_contents = in_contents and bool(lines) and all(_HEADING_RE.match(line) and not line.endswith("。")
                                                          for line in lines)
        if in_contents:
            continue
        for line in lines:
            lead = _LEAD_HEADING_RE.match(line)
            # the glossary's entries ("（六）机关运行经费：指…", "(四)政府采购") are not parts; a part
            # after it (上海 prints 名词解释 before 单位预算编制说明) has a heading of the top level
            if in_glossary and (lead or re.match(r"^[（(]", line)):
                continue
            if lead:  # "(三) 国有资产占有使用情况：截至…": the words before the colon are the heading
                line = lead.group(1)
            m = _HEADING_RE.match(line)
            if m:
                name = m.group(2)
                # not a table title, a contents line with leaders, a table row ending in an amount,
                # or a definition ("3.“绩效指标”：设定…")
                if name.rstrip().endswith("表") or re.search(r"\.{4,}|…{2,}|\d$|[:：]", line):
                    continue
                found = [s for s, words in _SECTIONS if re.search(words, name)]
            elif _BARE_HEADING_RE.match(line) and not line.endswith("表"):
                found = [s for s, words in _SECTIONS if re.search(f"(?:{words})(?:情况)?(?:说明)?$", line)]
            else:
                continue
            for subject in found:
                if subject not in seen:
                    seen.add(subject)
                    claims.append(Claim(kind="section", subject=subject, label=line[:60], page=number, text=line[:200]))
            # a top-level heading ("第四部分 …", "三、…", or one unnumbered) opens the glossary or
            # ends it: a contents page the text layer did not mark leaves no glossary open
            if not re.match(r"^[（(]", line):
                in_glossary = "section:glossary" in found
    return claims


# ---- classification names -----------------------------------------------------------------


@dataclass
class FuncRow:
    code: str
    label: str
    basic: Decimal | None
    project: Decimal | None
    total: Decimal | None


def func_rows(facts: list[Fact]) -> list[FuncRow]:
    """项-level (7-digit) rows of T5-1 (else T3) in printed order, with their amounts."""
    for kind in ("T5-1", "T3"):
        rows: dict[str, FuncRow] = {}
        for f in facts:
            if f.table_kind != kind or not (f.row_code.isdigit() and len(f.row_code) == 7):
                continue
            r = rows.setdefault(f.row_code, FuncRow(f.row_code, f.row_label, None, None, None))
            if f.column_label in ("基本支出/小计", "基本支出"):
                r.basic = f.amount_wan
            elif f.column_label == "项目支出":
                r.project = f.amount_wan
            elif f.column_label == "合计":
                r.total = f.amount_wan
        if rows:
            return list(rows.values())
    return []


def _match_codes(items: list[tuple[str, Decimal | None]], rows: list[FuncRow], attr: str) -> list[str | None]:
    """Codes for narrative items: same position when the amount agrees there, else the unique
    row with that amount, else the row with that exact name."""
    out: list[str | None] = []
    for i, (name, amount) in enumerate(items):
        code = None
        if i < len(rows) and amount is not None and getattr(rows[i], attr) == amount:
            code = rows[i].code
        if code is None and amount is not None:
            same = [r for r in rows if getattr(r, attr) == amount]
            if len(same) == 1:
                code = same[0].code
        if code is None:
            same = [r for r in rows if _plain(r.label) == _plain(name)]
            code = same[0].code if same else None
        out.append(code)
    return out


# What a list prints before a classification name and is no part of it: ordinals (十、 二十一、
# （一） (1) 1. 1、 1) and ①, which NFKC has turned into "1"), with any punctuation left over
# from the sentence before.
_ORDINAL_RE = re.compile(
    r"^(?:[\s,，。:：;；、.．)）]+|[一二三四五六七八九十百]+[、.．]|[(（](?:[一二三四五六七八九十]+|\d+)[)）]"
    r"|\d+(?:[、.．)）](?!\d)|(?=[\u4e00-\u9fff])))+")
_INNER_ORDINAL_RE = re.compile(r"[一二三四五六七八九十百]+、|[(（][一二三四五六七八九十]+[)）]")
# The level words around a name: "一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）".
_LEVEL_RE = re.compile(r"[(（]\s*([类款项])\s*[)）]")


def plain_name(label: str, level: str = "") -> str:
    """The name a person reads in a narrative item: "十、教育支出" is "教育支出"; of
    "一般公共服务（类）…事务（款）行政运行（项）" the 款 is "…事务" and the 项 "行政运行"."""
    text = unicodedata.normalize("NFKC", label).strip()
    marks = list(_LEVEL_RE.finditer(text))
    own = next((i for i, m in enumerate(marks) if m.group(1) == level), None)
    if own is not None:  # the words between the level word before and this level's own
        text = text[(marks[own - 1].end() if own else 0):marks[own].start()]
    elif marks:
        text = _LEVEL_RE.sub("", text)
    # a heading run into the item ("第四部分名词解释九、一般公共服务支出"): the name follows the ordinal
    text = _INNER_ORDINAL_RE.split(text)[-1] or text
    name = _ORDINAL_RE.sub("", text).strip()
    return name or text


def _plain(name: str) -> str:
    return re.sub(r"[()（）]", "", unicodedata.normalize("NFKC", name))


def _item_list(b: _Builder, head: str, stop: str) -> tuple[int, int] | None:
    m = b.first(head)
    if not m:
        return None
    s = b.first(stop, m.end())
    return m.end(), (s.start() if s else min(len(b.t.text), m.end() + 1500))


def _name_claims(b: _Builder, facts: list[Fact]) -> None:
    rows = func_rows(facts)
    if not rows:
        return
    item_re = re.compile(r"(?:\(\d+\)\s*)?(" + NAME + r"{2,40}?)\s*" + AMT)

    def emit(m_start: int, m_end: int, code: str, name: str, level: str, amount: Decimal | None) -> None:
        name = plain_name(name, level)
        fake = re.compile(".").match(b.t.text, m_start)
        b.add(fake, kind="item_name", subject=f"func:{code}", label=name, level=level, amount_wan=amount)
        if amount is not None and level == "项":
            b.add(fake, kind="amount", subject=f"func:{code}", label=name, amount_wan=amount)

    # (一) 基本支出 … 其中：事业运行 296.25 万元，… until (二)
    span = _item_list(b, r"\(一\)\s*基本支出\s*" + AMT + r".{0,160}?其中[:：]", r"\(二\)")
    if span:
        found = [(m, re.sub(r"^[,，。、;；]+", "", m.group(1))) for m in item_re.finditer(b.t.text, *span)]
        codes = _match_codes([(n, _dec(m.group(2))) for m, n in found], [r for r in rows if r.basic], "basic")
        for (m, name), code in zip(found, codes):
            if code:
                emit(m.start(1), m.end(), code, name, "项", _dec(m.group(2)))
    # (二) 项目支出 … 其中：1、X(类)Y(款) (1) Z 109.5 万元 …
    span = _item_list(b, r"\(二\)\s*项目支出\s*" + AMT + r".{0,160}?其中[:：]", r"[六七八九十]、|第四部分")
    if span:
        heading_re = re.compile(r"(" + NAME + r"+?)\(类\)(" + NAME + r"+?)\(款\)")
        headings = list(heading_re.finditer(b.t.text, *span))
        found = [(m, m.group(1)) for m in item_re.finditer(b.t.text, *span)]
        found = [(m, n) for m, n in found if "(类)" not in n and "(款)" not in n]
        codes = _match_codes([(n, _dec(m.group(2))) for m, n in found], [r for r in rows if r.project], "project")
        for (m, name), code in zip(found, codes):
            if not code:
                continue
            emit(m.start(1), m.end(), code, name, "项", _dec(m.group(2)))
            heading = next((h for h in reversed(headings) if h.start() < m.start()), None)
            if heading:
                emit(heading.start(1), heading.end(), code[:3], heading.group(1), "类", None)
                emit(heading.start(2), heading.end(), code[:5], heading.group(2), "款", None)
    # N、X(类)Y(款)Z(项) — 名词解释 and itemised explanations
    triple_re = re.compile(r"(?:^|[。:：\d、.])\s*(" + NAME + r"+?)\(类\)(" + NAME + r"+?)\(款\)(" + NAME + r"+?)\(项\)")
    triples = list(triple_re.finditer(b.t.text))
    if triples:
        amounts = []
        for m in triples:
            mm = re.compile(r"预算数为\s*" + AMT).match(b.t.text, m.end(), m.end() + 40) or \
                re.compile(r"\s*\d{4}\s*年预算数为\s*" + AMT).match(b.t.text, m.end())
            amounts.append(_dec(mm.group(1)) if mm else None)
        items = [(m.group(3), a) for m, a in zip(triples, amounts)]
        if len(items) == len(rows):
            codes = [r.code for r in rows]  # one line per 项, in table order
        else:
            codes = _match_codes(items, rows, "total")
        for m, amount, code in zip(triples, amounts, codes):
            if not code:
                continue
            emit(m.start(1), m.end(), code[:3], re.sub(r"^[\d、.]+", "", m.group(1)), "类", None)
            emit(m.start(2), m.end(), code[:5], m.group(2), "款", None)
            emit(m.start(3), m.end(), code, m.group(3), "项", amount)


def extract_claims(pages: list[tuple[int, str]], facts: list[Fact], fiscal_year: int | None) -> list[Claim]:
    b = _Builder(narrative_text(pages), fiscal_year)
    _amount_claims(b)
    _yoy_claims(b)
    _sangong_claims(b)
    _procurement_claims(b)
    _no_fund_claims(b)
    _plan_claims(b)
    _name_claims(b, facts)
    return b.claims


def narrative_pages(page_texts: list[tuple[int, str]], first_table_page: int | None) -> list[tuple[int, str]]:
    """Pages from the narrative part heading (第三部分, after the tables) to the end."""
    start = None
    for number, text in page_texts:
        if first_table_page is not None and number <= first_table_page:
            continue
        if any(_PART_RE.match(line.strip()) for line in text.splitlines()):
            start = number
            break
    if start is None:
        return page_texts
    return [(n, t) for n, t in page_texts if n >= start]
