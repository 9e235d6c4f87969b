"""Downloader middlewares that keep a crawl polite and on its allow-list.

Order matters: Scrapy calls ``process_request`` from low to high numbers and
``process_response`` from high to low (see ``DOWNLOADER_MIDDLEWARES`` in
spiders/settings.py):

- ``AllowListMiddleware`` (50) refuses any request to a host outside the
  profile's allow-list, before robots.txt is fetched for it and whatever
  ``dont_filter`` says (retries and redirects set it).
- ``SafeRobotsTxtMiddleware`` (100) obeys robots.txt and stops the site when it
  cannot read it, where Scrapy would allow everything.
- ``BackoffRetryMiddleware`` (550) waits for Retry-After, or backs off
  exponentially, before a retry.
- ``BlockDetectorMiddleware`` (560) sees every response before the retry
  logic: a burst of 403/429 or a captcha page stops the site.
- ``OffsiteRedirectMiddleware`` (610) drops a redirect to a host outside the
  allow-list before RedirectMiddleware (600) turns it into a request.

Stopping a site closes the spider with a reason and marks the run partial
(stats ``budgetwatch/partial``, ``budgetwatch/stop_reason``).
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import re
import time
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future

from spiders.storage import HTML, sniff_media_type

logger = logging.getLogger(__name__)


class OffsiteRequest(IgnoreRequest):
    """A request or redirect to a host outside the profile's allow-list."""


class RobotsUnreadable(IgnoreRequest):
    """robots.txt could not be read, so nothing on that host is fetched."""


class SiteStopped(IgnoreRequest):
    """The site was stopped (blocked, captcha, unreadable robots.txt)."""


# -- stopping a site ------------------------------------------------------------

def stop_site(crawler, reason: str, detail: str) -> None:
    """Mark the run partial and close the spider once, with `reason`."""
    stats = crawler.stats
    if stats.get_value("budgetwatch/stop_reason"):
        return
    stats.set_value("budgetwatch/partial", True)
    stats.set_value("budgetwatch/stop_reason", reason)
    stats.set_value("budgetwatch/stop_detail", detail)
    logger.warning("stopping the crawl of this site (%s): %s", reason, detail)
    engine = crawler.engine
    if engine is not None and engine.spider is not None:
        # Closing from inside a download callback: schedule it, do not await.
        from scrapy.utils.defer import deferred_from_coro
        deferred_from_coro(engine.close_spider_async(reason=reason))


def site_stopped(crawler) -> bool:
    return bool(crawler.stats.get_value("budgetwatch/stop_reason"))


def count_error(crawler, kind: str) -> None:
    crawler.stats.inc_value(f"budgetwatch/errors/{kind}")


# -- allow-list -------------------------------------------------------------------

