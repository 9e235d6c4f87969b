"""Open the warehouse: create or migrate the schema, macros, views and rule catalogue."""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import yaml

from extractors import canon
from warehouse.comments import apply as apply_comments

HERE = Path(__file__).resolve().parent
SCHEMA_VERSION = "1"
# The file must stay readable by DuckDB 1.5.x (other tools and users' notebooks lag behind
# the writer). DuckDB only applies this when it creates the file.
STORAGE_COMPATIBILITY_VERSION = "v1.5.0"
SQL_FILES = ("schema.sql", "outbox.sql", "crawls.sql", "policy.sql", "views.sql", "aggregates.sql", "reviews.sql", "groups.sql")


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = str(path)
    if read_only:
        return duckdb.connect(path, read_only=True)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(path, config={"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION})
    migrate(con)
    return con


# What a migration reads: when none of it changed since the warehouse's last migration, the
# warehouse already holds its result (each connect of a nightly or a test paid ~0.35 s of CPU to
# write it again).
_MIGRATION_INPUTS = (
    [HERE / n for n in SQL_FILES]
    + [HERE / n for n in ("rules.yaml", "approval_dates.yaml", "template_orders.yaml", "template_sections.yaml",
                          "dictionary.yaml", "db.py", "comments.py")]
    + [HERE.parent / "extractors" / n for n in ("vocabulary.yaml", "canon.py")]
)


def migration_key() -> str:
    """Content key of everything migrate() writes: its inputs, the rule files present (the
    catalogue's `implemented`), the template profiles (F2's tables) and DuckDB's version."""
    h = hashlib.sha256(f"{SCHEMA_VERSION}\0{duckdb.__version__}\0".encode())
    for p in _MIGRATION_INPUTS:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    h.update("\0".join(check_files()).encode())
    for p in sorted((HERE.parent / "extractors" / "profiles").glob("*.yaml")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _migrated_with(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        r = con.execute("SELECT value FROM schema_info WHERE key = 'migration_key'").fetchall()
    except duckdb.CatalogException:  # a new file, or one from before schema_info
        return None
    return r[0][0] if r else None


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Idempotent: every statement is CREATE IF NOT EXISTS / CREATE OR REPLACE. Skipped when
    the warehouse was last migrated from the same inputs (migration_key)."""
    key = migration_key()
    if _migrated_with(con) == key:
        return
    con.begin()
    try:
        con.execute(table_zh_macro())
        for name in SQL_FILES:
            con.execute((HERE / name).read_text(encoding="utf-8"))
        _load_rules(con)
        _load_reference(con)
        # after the views: CREATE OR REPLACE drops a view's comments
        apply_comments(con)
        con.execute(
            "INSERT OR REPLACE INTO schema_info VALUES ('schema_version', ?), ('rules_version', ?), ('migration_key', ?)",
            [SCHEMA_VERSION, rules_version(), key],
        )
        con.commit()
    except BaseException:
        con.rollback()
        raise


# libyaml's parser where PyYAML was built with it: every connect reads these files, and the
# pure-Python parser took a third of a second of each (a test suite opens hundreds of warehouses).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)


def rule_catalogue() -> list[dict]:
    return read_yaml(HERE / "rules.yaml")["rules"]


def check_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted((HERE / "checks").glob("*.sql"))}


def rules_version() -> str:
    """Content key of the catalogue and every check: a changed rule re-keys its findings."""
    h = hashlib.sha256((HERE / "rules.yaml").read_bytes())
    h.update((HERE / "policy.sql").read_bytes())
    h.update((HERE / "template_orders.yaml").read_bytes())
    h.update((HERE / "template_sections.yaml").read_bytes())
    h.update((HERE / "read_gate.sql").read_bytes())
    # table names and region aliases of the messages and of D4
    h.update((HERE.parent / "extractors" / "vocabulary.yaml").read_bytes())
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


def _sql_text(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def table_zh_macro() -> str:
    """The macro table_zh as a plain CASE over the vocabulary's table names: a macro that looked
    them up in a table would be a subquery, which DuckDB refuses inside lambdas (B9, F2)."""
    cases = " ".join(f"WHEN {_sql_text(k)} THEN {_sql_text(f'表{k[1:]} {name}')}" for k, name in canon.TABLE_KINDS.items())
    return f"CREATE OR REPLACE MACRO table_zh(k) AS CASE k {cases} ELSE k END"


def approval_dates() -> list[dict]:
    """The default 人大 approval dates (warehouse/approval_dates.yaml)."""
    return read_yaml(HERE / "approval_dates.yaml") or []


def _load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Reference tables the checks read: the shared vocabulary (table names, 功能分类 类, 三公
    items, region aliases for D4), each template's tables (F2) and the default approval dates (F1)."""
    con.execute("DELETE FROM region_alias")
    con.executemany("INSERT INTO region_alias VALUES (?, ?)", list(canon.REGION_ALIASES.items()))
    con.execute("DELETE FROM table_kind")
    con.executemany("INSERT INTO table_kind VALUES (?, ?, ?)",
                    [(k, name, i) for i, (k, name) in enumerate(canon.TABLE_KINDS.items())])
    con.execute("DELETE FROM function_class")
    con.executemany("INSERT INTO function_class VALUES (?, ?)", list(canon.FUNC_CLASSES.items()))
    con.execute("DELETE FROM sangong_item")
    con.executemany("INSERT INTO sangong_item VALUES (?, ?, ?, ?)",
                    [(i["subject"], i["column"], i["name"], [str(c) for c in i.get("econ_codes") or []])
                     for i in canon.VOCABULARY["sangong_items"]])
    con.executemany("INSERT OR IGNORE INTO approval_dates VALUES (?, ?, ?, ?, ?)",
                    [(str(d["region_code"]), d["fiscal_year"], d["kind"], d["approved_on"],
                      "default (sample district): replace with the 人代会 date") for d in approval_dates()])
    con.execute("DELETE FROM template_table")
    rows = []
    for p in sorted((HERE.parent / "extractors" / "profiles").glob("*.yaml")):
        prof = read_yaml(p) or {}
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
    return read_yaml(HERE / "template_sections.yaml") or {}


def template_orders() -> dict[str, list[list[str]]]:
    """Other official print orders of a template's tables (template id → orders)."""
    return read_yaml(HERE / "template_orders.yaml") or {}
