"""Template profiles: title and header aliases kept as data (extractors/profiles/*.yaml).

A profile maps what a template prints onto the canonical vocabulary of
``extractors.canon``: table titles onto table kinds, header paths onto canonical
column labels. Adding a template is adding a YAML file.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from flows import settings

from . import canon, generic
from .amounts import normalize_cell

log = logging.getLogger(__name__)

PROFILE_DIR = Path(__file__).with_name("profiles")
# The national-family reading (profiles/generic.yaml): always present, never switched off.
GENERIC_ID = "generic"
# `all` or a comma list of profile ids: those profiles do not read. Read at each document
# (choose_profile), so that the extraction children, which take the caller's environment per
# file (isolate.py), follow it.
PROFILES_OFF_ENV = settings.PROFILES_OFF_ENV

# "表 5-1." / "表1、" / "部门公开表 5" / "12-1" / "公开 01 表：" (江苏 2018) printed before a title.
_TABLE_NUMBER_RE = re.compile(r"^((部门公开表|公开表|表)?\d+(-\d+)?(?![\d年])|公开\d+表)[.、．:：]?")


def norm(text: str | None) -> str:
    return normalize_cell(text)


def strip_table_number(line: str) -> str:
    return _TABLE_NUMBER_RE.sub("", line, count=1)


# What varies around the same title between templates and is stripped before matching: the year ("2026年度"), the level and scope
# ("市级部门", "预算单位", "单位") and the kind of quote marks around 三公.
# An ordinal ("一、收支预算总表") is not stripped: in a table of contents it names a table
# without being its title.
_TITLE_PREFIX_RES = (
    re.compile(r"^(\{Y\}|20\d\d)年度?"),
    re.compile(r"^(市级|区级|省级|县级|市|区)?(预算单位|部门|单位)"),
)
_QUOTES_RE = re.compile(r"[“”\"'‘’「」]")


@lru_cache(maxsize=16384)  # every profile asks for the same line's core (choose_profile)
def title_core(text: str) -> str:
    """A printed title without ordinal, year, level/scope prefix and quote marks."""
    text = _QUOTES_RE.sub("", text)
    for r in _TITLE_PREFIX_RES:
        text = r.sub("", text, count=1)
    return text


def year_placeholders(text: str, fiscal_year: int | None) -> str:
    """Replace the printed years by {Y}, {Y-1}, {Y-2} so aliases survive a new year."""
    if not fiscal_year:
        return text
    for offset, tag in ((0, "{Y}"), (1, "{Y-1}"), (2, "{Y-2}")):
        text = text.replace(f"{fiscal_year - offset}年", f"{tag}年")
    return text


@dataclass
class TableSpec:
    kind: str
    titles: list[str]
    title_patterns: list[re.Pattern]
    headers: dict[str, str]  # normalised alias path -> canonical label
    default_unit: str | None = None
    cores: set[str] = field(default_factory=set)  # title_core of every title alias
    sub_titles: list[str] = field(default_factory=list)


@dataclass
class Profile:
    id: str
    region: str
    kind: str
    scope: str
    tables: dict[str, TableSpec]
    ignore_header_parts: list[str]
    markers: list[re.Pattern] = field(default_factory=list)
    # Drop the filled, unstroked rectangles painted in the page colour before pdfplumber finds
    # the tables: 江苏 2017–2019 paints a white box behind every cell and a white padding strip
    # beside it; their edges are invisible yet split each row and column in two.
    drop_invisible_fills: bool = False
    # Close with a horizontal rule the frames a page break leaves open (see locate._cut_frame_edges).
    close_cut_frames: bool = False
    # Titles of tables the template prints but no table kind reads (江苏's 财政拨款支出预算表):
    # such a title ends the open table instead of being swallowed as its continuation.
    other_titles: set[str] = field(default_factory=set)
    # The template's own wording, beyond the national vocabulary (vocabulary.yaml): T1 / T4 row
    # labels -> canon.ROW_KEYS key, and vertical 三公 item names -> T7 column. Off with the profile.
    row_aliases: dict[str, str] = field(default_factory=dict)
    t7_items: dict[str, str] = field(default_factory=dict)
    _titles: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def is_other_title(self, line: str, fiscal_year: int | None = None) -> bool:
        text = _title_text(line, fiscal_year)
        return bool(text) and (text in self.other_titles or title_core(text) in self.other_titles)

    def score(self, lines: list[str], titles: list[tuple[str, str]]) -> int:
        """How well the document's text lines fit this template: distinct titled kinds + marker votes.
        ``titles`` is ``title_texts(lines, fiscal_year)``, worked out once for every profile."""
        kinds = {self._match_text(text, core) for text, core in titles} - {None}
        stripped = [line.strip() for line in lines] if self.markers else []
        votes = sum(1 for m in self.markers if any(m.search(line) for line in stripped))
        return len(kinds) + 3 * votes

    def match_title(self, line: str, fiscal_year: int | None = None) -> str | None:
        """The table kind whose title this printed line is, or None: the first kind, in the
        profile's order, whose titles hold the line or one of whose patterns finds it; failing
        that, the first whose title cores hold the line's core."""
        text = _title_text(line, fiscal_year)
        return self._match_text(text, title_core(text)) if text else None

    def _match_text(self, text: str, core: str) -> str | None:
        """match_title of a line already made ``_title_text`` (non-empty), and its title core."""
        kinds, exact, patterned, cores, any_pattern = self._title_index()
        # every line of every document meets every profile (choose_profile): the exact titles
        # and cores are dict look-ups; only the kinds with patterns ahead of an exact hit are
        # searched, and only when one search of all the patterns at once finds something
        first = exact.get(text, len(kinds))
        if patterned and patterned[0][0] < first and (any_pattern is None or any_pattern.search(text)):
            for j, patterns in patterned:
                if j >= first:
                    break
                if any(p.search(text) for p in patterns):
                    return kinds[j]
        if first < len(kinds):
            return kinds[first]
        return kinds[cores[core]] if core and core in cores else None

    def _title_index(self):
        """(kinds in order, title -> first kind index, [(kind index, patterns)], core -> first kind
        index), built on first use: the profile's tables do not change once loaded."""
        if self._titles is None:
            kinds = list(self.tables)
            exact: dict[str, int] = {}
            cores: dict[str, int] = {}
            for j, spec in enumerate(self.tables.values()):
                for t in spec.titles:
                    exact.setdefault(t, j)
                for c in spec.cores:
                    cores.setdefault(c, j)
            patterned = [(j, spec.title_patterns) for j, spec in enumerate(self.tables.values())
                         if spec.title_patterns]
            self._titles = (kinds, exact, patterned, cores, any_of([p for _, ps in patterned for p in ps]))
        return self._titles

    def is_title_fragment(self, line: str, fiscal_year: int | None = None) -> bool:
        """A line that is a known title without its final 表: pypdfium2 returns text in
        content-stream order, which can print "收入支出决算总" and its "表" lines apart
        (pdfplumber's lines, read by position, keep the title whole). Short fragments
        ("收入预算") are column headers as often as titles."""
        text = _title_text(line, fiscal_year)
        return len(text) >= 6 and any(text + "表" in spec.titles for spec in self.tables.values())

    def is_sub_title(self, kind: str, line: str) -> bool:
        text = strip_table_number(norm(line))
        return bool(text) and text in self.tables[kind].sub_titles

    def column_label(self, kind: str, parts: list[str], fiscal_year: int | None) -> str | None:
        """Canonical column label for a header path, or None when the column is not an amount column."""
        ignore = [re.compile(p.replace("{Y}", str(fiscal_year or "")))
                  for p in self.ignore_header_parts + canon.VOCABULARY["table_group_headers"]]
        spec = self.tables.get(kind)
        canonical = {norm(c): c for c in canon.COLUMNS.get(kind, [])}
        # Try the full printed path first (an alias may name a group header such as
        # "{Y}年预算数/小计"), then the path without the generic group headers.
        printed: list[str] = []
        for drop in (False, True):
            kept: list[str] = []
            for part in parts:
                p = norm(part)
                if not p or (drop and any(r.search(p) for r in ignore)):
                    continue
                p = year_placeholders(p, fiscal_year)
                if p not in kept:
                    kept.append(p)
            if not kept:
                continue
            if not drop:
                printed = kept
            path = "/".join(kept)
            if spec and path in spec.headers:
                return spec.headers[path]
            if path in canonical:
                return canonical[path]
        if self.id == GENERIC_ID and printed:
            # No profile wording to match: read the header words for what they say.
            return generic.column_label(kind, printed)
        return None

    def settle_columns(self, kind: str, paths: list[list[str]], labels: list[str | None]) -> list[str | None]:
        """The labels of one grid's columns, settled against each other (generic reading only: a
        profile's aliases name each column as its template prints it)."""
        return generic.settle_columns(kind, paths, labels) if self.id == GENERIC_ID else labels


