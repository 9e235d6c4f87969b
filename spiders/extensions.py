"""Scrapy extensions used by budgetwatch crawls."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from scrapy import signals


class StatsDump:
    """Write the crawl's final stats as JSON when the spider closes.

    The flow runs each crawl as a subprocess; parsing Scrapy's log for the
    stats dump would tie us to its log format, so we write them explicitly.
    """

    def __init__(self, path: str):
        self.path = Path(path) if path else None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler.settings.get("BUDGETWATCH_STATS_FILE", ""))
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        ext.crawler = crawler
        return ext

    def spider_closed(self, spider, reason):
        if self.path is None:
            return
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps(stats, default=_jsonable, ensure_ascii=False, indent=1, sort_keys=True),
            encoding="utf-8",
        )
        tmp.replace(self.path)


def _jsonable(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)
