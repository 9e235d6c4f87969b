"""The HTTP download handler: the last check before bytes go out.

- It refuses any request once the site has been stopped (blocked, captcha,
  unreadable robots.txt). Requests that already passed the downloader
  middlewares wait in the download slot's queue; without this check they
  would still be sent after the stop.
- It checks the allow-list once more, right before connecting.
- It opens a new connection per request. Twisted's pool re-sends a request
  once by itself when it fails on a reused keep-alive connection (the server
  closed it while idle, a common race). RetryMiddleware never sees that
  retry, so a portal that resets connections would get up to twice the tries
  we promise, with no backoff between them; and turning only that retry off
  turns every stale connection into an error. At ≤ 2 requests in flight and
  ≥ 1 s apart, a fresh connection per request costs a portal next to nothing.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

from spiders.guards import OffsiteRequest, SiteStopped, host_allowed, site_stopped


class GuardedHTTPDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._pool.persistent = False
        self._pool.retryAutomatically = False

    async def download_request(self, request: Request):
        crawler = self._crawler
        if site_stopped(crawler):
            raise SiteStopped(f"site stopped ({crawler.stats.get_value('budgetwatch/stop_reason')}): {request.url}")
        allowed = list(getattr(crawler.spider, "allowed_domains", None) or [])
        if not host_allowed(request.url, allowed):
            raise OffsiteRequest(f"outside the allow-list: {request.url}")
        return await super().download_request(request)
