"""`budgetwatch crawl --site NAME --check`: the sample profile passes on the sample
portal; a portal that switched to another layout fails, naming the selector that
missed and where the entries are now; a check never requests an attachment and
keeps robots.txt."""

from __future__ import annotations

import pytest
from parsel import Selector

from demo.portal import build_site
from demo.server import serve
from flows.cli import main
from spiders.check import inspect_listing, run_check
from spiders.faultserver import FaultServer, page
from spiders.infer import listing_hint
from spiders.portals import mount, notices
from spiders.profile import load_profile
from layouts import FAST

@pytest.fixture(scope="module")
def sample_portal():
    with serve(build_site(profile="seed")) as base:
        yield base + "zwgk/czyjs/index.html"


def test_check_passes_on_the_sample_portal(sample_portal, capsys):
    assert main(["crawl", "--site", "sample", "--check", "--start-url", sample_portal]) == 0
    out = capsys.readouterr().out
    assert "条目 `ul.list > li` 1 个，链接 `a::attr(href)` 1 个，标题 1 个，日期 1 个" in out
    assert "附件 1 个" in out
    assert "结论：通过" in out


@pytest.mark.corpus
@pytest.mark.parametrize("layout, hint", [
    ("trs", "页面中有 3 个标题含“预算/决算”和年份、指向 /t20260302_1547… 的链接，位于 `ul.news-list > li`"),
    ("table", "页面中有 3 个标题含“预算/决算”和年份、指向 /t20260302_1547… 的链接，位于 `table.tab > tr`"),
    ("jiyue", "页面的链接中没有预算/决算条目，但脚本数据中有 3 条（字段 publishTime、title、url）"),
])
def test_check_fails_after_a_layout_switch_naming_the_selector(cq, layout, hint, capsys):
    with FaultServer() as srv:
        portal = mount(srv, layout, cq)
        code = main(["crawl", "--site", "sample", "--check", "--start-url", portal.start_url])
        hits = [h.path for h in srv.hits()]
    out = capsys.readouterr().out
    assert code == 1
    assert f"列表选择器 `ul.list > li` 在 {portal.start_url} 上匹配 0 个节点；" in out
    assert hint in out
    assert "结论：未通过" in out
    assert not [p for p in hits if p.endswith(".pdf")]


@pytest.mark.corpus
def test_check_of_a_working_profile_fetches_no_attachment_and_few_pages(cq, tmp_path):
    with FaultServer() as srv:
        portal = mount(srv, "trs", cq)
        profile = tmp_path / "trs.yaml"
        profile.write_text(TRS_PROFILE.format(start=portal.start_url), encoding="utf-8")
        res = run_check(profile, settings=FAST)
        hits = [h.path for h in srv.hits()]
    assert res.ok
    assert sorted(p["items"] for p in res.listings) == [2, 4, 4]
    assert res.followable == 6
    assert len(res.details) == 5
    assert sorted(d["attachments"] for d in res.details) == [0, 0, 0, 1, 7]
    assert not [p for p in hits if p.endswith(".pdf")]
    assert len([p for p in hits if "/2026" in p]) == 5  # detail pages, none of the notices
    assert hits.count("/robots.txt") == 1


TRS_PROFILE = """
extends: trs
name: trs_layout
start_urls: ["{start}"]
allowed_domains: [127.0.0.1]
listing:
  item: "ul.news-list > li"
  page_url: "index_{{n}}.html"
"""


def test_check_keeps_robots_txt(tmp_path):
    with FaultServer() as srv:
        srv.route("/robots.txt", page("User-agent: *\nDisallow: /czyjs/\n", headers={"Content-Type": "text/plain"}))
        srv.route("/czyjs/index.html", page("<html><body><ul class='list'></ul></body></html>"))
        start = srv.url("/czyjs/index.html")
        res = run_check("sample", start_url=start, settings=FAST)
        hits = [h.path for h in srv.hits()]
    assert hits == ["/robots.txt"]
    assert not res.ok
    assert res.failures == [{"url": start, "reason": "robots.txt 禁止抓取"}]
    assert f"无法获取 {start}：robots.txt 禁止抓取" in "\n".join(res.lines())


def test_check_of_a_column_that_lists_only_other_notices_fails():
    with FaultServer() as srv:
        mount(srv, "table", notices())
        res = run_check("sample", start_url=srv.url("/czyjs/list.htm"), settings=FAST)
    assert not res.ok and res.followable == 0
    assert "页面中没有标题含“预算/决算”和年份的链接" in "\n".join(res.lines())


