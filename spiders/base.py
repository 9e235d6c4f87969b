"""The shared spider: walks a portal's listing -> detail -> attachment pages
as its site profile describes. Per-site spiders only name their profile."""

from __future__ import annotations

import datetime as dt
import errno
import re
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

import scrapy
import scrapy.exceptions
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from spiders.guards import OffsiteRequest, RobotsUnreadable, SiteStopped, count_error, stop_site
from spiders.profile import SiteProfile, load_profile, normalize_date
from spiders.listing import first_text as _first
from spiders.listing import listing_entries
from spiders.report import COLUMN_STAT
from spiders.state import SiteState
from spiders.storage import DOCX, OLE, PDF, XLSX, ZIP, ContentStore, sniff_media_type

DEFAULT_STORE = Path("data/raw")
_PAGE_EXTENSIONS = (".html", ".htm", ".shtml")
# "信息来源：硚口区财政局" -> "硚口区财政局"
_SOURCE_LABEL = re.compile(r"^\s*(信息来源|来源|发布机构|发布单位)\s*[:：]\s*")


def column_stat(start_url: str) -> str:
    """The stats key counting the listing entries seen under one start URL (a column)."""
    return COLUMN_STAT + start_url


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
        self.state = SiteState(self.store.root, self.profile.name)
        # Detail pages are kept apart from the disclosures: they are not
        # documents, only what the next run parses after a 304.
        self.pages = ContentStore(self.store.root / ".pages")
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
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.request_failed,
                                 cb_kwargs={"page": 1, "column": url})

    def closed(self, reason: str) -> None:
        # A column whose first page could not be fetched still reports 0 entries:
        # the nightly's quiet-site alarm compares each column with its last run.
        for url in self.start_urls:
            self.crawler.stats.inc_value(column_stat(url), 0)
        self.state.save()

    def _page_request(self, response: Response, href: str, callback, **cb_kwargs) -> scrapy.Request:
        return response.follow(href, callback=callback, errback=self.request_failed, cb_kwargs=cb_kwargs)

    def _detail_request(self, response: Response, href: str, cb_kwargs: dict[str, Any]) -> scrapy.Request:
        """A detail page request, conditional when we hold the page from an
        earlier run: a 304 is then parsed from the stored copy."""
        url = response.urljoin(href)
        return scrapy.Request(
            url, callback=self.parse_detail, errback=self.request_failed,
            headers=self.state.conditional_headers(url),
            meta={"handle_httpstatus_list": [304], "state_key": url},
            cb_kwargs=cb_kwargs,
        )

    def _file_request(self, response: Response, href: str, context: dict[str, Any]) -> scrapy.Request:
        """An attachment request, conditional when we already hold its file."""
        url = response.urljoin(href)
        return scrapy.Request(
            url, callback=self.save_attachment, errback=self.attachment_failed,
            headers=self.state.conditional_headers(url),
            # 304 must reach save_attachment instead of being dropped as an HTTP error.
            meta={"handle_httpstatus_list": [304], "state_key": url},
            cb_kwargs={"context": context},
        )

    def _is_html(self, response: Response, what: str) -> bool:
        """Sniff before parsing: a listing that is not a page is not parsed as one."""
        if _looks_like_page(response):
            return True
        count_error(self.crawler, f"{what}_not_html")
        self.logger.warning("%s page is not HTML (%s), not parsed: %s", what,
                            sniff_media_type(response.body), response.url)
        return False

    # -- listing -----------------------------------------------------------
    def parse_listing(self, response: Response, page: int = 1, enumerated: bool = False,
                      column: str | None = None) -> Iterator[scrapy.Request]:
        if not self._is_html(response, "listing"):
            return
        rules = self.profile.listing
        entries = listing_entries(rules, response)
        stats = self.crawler.stats
        stats.inc_value("budgetwatch/listing/pages")
        stats.inc_value("budgetwatch/listing/entries", len(entries))
        stats.inc_value(column_stat(column or response.url), len(entries))
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
                yield self._file_request(response, href, {
                    "title": title, "link_text": title, "detail_url": None, "listing_date": listing_date,
                    "published_at": None, "published_at_source": None})
            else:
                yield self._detail_request(response, href, context)
        if enumerated:
            return
        if page == 1 and rules.page_count_regex:
            m = re.search(rules.page_count_regex, response.text)
            if m:
                count = int(m.group(1))
                if count > rules.max_pages:
                    self.logger.warning("listing claims %d pages; fetching the first %d", count, rules.max_pages)
                for n in range(1, min(count, rules.max_pages)):
                    yield self._page_request(response, rules.page_url.format(n=n), self.parse_listing,
                                             page=n + 1, enumerated=True, column=column)
                return
        next_href = _first(response, rules.next_page)
        if next_href and page < rules.max_pages:
            yield self._page_request(response, next_href, self.parse_listing, page=page + 1, column=column)
        elif next_href:
            self.logger.warning("stopping at listing page limit %d: %s", rules.max_pages, response.url)

    def _is_file_link(self, url: str) -> bool:
        path = unquote(urlsplit(url).path).lower()
        return path.endswith(tuple(e for e in self.profile.attachments.extensions if e not in _PAGE_EXTENSIONS))

    # -- detail ------------------------------------------------------------
    def parse_detail(self, response: Response, listing_title: str | None = None,
                     listing_date: str | None = None) -> Iterator[Any]:
        if response.status == 304:
            response = self._page_from_store(response)
            if response is None:
                return
        if not _looks_like_page(response):
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
            yield self._file_request(response, url, {**meta, "link_text": text})
        store_page = self.profile.detail.store_page
        if store_page == "always" or (store_page == "if_no_attachments" and not links):
            # Some departments publish the tables inline on the detail page.
            yield from self.save_attachment(response, {**meta, "link_text": meta["title"]})
        elif response.status != 304:
            self._remember_page(response)

    def _remember_page(self, response: Response) -> None:
        """Keep a detail page (outside the document store, in <store>/.pages)
        so the next run can ask for it conditionally and parse the stored copy."""
        # No extension: these are not documents, and `budgetwatch ingest` of the
        # store must not pick them up as such.
        stored = self.pages.put(response.body, "")
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.state.record(
            response.request.meta.get("state_key") or response.url if response.request is not None else response.url,
            sha256=stored.sha256, path=stored.path, size=stored.size, media_type=stored.media_type, now=now,
            etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"),
            final_url=response.url, encoding=getattr(response, "encoding", None))

    def _page_from_store(self, response: Response) -> Response | None:
        key = response.meta.get("state_key") or response.url
        rec = self.state.get(key)
        path = self.state.stored_file(rec) if rec else None
        if rec is None or path is None:
            count_error(self.crawler, "unexpected_304")
            self.logger.warning("HTTP 304 for a page we do not hold: %s", response.url)
            return None
        self.state.seen_not_modified(key, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
        self.crawler.stats.inc_value("budgetwatch/detail/not_modified")
        return HtmlResponse(url=response.url, status=304, body=path.read_bytes(), encoding=rec.encoding or "utf-8",
                            headers=response.headers, request=response.request)

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

        def add(href: str, text: str | None) -> None:
            href = href.strip()
            if not href or href.startswith(("javascript:", "mailto:", "#")):
                return
            url = response.urljoin(href)
            if urlsplit(url).scheme not in ("http", "https"):
                return
            path = unquote(urlsplit(url).path).lower()
            if rules.extensions and not path.endswith(rules.extensions):
                return
            if url in seen:
                return
            seen.add(url)
            links.append((url, text or None))

        for a in anchors:
            # Join text nodes without spaces: CMS editors split names over <span>s.
            text = " ".join("".join(a.css("::text").getall()).split()) or a.attrib.get("title")
            add(a.attrib.get("href", ""), text)
        if rules.href_regex:
            for m in re.finditer(rules.href_regex, response.text):
                text = m.group("text") if "text" in m.re.groupindex else None
                add(m.group(1), " ".join(text.split()) if text else None)
        return links

    # -- failures ----------------------------------------------------------
    def request_failed(self, failure) -> None:
        """A listing or detail page that could not be fetched."""
        kind = self._failure_kind(failure)
        if kind:
            self.crawler.stats.inc_value("budgetwatch/pages/failed")
            self.logger.warning("page failed (%s): %s", kind, failure.request.url)

    def attachment_failed(self, failure) -> None:
        """A listed attachment that cannot be fetched is itself a finding for
        reviewers (a broken link on a disclosure page), so count and name it."""
        kind = self._failure_kind(failure)
        if kind:
            context = failure.request.cb_kwargs.get("context", {})
            self.crawler.stats.inc_value("budgetwatch/files/failed")
            self.logger.warning("attachment failed (%s): %s linked from %s", kind, failure.request.url,
                                context.get("detail_url"))

    def _failure_kind(self, failure) -> str | None:
        """Count a failed request under budgetwatch/errors/<kind>; None when it
        was dropped on purpose (robots.txt, allow-list, a stopped site), which
        the middlewares count under their own names."""
        if failure.check(OffsiteRequest, RobotsUnreadable, SiteStopped):
            return None
        if failure.check(HttpError):
            kind = f"http_{failure.value.response.status}"
        elif failure.check(scrapy.exceptions.IgnoreRequest):
            message = str(failure.value)
            if "robots.txt" in message:
                return None  # a disallow: counted as robotstxt/forbidden
            # HttpCompressionMiddleware refuses a body that inflates past
            # DOWNLOAD_MAXSIZE (a decompression bomb) with a bare IgnoreRequest.
            kind = "too_large" if "DOWNLOAD_MAXSIZE" in message else "ignored"
        else:
            kind = _exception_kind(failure.value)
        count_error(self.crawler, kind)
        return kind

    # -- attachment --------------------------------------------------------
    def save_attachment(self, response: Response, context: dict[str, Any]) -> Iterator[dict[str, Any]]:
        stats = self.crawler.stats
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        meta = response.request.meta if response.request is not None else {}
        key = meta.get("state_key") or response.url
        if response.status == 304:
            yield from self._not_modified(response, key, context, now)
            return
        maxsize = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
        if maxsize and len(response.body) > maxsize:
            # The downloader enforces DOWNLOAD_MAXSIZE too; this guards the store
            # against a request that slipped past it (e.g. a per-request meta).
            count_error(self.crawler, "too_large")
            stats.inc_value("budgetwatch/files/failed")
            self.logger.warning("not stored, %d bytes is over the %d byte cap: %s", len(response.body), maxsize,
                                response.url)
            return
        try:
            stored = self.store.put(response.body, response.url)
        except OSError as exc:
            self._not_stored(response, exc)
            return
        rec, previous = self.state.record(
            key, sha256=stored.sha256, path=stored.path, size=stored.size, media_type=stored.media_type, now=now,
            etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"),
            final_url=response.url, encoding=getattr(response, "encoding", None))
        stats.inc_value("budgetwatch/files/saved")
        stats.inc_value("budgetwatch/files/new" if stored.is_new else "budgetwatch/files/known")
        if previous:
            stats.inc_value("budgetwatch/files/changed")
        stats.inc_value(f"budgetwatch/files/media_type/{stored.media_type}")
        self.logger.info("stored %s (%s, %d bytes) from %s%s", stored.sha256[:12], stored.media_type,
                         stored.size, response.url, f", replacing {previous[:12]}" if previous else "")
        yield self._item(response, context, sha256=stored.sha256, path=stored.path, size=stored.size,
                         media_type=stored.media_type, fetched_at=now, rec=rec,
                         new_file=stored.is_new, not_modified=False, previous=previous)

    def _not_stored(self, response: Response, exc: OSError) -> None:
        """The store could not write the file. A full disk stops the site (every later file
        would fail the same way) and marks the crawl partial; the files already stored stay."""
        self.crawler.stats.inc_value("budgetwatch/files/failed")
        if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            count_error(self.crawler, "disk_full")
            stop_site(self.crawler, "disk_full", f"磁盘空间不足，无法保存 {response.url}（{exc}）")
        else:
            count_error(self.crawler, "store_error")
            self.logger.error("could not store %s: %s", response.url, exc)

    def _not_modified(self, response: Response, key: str, context: dict[str, Any], now: str):
        rec = self.state.get(key)
        path = self.state.stored_file(rec) if rec else None
        if rec is None or path is None:
            # We only send conditional headers for files we hold.
            count_error(self.crawler, "unexpected_304")
            self.crawler.stats.inc_value("budgetwatch/files/failed")
            self.logger.warning("HTTP 304 for a file we do not hold: %s", response.url)
            return
        self.state.seen_not_modified(key, now)
        self.crawler.stats.inc_value("budgetwatch/files/not_modified")
        yield self._item(response, context, sha256=rec.sha256, path=path, size=rec.size,
                         media_type=rec.media_type, fetched_at=now, rec=rec,
                         new_file=False, not_modified=True, previous=None)

    def _item(self, response: Response, context: dict[str, Any], *, sha256: str, path: Path, size: int,
              media_type: str, fetched_at: str, rec, new_file: bool, not_modified: bool,
              previous: str | None) -> dict[str, Any]:
        return {
            "url": response.url,
            "sha256": sha256,
            "path": str(path),
            "size": size,
            "media_type": media_type,
            "fetched_at": fetched_at,
            "published_at": context.get("published_at"),
            "published_at_source": context.get("published_at_source"),
            "title": context.get("title"),
            "link_text": context.get("link_text"),
            "detail_url": context.get("detail_url"),
            "site": self.profile.name,
            # Extensions beyond the flow's contract: provenance and incremental state.
            "listing_date": context.get("listing_date"),
            "source": context.get("source"),
            "region_code": self.profile.region_code,
            "http_status": response.status,
            "content_type": _header(response, b"Content-Type"),
            "etag": rec.etag,
            "last_modified": rec.last_modified,
            "new_file": new_file,
            "not_modified": not_modified,
            "changed": previous is not None,
            "previous_sha256": previous,
            "first_seen": rec.first_seen,
            "last_seen": rec.last_seen,
        }


def _exception_kind(exc: BaseException) -> str:
    from twisted.internet import error as tx
    from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

    if isinstance(exc, (scrapy.exceptions.DownloadTimeoutError, tx.TimeoutError)):
        return "timeout"
    if isinstance(exc, scrapy.exceptions.ResponseDataLossError):
        return "truncated"
    if isinstance(exc, scrapy.exceptions.DownloadCancelledError):
        return "too_large"
    if isinstance(exc, (scrapy.exceptions.DownloadConnectionRefusedError, tx.ConnectionRefusedError)):
        return "connection_refused"
    if isinstance(exc, scrapy.exceptions.CannotResolveHostError):
        return "dns"
    if isinstance(exc, (tx.ConnectionLost, tx.ConnectionDone, ResponseFailed, ResponseNeverReceived,
                        scrapy.exceptions.DownloadFailedError)):
        return "connection_lost"
    return type(exc).__name__.lower()


_NOT_PAGES = frozenset({PDF, XLSX, DOCX, ZIP, OLE})


def _looks_like_page(response: Response) -> bool:
    """Text that may be parsed as HTML: Scrapy decoded it as text and its first
    bytes are not a PDF, an office file or binary (a portal's templates do not
    always start with a doctype, so 'not a file' is the test, not 'is <html')."""
    if not isinstance(response, TextResponse):
        return False
    head = response.body[:2048]
    return sniff_media_type(head) not in _NOT_PAGES and b"\x00" not in head


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
