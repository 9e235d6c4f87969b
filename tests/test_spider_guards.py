"""The guards' decisions, without a network: allow-list, robots.txt,
Retry-After, captcha markers, profile limits, the stored-body cap."""

from __future__ import annotations

import email.utils
from types import SimpleNamespace

import pytest
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from spiders.guards import host_allowed, looks_like_captcha, retry_after_seconds, robots_readable
from spiders.profile import ProfileError, load_profile, parse_profile, resolve_profile
from spiders.sites.sample import SampleSpider

ALLOWED = ["www.qiaokou.gov.cn", "qiaokou.gov.cn", "127.0.0.1"]


@pytest.mark.parametrize("url, allowed", [
    ("https://www.qiaokou.gov.cn/zwgk/a.pdf", True),
    ("http://qiaokou.gov.cn/a.pdf", True),
    ("https://xxgk.qiaokou.gov.cn/a.pdf", True),          # a subdomain of an allowed name
    ("https://WWW.QIAOKOU.GOV.CN./a.pdf", True),          # case and a trailing dot
    ("https://qiaokou.gov.cn.evil.example/a.pdf", False),
    ("https://evilqiaokou.gov.cn/a.pdf", False),
    ("https://www.qiaokou.gov.cn@evil.example/a.pdf", False),  # userinfo trick: the host is evil.example
    ("http://127.0.0.1:8000/a.pdf", True),
    ("http://127.0.0.2:8000/a.pdf", False),
    ("http://1.127.0.0.1/a.pdf", False),                   # IPs match exactly, never as a suffix
    ("http://localhost/a.pdf", False),
    ("http://[::1]/a.pdf", False),
    ("ftp://www.qiaokou.gov.cn/a.pdf", False),
    ("file:///etc/passwd", False),
    ("javascript:alert(1)", False),
])
def test_host_allowed(url, allowed):
    assert host_allowed(url, ALLOWED) is allowed


def test_empty_allow_list_allows_nothing():
    assert host_allowed("https://www.qiaokou.gov.cn/", []) is False


@pytest.mark.parametrize("body, readable", [
    (b"", True),
    (b"# no rules\n", True),
    (b"User-agent: *\nDisallow: /admin/\n", True),
    (b"\xef\xbb\xbfUser-agent: *\r\nDisallow:\r\nSitemap: https://x/sitemap.xml\r\n", True),
    (b"User-agent: *\nDisallow: /a\n\xe7\xa6\x81\xe6\xad\xa2\n", True),   # one stray line among rules
    (b"<!DOCTYPE html><html><body>home</body></html>", False),
    (b"  <script>location='/'</script>", False),
    (b"\x89PNG\r\n\x1a\n\x00\x00", False),
    (bytes(range(128, 256)) * 4, False),
    (b"Service Unavailable\nPlease try again later\n", False),
])
def test_robots_readable(body, readable):
    assert robots_readable(body) is readable


