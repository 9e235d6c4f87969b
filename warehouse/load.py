"""Load one Extraction into the warehouse: one transaction per document, through Arrow."""
from __future__ import annotations

import hashlib
import logging
import unicodedata
from datetime import date, datetime, timezone
from decimal import Decimal

import duckdb
import pyarrow as pa

from extractors.model import Extraction
from warehouse.publish import crash_point

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


def filing_key_for(extraction: Extraction) -> str:
    """The filing's identity without its content: re-publications share it, each is a version.

    A 单位 filing adds a hash of its unit's name (several units of one department share the
    department code). A filing whose region, department, year or kind is unknown has no
    identity to share: its key is its filing_id, so it never becomes another filing's version.
    """
    fid = filing_id_for(extraction)
    parts = fid.split("-")[:5]
    if "x" in parts[:4]:
        return fid
    m = extraction.meta
    if parts[4] == "unit" and m.department:
        parts.append(hashlib.md5(unicodedata.normalize("NFKC", m.department).encode()).hexdigest()[:6])
    return "-".join(parts)


def load_extraction(con: duckdb.DuckDBPyConnection, extraction: Extraction, source: dict | None = None) -> str | None:
    """Load one document; returns the filing it belongs to (None for a document without one).

    Keyed on (sha256, parser_version): the same content loads once. New content under a known
    identity (``filing_key``) becomes the next version of that filing, unless it completes the
    current version (a narrative-only PDF beside a tables-only PDF): then it is merged into it.
    """
    source = source or {}
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    con.begin()
    try:
        prev = con.execute("SELECT parser_version FROM doc WHERE sha256 = ?", [extraction.sha256]).fetchall()
        prev = prev[0] if prev else None
        if prev is not None and prev[0] == extraction.parser_version:
            fid = _filing_of(con, extraction.sha256)
        else:
            keep = None
            if prev is not None:
                # The same content read by another parser: replace its rows, keep its place in history.
                keep = _delete_document(con, extraction.sha256)
            fid = _insert_document(con, extraction, now, source, keep)
        _record_source(con, extraction.sha256, source, now)
        crash_point("mid_load")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    crash_point("after_load")
    log.info("loaded %s (%s) as %s: %d facts, %d claims", extraction.sha256[:12], extraction.outcome,
             fid, len(extraction.facts), len(extraction.claims))
    return fid


def record_sighting(con: duckdb.DuckDBPyConnection, sha256: str, source: dict | None = None) -> str | None:
    """A document already loaded under this parser version, seen again: only where and when it
    was seen is recorded (what load_extraction does for it, without its extraction in hand)."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    con.begin()
    try:
        fid = _filing_of(con, sha256)
        _record_source(con, sha256, source or {}, now)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return fid


def record_sightings(con: duckdb.DuckDBPyConnection, seen: list[tuple[str, dict]]) -> dict[str, str | None]:
    """record_sighting for many documents in one transaction and two statements (a quiet night
    sees every document again: one upsert each cost seconds). `seen` holds (sha256, source)
    with no (sha256, source_url) twice. Returns each sha256's filing id; raises, having
    recorded nothing, if any row fails (the caller then records them one by one)."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = [r for sha256, source in seen if (r := _source_row(sha256, source, now))]
    names = [f.name for f in _SOURCE_SCHEMA]
    batch = pa.Table.from_pylist([dict(zip(names, r)) for r in rows], schema=_SOURCE_SCHEMA)
    shas = [sha for sha, _ in seen]
    con.begin()
    try:
        con.register("_sightings", batch)
        con.execute(f"INSERT INTO doc_source SELECT * FROM _sightings {_SOURCE_CONFLICT}")
        con.unregister("_sightings")
        fids = dict(con.execute("SELECT sha256, max(filing_id) FROM filing_doc "
                                "WHERE list_contains(CAST(? AS VARCHAR[]), sha256) GROUP BY sha256", [shas]).fetchall())
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return {sha: fids.get(sha) for sha in shas}


_SOURCE_SCHEMA = pa.schema([("sha256", pa.string()), ("source_url", pa.string()), ("site", pa.string()),
                            ("title", pa.string()), ("detail_url", pa.string()), ("published_at", pa.date32()),
                            ("published_at_source", pa.string()), ("first_fetched_at", pa.timestamp("us")),
                            ("last_fetched_at", pa.timestamp("us"))])


