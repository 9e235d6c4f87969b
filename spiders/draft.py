"""`budgetwatch profile draft URL`: a site profile inferred from one listing page
and one detail page, written as YAML for a person to review, then checked.

The fetching is a `scrapy crawl profile-draft` subprocess (spiders/sites/draft.py,
robots.txt and the allow-list as in a crawl); the inference is here, on parsel
selectors, with spiders/infer.py. Every part the draft could not read plainly
off the page is listed under "guessed" in the YAML's header and the output.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from parsel import Selector

from spiders.infer import (SCRIPT_HREF_REGEX, anchor_title, attachment_hrefs, budget_blocks, date_selector,
                           is_budget_title, json_entries, link_selector, pager, _sig)
from spiders.profile import DEFAULT_DATE_REGEX, PROFILES_DIR, normalize_date

EXTENSIONS = [".pdf", ".xlsx", ".xls", ".doc", ".docx"]
DETAIL_SAMPLES = 3  # detail pages tried for the attachment pattern (the first with attachments wins)


class DraftError(ValueError):
    """No draft could be made; the message is for the operator (Chinese)."""


def infer_listing(sel: Selector) -> tuple[dict[str, Any], list[str], list[str], list[str]]:
    """(listing section, what was read, what was guessed, detail hrefs of budget entries)."""
    read, guessed = [], []
    blocks = budget_blocks(sel)
    if blocks:
        b = blocks[0]
        entries = sel.css(b.item)
        listing: dict[str, Any] = {"item": b.item, "link": link_selector(entries),
                                   "title": ["a::attr(title)", "a::text", "a ::text"]}
        read.append(f"列表条目 `{b.item}`：{b.entries} 个，其中 {b.budget_links} 个标题含预算/决算和年份")
        if len(blocks) > 1:
            guessed.append(f"列表条目：页面上另有 {len(blocks) - 1} 组含预算/决算的链接（如 `{blocks[1].item}`），取了最多的一组")
        date = date_selector(entries)
        if date:
            listing["date"] = date
            read.append(f"列表日期 `{date}`")
        else:
            guessed.append("列表日期：条目中没有找到日期，未配置（不影响抓取）")
        hrefs = [e.css(listing["link"]).get() for e in entries
                 if any(is_budget_title(anchor_title(a)) for a in e.css("a[href]"))]
    else:
        scripted = json_entries(sel.get() or "")
        if not scripted:
            raise DraftError("页面中没有找到标题含“预算/决算”和年份的链接，也没有这样的脚本数据；"
                             "请确认这是财政预决算栏目的列表页")
        listing = {"json_items": True}
        read.append(f"列表条目：页面中没有这样的链接，由脚本从 JSON 写入，共 {len(scripted)} 条"
                    f"（字段 {'、'.join(scripted[0]['keys'])}）")
        guessed.append("列表条目按 json_items 从页面中的 JSON 对象读取（标题、地址、日期字段按常见字段名猜测）")
        hrefs = [o["url"] for o in scripted]
    pg = pager(sel)
    if pg.kind == "trs_script":
        listing.update(page_count_regex=pg.page_count_regex, page_url=pg.page_url)
        read.append(f"分页：TRS 脚本 createPageHTML，共 {pg.pages} 页，第 2 页起为 {pg.page_url.format(n=1)}")
    elif pg.kind == "next_link":
        listing["next_page"] = pg.next_page
        read.append(f"分页：“下一页”链接 `{pg.next_page}`")
    else:
        guessed.append("分页：第一页上没有找到分页（createPageHTML、下一页链接），假设栏目只有一页")
    listing.update(max_pages=50, title_include="预算|决算")
    guessed.append("只跟进标题含“预算|决算”的条目（title_include），列表最多翻 50 页（max_pages）：按惯例设定")
    return listing, read, guessed, [h for h in hrefs if h]


def infer_detail(sel: Selector, url: str) -> tuple[dict[str, Any], dict[str, Any], list[str], list[str]]:
    """(detail section, attachments section, what was read, what was guessed) from one detail page."""
    read, guessed = [], []
    detail: dict[str, Any] = {}
    if sel.css("meta[name=ArticleTitle]::attr(content)").get():
        detail["title"] = ["meta[name=ArticleTitle]::attr(content)", "h1::text", "title::text"]
        read.append("详情标题：TRS 元数据 ArticleTitle")
    elif "".join(sel.css("h1 ::text").getall()).strip():
        detail["title"] = ["h1::text", "h1 ::text", "title::text"]
        read.append("详情标题：h1")
    else:
        detail["title"] = ["title::text"]
        guessed.append("详情标题：页面没有 h1 和 ArticleTitle，用 <title>")
    pub = sel.css("meta[name=PubDate]::attr(content)").get()
    if normalize_date(pub):
        detail["published"] = {"css": ["meta[name=PubDate]::attr(content)"], "regex": DEFAULT_DATE_REGEX}
        read.append("发布日期：TRS 元数据 PubDate")
    else:
        css = _published_css(sel)
        if css:
            detail["published"] = {"css": [css], "regex": DEFAULT_DATE_REGEX}
            (read if "发布" in " ".join(sel.css(css).getall()) else guessed).append(f"发布日期 `{css}`")
        else:
            guessed.append("发布日期：详情页上没有找到日期，未配置（二十日公开时限将无法核对）")
    if sel.css("meta[name=ContentSource]::attr(content)").get():
        detail["source"] = ["meta[name=ContentSource]::attr(content)"]
    detail["store_page"] = "if_no_attachments"
    anchors, scripted = attachment_hrefs(sel, url)
    attachments: dict[str, Any] = {"css": None, "extensions": EXTENSIONS}
    if scripted:
        attachments["href_regex"] = SCRIPT_HREF_REGEX
        read.append(f"附件：{len(scripted)} 个由脚本写出的链接（href_regex）")
    if anchors:
        read.append(f"附件：{len(anchors)} 个链接（扩展名 {'、'.join(sorted({_ext(a) for a in anchors}))}）")
    if not anchors and not scripted:
        guessed.append("附件：抽样的详情页上没有附件链接；按扩展名匹配任意链接，没有附件时保存详情页本身")
    return detail, attachments, read, guessed


def _ext(url: str) -> str:
    return "." + urlsplit(url).path.rsplit(".", 1)[-1].lower()


def _published_css(sel: Selector) -> str | None:
    """The element whose own text has 发布 and a date, else the first with a date."""
    date = re.compile(DEFAULT_DATE_REGEX)
    fallback = None
    for el in sel.css("body *"):
        own = "".join(el.xpath("./text()").getall())
        if el.root.tag in ("script", "style") or not date.search(own):
            continue
        css = f"{_sig(el.root)}::text"
        if "发布" in own:
            return css
        fallback = fallback or css
    return fallback


def default_name(url: str) -> str:
    host = urlsplit(url).hostname or ""
    labels = [x for x in host.split(".") if x not in ("www", "gov", "cn", "com") and not x.isdigit()]
    return re.sub(r"[^a-z0-9_]", "_", labels[0].lower()) if labels else "draft"


def allowed_hosts(url: str) -> list[str]:
    """The listing's host, and its bare or www. twin: portals link both."""
    host = urlsplit(url).hostname or ""
    if host.replace(".", "").isdigit() or host == "localhost":
        return [host]
    twin = host[4:] if host.startswith("www.") else f"www.{host}"
    return [host, twin]


