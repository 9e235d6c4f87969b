"""Load one Extraction into the warehouse: one transaction per document, through Arrow."""
from __future__ import annotations

import logging
import unicodedata
from datetime import date, datetime, timezone
from decimal import Decimal

import duckdb
import pyarrow as pa

from extractors.model import Extraction

log = logging.getLogger(__name__)

AMOUNT = pa.decimal128(20, 6)
# Documents that carry a filing; the other outcomes only get a documents row.
FILING_OUTCOMES = ("ok",)
_KIND = {"预算": "budget", "决算": "final", "budget": "budget", "final": "final"}
_SCOPE = {"部门": "dept", "单位": "unit", "dept": "dept", "unit": "unit"}


def filing_id_for(extraction: Extraction) -> str:
    """'<region>-<department>-<year>-<budget|final>-<dept|unit>-<sha8>'; 'x' marks an unknown part."""
    m = extraction.meta
    parts = [
        m.region_code or "x",
        m.department_code or "x",
        str(m.fiscal_year) if m.fiscal_year else "x",
        _KIND.get(m.kind or "", "x"),
        _SCOPE.get(m.unit_scope or "", "x"),
        extraction.sha256[:8],
    ]
    return "-".join(parts)


def is_filing(extraction: Extraction) -> bool:
    return extraction.outcome in FILING_OUTCOMES and bool(extraction.facts or extraction.claims)


def load_extraction(con: duckdb.DuckDBPyConnection, extraction: Extraction, source: dict | None = None) -> str | None:
    source = source or {}
    fid = filing_id_for(extraction) if is_filing(extraction) else None
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    con.begin()
    try:
        prev = con.execute("SELECT parser_version FROM doc WHERE sha256 = ?", [extraction.sha256]).fetchone()
        if prev is None or prev[0] != extraction.parser_version:
            # New content, or the same content read by another parser: replace it whole.
            if prev is not None:
                _delete_document(con, extraction.sha256, keep_findings_of=fid)
            _insert_document(con, extraction, fid, now)
        _record_source(con, extraction.sha256, source, now)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    log.info("loaded %s (%s) as %s: %d facts, %d claims", extraction.sha256[:12], extraction.outcome,
             fid, len(extraction.facts), len(extraction.claims))
    return fid


def _delete_document(con: duckdb.DuckDBPyConnection, sha256: str, keep_findings_of: str | None) -> None:
    # Findings survive a re-parse under the same filing_id (run_checks refreshes them and
    # keeps first_seen); under another id they would belong to no filing.
    con.execute("DELETE FROM finding WHERE filing_id IN (SELECT filing_id FROM filing WHERE sha256 = ?) "
                "AND filing_id IS DISTINCT FROM ?", [sha256, keep_findings_of])
    for table in ("fact", "claim", "filing_table"):
        con.execute(f"DELETE FROM {table} WHERE filing_id IN (SELECT filing_id FROM filing WHERE sha256 = ?)", [sha256])
    con.execute("DELETE FROM filing WHERE sha256 = ?", [sha256])
    con.execute("DELETE FROM doc WHERE sha256 = ?", [sha256])


def _insert_document(con, x: Extraction, fid: str | None, now: datetime) -> None:
    con.execute(
        "INSERT INTO doc VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [x.sha256, x.parser_version, x.media_type, x.pages, x.outcome, x.outcome_detail, x.seconds, now],
    )
    if fid is None:
        return
    m = x.meta
    con.execute(
        "INSERT INTO filing VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [fid, x.sha256, x.parser_version, m.region_code, m.region_name, m.department, m.department_code,
         m.unit_scope, m.fiscal_year, m.kind, m.template, list(m.names_seen or [])],
    )
    _insert_arrow(con, "filing_table", _tables_arrow(fid, x))
    _insert_arrow(con, "fact", _facts_arrow(fid, x))
    _insert_arrow(con, "claim", _claims_arrow(fid, x))


def _insert_arrow(con, table: str, data: pa.Table) -> None:
    if data.num_rows == 0:
        return
    con.register("_incoming", data)
    try:
        cols = ", ".join(data.column_names)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
    finally:
        con.unregister("_incoming")


def _nfkc(s: str | None) -> str | None:
    return None if s is None else unicodedata.normalize("NFKC", s)


def _dec(v: Decimal | None) -> Decimal | None:
    # Quantize so Arrow's decimal128(20, 6) accepts values with more digits (e.g. 元 / 10000).
    return None if v is None else Decimal(v).quantize(Decimal("0.000001"))