def _filing_of(con, sha256: str) -> str | None:
    r = con.execute("SELECT filing_id FROM filing_doc WHERE sha256 = ? ORDER BY filing_id DESC LIMIT 1",
                    [sha256]).fetchall()
    return r[0][0] if r else None


def _delete_document(con: duckdb.DuckDBPyConnection, sha256: str) -> dict | None:
    """Remove one document's rows; returns the place of the filing it was the whole of."""
    place = None
    for fid, role in con.execute("SELECT filing_id, role FROM filing_doc WHERE sha256 = ?", [sha256]).fetchall():
        for table in ("fact", "claim", "filing_table"):
            con.execute(f"DELETE FROM {table} WHERE filing_id = ? AND (sha256 = ? OR sha256 IS NULL)", [fid, sha256])
        con.execute("DELETE FROM filing_doc WHERE filing_id = ? AND sha256 = ?", [fid, sha256])
        others = con.execute("SELECT count(*) FROM filing_doc WHERE filing_id = ?", [fid]).fetchall()[0][0]
        if others == 0:
            r = con.execute("SELECT filing_id, filing_key, version, is_current, loaded_at, superseded_at "
                            "FROM filing WHERE filing_id = ?", [fid]).fetchall()
            r = r[0] if r else None
            if r:
                place = dict(zip(("filing_id", "filing_key", "version", "is_current", "loaded_at", "superseded_at"), r))
            # Findings survive a re-parse under the same filing_id (run_checks refreshes them
            # and keeps first_seen); the caller drops them if the id changes.
            con.execute("DELETE FROM filing WHERE filing_id = ?", [fid])
    con.execute("DELETE FROM doc WHERE sha256 = ?", [sha256])
    return place


def _insert_document(con, x: Extraction, now: datetime, source: dict, keep: dict | None) -> str | None:
    con.execute(
        "INSERT INTO doc (sha256, parser_version, media_type, pages, outcome, outcome_detail, extract_seconds, loaded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [x.sha256, x.parser_version, x.media_type, x.pages, x.outcome, x.outcome_detail, x.seconds, now],
    )
    if not is_filing(x):
        if keep:
            con.execute("DELETE FROM finding WHERE filing_id = ?", [keep["filing_id"]])
        return None
    fid = filing_id_for(x)
    key = filing_key_for(x)
    role = _role(x)
    if key == fid:
        key = (_key_by_source_url(con, source)
               or ((_key_by_name(con, x) or _key_by_totals(con, x)) if role == "narrative" else None) or key)
    if keep is None:
        partner = _partner(con, key, role)
        if partner is not None:
            _insert_rows(con, partner, x)
            con.execute("INSERT INTO filing_doc VALUES (?, ?, ?)", [partner, x.sha256, role])
            return partner
    m = x.meta
    if keep is not None and keep["filing_key"] == key:
        version, current, loaded, superseded = keep["version"], keep["is_current"], keep["loaded_at"], keep["superseded_at"]
    else:
        previous = con.execute("SELECT filing_id, version FROM filing WHERE filing_key = ? AND is_current",
                               [key]).fetchall()
        previous = previous[0] if previous else None
        version = 1 + (con.execute("SELECT coalesce(max(version), 0) FROM filing WHERE filing_key = ?",
                                   [key]).fetchall()[0][0])
        current, loaded, superseded = True, now, None
        con.execute("UPDATE filing SET is_current = false, superseded_at = ? WHERE filing_key = ? AND is_current",
                    [now, key])
        if previous is not None and role != "whole":
            _carry_other_part(con, previous[0], fid, role)
    if keep is not None and keep["filing_id"] != fid:
        con.execute("DELETE FROM finding WHERE filing_id = ?", [keep["filing_id"]])
    con.execute(
        "INSERT INTO filing (filing_id, sha256, parser_version, region_code, region_name, department, department_code, "
        "unit_scope, fiscal_year, kind, template, names_seen, filing_key, version, is_current, loaded_at, superseded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [fid, x.sha256, x.parser_version, m.region_code, m.region_name, m.department, m.department_code,
         m.unit_scope, m.fiscal_year, m.kind, m.template, list(m.names_seen or []), key, version, current,
         loaded, superseded],
    )
    con.execute("INSERT OR REPLACE INTO filing_doc VALUES (?, ?, ?)", [fid, x.sha256, role])
    _insert_rows(con, fid, x)
    if role == "tables" and keep is None:
        _absorb_narratives(con, fid, x)
    return fid


