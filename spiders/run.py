"""Run one crawl as a `scrapy crawl` subprocess and collect what it found.

A subprocess keeps Twisted's reactor (which cannot be restarted) out of the
calling process, so the Prefect flow can run any number of crawls.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spiders.profile import ProfileError, load_profile, resolve_profile
from spiders.report import STOP_REASONS_ZH, build_report

REPO_ROOT = Path(__file__).resolve().parent.parent

__all__ = ["CrawlResult", "PendingCrawl", "crawl", "start_crawl", "start_early", "cancel_early", "resolve_profile",
           "ProfileError"]


@dataclass
class CrawlResult:
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    returncode: int
    log_path: Path
    run_dir: Path = field(default=Path("."))
    timed_out: bool = False
    # See spiders/report.py; also written to run_dir/report.json.
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def partial(self) -> bool:
        """The site was not crawled to the end (stopped, timed out, crashed)."""
        return bool(self.report.get("partial")) or self.timed_out

    @property
    def stop_reason(self) -> str | None:
        return self.report.get("stop_reason") or ("timeout" if self.timed_out else None)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and not self.partial

    def summary(self) -> str:
        """One line for people: what was fetched and what needs a look."""
        new = sum(1 for i in self.items if i.get("new_file"))
        errors = self.stats.get("log_count/ERROR", 0)
        parts = [
            f"抓取{'完成' if self.ok else '未正常结束'}：{len(self.items)} 个附件（新文件 {new} 个）",
            f"列表页 {self.stats.get('budgetwatch/listing/pages', 0)} 个",
            f"详情页 {self.stats.get('budgetwatch/detail/pages', 0)} 个",
        ]
        if errors:
            parts.append(f"错误 {errors} 条，见日志 {self.log_path}")
        if self.stats.get("budgetwatch/files/failed"):
            parts.append(f"{self.stats['budgetwatch/files/failed']} 个附件下载失败，见日志 {self.log_path}")
        if self.stats.get("offsite/filtered"):
            parts.append(f"{self.stats['offsite/filtered']} 个链接不在允许的域名内，未抓取")
        if self.stats.get("robotstxt/forbidden"):
            parts.append(f"robots.txt 禁止 {self.stats['robotstxt/forbidden']} 个地址")
        files = self.report.get("files") or {}
        if files.get("changed"):
            parts.append(f"{files['changed']} 个附件内容已更新（保留旧版本）")
        if files.get("not_modified"):
            parts.append(f"{files['not_modified']} 个附件未变化（未重新下载）")
        if self.timed_out:
            parts.append("已超时中止")
        elif self.partial:
            parts.append(f"抓取不完整：{STOP_REASONS_ZH.get(self.stop_reason, self.stop_reason)}")
        return "；".join(parts)


def crawl(profile: str | Path, store_dir: Path, start_url: str | None = None,
          timeout_s: float = 1800, settings: dict[str, Any] | None = None) -> CrawlResult:
    """Crawl one site into `store_dir` (content-addressed) and return its items.

    The run's items, stats and log are kept in `store_dir/.crawls/<stamp>-<site>/`
    for provenance. `settings` are extra `-s` overrides (tests, tuning).
    """
    pending = _EARLY.pop(_early_key(profile, store_dir, start_url, timeout_s, settings), None)
    return (pending or start_crawl(profile, store_dir, start_url, timeout_s, settings)).wait()


# Crawls started ahead of the `crawl` call that will collect them (start_early).
_EARLY: dict[tuple, "PendingCrawl"] = {}


def _early_key(profile, store_dir, start_url, timeout_s, settings) -> tuple:
    return (str(resolve_profile(profile)), str(Path(store_dir).resolve()), start_url, float(timeout_s),
            tuple(sorted((settings or {}).items())))


def start_early(profile: str | Path, store_dir: Path, start_url: str | None = None,
                timeout_s: float = 1800, settings: dict[str, Any] | None = None) -> tuple | None:
    """Start a crawl now that a later `crawl` call with the same arguments collects instead of
    starting its own; returns its key for cancel_early. None (and nothing started) when it
    cannot start: the later call then starts it and meets the error (a bad profile, a full
    disk) where that is handled."""
    try:
        key = _early_key(profile, store_dir, start_url, timeout_s, settings)
        if key not in _EARLY:
            _EARLY[key] = start_crawl(profile, store_dir, start_url, timeout_s, settings)
        return key
    except Exception:  # noqa: BLE001 - reported by the crawl call that would have used it
        return None


def cancel_early(keys: list[tuple]) -> int:
    """Stop those of these early crawls nobody collected (a flow run that failed to start);
    returns how many."""
    left = [p for p in (_EARLY.pop(k, None) for k in keys) if p is not None]
    for pending in left:
        pending.cancel()
    return len(left)


class PendingCrawl:
    """A `scrapy crawl` subprocess under way; `wait()` collects it into a CrawlResult.

    Apart from `crawl` so a caller can start it early and do other work while it runs (the
    nightly flow starts its crawls before Prefect's temporary API server is up)."""

    def __init__(self, site: str, run_dir: Path, proc: subprocess.Popen, stderr, timeout_s: float):
        self.site, self.run_dir, self.proc, self._stderr = site, run_dir, proc, stderr
        self.deadline = time.monotonic() + timeout_s
        self._result: CrawlResult | None = None

    def wait(self) -> CrawlResult:
        if self._result is not None:
            return self._result
        proc, timed_out = self.proc, False
        try:
            returncode = proc.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            timed_out = True
            proc.send_signal(signal.SIGINT)  # Scrapy's graceful shutdown
            try:
                returncode = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                returncode = proc.wait()
        finally:
            self._stderr.close()
        run_dir = self.run_dir
        stats_path, items_path = run_dir / "stats.json", run_dir / "items.jsonl"
        stats = json.loads(stats_path.read_text(encoding="utf-8")) if stats_path.exists() else {}
        items = _read_jsonl(items_path)
        # Closing itself at CLOSESPIDER_TIMEOUT is still an unfinished crawl.
        timed_out = timed_out or stats.get("finish_reason") == "closespider_timeout"
        report = build_report(site=self.site, run_id=run_dir.name, stats=stats, items=items,
                              returncode=returncode, timed_out=timed_out)
        (run_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        self._result = CrawlResult(items=items, stats=stats, returncode=returncode, log_path=run_dir / "crawl.log",
                                   run_dir=run_dir, timed_out=timed_out, report=report)
        return self._result

    def cancel(self) -> None:
        """Stop a crawl nobody will wait for (its flow never started); what it stored stays
        in the content store, and its run folder gets no report, so no load records it."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()


def start_crawl(profile: str | Path, store_dir: Path, start_url: str | None = None,
                timeout_s: float = 1800, settings: dict[str, Any] | None = None) -> PendingCrawl:
    """Start `crawl`'s subprocess and return at once; see `crawl`."""
    profile_path = resolve_profile(profile)
    site = load_profile(profile_path).name  # fail here, in Chinese, on a bad profile
    store_dir = Path(store_dir).resolve()
    store_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    run_dir = store_dir / ".crawls" / f"{stamp}-{site}"
    run_dir.mkdir(parents=True)
    items_path, stats_path, log_path = run_dir / "items.jsonl", run_dir / "stats.json", run_dir / "crawl.log"

    cmd = [sys.executable, "-m", "scrapy", "crawl", "profile",
           "-a", f"profile={profile_path}", "-a", f"store={store_dir}",
           "-O", f"{items_path}:jsonlines",
           "-s", f"BUDGETWATCH_STATS_FILE={stats_path}",
           "-s", f"LOG_FILE={log_path}",
           # Let Scrapy close itself cleanly before the hard timeout, leaving
           # time for downloads in flight, so the feed and stats are written.
           "-s", f"CLOSESPIDER_TIMEOUT={max(1, int(timeout_s - min(90, timeout_s * 0.25)))}"]
    if start_url:
        cmd += ["-a", f"start_url={start_url}"]
    for key, value in (settings or {}).items():
        cmd += ["-s", f"{key}={value}"]

    # Scrapy logs to LOG_FILE; stderr only catches what happens before logging
    # is set up (import errors, a bad -a value).
    stderr = open(run_dir / "stderr.txt", "wb")
    try:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=child_env(), stdout=subprocess.DEVNULL, stderr=stderr)
    except BaseException:
        stderr.close()
        raise
    return PendingCrawl(site, run_dir, proc, stderr, timeout_s)


def child_env() -> dict[str, str]:
    """The environment of a `scrapy crawl` child process."""
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"}
    # The child must import `spiders` from this checkout even when the caller's
    # cwd or an installed copy would shadow it.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError:
                # A crawl killed mid-write leaves a partial last line.
                break
    return items
