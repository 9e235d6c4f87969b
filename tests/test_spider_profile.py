"""Site profiles and their selectors, checked on saved pages without a network."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from spiders.profile import ProfileError, load_profile, normalize_date, parse_profile, resolve_profile
from spiders.sites.profile import AnyProfileSpider
from spiders.sites.qiaokou import QiaokouSpider
from spiders.sites.sample import SampleSpider
from spiders.storage import ContentStore, safe_extension, sniff_media_type

SITE = Path(__file__).parent / "fixtures" / "spiders" / "sample_site"
ROOT = "http://127.0.0.1:8000"
CQ_PAGES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real" / "cities" / "004_重庆_html_pages"


def spider_for(cls, tmp_path, **kwargs):
    crawler = get_crawler(cls)
    # get_crawler freezes the settings; a real crawl creates the spider before
    # freezing them, which is when a profile's politeness settings are applied.
    crawler.settings.frozen = False
    return cls.from_crawler(crawler, store=str(tmp_path), **kwargs)


def page(rel: str) -> HtmlResponse:
    return HtmlResponse(url=f"{ROOT}/{rel}", body=(SITE / rel).read_bytes(), encoding="utf-8")


# -- profiles ----------------------------------------------------------------

def test_sample_profile_loads():
    profile = load_profile("sample")
    assert (profile.name, profile.region_code, profile.allowed_domains) == ("sample", "420104", ["127.0.0.1"])
    assert profile.listing.next_page == ["div.page a.next::attr(href)"]
    assert profile.attachments.extensions == (".pdf", ".xlsx", ".xls", ".html", ".doc", ".docx")
    assert profile.years.min_year == 2020


@pytest.mark.parametrize("name", sorted(p.stem for p in (Path(__file__).parents[1] / "spiders" / "profiles").glob("*.yaml")))
def test_every_shipped_profile_loads(name):
    assert load_profile(name).name == name


def test_extends_merges_the_cms_base():
    huangpi, qiaokou = load_profile("huangpi"), load_profile("qiaokou")
    # Overridden in huangpi.yaml (its CMS serves .html), inherited elsewhere.
    assert (huangpi.listing.page_url, qiaokou.listing.page_url) == ("index_{n}.html", "index_{n}.shtml")
    assert huangpi.listing.title_include == qiaokou.listing.title_include == "预算|决算"
    assert huangpi.detail == qiaokou.detail
    assert huangpi.detail.published == ["meta[name=PubDate]::attr(content)"]


def test_extends_unknown_base_is_refused(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("extends: nosuchcms\nname: x\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="站点配置 x.yaml：extends 指向的基础配置不存在：nosuchcms"):
        load_profile(path)


@pytest.mark.parametrize("name, published_detail", [
    ("jiangan", "https://www.jiangan.gov.cn/bmzl/qgsj/czzxzj_4145/202501/t20250126_2526726.shtml"),
    ("huangpi", "https://www.huangpi.gov.cn/jxzl/mlx_jxzl/fdzdgknr_mlx/czzj_mlx/czyjs_mlx/202203/t20220329_1947225.html"),
])
def test_known_detail_address_is_inside_the_profile_column(name, published_detail):
    from urllib.parse import urlsplit
    profile = load_profile(name)
    column = profile.start_urls[0].rsplit("/", 1)[0] + "/"
    assert published_detail.startswith(column)
    assert urlsplit(published_detail).hostname in profile.allowed_domains
    assert re.search(r"/\d{6}/t\d{8}_\d+\.s?html$", published_detail)


def test_resolve_profile_by_name_and_path(tmp_path):
    assert resolve_profile("sample").name == "sample.yaml"
    own = tmp_path / "mine.yaml"
    own.write_text((resolve_profile("sample")).read_text(encoding="utf-8"), encoding="utf-8")
    assert resolve_profile(str(own)) == own.resolve()
    with pytest.raises(ProfileError, match="没有名为 'nowhere' 的站点配置；已有：.*sample"):
        resolve_profile("nowhere")


def test_crawl_refuses_a_bad_profile_before_starting(tmp_path):
    from spiders.run import crawl
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nstart_urls: [http://127.0.0.1/]\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="站点配置 bad.yaml：缺少字段 allowed_domains"):
        crawl(bad, tmp_path / "store")
    assert not (tmp_path / "store").exists()


def _raw():
    return yaml.safe_load(resolve_profile("sample").read_text(encoding="utf-8"))


@pytest.mark.parametrize("mutate, message", [
    (lambda r: r["settings"].update(ROBOTSTXT_OBEY=False), "不允许：\\['ROBOTSTXT_OBEY'\\]"),
    (lambda r: r["settings"].update(DOWNLOAD_MAXSIZE=0), "不允许：\\['DOWNLOAD_MAXSIZE'\\]"),
    (lambda r: r["listing"].pop("link"), "缺少字段 listing.link"),
    (lambda r: r.pop("allowed_domains"), "缺少字段 allowed_domains"),
    (lambda r: r["detail"].update(store_page="sometimes"), "detail.store_page"),
    (lambda r: r["years"].update(title_regex="(20"), "years.title_regex 不是有效的正则表达式"),
    (lambda r: r["listing"].update(page_count_regex="(\\d+)"), "需同时提供"),
    (lambda r: r["listing"].update(page_count_regex="(\\d+)", page_url="index.shtml"), "需包含 \\{n\\}"),
])
def test_profile_errors_name_the_problem(mutate, message):
    raw = _raw()
    mutate(raw)
    with pytest.raises(ProfileError, match=message):
        parse_profile(raw)


def test_project_settings_are_polite():
    from spiders import settings
    assert settings.ROBOTSTXT_OBEY is True
    assert settings.AUTOTHROTTLE_ENABLED is True
    assert settings.CONCURRENT_REQUESTS_PER_DOMAIN == 2
    assert settings.USER_AGENT == "budgetwatch/0.1 (+https://github.com/budgetwatch; fiscal-oversight research)"
    assert {429, 503} <= set(settings.RETRY_HTTP_CODES)
    assert 0 < settings.DOWNLOAD_MAXSIZE <= 128 * 1024 * 1024


def test_profile_politeness_overrides_project_settings(tmp_path):
    from spiders import settings
    crawler = get_crawler(SampleSpider, {k: getattr(settings, k) for k in (
        "DOWNLOAD_DELAY", "AUTOTHROTTLE_START_DELAY", "ROBOTSTXT_OBEY")})
    crawler.settings.frozen = False
    assert crawler.settings.getfloat("DOWNLOAD_DELAY") == 1.0
    SampleSpider.from_crawler(crawler, store=str(tmp_path))
    assert crawler.settings.getfloat("DOWNLOAD_DELAY") == 0
    assert crawler.settings.getfloat("AUTOTHROTTLE_START_DELAY") == 0.05
    assert crawler.settings.getbool("ROBOTSTXT_OBEY") is True


def test_the_loopback_sample_portal_gets_no_throttle_delay(tmp_path):
    from spiders import settings
    crawler = get_crawler(SampleSpider, {"AUTOTHROTTLE_MAX_DELAY": settings.AUTOTHROTTLE_MAX_DELAY})
    crawler.settings.frozen = False
    assert crawler.settings.getfloat("AUTOTHROTTLE_MAX_DELAY") == 60.0
    SampleSpider.from_crawler(crawler, store=str(tmp_path))
    assert crawler.settings.getfloat("AUTOTHROTTLE_MAX_DELAY") == 0


def test_start_url_override_moves_allowed_domains(tmp_path):
    spider = spider_for(SampleSpider, tmp_path, start_url="http://localhost:4711/zwgk/czyjs/index.html")
    assert spider.start_urls == ["http://localhost:4711/zwgk/czyjs/index.html"]
    assert spider.allowed_domains == ["localhost"]
    assert spider_for(SampleSpider, tmp_path).allowed_domains == ["127.0.0.1"]


@pytest.mark.parametrize("text, expected", [
    ("发布日期：2026-01-26", "2026-01-26"),
    ("发布日期：2026年1月27日", "2026-01-27"),
    ("2026/3/2", "2026-03-02"),
    ("2026-03-02 09:13", "2026-03-02"),
    ("2026-02-30", None),
    ("发布日期：", None),
    (None, None),
])
def test_normalize_date(text, expected):
    assert normalize_date(text) == expected


# -- selectors on the saved sample pages --------------------------------------

def test_listing_page_yields_details_and_next_page(tmp_path):
    spider = spider_for(SampleSpider, tmp_path)
    requests = list(spider.parse_listing(page("zwgk/czyjs/index.html")))
    assert [(r.url, r.callback.__name__) for r in requests] == [
        (f"{ROOT}/zwgk/czyjs/202601/t20260126_1000001.html", "parse_detail"),
        (f"{ROOT}/zwgk/czyjs/202601/t20260127_1000002.html", "parse_detail"),
        (f"{ROOT}/zwgk/czyjs/index_1.html", "parse_listing"),
    ]
    assert requests[0].cb_kwargs == {"listing_title": "硚口区城市运行管理中心2026年部门预算公开",
                                     "listing_date": "2026-01-26"}


def test_last_listing_page_has_no_next(tmp_path):
    spider = spider_for(SampleSpider, tmp_path)
    requests = list(spider.parse_listing(page("zwgk/czyjs/index_1.html")))
    # The 2018 决算 entry is before years.min_year and is not followed.
    assert [r.url for r in requests] == [f"{ROOT}/zwgk/czyjs/202602/t20260203_1000003.html"]


def _profile_file(tmp_path, **listing) -> Path:
    raw = _raw()
    raw["listing"].update(listing)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


TRS_LISTING = """<html><body><ul class="list">
<li><a href="./202601/t20260126_1000001.shtml" title="甲单位2026年部门预算公开">甲</a><span class="date">2026-01-26</span></li>
<li><a href="/u/P020260126000000000001.pdf" title="乙单位2026年部门预算">乙</a><span class="date">2026-01-26</span></li>
</ul><div class="page"><script>createPageHTML(3, 0, "index", "shtml");</script></div></body></html>"""


def test_script_pager_enumerates_pages(tmp_path):
    path = _profile_file(tmp_path, page_count_regex=r"createPageHTML\(\s*(\d+)", page_url="index_{n}.shtml")
    spider = spider_for(AnyProfileSpider, tmp_path, profile=str(path))
    response = HtmlResponse(url=f"{ROOT}/col/index.shtml", body=TRS_LISTING.encode(), encoding="utf-8")
    requests = list(spider.parse_listing(response))
    assert [(r.url, r.callback.__name__, r.cb_kwargs.get("page")) for r in requests] == [
        (f"{ROOT}/col/202601/t20260126_1000001.shtml", "parse_detail", None),
        # A listing entry that links the file itself goes straight to storage.
        (f"{ROOT}/u/P020260126000000000001.pdf", "save_attachment", None),
        (f"{ROOT}/col/index_1.shtml", "parse_listing", 2),
        (f"{ROOT}/col/index_2.shtml", "parse_listing", 3),
    ]
    # Enumerated pages do not enumerate again.
    again = HtmlResponse(url=f"{ROOT}/col/index_1.shtml", body=TRS_LISTING.encode(), encoding="utf-8")
    assert [r.callback.__name__ for r in spider.parse_listing(again, page=2, enumerated=True)] == [
        "parse_detail", "save_attachment"]


def test_script_pager_respects_max_pages(tmp_path):
    path = _profile_file(tmp_path, page_count_regex=r"createPageHTML\(\s*(\d+)", page_url="index_{n}.shtml",
                         max_pages=2)
    spider = spider_for(AnyProfileSpider, tmp_path, profile=str(path))
    response = HtmlResponse(url=f"{ROOT}/col/index.shtml", body=TRS_LISTING.encode(), encoding="utf-8")
    assert [r.url for r in spider.parse_listing(response) if r.callback.__name__ == "parse_listing"] == [
        f"{ROOT}/col/index_1.shtml"]


def test_detail_page_fields(tmp_path):
    spider = spider_for(SampleSpider, tmp_path)
    response = page("zwgk/czyjs/202601/t20260126_1000001.html")
    assert spider.detail_fields(response) == {
        "title": "硚口区城市运行管理中心2026年部门预算公开",
        "published_at": "2026-01-26",
        "published_at_source": "detail_page",
        "source": "硚口区城市运行管理中心",
        "detail_url": f"{ROOT}/zwgk/czyjs/202601/t20260126_1000001.html",
    }
    assert spider.attachment_links(response) == [
        (f"{ROOT}/zwgk/czyjs/202601/P020260126381234567890.pdf", "硚口区城市运行管理中心2026年部门预算.pdf"),
    ]


def test_attachment_links_skip_scripts_and_keep_root_relative(tmp_path):
    spider = spider_for(SampleSpider, tmp_path)
    assert spider.attachment_links(page("zwgk/czyjs/202602/t20260203_1000003.html")) == [
        (f"{ROOT}/zwgk/czyjs/202602/W020260203000000000002.PDF", "硚口区教育局2026年部门预算.pdf"),
        (f"{ROOT}/admin/P020260203999999999999.pdf", "内部审核稿.pdf"),
        (f"{ROOT}/zwgk/czyjs/202602/W020260203000000000404.pdf", "硚口区教育局所属单位2026年预算.pdf"),
    ]


def test_inline_tables_page_is_stored_when_it_has_no_attachments(tmp_path):
    spider = spider_for(SampleSpider, tmp_path)
    body = ('<html><body><h1 class="title">硚口区档案馆2026年部门预算公开</h1>'
            '<div class="info"><span class="pubdate">发布日期：2026-01-29</span></div>'
            '<table><tr><td>收入总计</td><td>120.50</td></tr></table></body></html>').encode()
    url = f"{ROOT}/zwgk/czyjs/202601/t20260129_1000004.html"
    out = list(spider.parse_detail(HtmlResponse(url=url, body=body, encoding="utf-8")))
    assert len(out) == 1
    item = out[0]
    assert (item["url"], item["media_type"], item["published_at"], item["title"]) == (
        url, "text/html", "2026-01-29", "硚口区档案馆2026年部门预算公开")
    assert Path(item["path"]).read_bytes() == body


# -- storage ------------------------------------------------------------------

def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        for name in names:
            zf.writestr(name, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize("body, expected", [
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
    (b"<!DOCTYPE HTML>\n<html>", "text/html"),
    (b"\xef\xbb\xbf  <html><head>", "text/html"),
    (b"\r\n<HTML>", "text/html"),
    (_zip("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (_zip("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (_zip("readme.txt"), "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, "application/x-ole-storage"),
    (b"", "application/octet-stream"),
    (b"Not Found", "application/octet-stream"),
])
def test_sniff_media_type(body, expected):
    assert sniff_media_type(body) == expected


@pytest.mark.parametrize("url, ext", [
    ("http://x/a/P0202601.pdf", ".pdf"),
    ("http://x/a/W0202601.PDF", ".pdf"),
    ("http://x/a/b.xlsx?fileName=c.pdf", ".xlsx"),
    ("http://x/download.php?f=../../etc/passwd.pdf", ""),
    ("http://x/a/t20260126_1.shtml", ".shtml"),
    ("http://x/a/%E9%A2%84%E7%AE%97.xls", ".xls"),
    ("http://x/a/.pdf", ""),
    ("http://x/a/file.exe", ""),
])
def test_safe_extension(url, ext):
    assert safe_extension(url) == ext


def test_store_keys_on_content_not_name(tmp_path):
    store = ContentStore(tmp_path)
    first = store.put(b"%PDF-1.4 same", "http://x/../../evil/a.pdf")
    second = store.put(b"%PDF-1.4 same", "http://x/other")
    assert first.path == tmp_path / first.sha256[:2] / f"{first.sha256}.pdf"
    assert (first.is_new, second.is_new, second.path) == (True, False, first.path)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{first.sha256}.pdf"]


# -- the real TRS pages (shared corpus) --------------------------------------

CQ_EXPECTED = [
    ("2026年重庆市交通运输局部门预算.pdf", "重庆市交通运输委员会及委属单位2026年部门预算情况说明", 0),
    ("2026年重庆市公安局部门预算.pdf", "重庆市公安局2026年部门预算情况说明", 0),
    ("2026年重庆市发展和改革局部门预算.pdf", "重庆市发展和改革委员会（含下属单位）2026年预算公开", 7),
    ("2026年重庆市国有资产监督管理委员会部门预算.pdf", "重庆市国有资产监督管理委员会2026年部门预算情况说明", 0),
    ("2026年重庆市教育局部门预算.pdf", "重庆市教育委员会部门及所属预算单位2026年预算公开", 1),
    ("2026年重庆市民政局部门预算.pdf", "重庆市民政局局属单位2026年预算公开", 0),
]


@pytest.mark.corpus
@pytest.mark.parametrize("filename, title, n_attachments", CQ_EXPECTED)
def test_trs_detail_selectors_on_real_pages(tmp_path, filename, title, n_attachments):
    """The qiaokou profile's TRS selectors (meta ArticleTitle / PubDate) on real
    重庆 CMS detail pages that were saved where a PDF was expected."""
    path = CQ_PAGES / filename
    if not path.is_file():
        pytest.skip("../shared corpus not present")
    body = path.read_bytes()
    assert sniff_media_type(body) == "text/html"
    spider = spider_for(QiaokouSpider, tmp_path)
    response = HtmlResponse(url="https://www.example.gov.cn/ysgk/202603/t20260302_1.html", body=body, encoding="utf-8")
    fields = spider.detail_fields(response)
    assert (fields["title"], fields["published_at"], fields["published_at_source"]) == (title, "2026-03-02", "detail_page")
    assert len(spider.attachment_links(response)) == n_attachments


@pytest.mark.corpus
def test_trs_attachment_link_texts_name_the_units(tmp_path):
    path = CQ_PAGES / "2026年重庆市发展和改革局部门预算.pdf"
    if not path.is_file():
        pytest.skip("../shared corpus not present")
    spider = spider_for(QiaokouSpider, tmp_path)
    response = HtmlResponse(url="https://www.example.gov.cn/ysgk/202603/t20260302_1.html",
                            body=path.read_bytes(), encoding="utf-8")
    links = spider.attachment_links(response)
    assert [text for _, text in links] == [
        "重庆市发展和改革委员会", "重庆市发展和改革委员会（本级）", "重庆市综合经济研究院", "重庆市价格认定中心",
        "重庆市公共资源交易事务中心", "重庆市重大项目服务中心", "重庆市粮食和物资储备事务中心",
    ]
    assert links[0][0] == "https://www.example.gov.cn/ysgk/202603/P020260302346748437806.pdf"