def _spec(kind: str, raw: dict) -> TableSpec:
    headers: dict[str, str] = {}
    for label, aliases in (raw.get("headers") or {}).items():
        for alias in aliases:
            headers["/".join(norm(p) for p in alias.split("/"))] = label
    return TableSpec(
        kind=kind,
        titles=[norm(t) for t in raw.get("titles", [])],
        title_patterns=[re.compile(p) for p in raw.get("title_patterns", [])],
        headers=headers,
        default_unit=raw.get("default_unit"),
        sub_titles=[norm(t) for t in raw.get("sub_titles", [])],
        cores={title_core(norm(t)) for t in raw.get("titles", [])} - {""},
    )


# What keeps a pattern from meaning the same inside an alternation: a back-reference (its group
# number moves) or an inline flag (it would apply to the whole alternation).
_NOT_COMBINABLE_RE = re.compile(r"\\\d|\(\?P=|\(\?[aiLmsux]")


def any_of(patterns: list[re.Pattern]) -> re.Pattern | None:
    """One regex that finds something exactly where one of ``patterns`` does: ``(?:a)|(?:b)…``,
    each alternative anchored and looked around on its own. None when the patterns cannot be
    joined so (a back-reference, an inline flag, differing flags), or there are none."""
    if not patterns or len({p.flags for p in patterns}) != 1:
        return None
    if any(_NOT_COMBINABLE_RE.search(p.pattern) for p in patterns):
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


