"""AutoThrottle that counts a 304 Not Modified as a normal answer.

Scrapy's AutoThrottle only lets a delay shrink after a 200: other statuses are
taken for error pages, which are small and fast and would wrongly speed the
crawl up. A nightly re-crawl is mostly 304s, though, so each one could only
ratchet the delay upwards until it reached AUTOTHROTTLE_MAX_DELAY. A 304 is the
server saying "nothing changed", cheaply: it may let the delay settle as a 200
does. Everything else is Scrapy's policy unchanged.
"""

from __future__ import annotations

from scrapy.extensions.throttle import AutoThrottle


class NotModifiedAwareAutoThrottle(AutoThrottle):
    def _adjust_delay(self, slot, latency: float, response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
