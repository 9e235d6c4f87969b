"""The alert outbox in the warehouse: write a digest before sending it, mark it delivered
per target only after apprise reports success, and send what is pending on every run.

A delivery that fails stays pending (attempts, last_error) and goes out with the next run:
never lost, and never sent twice to a target that already took it.
"""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timezone
from pathlib import Path

import apprise

from flows.alerts.digest import Digest

log = logging.getLogger("budgetwatch.alerts")
OUTBOX_SQL = Path(__file__).resolve().parents[2] / "warehouse" / "outbox.sql"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def ensure_outbox(con) -> None:
    """The outbox table in a connection that is not a warehouse (a warehouse has it from its
    schema, warehouse/outbox.sql)."""
    con.execute(OUTBOX_SQL.read_text(encoding="utf-8"))


def target_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def target_label(url: str) -> str:
    """apprise's own form of the URL with keys and passwords masked, for people and logs."""
    try:
        plugin = apprise.Apprise.instantiate(url)
    except Exception:  # noqa: BLE001 - a broken URL must not stop the others
        plugin = None
    if not plugin:
        return url.split("://", 1)[0] + "://（无法识别的地址）"
    return plugin.url(privacy=True)


def enqueue(con, digest: Digest, urls: list[str], now: datetime | None = None) -> int:
    """Write the digest for every target; a digest already written is left as it is."""
    now = now or utcnow()
    rows = [
        (digest.digest_id, target_key(u), target_label(u), digest.kind, now, digest.title, digest.body, digest.n_items)
        for u in dict.fromkeys(urls)
    ]
    if not rows:
        return 0
    before = con.execute("SELECT count(*) FROM alert_outbox").fetchone()[0]
    con.executemany(
        """INSERT INTO alert_outbox (digest_id, target, target_label, kind, created_at, title, body, n_items)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
        rows,
    )
    return con.execute("SELECT count(*) FROM alert_outbox").fetchone()[0] - before


# Chat bots refuse long messages (企业微信 markdown: 4096 bytes; 钉钉 and 飞书: about 20 000).
# A digest is cut at a line for them, so a long night is delivered rather than retried forever.
CHAT_LIMITS = {"wecombot": 4000, "dingtalk": 19000, "feishu": 19000, "lark": 19000, "slack": 39000}
TRUNCATED = "\n……（内容过长，其余略；完整清单见邮件、报告或 findings 视图）\n"


def fit(url: str, body: str) -> str:
    limit = CHAT_LIMITS.get(url.split("://", 1)[0].lower())
    if limit is None or len(body.encode("utf-8")) <= limit:
        return body
    budget = limit - len(TRUNCATED.encode("utf-8"))
    out, used = [], 0
    for line in body.splitlines(keepends=True):
        n = len(line.encode("utf-8"))
        if used + n > budget:
            break
        out.append(line)
        used += n
    return "".join(out) + TRUNCATED


def send(url: str, title: str, body: str) -> tuple[bool, str | None]:
    """One apprise delivery; returns (ok, what went wrong)."""
    body = fit(url, body)
    ap = apprise.Apprise()
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
        if not ap.add(url):
            return False, "告警地址无法识别（请检查 apprise URL 格式）"
        try:
            ok = bool(ap.notify(title=title, body=body, body_format=apprise.NotifyFormat.MARKDOWN))
        except Exception as exc:  # noqa: BLE001 - recorded in the outbox, retried next run
            return False, f"{type(exc).__name__}: {exc}"
        text = captured.getvalue().strip()
    return ok, None if ok else (text.splitlines()[-1][:500] if text else "发送失败（apprise 未给出原因）")


def deliver_pending(con, urls: list[str], now: datetime | None = None) -> dict:
    """Send every pending digest, oldest first, to the targets still configured.

    In a run's write session (flows.nightly), so the marks are published with the run's load.
    """
    by_key = {target_key(u): u for u in urls}
    pending = con.execute(
        """SELECT digest_id, target, target_label, title, body FROM alert_outbox
           WHERE delivered_at IS NULL ORDER BY created_at, digest_id, target"""
    ).fetchall()
    stats = {"delivered": 0, "failed": 0, "unconfigured": 0, "delivered_ids": [], "errors": []}
    for digest_id, target, label, title, body in pending:
        url = by_key.get(target)
        if url is None:
            # The target was removed from the configuration: keep the row, it goes out if it comes back.
            stats["unconfigured"] += 1
            continue
        ok, error = send(url, title, body)
        stamp = now or utcnow()
        if ok:
            con.execute(
                """UPDATE alert_outbox SET attempts = attempts + 1, last_attempt_at = ?, delivered_at = ?, last_error = NULL
                   WHERE digest_id = ? AND target = ? AND delivered_at IS NULL""",
                [stamp, stamp, digest_id, target],
            )
            stats["delivered"] += 1
            stats["delivered_ids"].append(digest_id)
            log.info("alert %s delivered to %s", digest_id, label)
        else:
            con.execute(
                """UPDATE alert_outbox SET attempts = attempts + 1, last_attempt_at = ?, last_error = ?
                   WHERE digest_id = ? AND target = ?""",
                [stamp, error, digest_id, target],
            )
            stats["failed"] += 1
            stats["errors"].append(f"{label}: {error}")
            log.warning("alert %s to %s failed, kept for the next run: %s", digest_id, label, error)
    return stats
