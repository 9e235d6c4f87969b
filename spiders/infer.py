"""Reading a portal page we have no profile for: where the budget entries are,
their dates, the pager and the attachments. Shared by `profile draft` (which
writes a profile from it) and `crawl --check` (whose hints say where the
entries went when a selector stops matching).

Works on parsel selectors (what the spiders parse with); CSS it proposes is
checked against the same page before it is returned.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from os.path import commonprefix
from urllib.parse import unquote, urljoin, urlsplit

from parsel import Selector

from spiders.listing import json_objects, raw_text
from spiders.profile import DEFAULT_DATE_REGEX, normalize_date

BUDGET_WORDS = re.compile(r"预算|决算")
YEAR = re.compile(r"20\d{2}")
DATE = re.compile(DEFAULT_DATE_REGEX)
FILE_EXTENSIONS = (".pdf", ".xlsx", ".xls", ".doc", ".docx")
# TRS: createPageHTML(total, current, "index", "shtml")
TRS_PAGER = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']")
NEXT_WORDS = ("下一页", "下页", "后一页")
# The TRS base profile's regex for attachment links a script writes (spiders/profiles/base/trs.yaml).
SCRIPT_HREF_REGEX = r'''(?i)href=\\?["']([^"'<>\s\\]+?\.(?:pdf|xlsx?|docx?))\\?["'][^>]*>(?P<text>[^<]*)'''


def is_budget_title(text: str | None) -> bool:
    return bool(text) and bool(BUDGET_WORDS.search(text)) and bool(YEAR.search(text))


def anchor_title(a) -> str:
    text = " ".join("".join(a.xpath(".//text()").getall()).split())
    return a.attrib.get("title") or text


def _sig(el) -> str:
    """A CSS step for one lxml element: tag, tag.class or tag#id."""
    classes = [c for c in (el.get("class") or "").split() if re.fullmatch(r"[A-Za-z_][\w-]*", c)]
    if classes:
        return f"{el.tag}.{classes[0]}"
    if el.get("id") and re.fullmatch(r"[A-Za-z_][\w-]*", el.get("id")):
        return f"{el.tag}#{el.get('id')}"
    return str(el.tag)


def _has_budget_anchor(el) -> bool:
    for a in el.iter("a"):
        text = a.get("title") or "".join(a.itertext())
        if a.get("href") and is_budget_title(text):
            return True
    return False


def _item_element(a):
    """The repeated block an anchor sits in: the nearest element (the anchor
    itself included) whose parent holds at least two same-tag children with a
    budget link each."""
    el = a
    while el.getparent() is not None and el.tag not in ("body", "html"):
        parent = el.getparent()
        same = [c for c in parent if c.tag == el.tag and _has_budget_anchor(c)]
        if len(same) >= 2:
            return el
        el = parent
    return None


def _item_css(item) -> str:
    """Container path to the item: from the nearest ancestor with a class or id
    (at most three steps up), e.g. `div.list-box > ul > li`."""
    steps = [str(item.tag)]
    el = item.getparent()
    for _ in range(3):
        if el is None or el.tag in ("body", "html"):
            break
        sig = _sig(el)
        steps.insert(0, sig)
        if sig != el.tag:
            break
        el = el.getparent()
    return " > ".join(steps)


@dataclass
class Block:
    """A repeated block of budget links on a listing page."""
    item: str                      # CSS of one entry
    entries: int                   # entries matched by `item`
    budget_links: int              # of which carry a budget title
    hrefs: list[str] = field(default_factory=list)

    def href_pattern(self) -> str | None:
        """'/t2026…' : what the budget links' last path segments have in common."""
        names = [unquote(urlsplit(h).path).rstrip("/").rsplit("/", 1)[-1] for h in self.hrefs]
        prefix = commonprefix(names) if names else ""
        return f"/{prefix}…" if len(prefix) >= 2 else None


def budget_blocks(sel: Selector) -> list[Block]:
    """Repeated blocks holding budget links, the largest first."""
    groups: dict[str, list[str]] = {}
    for a in sel.css("a[href]"):
        if not is_budget_title(anchor_title(a)):
            continue
        item = _item_element(a.root)
        if item is None:
            continue
        groups.setdefault(_item_css(item), []).append(a.attrib["href"])
    blocks = []
    for css, hrefs in groups.items():
        entries = sel.css(css)
        if not entries:
            continue
        budget = sum(1 for e in entries if any(is_budget_title(anchor_title(a)) for a in e.css("a[href]")))
        blocks.append(Block(item=css, entries=len(entries), budget_links=budget, hrefs=hrefs))
    return sorted(blocks, key=lambda b: (-b.budget_links, b.entries, b.item))


