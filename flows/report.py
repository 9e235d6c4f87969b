"""`budgetwatch report`: a static, offline HTML report of the warehouse (in Chinese)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape


def _rows(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _evidence_links(evidence) -> list[dict]:
    """Each side of a finding as (label, url#page=N) so a reader lands on the PDF page."""
    try:
        sides = json.loads(evidence) if isinstance(evidence, str) else (evidence or [])
    except ValueError:
        return []
    if isinstance(sides, dict):
        sides = sides.get("sides") or [sides]
    links = []
    for s in sides if isinstance(sides, list) else []:
        if not isinstance(s, dict):
            continue
        label = " ".join(str(s[k]) for k in ("table", "row", "column", "printed_value") if s.get(k) not in (None, ""))
        links.append({"label": label or "证据", "page": s.get("page")})
    return links


def write_report(db: Path, out: Path) -> Path:
    from flows.readonly_sql import connect_readonly

    con = connect_readonly(db)
    try:
        filings = _rows(con, "SELECT * FROM filings ORDER BY department, fiscal_year")
        totals = _rows(con, "SELECT * FROM filing_totals ORDER BY department, fiscal_year")
        findings = _rows(
            con,
            """SELECT f.*, fl.department, fl.fiscal_year, fl.source_url
               FROM findings f JOIN filings fl USING (filing_id)
               ORDER BY CASE f.outcome WHEN 'fail' THEN 0 WHEN 'error' THEN 1 WHEN 'insufficient_data' THEN 2 ELSE 3 END,
                        fl.department, f.rule_id""",
        )
        documents = _rows(con, "SELECT * FROM documents ORDER BY fetched_at DESC")
    finally:
        con.close()
    for f in findings:
        f["links"] = [
            {**link, "href": f"{f['source_url']}#page={link['page']}" if link.get("page") else f["source_url"]}
            for link in _evidence_links(f.get("evidence"))
        ]
    env = Environment(loader=PackageLoader("flows", "templates"), autoescape=select_autoescape())
    html = env.get_template("report.html").render(
        filings=filings,
        totals=totals,
        findings=findings,
        fails=[f for f in findings if f["outcome"] == "fail"],
        documents=documents,
        generated_at=datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M"),
        db=str(db.resolve()),
    )
    out.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    index.write_text(html, "utf-8")
    return index
