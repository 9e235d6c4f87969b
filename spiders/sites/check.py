"""`scrapy crawl profile-check -a profile=NAME_OR_PATH -a out=FILE`: the fetching
half of `budgetwatch crawl --check` (spiders/check.py). Same middlewares and
politeness as a crawl; at most 3 listing pages and 5 detail pages, and no
attachment is ever requested."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import scrapy

from spiders.base import ProfileSpider, _looks_like_page
from spiders.check import MAX_DETAIL_PAGES, MAX_LISTING_PAGES, describe_failure, inspect_detail, inspect_listing


class ProfileCheckSpider(ProfileSpider):
    name = "profile-check"

    def __init__(self, *args: Any, out: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.out = Path(out) if out else None
        self.found: dict[str, Any] = {"listings": [], "details": [], "direct_files": 0, "failures": []}
        self.listing_pages = 0
        self.detail_pages = 0

    async def start(self):
        for url in self.start_urls:
            self.listing_pages += 1
            yield scrapy.Request(url, callback=self.check_listing, errback=self.check_failed)

    def check_listing(self, response):
        if not _looks_like_page(response):
            self.found["failures"].append({"url": response.url, "reason": "不是网页（可能是文件）"})
            return
        page = inspect_listing(self.profile, response, response.url)
        self.found["listings"].append(page)
        for href in page["follow"]:
            url = response.urljoin(href)
            if self._is_file_link(url):
                self.found["direct_files"] += 1
            elif self.detail_pages < MAX_DETAIL_PAGES:
                self.detail_pages += 1
                yield scrapy.Request(url, callback=self.check_detail, errback=self.check_failed)
        for href in page["next"]:
            if self.listing_pages >= MAX_LISTING_PAGES:
                break
            self.listing_pages += 1
            yield response.follow(href, callback=self.check_listing, errback=self.check_failed)

    def check_detail(self, response):
        if not _looks_like_page(response):
            # A detail link that is a file: a crawl keeps it as the filing.
            self.found["direct_files"] += 1
            return
        self.found["details"].append(inspect_detail(self, response))

    def check_failed(self, failure) -> None:
        self._failure_kind(failure)  # counted as a crawl counts it
        self.found["failures"].append({"url": failure.request.url, "reason": describe_failure(failure)})

    def closed(self, reason: str) -> None:
        # No state is saved: a check must not change what the next crawl asks for.
        if self.out is not None:
            self.found["finish_reason"] = reason
            self.out.write_text(json.dumps(self.found, ensure_ascii=False, indent=1), encoding="utf-8")
