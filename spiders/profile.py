"""Site profiles: what the crawler needs to know about one portal, as data.

A profile is a YAML file in ``spiders/profiles/`` (see ``sample.yaml`` for the
documented format). Adding a district means adding a profile, not code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"

# Only politeness knobs may be tuned per site. A profile must never be able to
# switch off robots.txt, the size cap or the allow-list.
PROFILE_SETTINGS = frozenset({
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_START_DELAY",
    "AUTOTHROTTLE_MAX_DELAY",
    "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_TIMEOUT",
})

STORE_PAGE_CHOICES = ("never", "if_no_attachments", "always")

DEFAULT_DATE_REGEX = r"(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
_DATE_PARTS = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


class ProfileError(ValueError):
    """A profile that cannot be used; the message is for the person editing it."""


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ProfileError(f"应为字符串或字符串列表：{value!r}")


@dataclass(frozen=True)
class Listing:
    item: str | None
    link: str
    title: list[str]
    date: list[str]
    next_page: list[str]
    max_pages: int = 200
    title_include: str | None = None
    # TRS pagers are often drawn by script, e.g. createPageHTML(12, 0, "index", "shtml"):
    # then the page count comes from `page_count_regex` (group 1) and pages
    # 2..N are `page_url` with {n} = 1..N-1, relative to the first page.
    page_count_regex: str | None = None
    page_url: str | None = None
    # 集约化平台 lists are often written by a script from JSON embedded in the
    # page ({"title": …, "url": …, "date": …}); then entries come from those
    # objects (spiders/listing.py) and `item`/`link`/`title`/`date` are unused.
    json_items: bool = False


@dataclass(frozen=True)
class Detail:
    title: list[str]
    published: list[str]
    published_regex: str
    source: list[str]
    store_page: str = "never"


@dataclass(frozen=True)
class Attachments:
    css: str | None
    extensions: tuple[str, ...]
    # Some TRS templates write the attachment links from a script
    # (document.write / var fileUrl = "./P0….pdf"), so they are not anchors in
    # the DOM. Group 1 of this regex, run over the raw HTML, adds such hrefs.
    href_regex: str | None = None


@dataclass(frozen=True)
class Years:
    title_regex: str = r"(20\d{2})\s*年"
    min_year: int | None = None


@dataclass(frozen=True)
class SiteProfile:
    name: str
    title: str
    region_code: str | None
    start_urls: list[str]
    allowed_domains: list[str]
    listing: Listing
    detail: Detail
    attachments: Attachments
    years: Years
    settings: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def year_of(self, text: str | None) -> int | None:
        """The fiscal year a title names, e.g. 2026 for '…2026年部门预算公开'."""
        if not text:
            return None
        m = re.search(self.years.title_regex, text)
        return int(m.group(1)) if m else None

    def wants_year(self, year: int | None) -> bool:
        return year is None or self.years.min_year is None or year >= self.years.min_year


def resolve_profile(name_or_path: str | Path) -> Path:
    """A profile path from a bare name (looked up in spiders/profiles/) or a path."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.parent != Path("."):
        if candidate.is_file():
            return candidate.resolve()
        raise ProfileError(f"找不到站点配置文件：{candidate}")
    for suffix in (".yaml", ".yml"):
        path = PROFILES_DIR / f"{name_or_path}{suffix}"
        if path.is_file():
            return path
    known = ", ".join(sorted(p.stem for p in PROFILES_DIR.glob("*.y*ml")))
    raise ProfileError(f"没有名为 {name_or_path!r} 的站点配置；已有：{known}")


def load_profile(name_or_path: str | Path) -> SiteProfile:
    path = resolve_profile(name_or_path)
    try:
        return parse_profile(_read_with_base(path), path)
    except ProfileError as exc:
        raise ProfileError(f"站点配置 {path.name}：{exc}") from None


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ProfileError(f"不是有效的 YAML：{exc}") from None