# Claims a tables-only document carries: an empty table's statement ("本单位 2025 年无政府性基金预算").
_TABLE_CLAIMS = {"no_fund"}


def _role(x: Extraction) -> str:
    """'tables', 'narrative' or 'whole': which part of a filing the document holds."""
    if x.facts and all(c.kind in _TABLE_CLAIMS for c in x.claims):
        return "tables"
    return "narrative" if x.claims and not x.facts else "whole"


def _same_department_sql(alias: str) -> str:
    return (f"{alias}.region_code IS NOT DISTINCT FROM ? AND {alias}.fiscal_year = ? AND {alias}.kind = ? "
            f"AND {alias}.unit_scope = ? AND {alias}.department = ?")


def _department_params(x: Extraction) -> list | None:
    m = x.meta
    if not (m.department and m.fiscal_year and m.kind and m.unit_scope):
        return None
    return [m.region_code, m.fiscal_year, m.kind, m.unit_scope, m.department]


# A tables half that has no department code either (江苏's 公开表 print none) has no identity
# beyond its own filing: it is paired by name only when the region is known too, so two
# documents that both lack a place never meet on a department name alone.
_CODELESS_TABLES_SQL = "(f.department_code IS NULL AND f.region_code IS NOT NULL AND f.filing_key = f.filing_id)"
# A filing made of tables documents only (no narrative half joined it yet).
_TABLES_ONLY_SQL = "NOT EXISTS (SELECT 1 FROM filing_doc d WHERE d.filing_id = f.filing_id AND d.role <> 'tables')"


def _key_by_name(con, x: Extraction) -> str | None:
    """A narrative-only half prints no department code (the codes are in the tables): it belongs
    to the one current tables-only filing of the same department name, region, year, kind and
    scope, whether that filing has a code or, like the tables half of 江苏, none."""
    params = _department_params(x)
    if params is None:
        return None
    r = con.execute(
        f"""SELECT DISTINCT f.filing_key FROM filing f
            WHERE f.is_current AND (f.department_code IS NOT NULL OR {_CODELESS_TABLES_SQL})
              AND {_same_department_sql('f')}
              AND EXISTS (SELECT 1 FROM filing_doc d WHERE d.filing_id = f.filing_id) AND {_TABLES_ONLY_SQL}""",
        params).fetchall()
    return r[0][0] if len(r) == 1 else None


def _absorb_narratives(con, fid: str, x: Extraction) -> None:
    """The tables half loaded after its narrative half: the narrative's code-less filing (a
    filing of its own until now) becomes part of this one."""
    params = _department_params(x)
    if params is None:
        old = _narrative_by_totals(con, x)
        if old is not None:
            _merge_into(con, fid, old)
        return
    if not x.meta.department_code:
        if not x.meta.region_code:
            return
        # Code-less on both sides: only the one tables-only filing of that department may take
        # the narrative (two copies of the tables would make the choice arbitrary).
        halves = con.execute(
            f"""SELECT count(*) FROM filing f WHERE f.is_current AND {_CODELESS_TABLES_SQL}
                AND {_same_department_sql('f')} AND {_TABLES_ONLY_SQL}""",
            params).fetchall()[0][0]
        if halves != 1:
            return
    orphans = [r[0] for r in con.execute(
        f"""SELECT f.filing_id FROM filing f
            WHERE f.is_current AND f.department_code IS NULL AND f.filing_key = f.filing_id AND {_same_department_sql('f')}
              AND EXISTS (SELECT 1 FROM filing_doc d WHERE d.filing_id = f.filing_id)
              AND NOT EXISTS (SELECT 1 FROM filing_doc d WHERE d.filing_id = f.filing_id AND d.role <> 'narrative')""",
        params).fetchall()]
    if not orphans:  # the narrative may name the department otherwise: its figures decide
        old = _narrative_by_totals(con, x)
        orphans = [old] if old else []
    if len(orphans) != 1:  # none, or ambiguous: leave them apart
        return
    _merge_into(con, fid, orphans[0])