def host_allowed(url: str, allowed: list[str]) -> bool:
    """http(s) only; a host equal to an allowed entry or, for names, a
    subdomain of one. IP addresses match exactly (127.0.0.2 is not 127.0.0.1)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return False
    for entry in allowed:
        entry = entry.strip().rstrip(".").lower()
        if not entry:
            continue
        if host == entry or (not _is_ip(host) and not _is_ip(entry) and host.endswith("." + entry)):
            return True
    return False


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


class _AllowListBase:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _allowed(self) -> list[str]:
        spider = self.crawler.spider
        allowed = list(getattr(spider, "allowed_domains", None) or [])
        if not allowed:
            # A spider with no allow-list would follow anything: refuse instead.
            raise RuntimeError("spider has no allowed_domains; refusing to crawl")
        return allowed


class AllowListMiddleware(_AllowListBase):
    """Every request, including robots.txt, retries and redirects, must be on
    the allow-list. Unlike Scrapy's OffsiteMiddleware, ``dont_filter`` and
    ``allow_offsite`` do not exempt a request."""

    def process_request(self, request: Request):
        if host_allowed(request.url, self._allowed()):
            return None
        self.crawler.stats.inc_value("budgetwatch/offsite/requests_dropped")
        count_error(self.crawler, "offsite")
        logger.warning("dropped request outside the allow-list: %s", request.url)
        raise OffsiteRequest(f"outside the allow-list: {request.url}")


class OffsiteRedirectMiddleware(_AllowListBase):
    """Drops a 3xx whose Location leaves the allow-list before it is followed."""

    def process_response(self, request: Request, response: Response):
        if 300 <= response.status < 400 and b"Location" in response.headers:
            location = response.headers[b"Location"].decode("latin-1").strip()
            target = urljoin(request.url, location)
            if not host_allowed(target, self._allowed()):
                self.crawler.stats.inc_value("budgetwatch/offsite/redirects_dropped")
                count_error(self.crawler, "offsite_redirect")
                logger.warning("dropped redirect outside the allow-list: %s -> %s", request.url, target)
                raise OffsiteRequest(f"redirect outside the allow-list: {request.url} -> {target}")
        return response


# -- robots.txt ---------------------------------------------------------------------

_ROBOTS_LINE = re.compile(r"^\s*[A-Za-z][A-Za-z-]*\s*:")


def robots_readable(body: bytes) -> bool:
    """Whether a robots.txt body is a robots file at all.

    Empty or comment-only is fine (no rules). Binary data, an HTML page (a CMS
    catch-all or a WAF interstitial) or text that is mostly not
    ``field: value`` lines is not: we cannot know the rules, so we stop.
    """
    body = body.lstrip(b"\xef\xbb\xbf")
    if not body.strip():
        return True
    if b"\x00" in body or sniff_media_type(body) == HTML or body.lstrip().startswith(b"<"):
        return False
    text = body.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(2, len(text) // 50):
        return False
    lines = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    if not lines:
        return True
    good = sum(1 for ln in lines if _ROBOTS_LINE.match(ln))
    return good * 2 >= len(lines)


class _DenyAll:
    def allowed(self, url, user_agent) -> bool:
        return False


_DENY_ALL = _DenyAll()


class SafeRobotsTxtMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware that fails closed.

    Scrapy parses whatever comes back (a 500 page, an HTML catch-all, binary)
    and treats a failed download as "no rules", i.e. allows everything. Here
    only a 2xx robots file, or a 404/410 (no robots.txt: RFC 9309 allows
    crawling), lets the crawl go on; anything else stops the site.
    """

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        status = response.status
        if status in (404, 410):
            self._stats.set_value("budgetwatch/robots/status", "absent")
            await super()._parse_robots(response.replace(body=b""), netloc, request)
            return
        if 200 <= status < 300 and robots_readable(response.body):
            self._stats.set_value("budgetwatch/robots/status", "ok")
            await super()._parse_robots(response, netloc, request)
            return
        self._stats.inc_value(f"robotstxt/response_status_count/{status}")
        why = f"HTTP {status}" if not 200 <= status < 300 else "content is not a robots.txt"
        self._fail(netloc, f"robots.txt unreadable ({why}): {response.url}")

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        self._fail(netloc, f"robots.txt unreadable ({type(exc).__name__}: {exc})")

    def _fail(self, netloc: str, detail: str) -> None:
        self._stats.set_value("budgetwatch/robots/status", "unreadable")
        count_error(self.crawler, "robots_unreadable")
        stop_site(self.crawler, "robots_unreadable", detail)
        pending = self._parsers.get(netloc)
        self._parsers[netloc] = _DENY_ALL
        if hasattr(pending, "callback") and not pending.called:
            pending.callback(_DENY_ALL)

    def process_request_2(self, rp, request: Request) -> None:
        if rp is _DENY_ALL:
            raise RobotsUnreadable(f"robots.txt unreadable, not fetched: {request.url}")
        super().process_request_2(rp, request)


# -- retries --------------------------------------------------------------------------