def _tables_arrow(fid: str, x: Extraction) -> pa.Table:
    t = x.tables
    return pa.table({
        "filing_id": pa.array([fid] * len(t), pa.string()),
        "table_kind": pa.array([i.table_kind for i in t], pa.string()),
        "title": pa.array([i.title for i in t], pa.string()),
        "unit": pa.array([i.unit for i in t], pa.string()),
        "pages": pa.array([list(i.pages) for i in t], pa.list_(pa.int32())),
        "n_facts": pa.array([i.n_facts for i in t], pa.int32()),
        "note": pa.array([i.note for i in t], pa.string()),
    })


def _facts_arrow(fid: str, x: Extraction) -> pa.Table:
    f = x.facts
    return pa.table({
        "filing_id": pa.array([fid] * len(f), pa.string()),
        "seq": pa.array(range(len(f)), pa.int32()),
        "table_kind": pa.array([i.table_kind for i in f], pa.string()),
        "row_code": pa.array([i.row_code for i in f], pa.string()),
        "row_label": pa.array([i.row_label for i in f], pa.string()),
        "row_label_nfkc": pa.array([_nfkc(i.row_label) for i in f], pa.string()),
        "column_label": pa.array([i.column_label for i in f], pa.string()),
        "amount_wan": pa.array([_dec(i.amount_wan) for i in f], AMOUNT),
        "printed_value": pa.array([i.printed_value for i in f], pa.string()),
        "printed_unit": pa.array([i.printed_unit for i in f], pa.string()),
        "page": pa.array([i.page for i in f], pa.int32()),
        "bbox": pa.array([list(i.bbox) if i.bbox else None for i in f], pa.list_(pa.float64())),
        "ocr": pa.array([bool(getattr(i, "ocr", False)) for i in f], pa.bool_()),
    })


def _claims_arrow(fid: str, x: Extraction) -> pa.Table:
    c = x.claims
    return pa.table({
        "filing_id": pa.array([fid] * len(c), pa.string()),
        "seq": pa.array(range(len(c)), pa.int32()),
        "kind": pa.array([i.kind for i in c], pa.string()),
        "subject": pa.array([i.subject for i in c], pa.string()),
        "label": pa.array([i.label for i in c], pa.string()),
        "label_nfkc": pa.array([_nfkc(i.label) for i in c], pa.string()),
        "level": pa.array([i.level for i in c], pa.string()),
        "amount_wan": pa.array([_dec(i.amount_wan) for i in c], AMOUNT),
        "percent": pa.array([None if i.percent is None else Decimal(i.percent).quantize(Decimal("0.0001")) for i in c],
                            pa.decimal128(12, 4)),
        "delta_wan": pa.array([_dec(i.delta_wan) for i in c], AMOUNT),
        "direction": pa.array([i.direction for i in c], pa.string()),
        "prior_year": pa.array([i.prior_year for i in c], pa.int32()),
        "page": pa.array([i.page for i in c], pa.int32()),
        "text": pa.array([i.text for i in c], pa.string()),
    })


def _record_source(con, sha256: str, source: dict, now: datetime) -> None:
    url = source.get("source_url")
    if not url:  # a local file with no known origin: nothing to record
        return
    fetched = _ts(source.get("fetched_at")) or now
    published = _date(source.get("published_at"))
    pub_src = source.get("published_at_source") if published else None
    # First sighting keeps its metadata; a later sighting moves last_fetched_at and may
    # upgrade the publication date to better evidence (detail page over first-seen).
    con.execute(
        """
        INSERT INTO doc_source VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (sha256, source_url) DO UPDATE SET
            last_fetched_at = greatest(doc_source.last_fetched_at, excluded.last_fetched_at),
            first_fetched_at = least(doc_source.first_fetched_at, excluded.first_fetched_at),
            published_at = CASE WHEN excluded.published_at IS NOT NULL AND (doc_source.published_at IS NULL
                                OR _pub_rank(excluded.published_at_source) < _pub_rank(doc_source.published_at_source))
                           THEN excluded.published_at ELSE doc_source.published_at END,
            published_at_source = CASE WHEN excluded.published_at IS NOT NULL AND (doc_source.published_at IS NULL
                                OR _pub_rank(excluded.published_at_source) < _pub_rank(doc_source.published_at_source))
                           THEN excluded.published_at_source ELSE doc_source.published_at_source END
        """,
        [sha256, url, source.get("site"), source.get("title"), source.get("detail_url"), published, pub_src,
         fetched, fetched],
    )


def _ts(v) -> datetime | None:
    if not v:
        return None
    d = v if isinstance(v, datetime) else datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    return d.astimezone(timezone.utc).replace(tzinfo=None) if d.tzinfo else d


def _date(v) -> date | None:
    if not v:
        return None
    if isinstance(v, date):
        return v if not isinstance(v, datetime) else v.date()
    return date.fromisoformat(str(v)[:10])

