"""The shared spider: walks a portal's listing -> detail -> attachment pages
as its site profile describes. Per-site spiders only name their profile."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

import scrapy
import scrapy.exceptions
from scrapy.http import Response, TextResponse

from spiders.profile import SiteProfile, load_profile, normalize_date
from spiders.storage import ContentStore

DEFAULT_STORE = Path("data/raw")
_PAGE_EXTENSIONS = (".html", ".htm", ".shtml")
# "信息来源：硚口区财政局" -> "硚口区财政局"
_SOURCE_LABEL = re.compile(r"^\s*(信息来源|来源|发布机构|发布单位)\s*[:：]\s*")


def _first(response_or_sel, selectors: list[str]) -> str | None:
    """The first non-blank text any of the selectors gives, whitespace-collapsed."""
    for css in selectors:
        for value in response_or_sel.css(css).getall():
            text = " ".join(value.split())
            if text:
                return text
    return None


def _host(url: str) -> str:
    host = urlsplit(url).hostname
    if not host:
        raise ValueError(f"start_url has no host: {url!r}")
    return host


class ProfileSpider(scrapy.Spider):
    """Base for all portal spiders.

    Arguments (``-a``): ``profile`` (name or path; per-site subclasses fix it),
    ``store`` (directory for downloaded files) and ``start_url`` (replaces the
    profile's start URLs; allowed domains then follow its host, which is how
    the demo portal on a random loopback port is crawled).
    """

    name = "base"
    profile_name: str | None = None

    def __init__(self, profile: str | None = None, store: str | None = None,
                 start_url: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        profile = profile or self.profile_name
        if not profile:
            raise ValueError("no site profile: pass -a profile=NAME_OR_PATH")
        self.profile: SiteProfile = load_profile(profile)
        self.store = ContentStore(Path(store) if store else DEFAULT_STORE)
        if start_url:
            self.start_urls = [start_url]
            self.allowed_domains = [_host(start_url)]
        else:
            self.start_urls = list(self.profile.start_urls)
            self.allowed_domains = list(self.profile.allowed_domains)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Politeness knobs from the profile; the loader has already refused
        # anything outside the allow-list.
        for key, value in spider.profile.settings.items():
            crawler.settings.set(key, value, priority="spider")
        return spider

    async def start(self):
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_listing, cb_kwargs={"page": 1})

    # -- listing -----------------------------------------------------------
    def parse_listing(self, response: Response, page: int = 1,
                      enumerated: bool = False) -> Iterator[scrapy.Request]:
        rules = self.profile.listing
        if rules.item:
            entries = [(e.css(rules.link).get(), _first(e, rules.title), normalize_date(_first(e, rules.date)))
                       for e in response.css(rules.item)]
        else:
            entries = [(href, None, None) for href in response.css(rules.link).getall()]
        stats = self.crawler.stats
        stats.inc_value("budgetwatch/listing/pages")
        stats.inc_value("budgetwatch/listing/entries", len(entries))
        if not entries:
            # An empty listing usually means the portal changed its markup.
            self.logger.warning("listing page has no entries matching %r: %s", rules.item or rules.link, response.url)
            stats.inc_value("budgetwatch/listing/empty_pages")
        for href, title, listing_date in entries:
            if not href:
                continue
            if rules.title_include and title and not re.search(rules.title_include, title):
                stats.inc_value("budgetwatch/listing/skipped_title")
                continue
            if not self.profile.wants_year(self.profile.year_of(title)):
                stats.inc_value("budgetwatch/listing/skipped_year")
                continue
            context = {"listing_title": title, "listing_date": listing_date}
            if self._is_file_link(response.urljoin(href)):
                # Some columns link the PDF itself instead of a detail page.
                yield response.follow(href, callback=self.save_attachment, errback=self.attachment_failed,
                                      cb_kwargs={"context": {
                                          "title": title, "link_text": title, "detail_url": None,
                                          "listing_date": listing_date,
                                          "published_at": None, "published_at_source": None}})
            else:
                yield response.follow(href, callback=self.parse_detail, cb_kwargs=context)
        if enumerated:
            return
        if page == 1 and rules.page_count_regex:
            m = re.search(rules.page_count_regex, response.text)
            if m:
                count = int(m.group(1))
                if count > rules.max_pages:
                    self.logger.warning("listing claims %d pages; fetching the first %d", count, rules.max_pages)
                for n in range(1, min(count, rules.max_pages)):
                    yield response.follow(rules.page_url.format(n=n), callback=self.parse_listing,
                                          cb_kwargs={"page": n + 1, "enumerated": True})
                return
        next_href = _first(response, rules.next_page)
        if next_href and page < rules.max_pages:
            yield response.follow(next_href, callback=self.parse_listing, cb_kwargs={"page": page + 1})
        elif next_href:
            self.logger.warning("stopping at listing page limit %d: %s", rules.max_pages, response.url)

    def _is_file_link(self, url: str) -> bool:
        path = unquote(urlsplit(url).path).lower()
        return path.endswith(tuple(e for e in self.profile.attachments.extensions if e not in _PAGE_EXTENSIONS))

    # -- detail ------------------------------------------------------------
    def parse_detail(self, response: Response, listing_title: str | None = None,
                     listing_date: str | None = None) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            # A detail link that turned out to be a file: keep it, no page fields.
            yield from self.save_attachment(response, {
                "title": listing_title, "link_text": listing_title, "detail_url": None,
                "published_at": None, "published_at_source": None, "listing_date": listing_date,
            })
            return
        meta = self.detail_fields(response)
        meta["listing_date"] = listing_date
        if not meta["title"]:
            meta["title"] = listing_title
        links = self.attachment_links(response)
        self.crawler.stats.inc_value("budgetwatch/detail/pages")
        self.crawler.stats.inc_value("budgetwatch/detail/attachment_links", len(links))
        for url, text in links:
            yield response.follow(url, callback=self.save_attachment, errback=self.attachment_failed,
                                  cb_kwargs={"context": {**meta, "link_text": text}})
        store_page = self.profile.detail.store_page
        if store_page == "always" or (store_page == "if_no_attachments" and not links):
            # Some departments publish the tables inline on the detail page.
            yield from self.save_attachment(response, {**meta, "link_text": meta["title"]})

    def detail_fields(self, response: Response) -> dict[str, Any]:
        rules = self.profile.detail
        published_at = None
        for css in rules.published:
            for text in response.css(css).getall():
                m = re.search(rules.published_regex, text)
                published_at = normalize_date(m.group(1) if m and m.groups() else (m.group(0) if m else None))
                if published_at:
                    break
            if published_at:
                break
        return {
            "title": _first(response, rules.title),
            "published_at": published_at,
            "published_at_source": "detail_page" if published_at else None,
            "source": _SOURCE_LABEL.sub("", _first(response, rules.source) or "") or None,
            "detail_url": response.url,
        }

    def attachment_links(self, response: Response) -> list[tuple[str, str]]:
        """(absolute URL, link text) of the disclosure files on a detail page."""
        rules = self.profile.attachments
        anchors = response.css(rules.css) if rules.css else response.css("a[href]")
        seen: set[str] = set()
        links = []
        for a in anchors:
            href = a.attrib.get("href", "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "#")):
                continue
            url = response.urljoin(href)
            if urlsplit(url).scheme not in ("http", "https"):
                continue
            path = unquote(urlsplit(url).path).lower()
            if rules.extensions and not path.endswith(rules.extensions):
                continue
            if url in seen:
                continue
            seen.add(url)
            # Join text nodes without spaces: CMS editors split names over <span>s.
            text = " ".join("".join(a.css("::text").getall()).split()) or a.attrib.get("title")
            links.append((url, text or None))
        return links

    # -- attachment --------------------------------------------------------
    def attachment_failed(self, failure) -> None:
        """A listed attachment that cannot be fetched is itself a finding for
        reviewers (a broken link on a disclosure page), so count and name it."""
        request = failure.request
        context = request.cb_kwargs.get("context", {})
        response = getattr(failure.value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else failure.getErrorMessage()
        if failure.check(scrapy.exceptions.IgnoreRequest) and response is None:
            # robots.txt or the offsite filter: counted by Scrapy under their own names.
            return
        self.crawler.stats.inc_value("budgetwatch/files/failed")
        self.logger.warning("attachment failed (%s): %s linked from %s", reason, request.url, context.get("detail_url"))

    def save_attachment(self, response: Response, context: dict[str, Any]) -> Iterator[dict[str, Any]]:
        stored = self.store.put(response.body, response.url)
        stats = self.crawler.stats
        stats.inc_value("budgetwatch/files/saved")
        stats.inc_value("budgetwatch/files/new" if stored.is_new else "budgetwatch/files/known")
        stats.inc_value(f"budgetwatch/files/media_type/{stored.media_type}")
        self.logger.info("stored %s (%s, %d bytes) from %s", stored.sha256[:12], stored.media_type,
                         stored.size, response.url)
        yield {
            "url": response.url,
            "sha256": stored.sha256,
            "path": str(stored.path),
            "size": stored.size,
            "media_type": stored.media_type,
            "fetched_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "published_at": context.get("published_at"),
            "published_at_source": context.get("published_at_source"),
            "title": context.get("title"),
            "link_text": context.get("link_text"),
            "detail_url": context.get("detail_url"),
            "site": self.profile.name,
            # Extensions beyond the flow's contract: kept for provenance and for
            # conditional requests on the next run.
            "listing_date": context.get("listing_date"),
            "source": context.get("source"),
            "region_code": self.profile.region_code,
            "http_status": response.status,
            "etag": _header(response, b"ETag"),
            "last_modified": _header(response, b"Last-Modified"),
            "new_file": stored.is_new,
        }


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