def build_profile(url: str, name: str, listing: dict, detail: dict, attachments: dict) -> dict[str, Any]:
    host = urlsplit(url).hostname
    return {"name": name, "title": f"{host} · 财政预决算（草稿）", "start_urls": [url],
            "allowed_domains": allowed_hosts(url),
            "listing": listing, "detail": detail, "attachments": attachments}


def render_yaml(profile: dict, url: str, read: list[str], guessed: list[str], detail_url: str | None) -> str:
    head = [f"# 由 budgetwatch profile draft 从 {url} 生成的站点配置草稿。",
            "# 使用前请人工核对，再运行：budgetwatch crawl --site NAME --check",
            f"# 详情页样本：{detail_url or '（无）'}",
            "# 从页面读出："] + [f"#   - {r}" for r in read] + ["# 推断 / 猜测（请重点核对）："]
    head += [f"#   - {g}" for g in guessed] or ["#   - （无）"]
    head += ["#   - region_code 未填写：请补上行政区划代码（如 420104）"]
    body = yaml.safe_dump(profile, allow_unicode=True, sort_keys=False, width=1000)
    return "\n".join(head) + "\n" + body


@dataclass
class Draft:
    url: str
    path: Path | None
    read: list[str] = field(default_factory=list)
    guessed: list[str] = field(default_factory=list)
    check: Any = None
    error: str | None = None

    def lines(self) -> list[str]:
        out = [f"站点配置草稿：{self.path}"]
        out += ["从页面读出："] + [f"  - {r}" for r in self.read]
        out += ["推断 / 猜测（请核对）："] + ([f"  - {g}" for g in self.guessed] or ["  - （无）"])
        if self.check is not None:
            out += ["", "对草稿运行 --check："] + self.check.lines()
        return out


