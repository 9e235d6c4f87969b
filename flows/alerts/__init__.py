"""Alerts: one Chinese digest per run of what is new, delivered through apprise via an outbox.

Targets are apprise URLs kept outside the repository: BUDGETWATCH_ALERT_URLS (comma-separated)
or, when that is unset, the Prefect Secret block ``budgetwatch-alert-urls`` (a comma- or
newline-separated string, or a JSON list).
"""
from __future__ import annotations

import json
import logging

from flows.alerts.digest import Digest, compose, compose_run_failed, new_findings, new_unreadable
from flows.alerts.outbox import deliver_pending, enqueue, ensure_outbox, send, target_label
from flows.settings import (ALERT_URLS_SECRET, alert_urls, alert_urls_configured, prefect_ui_url, resolve_db,
                            split_urls)
from warehouse.publish import publishing

log = logging.getLogger("budgetwatch.alerts")

__all__ = ["Digest", "compose", "compose_run_failed", "new_findings", "new_unreadable", "deliver_pending",
           "enqueue", "ensure_outbox", "target_label", "resolve_alert_urls", "alert_failed_run"]


def resolve_alert_urls() -> list[str]:
    urls = alert_urls()
    if urls or alert_urls_configured():
        return urls
    try:
        from prefect.blocks.system import Secret

        value = Secret.load(ALERT_URLS_SECRET).get()
    except Exception as exc:  # noqa: BLE001 - no block, or no Prefect API: no targets
        log.debug("no Secret block %s: %s", ALERT_URLS_SECRET, exc)
        return []
    if isinstance(value, str) and value.strip().startswith("["):
        value = json.loads(value)
    return split_urls(value)


def alert_failed_run(flow, flow_run, state) -> None:
    """Flow on_failure / on_crashed hook: tell the targets the run failed (through the outbox)."""
    urls = resolve_alert_urls()
    if not urls:
        return
    ui = prefect_ui_url()
    digest = compose_run_failed(str(flow_run.id), flow_run.name, (state.message or "")[:1000], ui)
    db = resolve_db((flow_run.parameters or {}).get("db"))
    opened = False
    try:
        # Through the outbox, so a target that is down now gets it with the next run.
        with publishing(db, timeout=120) as con:
            opened = True
            enqueue(con, digest, urls)
            deliver_pending(con, urls)
    except Exception as exc:  # noqa: BLE001
        if opened:  # sent (or not) but not recorded: say so, never send twice
            log.error("failure alert: the outbox in %s could not be published: %s", db, exc)
            return
        # The warehouse may be why the run failed: send directly, without the outbox.
        log.error("cannot open the outbox in %s (%s); sending the failure alert directly", db, exc)
        for url in urls:
            send(url, digest.title, digest.body)