@lru_cache(maxsize=16384)
def _title_text(line: str, fiscal_year: int | None) -> str:
    """A printed line as a title candidate ('' when too long to be one); the same for every
    profile, so computed once per line and year."""
    text = year_placeholders(strip_table_number(norm(line)), fiscal_year)
    # 48: "十一、2017 年江苏省高级人民法院部门一般公共预算“三公”经费、会议费、培训费支出预算表" is 43
    return text if len(text) <= 48 else ""


def title_texts(lines: list[str], fiscal_year: int | None) -> list[tuple[str, str]]:
    """(title text, title core) of each line that may be a title: what every profile's
    ``score`` matches, worked out once for all of them."""
    texts = (_title_text(line, fiscal_year) for line in lines)
    return [(t, title_core(t)) for t in texts if t]


def profiles_off(value: str | None = None) -> set[str]:
    """Ids of the template profiles switched off by ``BUDGETWATCH_PROFILES_OFF`` (every one for
    ``all``); the generic profile is never among them."""
    raw = settings.profiles_off() if value is None else value
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    ids = {p.id for p in load_profiles()} - {GENERIC_ID}
    if "all" in wanted:
        return ids
    unknown = wanted - ids - {GENERIC_ID}
    if unknown:
        # A misspelt id would silently leave its profile reading: say so in the log.
        log.warning("%s names unknown profiles %s (known: %s)", PROFILES_OFF_ENV, sorted(unknown), sorted(ids))
    return wanted & ids


def active_profiles() -> tuple[Profile, ...]:
    """The profiles that may read a document now: the template profiles not switched off, then
    the generic one (last, so that a template profile scoring as well wins the tie)."""
    off = profiles_off()
    every = load_profiles()
    return tuple(p for p in every if p.id != GENERIC_ID and p.id not in off) + generic_profiles(every)


def generic_profiles(every: tuple[Profile, ...] | None = None) -> tuple[Profile, ...]:
    return tuple(p for p in (every or load_profiles()) if p.id == GENERIC_ID)


def choose_profile(lines: list[str], fiscal_year: int | None) -> Profile:
    # Each distinct line once: running headers, footers and repeated column headings make up
    # much of a long filing, and every profile matches every line.
    distinct = list(dict.fromkeys(line for line in lines if line.strip()))
    titles = title_texts(distinct, fiscal_year)
    return max(active_profiles(), key=lambda p: p.score(distinct, titles))


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def load_profiles() -> tuple[Profile, ...]:
    out = []
    for path in sorted(PROFILE_DIR.glob("*.yaml")):
        # libyaml's parser where built (8× faster, the same data: test_extract_profiles)
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
        unknown = set(raw["tables"]) - set(canon.TABLE_KINDS)
        if unknown:
            raise ValueError(f"{path.name}: unknown table kinds {sorted(unknown)}")
        out.append(Profile(
            id=raw["id"], region=raw.get("region", ""), kind=raw.get("kind", ""),
            scope=raw.get("scope", ""),
            tables={k: _spec(k, v or {}) for k, v in raw["tables"].items()},
            ignore_header_parts=list(raw.get("ignore_header_parts") or []),
            markers=[re.compile(m) for m in raw.get("markers") or []],
            drop_invisible_fills=bool(raw.get("drop_invisible_fills")),
            close_cut_frames=bool(raw.get("close_cut_frames")),
            other_titles={title_core(norm(t)) for t in raw.get("other_titles") or []} - {""},
            row_aliases={norm(k): v for k, v in (raw.get("row_aliases") or {}).items()},
            t7_items=dict(raw.get("t7_items") or {}),
        ))
    return tuple(out)
