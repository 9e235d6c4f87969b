"""The entries of one listing page, as a profile's `listing` section reads them:
(detail href, title, date) per entry. Shared by the crawl and `--check`."""

from __future__ import annotations

import json
import re

from spiders.profile import Listing, normalize_date

# Items a script writes from data (集约化平台 lists): flat JSON objects in the raw HTML.
JSON_OBJECT = re.compile(r"\{[^{}]*\}")
JSON_TITLE_KEYS = ("title", "name", "docTitle", "DOCTITLE", "text")
JSON_URL_KEYS = ("url", "href", "link", "docUrl", "DOCPUBURL", "path")
JSON_DATE_KEYS = ("date", "pubDate", "publishDate", "publishTime", "PUBDATE", "time", "docRelTime")


def first_text(sel, selectors: list[str]) -> str | None:
    """The first non-blank text any of the selectors gives, whitespace-collapsed."""
    for css in selectors:
        for value in sel.css(css).getall():
            text = " ".join(value.split())
            if text:
                return text
    return None


def raw_text(sel) -> str:
    """The page's source, from a Scrapy response or a parsel selector."""
    text = getattr(sel, "text", None)
    return text if isinstance(text, str) else (sel.get() or "")


def json_objects(text: str) -> list[dict]:
    """Flat JSON objects with a title and a URL field, in page order."""
    found = []
    for m in JSON_OBJECT.finditer(text):
        try:
            obj = json.loads(m.group(0))
        except ValueError:
            continue
        if not isinstance(obj, dict):
            continue
        title = next((obj[k] for k in JSON_TITLE_KEYS if isinstance(obj.get(k), str)), None)
        url = next((obj[k] for k in JSON_URL_KEYS if isinstance(obj.get(k), str)), None)
        if title and url:
            date = next((obj[k] for k in JSON_DATE_KEYS if isinstance(obj.get(k), str)), None)
            found.append({"title": title, "url": url, "date": date, "keys": sorted(obj)})
    return found


def listing_entries(rules: Listing, sel) -> list[tuple[str | None, str | None, str | None]]:
    if rules.json_items:
        return [(o["url"], o["title"], normalize_date(o["date"])) for o in json_objects(raw_text(sel))]
    if rules.item:
        return [(e.css(rules.link).get(), first_text(e, rules.title), normalize_date(first_text(e, rules.date)))
                for e in sel.css(rules.item)]
    return [(href, None, None) for href in sel.css(rules.link).getall()]
