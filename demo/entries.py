"""What the sample portal publishes: its entries (a detail page and its attachments) and the
seed filing's entry. Both the portal (demo.portal) and the district generator
(demo.district.district) build on these, so neither has to import the other's module.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from demo import line_breaking, render_pdf, seed_filing

COLUMN = "zwgk/czyjs"


@dataclass(frozen=True)
class Attachment:
    """One attachment file of a detail page.

    ``write(path)`` produces the file; ``source_key`` identifies its content for the
    build cache (e.g. a hash of the data and of the renderer that make it).
    """

    file_name: str  # 'P020260126381234567890.pdf', as TRS names uploads
    link_text: str  # the department's own file name shown as the link text
    source_key: str
    write: Callable[[Path], object] = field(compare=False, repr=False)
    expected_outcome: str = "ok"  # the documents.outcome extraction should give it


@dataclass(frozen=True)
class PortalFiling:
    """One entry of the 财政预决算 column: a detail page and its attachments."""

    department: str
    department_code: str
    fiscal_year: int
    kind: str  # '预算' | '决算'
    unit_scope: str  # '部门' | '单位'
    title: str  # '硚口区城市运行管理中心2026年部门预算公开'
    published_at: str  # 'YYYY-MM-DD', printed as 发布日期
    doc_id: int  # the NNNNNNN of tYYYYMMDD_NNNNNNN.html, unique in the site
    attachments: tuple[Attachment, ...] = ()
    region_code: str = "420104"
    body: str = ""  # article paragraph; a default sentence is written when empty
    body_html: str = ""  # tables published on the page itself (trusted markup from demo.district)
    first_published: str = ""  # a corrected re-publication keeps the URL of its first date
    absolute_links: bool = False  # root-relative links instead of relative ones
    variant: str = "wuhan"

    @property
    def path_date(self) -> date:
        return date.fromisoformat(self.first_published or self.published_at)

    @property
    def folder(self) -> str:
        return self.path_date.strftime("%Y%m")

    @property
    def detail_name(self) -> str:
        return f"t{self.path_date:%Y%m%d}_{self.doc_id:07d}.html"

    @property
    def detail_path(self) -> str:
        return f"/{COLUMN}/{self.folder}/{self.detail_name}"

    def cache_key(self) -> dict:
        d = {k: getattr(self, k) for k in (
            "department", "department_code", "fiscal_year", "kind", "unit_scope", "title",
            "published_at", "doc_id", "region_code", "body", "body_html", "first_published", "absolute_links",
            "variant")}
        d["attachments"] = [(a.file_name, a.link_text, a.source_key, a.expected_outcome) for a in self.attachments]
        return d


# ---------------------------------------------------------------- the seed filing

def _sha256_files(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def seed_filings() -> list[PortalFiling]:
    """The walking skeleton's portal content: the seed filing, published 2026-01-26."""
    source_key = _sha256_files([
        seed_filing.SEED_PATH, Path(render_pdf.__file__), Path(line_breaking.__file__), Path(seed_filing.__file__),
    ])
    return [
        PortalFiling(
            department="硚口区城市运行管理中心",
            department_code="118",
            fiscal_year=2026,
            kind="预算",
            unit_scope="部门",
            title="硚口区城市运行管理中心2026年部门预算公开",
            published_at="2026-01-26",
            doc_id=1000001,
            attachments=(
                Attachment(
                    file_name="P020260126381234567890.pdf",
                    link_text="硚口区城市运行管理中心2026年部门预算.pdf",
                    source_key=source_key,
                    write=render_pdf.build_seed_pdf,
                ),
            ),
        )
    ]
