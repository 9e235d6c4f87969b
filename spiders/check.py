"""`budgetwatch crawl --site NAME --check`: try a profile's selectors on its
portal, without downloading any attachment, and say in Chinese what each one
matched, where a zero was met and where the entries seem to be instead.

The fetching is a `scrapy crawl profile-check` subprocess (spiders/sites/check.py)
under the same politeness rules as a real crawl (robots.txt, delay,
allow-list); this module holds what it measures on each page and the verdict.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsel import Selector

from spiders.infer import listing_hint, pager
from spiders.listing import first_text as _first
from spiders.listing import listing_entries, raw_text
from spiders.profile import SiteProfile, load_profile, resolve_profile

MAX_LISTING_PAGES = 3
MAX_DETAIL_PAGES = 5


def inspect_listing(profile: SiteProfile, sel: Selector, url: str) -> dict[str, Any]:
    """What each listing selector matched on one page, the detail links a crawl
    would follow, and the next listing pages."""
    rules = profile.listing
    entries = listing_entries(rules, sel)
    found = {
        "url": url,
        "items": len(entries) if (rules.item or rules.json_items) else None,
        "links": sum(1 for href, _, _ in entries if href),
        "titles": sum(1 for _, title, _ in entries if title),
        "dates": sum(1 for _, _, date in entries if date),
        "follow": [],
        "next": [],
        "pager": None,
    }
    for href, title, _ in entries:
        if not href:
            continue
        if rules.title_include and title and not re.search(rules.title_include, title):
            continue
        if not profile.wants_year(profile.year_of(title)):
            continue
        found["follow"].append(href)
    if rules.page_count_regex:
        m = re.search(rules.page_count_regex, raw_text(sel))
        if m:
            count = int(m.group(1))
            found["pager"] = f"脚本分页：共 {count} 页"
            found["next"] = [rules.page_url.format(n=n) for n in range(1, count)]
    if not found["next"]:
        href = _first(sel, rules.next_page)
        if href:
            found["pager"] = f"下一页：{href}"
            found["next"] = [href]
    if not found["follow"]:
        found["hint"] = listing_hint(sel)
    if not found["next"]:
        pg = pager(sel)
        if pg.kind == "trs_script":
            found["pager_hint"] = f"页面用 TRS 脚本分页（createPageHTML，共 {pg.pages} 页，第 2 页为 {pg.page_url.format(n=1)}）"
        elif pg.kind == "next_link":
            found["pager_hint"] = f"页面有“下一页”链接 `{pg.next_page}`"
    return found


def inspect_detail(spider, response) -> dict[str, Any]:
    """Title, publish date and attachment links a crawl would take from one detail page."""
    fields = spider.detail_fields(response)
    links = spider.attachment_links(response)
    return {"url": response.url, "title": fields["title"], "published_at": fields["published_at"],
            "attachments": len(links), "attachment_urls": [u for u, _ in links][:10]}


FAILURES_ZH = {"timeout": "超时", "connection_refused": "连接被拒绝", "dns": "域名无法解析",
               "connection_lost": "连接中断", "truncated": "内容不完整", "too_large": "内容过大"}


def describe_failure(failure) -> str:
    """Why a page of a check or a draft could not be fetched, for the operator."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    from spiders.base import _exception_kind
    from spiders.guards import OffsiteRequest, RobotsUnreadable

    if failure.check(RobotsUnreadable):
        # As in a crawl: a host whose robots.txt cannot be read is not fetched at all.
        return "robots.txt 无法读取（站点不可达或出错），按规则不抓取该站点"
    if failure.check(OffsiteRequest):
        return "不在 allowed_domains 允许的域名内"
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(IgnoreRequest):
        return "robots.txt 禁止抓取" if "robots.txt" in str(failure.value) else str(failure.value)
    kind = _exception_kind(failure.value)
    return FAILURES_ZH.get(kind, kind)


@dataclass
class CheckResult:
    site: str
    profile: SiteProfile
    listings: list[dict] = field(default_factory=list)
    details: list[dict] = field(default_factory=list)
    direct_files: int = 0
    failures: list[dict] = field(default_factory=list)
    returncode: int = 0
    log_path: Path | None = None

    @property
    def followable(self) -> int:
        return sum(len(p["follow"]) for p in self.listings)

    @property
    def ok(self) -> bool:
        """Would a crawl with this profile find at least one filing?"""
        if not self.followable:
            return False
        if self.direct_files:
            return True
        stores_page = self.profile.detail.store_page in ("always", "if_no_attachments")
        return any(d["attachments"] or stores_page for d in self.details)

    def lines(self) -> list[str]:
        return report_lines(self)


def _selectors(values: list[str]) -> str:
    return " / ".join(f"`{v}`" for v in values) if values else "（未配置）"


