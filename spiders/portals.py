"""Three constructed portal layouts nobody tuned a profile for, served by the
fault server (spiders/faultserver.py), to try `profile draft` and `--check` on:

- ``trs``: a TRS column, ``ul > li`` entries, the pager written by
  ``createPageHTML(total, current, "index", "html")`` (no pager anchors);
- ``jiyue``: a 集约化平台-style list whose entries a script writes from JSON in the
  page, paged with ``?page=N`` and a 下一页 link;
- ``table``: a plain table-based list (序号 | 标题 | 发布日期), ``list_N.htm`` pages.

Each lists the same filings among non-budget notices, 4 entries a page. The
detail pages of the budget filings are the real TRS pages of
../shared/corpus/real/cities/004_重庆_html_pages (read in place), served with
a small PDF at each on-site attachment link they carry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from parsel import Selector

from spiders.faultserver import FaultServer, file, page
from spiders.infer import attachment_hrefs

PER_PAGE = 4
LAYOUTS = ("trs", "jiyue", "table")
CQ_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real" / "cities" / "004_重庆_html_pages"


@dataclass
class Entry:
    title: str
    date: str
    detail: str                  # detail page name, relative to the column's YYYYMM/ folder
    body: bytes
    budget: bool = True


@dataclass
class Portal:
    layout: str
    start_url: str
    detail_paths: list[str] = field(default_factory=list)       # budget filings' detail pages
    other_paths: list[str] = field(default_factory=list)        # notices' detail pages
    attachment_paths: list[str] = field(default_factory=list)   # on-site attachments of the filings


def cq_entries(folder: Path = CQ_DIR) -> list[Entry]:
    """The real 重庆 TRS detail pages, titled and dated as their own metadata says."""
    out = []
    for path in sorted(folder.glob("*.pdf")):
        body = path.read_bytes()
        sel = Selector(text=body.decode("utf-8", "replace"))
        url = sel.css("meta[name=Url]::attr(content)").get() or ""
        out.append(Entry(title=sel.css("meta[name=ArticleTitle]::attr(content)").get(),
                         date=(sel.css("meta[name=PubDate]::attr(content)").get() or "")[:10],
                         detail=url.rsplit("/", 1)[-1], body=body))
    return out


def notices() -> list[Entry]:
    """Entries of the same column that are no budget disclosure."""
    titles = ["关于开展2026年财政票据检查工作的通知", "区财政局2025年政府信息公开工作年度报告",
              "关于征集政府采购意向公开意见的公告", "财政局机关党支部开展主题党日活动"]
    out = []
    for n, title in enumerate(titles, 1):
        html = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>" \
               f"<body><h1>{title}</h1><p>正文。</p></body></html>"
        out.append(Entry(title=title, date=f"2026-02-{10 + n:02d}", detail=f"t202602{10 + n}_90000{n}.html",
                         body=html.encode("utf-8"), budget=False))
    return out


def _month(e: Entry) -> str:
    return e.date[:7].replace("-", "")


def _page(title: str, body: str) -> str:
    nav = '<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/hdjl/">互动交流</a></div>'
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f'<body>{nav}<div class="main">{body}</div><div class="foot">主办单位：示例区人民政府</div></body></html>')


def trs_listing(entries: list[Entry], n: int, total: int) -> str:
    items = "\n".join(
        f'<li><a href="./{_month(e)}/{e.detail}" target="_blank" title="{escape(e.title)}">{escape(e.title[:30])}</a>'
        f'<span class="time">{e.date}</span></li>' for e in entries)
    return _page("财政预决算", f'<div class="zwgk-list"><h2>财政预决算</h2><ul class="news-list">\n{items}\n</ul>'
                 f'<div class="page"><script type="text/javascript">createPageHTML({total}, {n}, "index", "html");'
                 f'</script></div></div>')


def jiyue_listing(entries: list[Entry], n: int, total: int, column: str) -> str:
    data = {"total": total, "page": n + 1, "data": [
        {"title": e.title, "url": f"{column}/{_month(e)}/{e.detail}", "publishTime": f"{e.date} 09:00"}
        for e in entries]}
    pager = ['<a href="?page=1">首页</a>']
    if n > 0:
        pager.append(f'<a href="?page={n}">上一页</a>')
    if n + 1 < total:
        pager.append(f'<a href="?page={n + 2}">下一页</a>')
    pager.append(f'<a href="?page={total}">尾页</a>')
    return _page("预决算公开", f'<div class="column-list"><h2>预决算公开</h2><ul id="doc-list"></ul>'
                 f'<script>var pageData = {json.dumps(data, ensure_ascii=False)};'
                 'renderList("doc-list", pageData.data);</script>'
                 f'<div class="pagination">{"".join(pager)}</div></div>')


def table_listing(entries: list[Entry], n: int, total: int) -> str:
    rows = "\n".join(
        f'<tr><td>{n * PER_PAGE + i}</td><td><a href="{_month(e)}/{e.detail}">{escape(e.title)}</a></td>'
        f'<td>{e.date}</td></tr>' for i, e in enumerate(entries, 1))
    nxt = f'<a href="list_{n + 2}.htm">下一页</a>' if n + 1 < total else ""
    return _page("财政资金", f'<table class="tab" width="100%"><tr><th>序号</th><th>标题</th><th>发布日期</th></tr>\n'
                 f'{rows}\n</table><p class="pages">第{n + 1}页 共{total}页 {nxt}</p>')


def _listing_path(layout: str, column: str, n: int) -> str:
    if layout == "trs":
        return f"{column}/index.html" if n == 0 else f"{column}/index_{n}.html"
    if layout == "jiyue":
        return f"{column}/index.html" if n == 0 else f"{column}/index.html?page={n + 1}"
    return f"{column}/list.htm" if n == 0 else f"{column}/list_{n + 1}.htm"


def mount(srv: FaultServer, layout: str, entries: list[Entry], column: str = "/czyjs") -> Portal:
    """Serve `entries` on `srv` in one of LAYOUTS under `column`; return what a crawl should reach."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r} (one of {', '.join(LAYOUTS)})")
    srv.route("/robots.txt", page("User-agent: *\nDisallow: /admin/\n", headers={"Content-Type": "text/plain"}))
    pages = [entries[i:i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)] or [[]]
    for n, chunk in enumerate(pages):
        html = {"trs": lambda: trs_listing(chunk, n, len(pages)),
                "jiyue": lambda: jiyue_listing(chunk, n, len(pages), column),
                "table": lambda: table_listing(chunk, n, len(pages))}[layout]()
        srv.route(_listing_path(layout, column, n), page(html))
        if layout == "jiyue" and n == 0:
            srv.route(f"{column}/index.html?page=1", page(html))
    portal = Portal(layout=layout, start_url=srv.url(_listing_path(layout, column, 0)))
    for e in entries:
        path = f"{column}/{_month(e)}/{e.detail}"
        srv.route(path, file(e.body, content_type="text/html; charset=utf-8"))
        if not e.budget:
            portal.other_paths.append(path)
            continue
        portal.detail_paths.append(path)
        anchors, scripted = attachment_hrefs(Selector(text=e.body.decode("utf-8", "replace")), srv.url(path))
        for url in anchors + scripted:
            if urlsplit(url).netloc != urlsplit(srv.url("/")).netloc:
                continue  # a link to another host: the allow-list drops it
            att = urlsplit(url).path
            srv.route(att, file(b"%PDF-1.4\n% budgetwatch layout test " + att.encode() + b"\n%%EOF\n"))
            portal.attachment_paths.append(att)
    return portal