@pytest.mark.parametrize("html, expected", [
    ('<div class="list-box"><ul><li><a href="/a/t20260101_1.html">甲2026年部门预算</a></li>'
     '<li><a href="/a/t20260102_2.html">乙2026年部门决算</a></li></ul></div>',
     "页面中有 2 个标题含“预算/决算”和年份、指向 /t2026010… 的链接，位于 `div.list-box > ul > li`"),
    ('<dl class="news"><dd><a href="x1.htm" title="丙2025年预算公开">丙</a></dd>'
     '<dd><a href="x2.htm" title="丁2025年预算公开">丁</a></dd></dl>',
     "页面中有 2 个标题含“预算/决算”和年份的链接，位于 `dl.news > dd`"),
    ('<ul class="list"><li><a href="n.htm">关于开展工作的通知</a></li></ul>',
     "页面中没有标题含“预算/决算”和年份的链接：栏目地址可能已变，或该页需要脚本才能显示"),
])
def test_listing_hint(html, expected):
    assert listing_hint(Selector(text=f"<html><body>{html}</body></html>")) == expected


def test_inspect_listing_counts_each_selector():
    html = ('<html><body><ul class="list"><li><a href="a.html" title="甲2026年部门预算">甲</a><span class="date">2026-01-02</span></li>'
            '<li><a href="b.html" title="关于放假的通知">乙</a></li><li><span>无链接</span></li></ul>'
            '<div class="page"><a class="next" href="index_1.html">下一页</a></div></body></html>')
    found = inspect_listing(load_profile("sample"), Selector(text=html), "http://x/index.html")
    assert {k: found[k] for k in ("items", "links", "titles", "dates", "follow", "next", "pager")} == {
        "items": 3, "links": 2, "titles": 2, "dates": 1, "follow": ["a.html"], "next": ["index_1.html"],
        "pager": "下一页：index_1.html"}


def test_check_of_a_missing_column_names_the_http_status():
    with FaultServer() as srv:
        srv.route("/robots.txt", page("User-agent: *\nDisallow:\n", headers={"Content-Type": "text/plain"}))
        start = srv.url("/gone/index.html")
        res = run_check("sample", start_url=start, settings={**FAST, "RETRY_ENABLED": False})
    assert not res.ok
    assert res.failures == [{"url": start, "reason": "HTTP 404"}]


@pytest.mark.corpus
def test_check_names_a_pager_the_profile_misses(cq, tmp_path):
    with FaultServer() as srv:
        portal = mount(srv, "table", cq)
        profile = tmp_path / "t.yaml"
        profile.write_text(TABLE_NO_PAGER.format(start=portal.start_url), encoding="utf-8")
        res = run_check(profile, settings=FAST)
    assert res.ok and len(res.listings) == 1
    assert (f"  - 分页设置（next_page `a.next::attr(href)`、page_count_regex （未配置））在 {portal.start_url} 上没有找到下一页，"
            "但页面有“下一页”链接 `a:contains(\"下一页\")::attr(href)`：抓取只会读第一页") in res.lines()


TABLE_NO_PAGER = """
name: table_layout
start_urls: ["{start}"]
allowed_domains: [127.0.0.1]
listing:
  item: "table.tab > tr"
  link: "a::attr(href)"
  title: "a::text"
  next_page: "a.next::attr(href)"
  title_include: "预算|决算"
detail:
  title: "meta[name=ArticleTitle]::attr(content)"
  store_page: if_no_attachments
"""


def test_check_of_an_unreachable_portal_says_robots_txt_was_unreadable(tmp_path):
    with FaultServer() as srv:
        start = srv.url("/czyjs/index.html")  # the port is closed once the server stops
    res = run_check("sample", start_url=start, settings={**FAST, "RETRY_ENABLED": False})
    assert not res.ok
    assert res.failures == [{"url": start, "reason": "robots.txt 无法读取（站点不可达或出错），按规则不抓取该站点"}]


@pytest.mark.corpus
def test_check_passes_but_names_listing_pages_it_could_not_fetch(cq):
    """The TRS base profile pages with index_N.shtml; this column serves index_N.html."""
    with FaultServer() as srv:
        portal = mount(srv, "trs", cq)
        res = run_check("qiaokou", start_url=portal.start_url, settings={**FAST, "RETRY_ENABLED": False})
    assert res.ok and res.followable == 3
    assert sorted(f["url"].rsplit("/", 1)[1] for f in res.failures) == ["index_1.shtml", "index_2.shtml"]
    assert {f["reason"] for f in res.failures} == {"HTTP 404"}
    assert res.lines()[-1].endswith("；但有 2 个页面无法获取（见上），抓取会漏掉其中的条目。")