@pytest.mark.parametrize("value, expected", [
    ("1", 1.0), (b"120", 120.0), (" 0 ", 0.0), ("", None), (None, None), ("soon", None), ("-5", None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past: retry now
])
def test_retry_after_seconds(value, expected):
    assert retry_after_seconds(value) == expected


def test_retry_after_http_date_in_the_future():
    now = 1_800_000_000.0
    assert retry_after_seconds(email.utils.formatdate(now + 30, usegmt=True), now=now) == 30.0


@pytest.mark.parametrize("body, captcha", [
    ("<html><head><title>安全验证</title></head><body></body></html>", True),
    ("<html><body><div id='captcha'></div>请输入验证码</body></html>", True),
    ("<html><body><div class='geetest_holder'></div></body></html>", True),
    ("<html><body><div class='slider banner'>要闻</div></body></html>", False),     # a carousel is not a captcha
    ("<html><body>" + "预算公开" * 6000 + "<input placeholder='验证码'></body></html>", False),
    ("%PDF-1.4 验证码", False),
])
def test_looks_like_captcha(body, captcha):
    assert looks_like_captcha(body.encode("utf-8")) is captcha


@pytest.mark.parametrize("key, value", [
    ("CONCURRENT_REQUESTS_PER_DOMAIN", 3), ("CONCURRENT_REQUESTS_PER_DOMAIN", 0),
    ("AUTOTHROTTLE_TARGET_CONCURRENCY", 4), ("DOWNLOAD_DELAY", -1), ("DOWNLOAD_TIMEOUT", "fast"),
])
def test_profile_cannot_raise_concurrency_or_go_negative(key, value):
    import yaml
    raw = yaml.safe_load(resolve_profile("sample").read_text(encoding="utf-8"))
    raw["settings"][key] = value
    with pytest.raises(ProfileError, match=f"settings.{key}"):
        parse_profile(raw)


@pytest.mark.parametrize("name", ["sample", "qiaokou", "jiangan", "huangpi"])
def test_shipped_profiles_stay_within_two_requests_per_site(name):
    settings = load_profile(name).settings
    assert settings.get("CONCURRENT_REQUESTS_PER_DOMAIN", 2) <= 2


def test_stored_body_over_the_cap_is_not_stored(tmp_path):
    crawler = get_crawler(SampleSpider, {"DOWNLOAD_MAXSIZE": 100})
    crawler.settings.frozen = False
    spider = SampleSpider.from_crawler(crawler, store=str(tmp_path))
    crawler.stats.open_spider()
    url = "http://127.0.0.1:8000/f/a.pdf"
    response = Response(url, body=b"%PDF-1.4\n" + b"0" * 200, request=Request(url))
    assert list(spider.save_attachment(response, {})) == []
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert crawler.stats.get_value("budgetwatch/errors/too_large") == 1


def test_project_settings_wire_the_guards():
    from spiders import settings
    mws = settings.DOWNLOADER_MIDDLEWARES
    # Scrapy's own offsite filter honours dont_filter; ours replaces it.
    assert mws["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"] is None
    assert mws["spiders.guards.AllowListMiddleware"] < mws["spiders.guards.SafeRobotsTxtMiddleware"]
    # Redirect checks must see a 3xx before RedirectMiddleware (600) follows it.
    assert mws["spiders.guards.OffsiteRedirectMiddleware"] > 600
    assert mws["spiders.guards.BlockDetectorMiddleware"] > mws["spiders.guards.BackoffRetryMiddleware"]
    assert settings.RETRY_TIMES == 2  # at most 3 tries
    # No listening ports in a crawler process.
    assert (settings.TELNETCONSOLE_ENABLED, settings.REMOTE_CONTROL_ENABLED) == (False, False)
    assert set(settings.DOWNLOAD_HANDLERS) >= {"file", "ftp", "s3", "data"}
    assert all(settings.DOWNLOAD_HANDLERS[k] is None for k in ("file", "ftp", "s3", "data"))


def test_no_dont_filter_anywhere_in_the_spiders():
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[1] / "spiders"
    bypass = re.compile(r"dont_filter\s*=\s*True|[\"']allow_offsite[\"']")
    assert [p.name for p in root.rglob("*.py") if bypass.search(p.read_text(encoding="utf-8"))] == []


@pytest.mark.parametrize("status, expected", [(200, 0.65), (304, 0.65), (404, 1.0), (503, 1.0)])
def test_autothrottle_lets_a_304_settle_the_delay(status, expected):
    """A fast answer may shorten the delay after a 200 or a 304, never after an error page."""
    from types import SimpleNamespace

    from spiders.throttle import NotModifiedAwareAutoThrottle

    crawler = get_crawler(SampleSpider, {"AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0})
    throttle = NotModifiedAwareAutoThrottle(crawler)
    throttle.mindelay, throttle.maxdelay = 0.0, 60.0
    slot = SimpleNamespace(delay=1.0)
    url = "http://127.0.0.1/a.pdf"
    # Latency 0.3 s from a 1.0 s delay: Scrapy moves halfway, to 0.65 s, unless
    # the answer was an error page (the delay then only ever grows).
    throttle._adjust_delay(slot, 0.3, Response(url, status=status, request=Request(url)))
    assert slot.delay == pytest.approx(expected)


def test_a_403_in_flight_after_the_block_counts_no_second_block():
    """Two requests per site: when the 5th 403 in a row stops the site, a 6th may already be on
    the wire. It is the same block (the report said errors.blocked 2 under load)."""
    from spiders.guards import BlockDetectorMiddleware, SiteStopped

    crawler = get_crawler(SampleSpider, {"BUDGETWATCH_BLOCK_BURST": 5})
    crawler.stats.open_spider()
    crawler._engine = SimpleNamespace(spider=None)  # no crawl running: nothing for stop_site to close
    mw = BlockDetectorMiddleware.from_crawler(crawler)
    stops = 0
    for i in range(7):
        url = f"http://127.0.0.1:8000/f/{i}.pdf"
        try:
            mw.process_response(Request(url), Response(url, status=403))
        except SiteStopped:
            stops += 1
    assert stops == 3  # the 5th answer stops the site; the 6th and 7th are refused with it
    assert crawler.stats.get_value("budgetwatch/errors/blocked") == 1
    assert crawler.stats.get_value("budgetwatch/stop_reason") == "blocked"