def retry_after_seconds(value: str | bytes | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


async def _sleep(seconds: float) -> None:
    # Imported here: importing the reactor at module level would install the
    # default one before Scrapy installs its asyncio reactor.
    from twisted.internet import reactor, task

    if seconds > 0:
        await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before each retry.

    429 and 503 wait for their Retry-After (seconds or an HTTP date); a
    Retry-After beyond ``BUDGETWATCH_RETRY_AFTER_MAX`` is not retried at all
    rather than retried early. Otherwise the wait is
    ``BUDGETWATCH_RETRY_BACKOFF_BASE * 2**(n-1)`` for the n-th retry. The wait
    holds the request's download slot, so the site as a whole slows down.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("BUDGETWATCH_RETRY_AFTER_MAX", 300.0)
        self.backoff_base = settings.getfloat("BUDGETWATCH_RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("BUDGETWATCH_RETRY_BACKOFF_MAX", 120.0)

    def _backoff(self, request: Request) -> float:
        n = request.meta.get("retry_times", 0) + 1
        return min(self.backoff_max, self.backoff_base * 2 ** (n - 1))

    async def process_response(self, request: Request, response: Response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        wait = self._backoff(request)
        if response.status in (429, 503):
            after = retry_after_seconds(response.headers.get(b"Retry-After"))
            if after is not None:
                if after > self.retry_after_max:
                    self.crawler.stats.inc_value("budgetwatch/retry/retry_after_too_long")
                    logger.warning("%s asks to retry after %.0f s (more than %.0f): not retried this run",
                                   request.url, after, self.retry_after_max)
                    return response
                wait = after
        retry = self._retry(request, f"{response.status}")
        if retry is None:
            return response
        self.crawler.stats.inc_value("budgetwatch/retry/wait_seconds", wait)
        logger.info("HTTP %d from %s: retrying in %.2f s", response.status, request.url, wait)
        await _sleep(wait)
        return retry

    async def process_exception(self, request: Request, exception: Exception):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        wait = self._backoff(request)
        retry = self._retry(request, exception)
        if retry is None:
            return None
        self.crawler.stats.inc_value("budgetwatch/retry/wait_seconds", wait)
        await _sleep(wait)
        return retry


# -- blocking and captchas ------------------------------------------------------------

# Markers of challenge pages (WAF interstitials, captcha walls). "slider" alone
# would match every banner carousel, so only verification sliders count.
CAPTCHA_MARKERS = re.compile(
    r"验证码|人机验证|安全验证|滑动验证|拖动滑块|请完成验证|captcha|geetest|slide-?verify|slider-?captcha|nc_iconfont",
    re.I,
)
# A real column or detail page may carry a comment form with a 验证码 field;
# a challenge page is small or says so in its <title>.
CAPTCHA_PAGE_MAX = 20_000
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)


def looks_like_captcha(body: bytes) -> bool:
    if sniff_media_type(body) != HTML:
        return False
    m = _TITLE.search(body[:4096])
    if m and CAPTCHA_MARKERS.search(m.group(1).decode("utf-8", errors="replace")):
        return True
    if len(body) > CAPTCHA_PAGE_MAX:
        return False
    return bool(CAPTCHA_MARKERS.search(body.decode("utf-8", errors="replace")))


class BlockDetectorMiddleware:
    """`BUDGETWATCH_BLOCK_BURST` 403/429 responses in a row, or one captcha
    page, mean the portal is refusing us: going on would only dig deeper."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.burst = crawler.settings.getint("BUDGETWATCH_BLOCK_BURST", 5)
        self.in_a_row = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request):
        if site_stopped(self.crawler):
            raise SiteStopped(f"site stopped ({self.crawler.stats.get_value('budgetwatch/stop_reason')})")
        return None

    def process_response(self, request: Request, response: Response):
        if response.status in (403, 429):
            self.in_a_row += 1
            self.crawler.stats.inc_value(f"budgetwatch/blocked/http_{response.status}")
            if self.in_a_row >= self.burst:
                if site_stopped(self.crawler):
                    # a 403 already on the wire when the site was stopped: the same block, once
                    raise SiteStopped(f"blocked: {request.url}")
                count_error(self.crawler, "blocked")
                stop_site(self.crawler, "blocked",
                          f"{self.in_a_row} responses in a row were HTTP 403/429 (last: {request.url})")
                raise SiteStopped(f"blocked: {request.url}")
            return response
        self.in_a_row = 0
        if not request.meta.get("dont_obey_robotstxt") and looks_like_captcha(response.body):
            count_error(self.crawler, "captcha")
            stop_site(self.crawler, "captcha", f"captcha or challenge page at {response.url}")
            raise SiteStopped(f"captcha: {response.url}")
        return response

