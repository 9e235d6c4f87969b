"""Find the table instances of a filing: titles, units, and the pdfplumber tables under them.

Walks the table pages in order as a small state machine. A printed title line
(matched through the profile's aliases) opens a table instance; a
``单位：万元`` line sets its unit; every pdfplumber table below belongs to the
open instance, including tables on following pages without a title
(continuations). A part heading (第三部分 …) closes it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .grid import Grid, grid_from_table
from .profiles import Profile, norm
from .table_finder import find_tables
from .text_lines import text_lines

_UNIT_RE = re.compile(r"单位[:：]?(万元|千元|亿元|元)")
_UNIT_HEAD_RE = re.compile(r"单位[:：]?[万千亿]?$")  # a unit line cut before its end
_PART_RE = re.compile(r"^第[一二三四五六七八九十]部分")
# A numbered table marker ("表 4", "部门公开表 9", "公开 11 表：…", "五、2018 年度…财政拨款支出预算表")
# whose title is not in the profile: an unknown table starts here, so the open instance must
# not swallow it as a continuation.
_NUMBERED_RE = re.compile(r"^(部门公开表|公开表|表)\d+(-\d+)?|^公开\d+表|^[一二三四五六七八九十]+、.{2,40}预算表$")
# The statement that explains an empty table: a fund it has none of ("本单位无政府性基金预算"), or,
# printed as the table's own footnote, nothing to show ("注：本部门无相关收支项目", "本部门无该项目").
_NOTE_RE = re.compile(r"(无|没有|未)(使用)?.{0,20}(政府性基金|国有资本经营).{0,12}(预算|支出)"
                      r"|^(注[:：])?(本表|本部门|本单位)?(无|没有)(相关|此项|该项|此|该)?(收支|支出|收入|数据|内容|项目)"
                      # "…本年度没有财政拨款“三公”经费支出，故本表无数据。" (普陀 决算)
                      r"|(故|因此)?(本表|此表)(无数据|为空表|以空表列示)")


@dataclass
class Region:
    kind: str
    title: str
    unit: str | None = None
    unit_from_profile: bool = False
    pages: list[int] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sub_titles: list[tuple[int, float]] = field(default_factory=list)  # (page, top) of 项目申报表 titles


@dataclass
class _Event:
    top: float
    what: str  # 'title' | 'sub' | 'unit' | 'part' | 'note' | 'table'
    value: object


def _has_doubled_glyphs(page) -> bool:
    """Fake bold: the same glyph drawn twice at almost the same place (domain.md)."""
    chars = page.chars
    dup = 0
    for a, b in zip(chars, chars[1:]):
        if a["text"] == b["text"] and abs(a["x0"] - b["x0"]) < 1.5 and abs(a["top"] - b["top"]) < 1.5:
            dup += 1
    return dup >= 5 and dup >= len(chars) * 0.05


def _is_invisible_fill(obj) -> bool:
    """A filled, unstroked rectangle in white (gray 1, RGB 1,1,1 or CMYK 0,0,0,0)."""
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return False
    colour = obj.get("non_stroking_color")
    if isinstance(colour, (int, float)):
        colour = (colour,)
    if not colour:
        return False
    if len(colour) == 4:
        return all(v == 0 for v in colour)
    return all(v == 1 for v in colour)


def _cut_frame_edges(page) -> list[dict]:
    """Horizontal rules closing a frame cut by the page break. A table continued from the previous
    page (江苏) starts with vertical rules that no horizontal rule meets at the top, so
    pdfplumber forms no cell for its first row (a 科目 row, or a header's 项目名称 | 金额).
    The same holds at the bottom of a page the table runs off."""
    edges = page.edges
    vertical = [e for e in edges if e["orientation"] == "v" and e["height"] >= 5]
    horizontal = [e for e in edges if e["orientation"] == "h" and e["width"] >= 5]

    def met(x: float, y: float) -> bool:
        return any(abs(h["top"] - y) <= 3 and h["x0"] - 3 <= x <= h["x1"] + 3 for h in horizontal)

    def continued(v: dict, side: str) -> bool:  # a rule drawn in pieces goes on past this end
        other = "bottom" if side == "top" else "top"
        return any(w is not v and abs(w["x0"] - v["x0"]) <= 1 and abs(w[other] - v[side]) <= 3 for w in vertical)

    added = []
    for side in ("top", "bottom"):
        open_ends: dict[int, list[float]] = {}
        for v in vertical:
            if not met(v["x0"], v[side]) and not continued(v, side):
                open_ends.setdefault(round(v[side]), []).append(v["x0"])
        for y, xs in open_ends.items():
            if len(xs) >= 2:  # one stray rule is not a frame
                # across every rule ending there: an open part of a frame reaches the closed part
                xs = [v["x0"] for v in vertical if abs(v[side] - y) <= 3]
                x0, x1 = min(xs), max(xs)
                added.append({"object_type": "h_edge", "orientation": "h", "x0": x0, "x1": x1,
                              "width": x1 - x0, "top": y, "bottom": y, "height": 0})
    return added


def page_events(page, profile: Profile, page_number: int, fiscal_year: int | None) -> list[_Event]:
    settings = {}
    if profile.drop_invisible_fills:
        page = page.filter(lambda obj: not _is_invisible_fill(obj))
    if profile.close_cut_frames:
        settings["explicit_horizontal_lines"] = _cut_frame_edges(page)
    tables = find_tables(page, settings or None)
    boxes = [t.bbox for t in tables]
    events: list[_Event] = []
    pending = ""  # a unit line split over two lines ("单位：" / "万元")
    seen_in: dict = {}
    for line in text_lines(page):
        mid = (line["top"] + line["bottom"]) / 2
        text = norm(line["text"])
        inside = [b for b in boxes if b[1] <= mid <= b[3] and b[0] <= line["x0"] + 1]
        if inside:
            # Text inside a table is cells, except a title printed inside the table's outer
            # frame (江苏): near the frame's top, it opens the table it sits in.
            box = inside[0]
            nth = seen_in.get(box, 0)  # the title and the unit line are the frame's first lines
            seen_in[box] = nth + 1
            kind = profile.match_title(text, fiscal_year) if nth < 2 else None
            if kind:
                events.append(_Event(inside[0][1] - 0.5, "title", (kind, text)))
            unit = _UNIT_RE.search(text) if nth < 3 else None
            if unit:
                events.append(_Event(inside[0][1] - 0.25, "unit", unit.group(1)))
            continue
        kind = profile.match_title(text, fiscal_year)
        if kind:
            events.append(_Event(line["top"], "title", (kind, text)))
            continue
        if any(profile.is_sub_title(k, text) for k in profile.tables):
            events.append(_Event(line["top"], "sub", text))
            continue
        unit = _UNIT_RE.search(pending + text)
        if not unit and pending and text.endswith("元"):
            # "单位：万" wrapped at the right margin, its "元" printed at the end of the next line
            # ("部门名称：江苏省高级人民法院 元")
            unit = _UNIT_RE.search(pending + "元")
        if unit:
            events.append(_Event(line["top"], "unit", unit.group(1)))
            pending = ""
            continue
        head = _UNIT_HEAD_RE.search(text)
        pending = head.group(0) if head else ""
        if _PART_RE.match(text):
            events.append(_Event(line["top"], "part", text))
        elif _NUMBERED_RE.match(text) or profile.is_other_title(text, fiscal_year):
            events.append(_Event(line["top"], "unknown", text))
        elif _NOTE_RE.search(text):
            events.append(_Event(line["top"], "note", text))
    for t in tables:
        grid = grid_from_table(t, page_number)
        if grid.n_cols >= 1 and len(grid.raw_rows) >= 1:
            events.append(_Event(t.bbox[1], "table", grid))
    events.sort(key=lambda e: e.top)
    return events


def locate(source, pages_to_read: list[int], profile: Profile, fiscal_year: int | None) -> list[Region]:
    """source: a ``page_source.PageSource`` of the PDF; pages_to_read: 1-based numbers of
    pre-screened table pages."""
    regions: list[Region] = []
    current: Region | None = None
    previous = 0
    for number in pages_to_read:
        if number != previous + 1:
            current = None  # a table continues only onto the next page, never across text pages
        previous = number
        page = read = source.page(number)
        try:
            if _has_doubled_glyphs(page):
                page = page.dedupe_chars()
            events = page_events(page, profile, number, fiscal_year)
        finally:
            source.release(read)
        for ev in events:
            if ev.what == "title":
                kind, text = ev.value
                if current and current.kind == kind and not current.grids:
                    continue  # "表 1.收支预算总表" followed by its printed heading "收支总表"
                last = regions[-1] if regions else None
                if (last and last.kind == kind and kind != "T12" and last.grids
                        and last.pages[-1] == number - 1):
                    current = last  # the title repeated on a continuation page
                    continue
                current = Region(kind=kind, title=text, pages=[number])
                spec = profile.tables[kind]
                if spec.default_unit:
                    current.unit, current.unit_from_profile = spec.default_unit, True
                regions.append(current)
            elif current is None:
                continue
            elif ev.what == "unknown" and not current.grids and current.pages == [number]:
                # The table's own number printed under its title (the Ministry's "公开01表"
                # beside "金额单位：万元"), not the marker of another table.
                continue
            elif ev.what in ("part", "unknown"):
                current = None
            elif ev.what == "sub":
                current.sub_titles.append((number, ev.top))
            elif ev.what == "unit":
                if not current.grids or current.unit_from_profile:
                    current.unit, current.unit_from_profile = ev.value, False
            elif ev.what == "note":
                current.notes.append(ev.value)
            elif ev.what == "table":
                current.grids.append(ev.value)
                if number not in current.pages:
                    current.pages.append(number)
    return regions
