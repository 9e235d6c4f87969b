"""`scrapy crawl profile-draft -a url=URL -a out=FILE`: the fetching half of
`budgetwatch profile draft` (spiders/draft.py): one listing page, then up to 3
of the budget detail pages it links, under the crawl's politeness rules
(robots.txt, delay, the listing's host as the allow-list)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from parsel import Selector

from spiders.base import _looks_like_page
from spiders.check import describe_failure
from spiders.draft import DETAIL_SAMPLES, DraftError, allowed_hosts, infer_listing


class ProfileDraftSpider(scrapy.Spider):
    name = "profile-draft"

    def __init__(self, url: str | None = None, out: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if not url or not urlsplit(url).hostname:
            raise ValueError("pass -a url=LISTING_URL")
        self.url, self.out = url, Path(out) if out else None
        self.allowed_domains = allowed_hosts(url)
        self.pages: dict = {"listing": None, "details": [], "failure": None}
        self.pending = 0

    async def start(self):
        yield scrapy.Request(self.url, callback=self.got_listing, errback=self.failed)

    def got_listing(self, response):
        if not _looks_like_page(response):
            self.pages["failure"] = "不是网页"
            return
        self.pages["listing"] = {"url": response.url, "html": response.text}
        try:
            _, _, _, hrefs = infer_listing(Selector(text=response.text))
        except DraftError:
            return
        for href in hrefs[:DETAIL_SAMPLES]:
            yield response.follow(href, callback=self.got_detail, errback=self.failed)

    def got_detail(self, response):
        if _looks_like_page(response):
            self.pages["details"].append({"url": response.url, "html": response.text})

    def failed(self, failure) -> None:
        if failure.request.url == self.url:
            self.pages["failure"] = describe_failure(failure)
        self.logger.warning("draft fetch failed: %s (%s)", failure.request.url, failure.value)

    def closed(self, reason: str) -> None:
        if self.out is not None:
            # Detail pages in the order the listing gave them, whatever order they arrived in.
            self.out.write_text(json.dumps(self.pages, ensure_ascii=False), encoding="utf-8")