def fetch_pages(url: str, settings: dict[str, Any] | None = None, timeout_s: float = 180) -> dict[str, Any]:
    """The listing page and a few detail pages, fetched by the profile-draft spider."""
    from spiders.run import REPO_ROOT, child_env

    with tempfile.TemporaryDirectory(prefix="budgetwatch-draft-") as tmp:
        out, log = Path(tmp) / "pages.json", Path(tmp) / "draft.log"
        cmd = [sys.executable, "-m", "scrapy", "crawl", "profile-draft", "-a", f"url={url}", "-a", f"out={out}",
               "-s", f"LOG_FILE={log}"]
        for key, value in (settings or {}).items():
            cmd += ["-s", f"{key}={value}"]
        try:
            subprocess.run(cmd, cwd=REPO_ROOT, env=child_env(), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            pass
        if not out.exists():
            tail = log.read_text("utf-8", "replace")[-2000:] if log.exists() else ""
            raise DraftError(f"抓取列表页失败：{url}\n{tail}")
        return json.loads(out.read_text("utf-8"))


def draft_profile(url: str, name: str | None = None, out: Path | None = None, force: bool = False,
                  settings: dict[str, Any] | None = None, check: bool = True) -> Draft:
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise DraftError(f"不是 http(s) 地址：{url}")
    name = name or default_name(url)
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise DraftError(f"站点配置名只能含字母、数字、下划线和连字符：{name!r}")
    path = Path(out) if out else PROFILES_DIR / f"{name}.yaml"
    if path.exists() and not force:
        raise DraftError(f"{path} 已存在；换一个 --name 或 --out，或加 --force 覆盖")
    pages = fetch_pages(url, settings)
    if pages.get("failure"):
        raise DraftError(f"无法获取列表页 {url}：{pages['failure']}")
    listing_url = pages["listing"]["url"]
    listing, read, guessed, _ = infer_listing(Selector(text=pages["listing"]["html"]))
    detail: dict[str, Any] = {"title": ["h1::text", "title::text"], "store_page": "if_no_attachments"}
    attachments: dict[str, Any] = {"css": None, "extensions": EXTENSIONS}
    sample = None
    for page in pages.get("details", []):
        d, a, r, g = infer_detail(Selector(text=page["html"]), page["url"])
        if sample is None or "href_regex" in a or not any(x.startswith("附件：抽样") for x in g):
            detail, attachments, sample, d_read, d_guessed = d, a, page["url"], r, g
            if not any(x.startswith("附件：抽样") for x in g):
                break
    if sample is None:
        guessed.append("详情页：没有取到任何详情页，详情和附件选择器为通用默认值")
    else:
        read += d_read
        guessed += d_guessed
    profile = build_profile(listing_url, name, listing, detail, attachments)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_yaml(profile, url, read, guessed, sample), encoding="utf-8")
    result = Draft(url=url, path=path, read=read, guessed=guessed)
    if check:
        from spiders.check import run_check

        result.check = run_check(path, settings=settings)
    return result
