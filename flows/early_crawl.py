"""The nightly flow's crawls and Prefect's temporary API server, started before its flow run exists.

Called directly (`budgetwatch demo`, the benchmarks, the tests), a flow first needs Prefect's
API: with no PREFECT_API_URL that is Prefect's temporary server started in a subprocess, seconds
of imports and database set-up before the flow's first line runs. The crawls, `scrapy crawl`
subprocesses that need nothing of Prefect, are started first and run meanwhile; the flow's
crawl tasks then collect them (spiders.run.crawl adopts a crawl started with the same
arguments) and keep their retries, logs and states as before. The server itself is Prefect's
own, started by Prefect as usual. A flow run from a deployment
is started by its worker, not by this call, and crawls as it always did.
"""
from __future__ import annotations

import inspect
import logging

from prefect import Flow
from prefect.context import FlowRunContext

log = logging.getLogger("budgetwatch.nightly")


class CrawlsFirstFlow(Flow):
    """A Flow whose direct call starts its sites' crawls before the flow run is created.

    `plan(arguments)` maps the call's bound arguments to the crawl_site calls the flow will
    make, as (site, store_dir, start_url) tuples."""

    def __init__(self, fn, plan, **kwargs):
        super().__init__(fn, **kwargs)
        self._plan = plan

    def __call__(self, *args, **kwargs):
        from spiders.run import cancel_early, start_early

        if FlowRunContext.get() is not None:  # a subflow's API is up already: nothing to overlap
            return super().__call__(*args, **kwargs)
        started = []
        try:
            params = {k: v for k, v in kwargs.items() if k not in ("return_state", "wait_for")}
            bound = inspect.signature(self.fn).bind_partial(*args, **params).arguments
            started = [key for crawl in self._plan(bound) if (key := start_early(*crawl))]
        except Exception as exc:  # noqa: BLE001 - the flow's own tasks crawl then, and report it
            log.debug("crawls not started early: %s", exc)
        try:
            return super().__call__(*args, **kwargs)
        finally:
            if started and cancel_early(started):
                log.warning("crawls started early were not collected by the flow run; stopped")
