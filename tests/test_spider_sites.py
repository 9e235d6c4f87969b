"""The Wuhan district profiles on their saved pages (tests/fixtures/spiders/<site>/).

The pages are constructed from what is known about each portal (see the
fixtures' README); the real sites cannot be reached from here. Each district
is checked twice: its selectors on the pages placed at the real column
address, and a whole crawl of the same pages served on loopback.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from spiders.faultserver import FaultServer, file, page
from spiders.guards import host_allowed
from spiders.profile import load_profile
from spiders.run import crawl
from spiders.sites.huangpi import HuangpiSpider
from spiders.sites.jiangan import JianganSpider
from spiders.sites.qiaokou import QiaokouSpider
from tests.test_spider_faults import FAST

FIXTURES = Path(__file__).parent / "fixtures" / "spiders"

JIANGAN = "https://www.jiangan.gov.cn/bmzl/qgsj/czzxzj_4145/"
HUANGPI = "https://www.huangpi.gov.cn/jxzl/mlx_jxzl/fdzdgknr_mlx/czzj_mlx/czyjs_mlx/"
QIAOKOU = "https://www.qiaokou.gov.cn/zwgk/czyjs/"

SITES = {
    "jiangan": dict(
        spider=JianganSpider, column=JIANGAN, region="420102",
        listing="index.shtml", detail=("202501/", "t20250126_2526726.shtml"),
        requests=[
            (JIANGAN + "202501/t20250126_2526726.shtml", "parse_detail"),
            (JIANGAN + "202501/t20250126_2526731.shtml", "parse_detail"),
            (JIANGAN + "index_1.shtml", "parse_listing"),
            (JIANGAN + "index_2.shtml", "parse_listing"),
        ],
        skipped={"title": 2, "year": 1},  # a sidebar news item, a subsidy notice; the 2019 budget
        fields=("武汉市江岸区财政局2025年部门预算公开", "2025-01-26", "江岸区财政局"),
        links=[
            (JIANGAN + "202501/P020250126612345678901.pdf", "武汉市江岸区财政局2025年部门预算.pdf"),
            (JIANGAN + "202501/P020250126612345678902.xlsx", "武汉市江岸区财政局2025年部门预算表.xlsx"),
        ],
    ),
    "huangpi": dict(
        spider=HuangpiSpider, column=HUANGPI, region="420116",
        listing="index.html", detail=("202203/", "t20220329_1947225.html"),
        requests=[
            (HUANGPI + "202203/t20220329_1947225.html", "parse_detail"),
            (HUANGPI + "202203/t20220329_1947231.html", "parse_detail"),
        ] + [(HUANGPI + f"index_{n}.html", "parse_listing") for n in range(1, 12)],
        skipped={"title": 1, "year": 0},
        fields=("武汉市黄陂区财政局2022年部门预算公开", "2022-03-29", "黄陂区财政局"),
        # Written by a script, not an anchor in the DOM: found by attachments.href_regex.
        links=[(HUANGPI + "202203/P020220329537712345678.pdf", "武汉市黄陂区财政局2022年部门预算.pdf")],
    ),
    "qiaokou": dict(
        spider=QiaokouSpider, column=QIAOKOU, region="420104",
        listing="index.shtml", detail=("202601/", "t20260126_2800101.shtml"),
        requests=[
            (QIAOKOU + "202601/t20260126_2800101.shtml", "parse_detail"),
            (QIAOKOU + "202601/t20260126_2800102.shtml", "parse_detail"),
            (QIAOKOU + "202512/t20251230_2790001.shtml", "parse_detail"),
        ] + [(QIAOKOU + f"index_{n}.shtml", "parse_listing") for n in range(1, 5)],
        skipped={"title": 1, "year": 0},
        fields=("硚口区城市运行管理中心2026年部门预算公开", "2026-01-26", "硚口区城市运行管理中心"),
        links=[
            (QIAOKOU + "202601/P020260126381234567890.pdf", "硚口区城市运行管理中心2026年部门预算.pdf"),
            # Another site's file: listed, then refused by the allow-list.
            ("http://www.whczj.gov.cn/download/P020200101000000000001.pdf", "市财政局公开模板.pdf"),
        ],
    ),
}


def spider_for(name, tmp_path):
    cls = SITES[name]["spider"]
    crawler = get_crawler(cls)
    crawler.settings.frozen = False
    spider = cls.from_crawler(crawler, store=str(tmp_path))
    crawler.stats.open_spider()
    return spider


def saved(name: str, filename: str, url: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=(FIXTURES / name / filename).read_bytes(), encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SITES))
def test_profile_points_at_its_column(name):
    site, profile = SITES[name], load_profile(name)
    assert profile.start_urls[0] == site["column"] + site["listing"]
    assert profile.region_code == site["region"]
    assert all(host_allowed(u, profile.allowed_domains) for u in profile.start_urls)


@pytest.mark.parametrize("name", sorted(SITES))
def test_listing_page(name, tmp_path):
    site = SITES[name]
    spider = spider_for(name, tmp_path)
    requests = list(spider.parse_listing(saved(name, site["listing"], site["column"] + site["listing"])))
    assert [(r.url, r.callback.__name__) for r in requests] == site["requests"]
    stats = spider.crawler.stats
    assert (stats.get_value("budgetwatch/listing/skipped_title", 0),
            stats.get_value("budgetwatch/listing/skipped_year", 0)) == (site["skipped"]["title"], site["skipped"]["year"])
    profile = load_profile(name)
    assert all(host_allowed(r.url, profile.allowed_domains) for r in requests)


@pytest.mark.parametrize("name", sorted(SITES))
def test_detail_page(name, tmp_path):
    site = SITES[name]
    spider = spider_for(name, tmp_path)
    folder, filename = site["detail"]
    url = site["column"] + folder + filename
    response = saved(name, filename, url)
    fields = spider.detail_fields(response)
    assert (fields["title"], fields["published_at"], fields["source"]) == site["fields"]
    assert (fields["published_at_source"], fields["detail_url"]) == ("detail_page", url)
    assert spider.attachment_links(response) == site["links"]


@pytest.mark.parametrize("name", sorted(p.stem for p in (Path(__file__).parents[1] / "spiders" / "profiles").glob("*.yaml")))
def test_every_profile_has_its_thin_spider(name):
    from scrapy.spiderloader import SpiderLoader
    from scrapy.settings import Settings

    loader = SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["spiders.sites"]}))
    cls = loader.load(name)
    assert (cls.profile_name, load_profile(cls.profile_name).name) == (name, name)


def test_offsite_attachment_is_refused_by_the_allow_list():
    profile = load_profile("qiaokou")
    assert not host_allowed("http://www.whczj.gov.cn/download/P020200101000000000001.pdf", profile.allowed_domains)


def _xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def _crawl_on_loopback(name: str, store: Path):
    """The district's own profile crawls its saved pages served at the same
    paths on 127.0.0.1; links to the real host are offsite there."""
    from urllib.parse import urlsplit

    site = SITES[name]
    column = urlsplit(site["column"]).path
    folder, filename = site["detail"]
    with FaultServer() as srv:
        srv.route(column + site["listing"], page((FIXTURES / name / site["listing"]).read_text(encoding="utf-8")))
        srv.route(column + folder + filename, page((FIXTURES / name / filename).read_text(encoding="utf-8")))
        for url, _ in site["links"]:
            path = urlsplit(url).path
            body = _xlsx() if path.endswith(".xlsx") else b"%PDF-1.7\n" + path.encode() + b"\n%%EOF\n"
            srv.route(path, file(body, etag=f'"{len(path)}"'))
        return crawl(name, store, start_url=srv.url(column + site["listing"]), timeout_s=60, settings=FAST)


@pytest.fixture(scope="module")
def loopback_crawls(tmp_path_factory):
    from concurrent.futures import ThreadPoolExecutor

    stores = {name: tmp_path_factory.mktemp(f"loopback-{name}") for name in SITES}
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(SITES, pool.map(lambda n: _crawl_on_loopback(n, stores[n]), SITES)))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SITES))
def test_whole_crawl_on_loopback(name, loopback_crawls):
    from urllib.parse import urlsplit

    site, res = SITES[name], loopback_crawls[name]
    on_site = {urlsplit(u).path for u, _ in site["links"] if urlsplit(u).hostname == urlsplit(site["column"]).hostname}
    assert res.returncode == 0 and not res.partial
    assert sorted(urlsplit(i["url"]).path for i in res.items) == sorted(on_site)
    assert {i["region_code"] for i in res.items} == {site["region"]}
    assert {i["published_at"] for i in res.items} == {site["fields"][1]}
    assert {i["site"] for i in res.items} == {name}
    # Every other detail and listing page of the pager is missing here: 404s, counted by kind.
    missing = len(site["requests"]) - 1
    assert res.report["errors"].get("http_404", 0) == missing
    assert res.report["pages"]["failed"] == missing
    # A link to another site (qiaokou: the city finance bureau's file) is never requested.
    elsewhere = [u for u, _ in site["links"] if urlsplit(u).hostname != urlsplit(site["column"]).hostname]
    assert res.report["offsite"]["requests_dropped"] == len(elsewhere)