def interleave(budget: list[Entry], other: list[Entry]) -> list[Entry]:
    """Budget filings with a notice after every second one, as a real column mixes them."""
    out, rest = [], list(other)
    for i, e in enumerate(budget, 1):
        out.append(e)
        if i % 2 == 0 and rest:
            out.append(rest.pop(0))
    return out + rest


__all__ = ["Entry", "Portal", "LAYOUTS", "CQ_DIR", "cq_entries", "notices", "mount", "interleave"]


def main() -> int:
    """`python -m spiders.portals`: draft a profile on each layout, crawl with it unedited, and
    print what the crawl reached against what each layout serves."""
    import tempfile

    from spiders.draft import draft_profile
    from spiders.run import crawl

    if not CQ_DIR.is_dir():
        print(f"缺少 {CQ_DIR}（../shared 未挂载）")
        return 2
    fast = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "AUTOTHROTTLE_MAX_DELAY": 0.5}
    entries = interleave(cq_entries(), notices())
    for layout in LAYOUTS:
        with FaultServer() as srv, tempfile.TemporaryDirectory() as tmp:
            portal = mount(srv, layout, entries)
            draft = draft_profile(portal.start_url, name=layout, out=Path(tmp) / "p.yaml", settings=fast)
            before = len(srv.hits())
            result = crawl(Path(tmp) / "p.yaml", Path(tmp) / "store", settings=fast, timeout_s=300)
            hit = {h.path for h in srv.hits()[before:]}
        print(f"{layout}: 草稿检查{'通过' if draft.check.ok else '未通过'}，猜测 {len(draft.guessed)} 项；"
              f"抓取到详情页 {len(hit & set(portal.detail_paths))}/{len(portal.detail_paths)}，"
              f"附件 {len(hit & set(portal.attachment_paths))}/{len(portal.attachment_paths)}，"
              f"误抓通知 {len(hit & set(portal.other_paths))}/{len(portal.other_paths)}，抓取到文件 {len(result.items)} 个")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
