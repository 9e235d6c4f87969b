"""`budgetwatch profile draft URL`: on each of the three constructed layouts
(spiders/portals.py, real 重庆 TRS detail pages) the drafted profile, unedited,
passes its check and crawls every filing and no notice; what it guessed is said."""

from __future__ import annotations

import pytest
import yaml
from parsel import Selector

from flows.cli import main
from spiders.draft import DraftError, default_name, draft_profile, infer_listing
from spiders.faultserver import FaultServer, page
from spiders.portals import mount
from spiders.run import crawl
from layouts import FAST

EXPECTED = {
    "trs": {"item": "ul.news-list > li", "link": "a::attr(href)", "date": "span.time::text",
            "page_count_regex": r"createPageHTML\(\s*(\d+)", "page_url": "index_{n}.html"},
    "jiyue": {"json_items": True, "next_page": 'a:contains("下一页")::attr(href)'},
    "table": {"item": "table.tab > tr", "link": "a::attr(href)", "date": "td:nth-child(3)::text",
              "next_page": 'a:contains("下一页")::attr(href)'},
}


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize("layout", sorted(EXPECTED))
def test_drafted_profile_crawls_every_filing_unedited(cq, layout, tmp_path):  # noqa: F811
    with FaultServer() as srv:
        portal = mount(srv, layout, cq)
        path = tmp_path / f"{layout}.yaml"
        draft = draft_profile(portal.start_url, name=f"draft_{layout}", out=path, settings=FAST)
        before = len(srv.hits())
        result = crawl(path, tmp_path / "store", settings=FAST, timeout_s=120)
        hit = {h.path for h in srv.hits()[before:]}
    profile = yaml.safe_load(path.read_text("utf-8"))
    listing = {k: v for k, v in profile["listing"].items() if k not in ("title", "max_pages", "title_include")}
    assert listing == EXPECTED[layout]
    assert profile["detail"]["published"]["css"] == ["meta[name=PubDate]::attr(content)"]
    assert draft.check.ok and draft.check.followable == 6
    assert sorted(portal.detail_paths) == sorted(p for p in hit if p in portal.detail_paths)
    assert set(portal.attachment_paths) <= hit and len(portal.attachment_paths) == 7
    assert not hit & set(portal.other_paths)  # notices are not followed
    # 7 PDFs of one filing, and the 4 filings that publish inline keep their page; the 教育 filing
    # links its PDF on another host, which the allow-list drops.
    assert len(result.items) == 11 and result.stats.get("budgetwatch/offsite/requests_dropped") == 1


@pytest.mark.slow
@pytest.mark.corpus
def test_draft_says_what_it_guessed_on_the_script_written_list(cq, tmp_path):  # noqa: F811
    with FaultServer() as srv:
        portal = mount(srv, "jiyue", cq)
        path = tmp_path / "jiyue.yaml"
        draft = draft_profile(portal.start_url, name="jiyue", out=path, settings=FAST, check=False)
    guess = "列表条目按 json_items 从页面中的 JSON 对象读取（标题、地址、日期字段按常见字段名猜测）"
    assert guess in draft.guessed
    assert f"#   - {guess}" in path.read_text("utf-8")
    assert "列表条目：页面中没有这样的链接，由脚本从 JSON 写入，共 3 条（字段 publishTime、title、url）" in draft.read


