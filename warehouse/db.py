"""Open the warehouse: create or migrate the schema, macros, views and rule catalogue."""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import yaml

HERE = Path(__file__).resolve().parent
SCHEMA_VERSION = "1"
# The file must stay readable by DuckDB 1.5.x (other tools and users' notebooks lag behind
# the writer). DuckDB only applies this when it creates the file.
STORAGE_COMPATIBILITY_VERSION = "v1.5.0"
SQL_FILES = ("schema.sql", "crawls.sql", "policy.sql", "views.sql", "aggregates.sql", "reviews.sql", "groups.sql")


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = str(path)
    if read_only:
        return duckdb.connect(path, read_only=True)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(path, config={"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION})
    migrate(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Idempotent: every statement is CREATE IF NOT EXISTS / CREATE OR REPLACE."""
    con.begin()
    try:
        for name in SQL_FILES:
            con.execute((HERE / name).read_text(encoding="utf-8"))
        _load_rules(con)
        _load_reference(con)
        # after the views: CREATE OR REPLACE drops a view's comments
        from warehouse.dictionary import apply as apply_comments

        apply_comments(con)
        con.execute(
            "INSERT OR REPLACE INTO schema_info VALUES ('schema_version', ?), ('rules_version', ?)",
            [SCHEMA_VERSION, rules_version()],
        )
        con.commit()
    except BaseException:
        con.rollback()
        raise


def rule_catalogue() -> list[dict]:
    return yaml.safe_load((HERE / "rules.yaml").read_text(encoding="utf-8"))["rules"]


def check_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted((HERE / "checks").glob("*.sql"))}


def rules_version() -> str:
    """Content key of the catalogue and every check: a changed rule re-keys its findings."""
    h = hashlib.sha256((HERE / "rules.yaml").read_bytes())
    h.update((HERE / "policy.sql").read_bytes())
    h.update((HERE / "template_orders.yaml").read_bytes())
    h.update((HERE / "template_sections.yaml").read_bytes())
    h.update((HERE / "read_gate.sql").read_bytes())
    for rule_id, p in check_files().items():
        h.update(rule_id.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


def _load_rules(con: duckdb.DuckDBPyConnection) -> None:
    implemented = set(check_files())
    rows = [
        (r["id"], r["severity"], r.get("title_zh"), r.get("title_en"), r.get("family"), r["id"] in implemented)
        for r in rule_catalogue()
    ]
    unknown = implemented - {r[0] for r in rows}
    if unknown:
        raise ValueError(f"check files without a catalogue entry in rules.yaml: {sorted(unknown)}")
    con.execute("DELETE FROM rule")
    con.executemany("INSERT INTO rule VALUES (?, ?, ?, ?, ?, ?)", rows)


def _load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Reference tables the checks read: region aliases (D4) and each template's tables (F2)."""
    from extractors import canon

    con.execute("DELETE FROM region_alias")
    con.executemany("INSERT INTO region_alias VALUES (?, ?)", list(canon.REGION_ALIASES.items()))
    con.execute("DELETE FROM template_table")
    rows = []
    for p in sorted((HERE.parent / "extractors" / "profiles").glob("*.yaml")):
        prof = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        if prof.get("id"):
            rows += [(prof["id"], kind, i) for i, kind in enumerate(prof.get("tables") or {})]
    if rows:
        con.executemany("INSERT INTO template_table VALUES (?, ?, ?)", rows)
    con.execute("DELETE FROM template_order")
    orders = [(t, 0, kind, i) for t, kind, i in rows]
    for template, variants in template_orders().items():
        for v, kinds in enumerate(variants, start=1):
            orders += [(template, v, kind, i) for i, kind in enumerate(kinds)]
    if orders:
        con.executemany("INSERT INTO template_order VALUES (?, ?, ?, ?)", orders)
    con.execute("DELETE FROM template_section")
    sections = [(t, f"section:{s}", i, bool(req.get("car_split")))
                for t, req in template_sections().items() for i, s in enumerate(req.get("sections") or [])]
    if sections:
        con.executemany("INSERT INTO template_section VALUES (?, ?, ?, ?)", sections)


def template_sections() -> dict[str, dict]:
    """Narrative parts each template family requires; 'national' for the families not listed (F3)."""
    return yaml.safe_load((HERE / "template_sections.yaml").read_text(encoding="utf-8")) or {}


def template_orders() -> dict[str, list[list[str]]]:
    """Other official print orders of a template's tables (template id → orders)."""
    return yaml.safe_load((HERE / "template_orders.yaml").read_text(encoding="utf-8")) or {}