def _merge_into(con, fid: str, old: str) -> None:
    """The narrative-only filing ``old`` becomes part of the tables filing ``fid``."""
    for table in ("fact", "claim"):
        base = con.execute(f"SELECT coalesce(max(seq) + 1, 0) FROM {table} WHERE filing_id = ?", [fid]).fetchall()[0][0]
        con.execute(f"INSERT INTO {table} SELECT * REPLACE (? AS filing_id, seq + ? AS seq) FROM {table} WHERE filing_id = ?",
                    [fid, base, old])
        con.execute(f"DELETE FROM {table} WHERE filing_id = ?", [old])
    con.execute("INSERT INTO filing_table SELECT * REPLACE (? AS filing_id) FROM filing_table WHERE filing_id = ?", [fid, old])
    con.execute("DELETE FROM filing_table WHERE filing_id = ?", [old])
    con.execute("INSERT INTO filing_doc SELECT ? AS filing_id, sha256, role FROM filing_doc WHERE filing_id = ?", [fid, old])
    con.execute("DELETE FROM filing_doc WHERE filing_id = ?", [old])
    con.execute("DELETE FROM finding WHERE filing_id = ?", [old])
    con.execute("DELETE FROM filing WHERE filing_id = ?", [old])
    log.info("merged the narrative-only filing %s into %s", old, fid)


# Two halves of one filing carry the same figures: the 情况说明 quotes the 收支总表's 收入总计 and
# 支出总计. A narrative-only document whose name differs from its tables' (省检察院 / 江苏省人民检察院,
# or no name at all) joins the one tables-only filing of the same year and kind (and region,
# where both know it) whose 收支总表 prints every total it quotes: pairing by content, for any city.
_TOTAL_SUBJECTS = ("income_total", "expenditure_total")
# (claim kind, subject) -> the 收支总表 row it quotes; 收支总预算 ('total') is 收入总计 = 支出总计
_CLAIM_TOTALS = {("amount", "income_total"): "income_total", ("amount", "expenditure_total"): "expenditure_total",
                 ("amount", "total"): "income_total", ("yoy", "total"): "income_total"}


def _quoted(claims) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for kind, subject, amount in claims:
        row = _CLAIM_TOTALS.get((kind, subject))
        if row and amount is not None:
            out.setdefault(row, _dec(amount))
    return out


def _quoted_totals(x: Extraction) -> dict[str, Decimal]:
    return _quoted((c.kind, c.subject, c.amount_wan) for c in x.claims)


def _printed_totals(x: Extraction) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for f in x.facts:
        if f.table_kind == "T1" and f.row_code in _TOTAL_SUBJECTS and f.amount_wan is not None:
            out.setdefault(f.row_code, _dec(f.amount_wan))
    return out


# Totals agree when they round to the same 0.01 万元 (a narrative quotes 万元 at 2 decimals).
_SAME_TOTAL_SQL = "round(t.amount_wan, 2) = round(CAST(? AS DECIMAL(20, 6)), 2)"


def _same_department(a: str | None, b: str | None) -> bool:
    """A missing name, or one written as an abbreviation of the other: its characters in order
    (省检察院 in 江苏省人民检察院). Another department's name never is (审计局 / 城市运行管理中心)."""
    if not a or not b:
        return True
    a, b = unicodedata.normalize("NFKC", a), unicodedata.normalize("NFKC", b)
    short, long_ = sorted((a, b), key=len)
    rest = iter(long_)
    return all(ch in rest for ch in short)


def _may_pair(m, row) -> bool:
    """Identity parts of the two halves that do not contradict each other; at least one knows the
    place, so two documents that both lack it never meet on their figures alone."""
    region, scope, department = row
    if (m.region_code and region and m.region_code != region) or not (m.region_code or region):
        return False
    if m.unit_scope and scope and m.unit_scope != scope:
        return False
    return _same_department(m.department, department)