@pytest.mark.slow
@pytest.mark.corpus
def test_cli_profile_draft_writes_and_checks(cq, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "t.yaml"
    with FaultServer() as srv:
        portal = mount(srv, "table", cq)
        # The project's own politeness (1 s delay and more): the draft and its check keep it.
        code = main(["profile", "draft", portal.start_url, "--name", "tbl", "--out", str(out)])
        again = main(["profile", "draft", portal.start_url, "--name", "tbl", "--out", str(out)])
    text = capsys.readouterr()
    assert code == 0 and again == 2
    assert f"站点配置草稿：{out}" in text.out and "结论：通过" in text.out
    assert f"错误：{out} 已存在；换一个 --name 或 --out，或加 --force 覆盖" in text.err


@pytest.mark.parametrize("html, message", [
    ("<ul><li><a href='a.htm'>关于放假的通知</a></li></ul>",
     "页面中没有找到标题含“预算/决算”和年份的链接，也没有这样的脚本数据；请确认这是财政预决算栏目的列表页"),
])
def test_draft_refuses_a_page_without_budget_entries(html, message):
    with pytest.raises(DraftError) as exc:
        infer_listing(Selector(text=f"<html><body>{html}</body></html>"))
    assert str(exc.value) == message


def test_draft_of_a_robots_forbidden_listing_fails(tmp_path):
    with FaultServer() as srv:
        srv.route("/robots.txt", page("User-agent: *\nDisallow: /\n", headers={"Content-Type": "text/plain"}))
        url = srv.url("/czyjs/index.html")
        with pytest.raises(DraftError, match="robots.txt 禁止抓取"):
            draft_profile(url, name="x", out=tmp_path / "x.yaml", settings=FAST)
        assert [h.path for h in srv.hits()] == ["/robots.txt"]
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("url, name", [
    ("https://www.qiaokou.gov.cn/zwgk/czyjs/index.shtml", "qiaokou"),
    ("http://czj.wuhan.gov.cn/xxgk/", "czj"),
    ("http://127.0.0.1:8000/a/", "draft"),
])
def test_default_name(url, name):
    assert default_name(url) == name


@pytest.mark.parametrize("url, hosts", [
    ("https://www.qiaokou.gov.cn/zwgk/", ["www.qiaokou.gov.cn", "qiaokou.gov.cn"]),
    ("http://czj.wuhan.gov.cn/xxgk/", ["czj.wuhan.gov.cn", "www.czj.wuhan.gov.cn"]),
    ("http://127.0.0.1:8000/a/", ["127.0.0.1"]),
])
def test_allowed_hosts(url, hosts):
    from spiders.draft import allowed_hosts

    assert allowed_hosts(url) == hosts


def _sel(body: str) -> Selector:
    return Selector(text=f"<html><body>{body}</body></html>")


@pytest.mark.parametrize("body, expected", [
    ('<div class="page"><script>createPageHTML(12, 0, "index", "shtml");</script></div>',
     ("trs_script", None, r"createPageHTML\(\s*(\d+)", "index_{n}.shtml", 12)),
    ('<div class="pg"><a href="?page=1">首页</a><a class="next" href="?page=2">下一页</a></div>',
     ("next_link", "a.next::attr(href)", None, None, None)),
    ('<p><a href="list_2.htm">下一页</a></p>', ("next_link", 'a:contains("下一页")::attr(href)', None, None, None)),
    ('<p><a href="javascript:void(0)">下一页</a></p>', ("none", None, None, None, None)),
    ('<p><a href="x.htm">更多</a></p>', ("none", None, None, None, None)),
])
def test_pager(body, expected):
    from spiders.infer import pager

    p = pager(_sel(body))
    assert (p.kind, p.next_page, p.page_count_regex, p.page_url, p.pages) == expected


@pytest.mark.parametrize("body, item, date", [
    ('<ul class="l"><li><a href="a">甲2026年预算</a><span class="date">2026-01-02</span></li>'
     '<li><a href="b">乙2026年预算</a><span class="date">2026-01-03</span></li></ul>', "ul.l > li", "span.date::text"),
    ('<table id="t"><tr><td>1</td><td><a href="a">甲2026年决算</a></td><td>2026/1/2</td></tr>'
     '<tr><td>2</td><td><a href="b">乙2026年决算</a></td><td>2026/1/3</td></tr></table>',
     "table#t > tr", "td:nth-child(3)::text"),
    ('<div class="box"><ul><li><a href="a">甲2026年预算</a> 2026年1月2日</li>'
     '<li><a href="b">乙2026年预算</a> 2026年1月3日</li></ul></div>', "div.box > ul > li", "::text"),
    ('<div class="links"><a href="a">甲2025年部门预算</a><a href="b">乙2025年部门预算</a></div>',
     "div.links > a", None),
])
def test_infer_listing_item_and_date(body, item, date):
    listing, _, guessed, hrefs = infer_listing(_sel(body))
    assert (listing.get("item"), listing.get("date")) == (item, date)
    assert hrefs == ["a", "b"]
    assert ("列表日期：条目中没有找到日期，未配置（不影响抓取）" in guessed) == (date is None)


def test_infer_listing_takes_the_budget_link_of_a_row_with_several():
    body = ('<table class="t"><tr><td><a class="dept" href="d1">财政局</a></td><td><a class="doc" href="a">2026年部门预算</a></td></tr>'
            '<tr><td><a class="dept" href="d2">教育局</a></td><td><a class="doc" href="b">2026年部门预算</a></td></tr></table>')
    listing, _, _, hrefs = infer_listing(_sel(body))
    assert (listing["item"], listing["link"], hrefs) == ("table.t > tr", "a.doc::attr(href)", ["a", "b"])