def _read_with_base(path: Path) -> Any:
    """`extends: trs` merges spiders/profiles/base/trs.yaml under the profile,
    so districts on the same CMS share their selectors."""
    raw = _read_yaml(path)
    if not isinstance(raw, dict) or not raw.get("extends"):
        return raw
    base_path = PROFILES_DIR / "base" / f"{raw['extends']}.yaml"
    if not base_path.is_file():
        raise ProfileError(f"extends 指向的基础配置不存在：{raw['extends']}")
    base = _read_yaml(base_path)
    if not isinstance(base, dict) or base.get("extends"):
        raise ProfileError(f"基础配置 {base_path.name} 应为映射，且不能再 extends")
    return _merge(base, {k: v for k, v in raw.items() if k != "extends"})


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def parse_profile(raw: Any, path: Path | None = None) -> SiteProfile:
    if not isinstance(raw, dict):
        raise ProfileError("顶层应为映射（key: value）")

    def need(section: dict, key: str, where: str):
        if key not in section or section[key] in (None, "", []):
            raise ProfileError(f"缺少字段 {where}{key}")
        return section[key]

    def sub(key: str) -> dict:
        value = raw.get(key) or {}
        if not isinstance(value, dict):
            raise ProfileError(f"字段 {key} 应为映射")
        return value

    listing, detail, attachments, years = sub("listing"), sub("detail"), sub("attachments"), sub("years")
    published = detail.get("published") or {}
    if isinstance(published, (str, list)):
        published = {"css": published}

    settings = raw.get("settings") or {}
    unknown = set(settings) - PROFILE_SETTINGS
    if unknown:
        raise ProfileError(f"settings 只能调整 {sorted(PROFILE_SETTINGS)}，不允许：{sorted(unknown)}")

    for key, limit in (("CONCURRENT_REQUESTS_PER_DOMAIN", 2), ("AUTOTHROTTLE_TARGET_CONCURRENCY", 2)):
        if key in settings and not (isinstance(settings[key], (int, float)) and 0 < settings[key] <= limit):
            raise ProfileError(f"settings.{key} 应在 0 到 {limit} 之间（每个站点最多 {limit} 个并发请求）")
    for key in ("DOWNLOAD_DELAY", "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY", "DOWNLOAD_TIMEOUT"):
        if key in settings and not (isinstance(settings[key], (int, float)) and settings[key] >= 0):
            raise ProfileError(f"settings.{key} 应为非负数")

    store_page = detail.get("store_page", "never")
    if store_page not in STORE_PAGE_CHOICES:
        raise ProfileError(f"detail.store_page 应为 {STORE_PAGE_CHOICES} 之一")

    extensions = tuple(
        e.lower() if e.startswith(".") else f".{e.lower()}"
        for e in _as_list(attachments.get("extensions") or [".pdf", ".xlsx", ".xls", ".html", ".doc", ".docx"])
    )
    if not attachments.get("css") and not extensions:
        raise ProfileError("attachments 需要 css 或 extensions")

    if bool(listing.get("page_count_regex")) != bool(listing.get("page_url")):
        raise ProfileError("listing.page_count_regex 与 listing.page_url 需同时提供")
    if listing.get("page_url") and "{n}" not in listing["page_url"]:
        raise ProfileError("listing.page_url 需包含 {n}，如 index_{n}.shtml")
    for key, pattern in (("detail.published.regex", published.get("regex")),
                         ("years.title_regex", years.get("title_regex")),
                         ("listing.title_include", listing.get("title_include")),
                         ("listing.page_count_regex", listing.get("page_count_regex")),
                         ("attachments.href_regex", attachments.get("href_regex"))):
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ProfileError(f"{key} 不是有效的正则表达式：{exc}") from None

    return SiteProfile(
        name=str(need(raw, "name", "")),
        title=str(raw.get("title") or raw["name"]),
        region_code=str(raw["region_code"]) if raw.get("region_code") else None,
        start_urls=_as_list(need(raw, "start_urls", "")),
        allowed_domains=_as_list(need(raw, "allowed_domains", "")),
        listing=Listing(
            item=listing.get("item"),
            # JSON-written lists have no link selector to require.
            link=(listing.get("link") or "a::attr(href)") if listing.get("json_items")
            else need(listing, "link", "listing."),
            title=_as_list(listing.get("title")),
            date=_as_list(listing.get("date")),
            next_page=_as_list(listing.get("next_page")),
            max_pages=int(listing.get("max_pages", 200)),
            title_include=listing.get("title_include"),
            page_count_regex=listing.get("page_count_regex"),
            page_url=listing.get("page_url"),
            json_items=bool(listing.get("json_items", False)),
        ),
        detail=Detail(
            title=_as_list(need(detail, "title", "detail.")),
            published=_as_list(published.get("css")),
            published_regex=published.get("regex") or DEFAULT_DATE_REGEX,
            source=_as_list(detail.get("source")),
            store_page=store_page,
        ),
        attachments=Attachments(css=attachments.get("css"), extensions=extensions,
                                href_regex=attachments.get("href_regex")),
        years=Years(
            title_regex=years.get("title_regex") or Years.title_regex,
            min_year=int(years["min_year"]) if years.get("min_year") else None,
        ),
        settings=dict(settings),
        path=path,
    )


def normalize_date(text: str | None) -> str | None:
    """'2026-01-26', '2026/1/26', '2026年1月26日', '2026-03-02 09:13' -> '2026-01-26'."""
    if not text:
        return None
    m = _DATE_PARTS.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None