def _key_by_totals(con, x: Extraction) -> str | None:
    m = x.meta
    quoted = _quoted_totals(x)
    if not (quoted and m.fiscal_year and m.kind):
        return None
    conds = " AND ".join(
        f"EXISTS (SELECT 1 FROM fact t WHERE t.filing_id = f.filing_id AND t.table_kind = 'T1' "
        f"AND t.row_code = '{row}' AND {_SAME_TOTAL_SQL})" for row in quoted)
    rows = con.execute(
        f"""SELECT DISTINCT f.filing_key, f.region_code, f.unit_scope, f.department FROM filing f
            WHERE f.is_current AND f.fiscal_year = ? AND f.kind = ?
              AND EXISTS (SELECT 1 FROM filing_doc d WHERE d.filing_id = f.filing_id) AND {_TABLES_ONLY_SQL}
              AND {conds}""",
        [m.fiscal_year, m.kind, *quoted.values()]).fetchall()
    keys = {r[0] for r in rows if _may_pair(m, r[1:])}
    return keys.pop() if len(keys) == 1 else None


def _narrative_by_totals(con, x: Extraction) -> str | None:
    """The one narrative-only filing without an identity whose quoted totals this tables document prints."""
    m = x.meta
    printed = _printed_totals(x)
    if not (printed and m.fiscal_year and m.kind):
        return None
    rows = con.execute(
        """SELECT f.filing_id, f.region_code, f.unit_scope, f.department,
                  list([c.kind, c.subject, CAST(c.amount_wan AS VARCHAR)]) FROM filing f
           JOIN claim c ON c.filing_id = f.filing_id AND c.kind IN ('amount', 'yoy')
                       AND c.subject IN ('income_total', 'expenditure_total', 'total') AND c.amount_wan IS NOT NULL
           WHERE f.is_current AND f.filing_key = f.filing_id AND f.fiscal_year = ? AND f.kind = ?
             AND NOT EXISTS (SELECT 1 FROM filing_doc d WHERE d.filing_id = f.filing_id AND d.role <> 'narrative')
           GROUP BY ALL""",
        [m.fiscal_year, m.kind]).fetchall()
    q2 = lambda v: Decimal(v).quantize(Decimal("0.01"))  # noqa: E731
    hits = []
    for fid, region, scope, department, claims in rows:
        quoted = _quoted((k, sub, Decimal(a)) for k, sub, a in claims)
        if (quoted and all(row in printed and q2(a) == q2(printed[row]) for row, a in quoted.items())
                and _may_pair(m, (region, scope, department))):
            hits.append(fid)
    return hits[0] if len(hits) == 1 else None


def _key_by_source_url(con, source: dict) -> str | None:
    """A document without a full identity, fetched from the URL of a known filing, is its new version."""
    url = source.get("source_url")
    if not url:
        return None
    r = con.execute(
        """SELECT f.filing_key FROM doc_source s JOIN filing_doc d USING (sha256) JOIN filing f USING (filing_id)
           WHERE s.source_url = ? AND f.is_current ORDER BY f.loaded_at DESC LIMIT 1""", [url]).fetchall()
    return r[0][0] if r else None


def _partner(con, key: str, role: str) -> str | None:
    """The current version of this identity, when it lacks exactly the part this document brings."""
    if role == "whole":
        return None
    r = con.execute(
        """SELECT f.filing_id, list(d.role) FROM filing f JOIN filing_doc d USING (filing_id)
           WHERE f.filing_key = ? AND f.is_current GROUP BY f.filing_id""", [key]).fetchall()
    r = r[0] if r else None
    if r is None:
        return None
    roles = set(r[1])
    wanted = "narrative" if role == "tables" else "tables"
    return r[0] if roles == {wanted} else None


def _carry_other_part(con, old_fid: str, new_fid: str, role: str) -> None:
    """A corrected tables-only (narrative-only) PDF keeps the previous version's other part."""
    other = "narrative" if role == "tables" else "tables"
    docs = [r[0] for r in con.execute("SELECT sha256 FROM filing_doc WHERE filing_id = ? AND role = ?",
                                      [old_fid, other]).fetchall()]
    for sha in docs:
        con.execute("INSERT INTO filing_doc VALUES (?, ?, ?)", [new_fid, sha, other])
        for table in ("fact", "claim"):
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "filing_id"]
            con.execute(f"INSERT INTO {table} (filing_id, {', '.join(cols)}) SELECT ?, {', '.join(cols)} "
                        f"FROM {table} WHERE filing_id = ? AND sha256 = ?", [new_fid, old_fid, sha])
        con.execute("INSERT INTO filing_table SELECT * REPLACE (? AS filing_id) FROM filing_table "
                    "WHERE filing_id = ? AND sha256 = ?", [new_fid, old_fid, sha])


