"""The crawl report: one small dict per run, for people and for the warehouse.

Built by the parent process from the child's stats.json and items, so a run
that was killed still gets a report (``partial`` with ``stop_reason``).
Written as ``report.json`` in the run folder and returned as
``CrawlResult.report``.
"""

from __future__ import annotations

from typing import Any

REPORT_VERSION = 1
# Stats key prefix of the listing entries seen per column (start URL), see spiders.base.
COLUMN_STAT = "budgetwatch/listing/column_entries/"


def build_report(*, site: str, run_id: str, stats: dict[str, Any], items: list[dict[str, Any]],
                 returncode: int, timed_out: bool) -> dict[str, Any]:
    def stat(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    errors = {key.removeprefix("budgetwatch/errors/"): int(value)
              for key, value in stats.items() if key.startswith("budgetwatch/errors/")}
    stop_reason = stats.get("budgetwatch/stop_reason")
    stop_detail = stats.get("budgetwatch/stop_detail")
    if stop_reason is None and timed_out:
        stop_reason, stop_detail = "timeout", "the crawl hit its time limit"
    if stop_reason is None and not stats:
        stop_reason, stop_detail = "crashed", f"the crawl process ended with code {returncode} and no stats"
    return {
        "report_version": REPORT_VERSION,
        "site": site,
        "run_id": run_id,
        "started_at": stats.get("start_time"),
        "finished_at": stats.get("finish_time"),
        "duration_s": stats.get("elapsed_time_seconds"),
        "finish_reason": stats.get("finish_reason"),
        "returncode": returncode,
        "partial": bool(stop_reason) or timed_out,
        "stop_reason": stop_reason,
        "stop_detail": stop_detail,
        "pages": {
            "listing": stat("budgetwatch/listing/pages"),
            "detail": stat("budgetwatch/detail/pages"),
            # Detail pages answered 304 and parsed from the stored copy.
            "detail_not_modified": stat("budgetwatch/detail/not_modified"),
            "failed": stat("budgetwatch/pages/failed"),
        },
        "files": {
            "items": len(items),
            "new": sum(1 for i in items if i.get("new_file")),
            "changed": sum(1 for i in items if i.get("changed")),
            "not_modified": sum(1 for i in items if i.get("not_modified")),
            # Downloaded again but the bytes were already stored (same URL, or the
            # same file under another URL).
            "known": sum(1 for i in items if not i.get("new_file") and not i.get("not_modified")),
            "failed": stat("budgetwatch/files/failed"),
        },
        "requests": {
            "sent": stat("downloader/request_count"),
            "responses": stat("downloader/response_count"),
            "bytes": stat("downloader/response_bytes"),
            "retries": stat("retry/count"),
            "retry_wait_s": round(float(stats.get("budgetwatch/retry/wait_seconds", 0) or 0), 3),
            # 429/503 whose Retry-After was beyond the cap: left for the next run.
            "retry_after_refused": stat("budgetwatch/retry/retry_after_too_long"),
        },
        "robots": {
            "status": stats.get("budgetwatch/robots/status"),
            "forbidden": stat("robotstxt/forbidden"),
        },
        "offsite": {
            "requests_dropped": stat("budgetwatch/offsite/requests_dropped"),
            "redirects_dropped": stat("budgetwatch/offsite/redirects_dropped"),
        },
        "errors": dict(sorted(errors.items())),
        # Listing entries seen per column (start URL): the nightly's quiet-site alarm.
        "columns": {key.removeprefix(COLUMN_STAT): int(value) for key, value in sorted(stats.items())
                    if key.startswith(COLUMN_STAT)},
    }


STOP_REASONS_ZH = {
    "robots_unreadable": "robots.txt 无法读取，已停止抓取该站点",
    "blocked": "站点连续拒绝访问（403/429），已停止抓取",
    "captcha": "站点返回验证码页面，已停止抓取",
    "timeout": "超时中止",
    "crashed": "抓取进程异常退出",
    "disk_full": "磁盘空间不足，无法保存下载的文件，已停止抓取",
}
