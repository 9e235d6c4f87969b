"""The extraction contract: what every extractor returns and the warehouse loads.

An extractor turns one document (a file, keyed by its sha256) into an
``Extraction``: the document's outcome, the filing metadata read from the
document itself, long-format ``Fact`` rows (one per printed amount cell) and
narrative ``Claim`` rows (amounts, shares and names quoted in the text).

Everything is JSON-serialisable through ``to_dict`` / ``from_dict`` so that
extraction can run in a child process and be cached on disk by
(sha256, PARSER_VERSION).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Any

# Bump whenever extraction output can change for the same input file.
PARSER_VERSION = "0.5.12"

OUTCOMES = (
    "ok",
    "scanned",
    "not_pdf",
    "truncated",
    "encrypted",
    "not_budget",
    "parse_error",
    "timeout",
)


@dataclass
class Fact:
    """One printed amount cell of one table.

    table_kind   canonical table id, see ``extractors.canon.TABLE_KINDS`` (T1 … T12)
    row_code     canonical row key: a classification code ('2010350', '30217', '118001',
                 a project code) or a key from ``canon.ROW_KEYS`` ('total', 'income:general_budget' …)
    row_label    the row's label as printed (whitespace removed)
    column_label canonical column label from ``canon.COLUMNS`` ('合计', '基本支出/人员经费' …)
    amount_wan   the amount converted to 万元 (Decimal), None when the cell is not a number
    printed_value the cell text exactly as printed ('564.25', '-', '1,027,000')
    printed_unit  '万元' or '元' as read from the table's own header
    page          1-based page number
    bbox          (x0, top, x1, bottom) of the cell in PDF points, top-left origin
    """

    table_kind: str
    row_code: str
    row_label: str
    column_label: str
    amount_wan: Decimal | None
    printed_value: str
    printed_unit: str
    page: int
    bbox: tuple[float, float, float, float] | None = None
    ocr: bool = False
    # How the cell's table was read: 'profile:<id>' where a template profile's aliases named it,
    # 'generic' where only the national family's vocabulary and structure did.
    read_method: str = ""
    # Whether the cell's table passed its own sums before it was emitted (合计 = Σ parts,
    # 基本 + 项目 = 合计, 类 = Σ 款 …): 'pass', 'fail' or 'unchecked' (no identity to test).
    table_check: str = ""


@dataclass
class Claim:
    """A statement of the narrative (情况说明) that a rule can check against the tables.

    kind      see ``canon.CLAIM_KINDS`` ('amount', 'share', 'yoy', 'item_name', 'no_fund' …); also
              'plan' (a 决算's 年初预算) and 'completion' (a 决算's actual in amount_wan with the
              "完成预算的 P%" it quotes in percent)
    subject   canonical subject key ('total', 'basic', 'project', 'sangong:reception',
              'admin_operating', 'func:2080899' …)
    label     the words the narrative uses for the subject ('其他抚恤支出', '财政事务')
    level     for item_name claims: '类', '款' or '项'
    amount_wan amount quoted, in 万元
    percent   percentage quoted (80.59 for '占 80.59%')
    delta_wan for yoy: the change quoted (negative for 减少/降低)
    direction for yoy: '增加', '减少' or '持平' as written
    prior_year for yoy: the year compared against (2025)
    page      1-based page of the sentence
    text      the sentence as printed (trimmed to ~200 chars)
    """

    kind: str
    subject: str
    label: str = ""
    level: str = ""
    amount_wan: Decimal | None = None
    percent: Decimal | None = None
    delta_wan: Decimal | None = None
    direction: str = ""
    prior_year: int | None = None
    page: int | None = None
    text: str = ""


@dataclass
class TableInstance:
    """A table found in the document (possibly spanning pages)."""

    table_kind: str
    title: str
    unit: str
    pages: list[int]
    n_facts: int = 0
    note: str = ""  # e.g. '本单位 2026 年无政府性基金预算' for an empty table
    read_method: str = ""  # see Fact.read_method
    self_check: str = ""  # 'pass', 'fail' or 'unchecked'; see Fact.table_check
    self_check_detail: str = ""  # e.g. '12 项恒等关系中 9 项不成立' (Chinese, for the reviewer)


@dataclass
class FilingMeta:
    region_code: str | None = None  # 420104 for 硚口区
    region_name: str | None = None
    department: str | None = None  # canonical department name
    department_code: str | None = None  # '118'
    unit_scope: str | None = None  # '部门' or '单位'
    fiscal_year: int | None = None
    kind: str | None = None  # '预算' or '决算'
    template: str | None = None  # profile id, e.g. 'wuhan-2026-budget'
    names_seen: list[str] = field(default_factory=list)  # every spelling of the unit's name, for D4


@dataclass
class Extraction:
    sha256: str
    outcome: str
    outcome_detail: str = ""
    media_type: str = "application/pdf"
    pages: int = 0
    parser_version: str = PARSER_VERSION
    meta: FilingMeta = field(default_factory=FilingMeta)
    tables: list[TableInstance] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    seconds: float = 0.0
    # What read the table pages: 'pdfium', 'pdfminer', or 'pdfium；改用 pdfminer 读取：第 N 页 <why>'
    # (extractors/page_source.py); '' where no page went to the table finder.
    page_model: str = ""

    def to_dict(self) -> dict[str, Any]:
        # asdict's data with its Decimals as strings and tuples as lists, without asdict's deep copy
        # of every value: a filing's few hundred facts made that ~5 ms, paid by the extraction
        # child and again by the store
        return _record(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Extraction":
        d = dict(d)
        d["meta"] = FilingMeta(**d.get("meta") or {})
        d["tables"] = [TableInstance(**t) for t in d.get("tables", [])]
        d["facts"] = [
            Fact(**{**f, "amount_wan": _dec(f.get("amount_wan")), "bbox": tuple(f["bbox"]) if f.get("bbox") else None})
            for f in d.get("facts", [])
        ]
        d["claims"] = [
            Claim(**{**c, **{k: _dec(c.get(k)) for k in ("amount_wan", "percent", "delta_wan")}})
            for c in d.get("claims", [])
        ]
        return cls(**d)


def _dec(v: Any) -> Decimal | None:
    return None if v is None else Decimal(str(v))


_SCALARS = (str, int, float, bool, type(None))


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[tuple[str, ...], Any]:
    names = tuple(f.name for f in fields(cls))
    return names, attrgetter(*names)


def _record(obj: Any) -> dict[str, Any]:
    """A dataclass instance as JSON-ready data: ``asdict(obj)`` with each Decimal a string and
    each tuple a list."""
    names, values = _field_names(type(obj))
    got = values(obj)
    if len(names) == 1:
        got = (got,)
    return {n: v if type(v) in _SCALARS else _value(v) for n, v in zip(names, got)}


def _value(o: Any) -> Any:
    if is_dataclass(o) and not isinstance(o, type):
        return _record(o)
    if isinstance(o, (list, tuple)):
        return [v if type(v) in _SCALARS else _value(v) for v in o]
    if isinstance(o, dict):
        return {k: v if type(v) in _SCALARS else _value(v) for k, v in o.items()}
    return str(o) if isinstance(o, Decimal) else o