def _insert_rows(con, fid: str, x: Extraction) -> None:
    base = {"fact": 0, "claim": 0}
    # Only a filing that other documents are part of (a half joined, a part carried over) has
    # rows already. max(seq) over fact scans the whole table (its key (filing_id, seq) is no
    # index for filing_id alone), so asking it for every new filing made the load quadratic.
    if con.execute("SELECT count(*) FROM filing_doc WHERE filing_id = ? AND sha256 <> ?",
                   [fid, x.sha256]).fetchall()[0][0]:
        base = {t: con.execute(f"SELECT coalesce(max(seq) + 1, 0) FROM {t} WHERE filing_id = ?",
                               [fid]).fetchall()[0][0] for t in base}
    _insert_arrow(con, "filing_table", _tables_arrow(fid, x))
    _insert_arrow(con, "fact", _facts_arrow(fid, x, base["fact"]))
    _insert_arrow(con, "claim", _claims_arrow(fid, x, base["claim"]))


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
        "sha256": pa.array([x.sha256] * len(t), pa.string()),
        "read_method": pa.array([getattr(i, "read_method", "") for i in t], pa.string()),
        "self_check": pa.array([getattr(i, "self_check", "") for i in t], pa.string()),
        "self_check_detail": pa.array([getattr(i, "self_check_detail", "") for i in t], pa.string()),
    })


def _facts_arrow(fid: str, x: Extraction, base: int = 0) -> pa.Table:
    f = x.facts
    return pa.table({
        "filing_id": pa.array([fid] * len(f), pa.string()),
        "seq": pa.array(range(base, base + len(f)), pa.int32()),
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
        "sha256": pa.array([x.sha256] * len(f), pa.string()),
        "read_method": pa.array([getattr(i, "read_method", "") for i in f], pa.string()),
        "table_check": pa.array([getattr(i, "table_check", "") for i in f], pa.string()),
    })


def _claims_arrow(fid: str, x: Extraction, base: int = 0) -> pa.Table:
    c = x.claims
    return pa.table({
        "filing_id": pa.array([fid] * len(c), pa.string()),
        "seq": pa.array(range(base, base + len(c)), pa.int32()),
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
        "sha256": pa.array([x.sha256] * len(c), pa.string()),
    })


# First sighting keeps its metadata; a later sighting moves last_fetched_at and may
# upgrade the publication date to better evidence (detail page over first-seen).
_SOURCE_CONFLICT = """
        ON CONFLICT (sha256, source_url) DO UPDATE SET
            last_fetched_at = greatest(doc_source.last_fetched_at, excluded.last_fetched_at),
            first_fetched_at = least(doc_source.first_fetched_at, excluded.first_fetched_at),
            published_at = CASE WHEN excluded.published_at IS NOT NULL AND (doc_source.published_at IS NULL
                                OR _pub_rank(excluded.published_at_source) < _pub_rank(doc_source.published_at_source))
                           THEN excluded.published_at ELSE doc_source.published_at END,
            published_at_source = CASE WHEN excluded.published_at IS NOT NULL AND (doc_source.published_at IS NULL
                                OR _pub_rank(excluded.published_at_source) < _pub_rank(doc_source.published_at_source))
                           THEN excluded.published_at_source ELSE doc_source.published_at_source END
"""


def _source_row(sha256: str, source: dict, now: datetime) -> tuple | None:
    """A doc_source row; None for a local file with no known origin (nothing to record)."""
    url = source.get("source_url")
    if not url:
        return None
    fetched = _ts(source.get("fetched_at")) or now
    published = _date(source.get("published_at"))
    pub_src = source.get("published_at_source") if published else None
    return (sha256, url, source.get("site"), source.get("title"), source.get("detail_url"), published, pub_src,
            fetched, fetched)


def _record_source(con, sha256: str, source: dict, now: datetime) -> None:
    row = _source_row(sha256, source, now)
    if row:
        con.execute(f"INSERT INTO doc_source VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) {_SOURCE_CONFLICT}", list(row))


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