def report_lines(res: CheckResult) -> list[str]:
    """The check's findings in Chinese: counts per selector and page, each zero named with a hint."""
    rules, detail = res.profile.listing, res.profile.detail
    item_sel = "脚本 JSON 数据" if rules.json_items else (f"`{rules.item}`" if rules.item else f"`{rules.link}`")
    out = [f"站点配置检查：{res.site}（{res.profile.title}）"]
    for f in res.failures:
        out.append(f"  无法获取 {f['url']}：{f['reason']}")
    problems: list[str] = []
    notes: list[str] = []  # worth a look, but a crawl still finds filings
    if not res.listings and not res.failures:
        problems.append(f"没有检查到任何列表页（检查进程出错），日志：{res.log_path}")
    for n, p in enumerate(res.listings, 1):
        items = "" if p["items"] is None else f"条目 {item_sel} {p['items']} 个，"
        out.append(f"列表页 {n}：{p['url']}")
        link_sel = "" if rules.json_items else f" `{rules.link}`"
        out.append(f"  {items}链接{link_sel} {p['links']} 个，标题 {p['titles']} 个，"
                   f"日期 {p['dates']} 个，符合条件（标题含 {rules.title_include or '任意'}、年份）{len(p['follow'])} 个；"
                   f"{p['pager'] or '未找到下一页'}")
        if p["items"] == 0:
            problems.append(f"列表选择器 {item_sel} 在 {p['url']} 上匹配 0 个节点；{p.get('hint', '')}")
        elif p["links"] == 0:
            problems.append(f"链接选择器 `{rules.link}` 在 {p['url']} 的条目中匹配 0 个节点；{p.get('hint', '')}")
        elif not p["follow"]:
            (notes if res.followable else problems).append(
                f"{p['url']} 上的 {p['links']} 个条目都被标题或年份条件排除；{p.get('hint', '')}")
        if p["links"] and p["dates"] == 0 and rules.date:
            notes.append(f"日期选择器 {_selectors(rules.date)} 在 {p['url']} 上匹配 0 个节点（不影响抓取，只缺列表日期）")
    first = res.listings[0] if res.listings else None
    if first and first.get("pager_hint"):
        problems.append(f"分页设置（next_page {_selectors(rules.next_page)}、page_count_regex "
                        f"{rules.page_count_regex or '（未配置）'}）在 {first['url']} 上没有找到下一页，"
                        f"但{first['pager_hint']}：抓取只会读第一页")
    for d in res.details:
        out.append(f"详情页：{d['url']}")
        out.append(f"  标题：{d['title'] or '未取到'}；发布日期：{d['published_at'] or '未取到'}；附件 {d['attachments']} 个")
        if not d["title"]:
            problems.append(f"详情标题选择器 {_selectors(detail.title)} 在 {d['url']} 上匹配 0 个节点")
        if not d["published_at"]:
            notes.append(f"发布日期选择器 {_selectors(detail.published)} 在 {d['url']} 上没有取到日期"
                         "（二十日公开时限无法核对）")
        if not d["attachments"]:
            keeps_page = detail.store_page != "never"
            (notes if keeps_page else problems).append(
                f"附件选择器 `{res.profile.attachments.css or 'a[href]'}`（扩展名 "
                f"{'、'.join(res.profile.attachments.extensions)}）在 {d['url']} 上匹配 0 个附件；"
                + ("将保存详情页本身" if keeps_page else "该页不会产生任何文件"))
    if res.direct_files:
        out.append(f"列表中直接链接文件 {res.direct_files} 个（不下载）")
    if problems:
        out.append("问题：")
        out += [f"  - {p}" for p in problems]
    if notes:
        out.append("提示：")
        out += [f"  - {p}" for p in notes]
    if res.ok:
        out.append(f"结论：通过。按此配置，前 {len(res.listings)} 个列表页可跟进 {res.followable} 个条目，"
                   f"检查的 {len(res.details)} 个详情页中 {sum(1 for d in res.details if d['attachments'])} 个有附件"
                   + (f"；但有 {len(res.failures)} 个页面无法获取（见上），抓取会漏掉其中的条目。" if res.failures else "。"))
    else:
        out.append("结论：未通过。按此配置抓取找不到任何公开文件；请按上面的提示修改站点配置，"
                   "或运行 budgetwatch profile draft 起始地址 重新生成草稿。")
    return out


def run_check(profile: str | Path, start_url: str | None = None, settings: dict[str, Any] | None = None,
              timeout_s: float = 300) -> CheckResult:
    """Check one profile against its portal (a `scrapy crawl profile-check` subprocess)."""
    from spiders.run import REPO_ROOT, child_env

    path = resolve_profile(profile)
    prof = load_profile(path)
    with tempfile.TemporaryDirectory(prefix="budgetwatch-check-") as tmp:
        out, log = Path(tmp) / "check.json", Path(tmp) / "check.log"
        cmd = [sys.executable, "-m", "scrapy", "crawl", "profile-check", "-a", f"profile={path}",
               "-a", f"store={tmp}", "-a", f"out={out}", "-s", f"LOG_FILE={log}",
               "-s", f"CLOSESPIDER_TIMEOUT={max(1, int(timeout_s * 0.8))}"]
        if start_url:
            cmd += ["-a", f"start_url={start_url}"]
        for key, value in (settings or {}).items():
            cmd += ["-s", f"{key}={value}"]
        try:
            proc = subprocess.run(cmd, cwd=REPO_ROOT, env=child_env(), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, timeout=timeout_s)
            returncode, stderr = proc.returncode, proc.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            returncode, stderr = -1, "timeout"
        data = json.loads(out.read_text("utf-8")) if out.exists() else {}
        kept = None
        if not data.get("listings"):
            kept = Path(tempfile.mkdtemp(prefix="budgetwatch-check-log-")) / "check.log"
            if log.exists():
                kept.write_bytes(log.read_bytes())
            else:
                kept.write_text(stderr, encoding="utf-8")
    res = CheckResult(site=prof.name, profile=prof, listings=data.get("listings", []),
                      details=data.get("details", []), direct_files=data.get("direct_files", 0),
                      failures=data.get("failures", []), returncode=returncode, log_path=kept)
    if not data:
        res.failures.append({"url": start_url or prof.start_urls[0],
                             "reason": f"检查进程异常退出（{returncode}），日志：{kept}"})
    return res


__all__ = ["CheckResult", "inspect_listing", "inspect_detail", "run_check", "report_lines",
           "MAX_LISTING_PAGES", "MAX_DETAIL_PAGES"]