def json_entries(text: str) -> list[dict]:
    """Budget entries a script writes from embedded JSON objects (集约化平台 lists)."""
    return [o for o in json_objects(text) if is_budget_title(o["title"])]


def date_selector(entries: list[Selector]) -> str | None:
    """The CSS (relative to an entry) that gives each entry's date, by majority."""
    votes: Counter[str] = Counter()
    for e in entries:
        for el in e.root.iter():
            own = (el.text or "") if el is not e.root else "".join(e.xpath("./text()").getall())
            if not DATE.search(own):
                continue
            if el is e.root:
                votes["::text"] += 1
                break
            sig = _sig(el)
            parent = el.getparent()
            if sig == el.tag and parent is not None and len([c for c in parent if c.tag == el.tag]) > 1:
                sig = f"{el.tag}:nth-child({list(parent).index(el) + 1})"
            votes[f"{sig}::text"] += 1
            break
    for css, _ in votes.most_common():
        hits = sum(1 for e in entries if normalize_date(" ".join(e.css(css).getall())))
        if hits >= max(1, len(entries) // 2):
            return css
    return None


def link_selector(entries: list[Selector]) -> str:
    """`a::attr(href)` when the budget link is each entry's first anchor, else its own class."""
    budget = [e for e in entries if any(is_budget_title(anchor_title(a)) for a in e.css("a[href]"))]
    if all(is_budget_title(anchor_title(e.css("a[href]")[0])) for e in budget):
        return "a::attr(href)"
    classes = Counter(_sig(a.root) for e in budget for a in e.css("a[href]") if is_budget_title(anchor_title(a)))
    sig = classes.most_common(1)[0][0] if classes else "a"
    return f"{sig}::attr(href)"


@dataclass
class Pager:
    kind: str                       # trs_script | next_link | none
    next_page: str | None = None
    page_count_regex: str | None = None
    page_url: str | None = None
    pages: int | None = None


def pager(sel: Selector) -> Pager:
    m = TRS_PAGER.search(raw_text(sel))
    if m:
        return Pager("trs_script", page_count_regex=r"createPageHTML\(\s*(\d+)",
                     page_url=f"{m.group(2)}_{{n}}.{m.group(3)}", pages=int(m.group(1)))
    for a in sel.css("a[href]"):
        text = " ".join("".join(a.css("::text").getall()).split()) or a.attrib.get("title", "")
        if text not in NEXT_WORDS or a.attrib["href"].strip().lower().startswith("javascript"):
            continue
        sig = _sig(a.root)
        css = f"{sig}::attr(href)" if sig != "a" else f'a:contains("{text}")::attr(href)'
        if sel.css(css).get() == a.attrib["href"]:
            return Pager("next_link", next_page=css)
    return Pager("none")


def attachment_hrefs(sel: Selector, base_url: str) -> tuple[list[str], list[str]]:
    """(file links that are anchors, file links only a script writes) on a detail page."""
    def is_file(href: str) -> bool:
        return unquote(urlsplit(urljoin(base_url, href)).path).lower().endswith(FILE_EXTENSIONS)

    anchors = [urljoin(base_url, h) for h in sel.css("a::attr(href)").getall() if is_file(h.strip())]
    scripted = [urljoin(base_url, m.group(1)) for m in re.finditer(SCRIPT_HREF_REGEX, raw_text(sel))]
    return anchors, [u for u in dict.fromkeys(scripted) if u not in anchors]


def listing_hint(sel: Selector) -> str:
    """Where the budget entries of a page are, for a person whose selector missed them."""
    blocks = budget_blocks(sel)
    if blocks:
        b = blocks[0]
        target = f"、指向 {b.href_pattern()} " if b.href_pattern() else ""
        return f"页面中有 {b.budget_links} 个标题含“预算/决算”和年份{target}的链接，位于 `{b.item}`"
    scripted = json_entries(raw_text(sel))
    if scripted:
        return (f"页面的链接中没有预算/决算条目，但脚本数据中有 {len(scripted)} 条（字段 "
                f"{'、'.join(scripted[0]['keys'])}）：列表可能由脚本从 JSON 写入，选择器看不到")
    return "页面中没有标题含“预算/决算”和年份的链接：栏目地址可能已变，或该页需要脚本才能显示"
