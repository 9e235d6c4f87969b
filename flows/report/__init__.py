"""`budgetwatch report`: a static, offline HTML site of the warehouse, in Chinese.

Pages: index.html (district overview), dept/<key>.html (one per department),
findings.html (filterable), sources.html (every URL crawled, data freshness), and city.html
(the districts side by side, `city.py`) when the warehouse holds more than one region.
No CDN and no chart library: charts are SVG drawn in `svg.py`, the findings filter is a
few lines of inline JavaScript. The nightly flow calls `write_report(db, out)`.
"""
from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from flows.report import data as D
from flows.report.cells import cells_html
from flows.report.city import city_view
from flows.report.stamps import content_key, drop_key, read_key, restamp, stamp, write_key
from flows.report.svg import fmt_amount, hbar

log = logging.getLogger(__name__)
UNNAMED = "（未识别部门）"
# What the report sums and compares is read from these views (warehouse/aggregates.sql).
NEEDED_VIEWS = ("filing_departments", "primary_filings", "department_totals", "district_totals", "year_on_year")


def write_report(db: Path, out: Path) -> Path:
    """Write the report site of `db` into `out`; return the path of its index.html."""
    from flows.readonly_sql import connect_for_reading

    db, out = Path(db), Path(out)
    con = connect_for_reading(db)
    try:
        ctx = collect(con, db, out)
        key = content_key(con, db, out)
    finally:
        con.close()
    env = environment(ctx["freshness"])
    out.mkdir(parents=True, exist_ok=True)
    (out / "dept").mkdir(exist_ok=True)
    drop_key(out)  # until every page is written, the folder matches no warehouse
    pages = {
        out / "index.html": env.get_template("index.html").render(root="", **ctx),
        out / "findings.html": env.get_template("findings.html").render(root="", **ctx),
        out / "sources.html": env.get_template("sources.html").render(root="", **ctx),
    }
    if ctx["city"]:
        pages[out / "city.html"] = env.get_template("city.html").render(root="", **ctx)
    elif (out / "city.html").exists():  # the warehouse no longer holds several districts
        (out / "city.html").unlink()
    dept_tpl = env.get_template("department.html")
    for dept in ctx["departments"]:
        pages[out / "dept" / f"{dept['key']}.html"] = dept_tpl.render(root="../", dept=dept, **ctx)
    for path, html in pages.items():
        tmp = path.with_suffix(".html.tmp")
        tmp.write_text(html, "utf-8")
        tmp.replace(path)
    for stale in (out / "dept").glob("*.html"):  # departments gone from the warehouse
        if stale not in pages:
            stale.unlink()
    write_key(out, key, city=bool(ctx["city"]))
    log.info("report: %d pages in %s", len(pages), out)
    return out / "index.html"


def refresh_if_unchanged(db: Path, out: Path) -> bool:
    """A night that changed no content (flows/report/stamps.py): render the sources page again
    and refresh every other page's stamps in place. False, with nothing written, when the
    content changed or `out` holds no complete report of this warehouse."""
    from flows.readonly_sql import connect_for_reading

    db, out = Path(db), Path(out)
    saved = read_key(out)
    if saved is None or not (out / "index.html").exists():
        return False
    con = connect_for_reading(db)
    try:
        rels = D.relations(con)
        if "check_run" not in rels or content_key(con, db, out) != saved.get("key"):
            return False
        latest_check = con.execute("SELECT max(started_at) FROM check_run").fetchone()[0]
        if latest_check is None:  # collect falls back to the findings' last_seen then
            return False
        q = D.queries()
        documents = D.rows(con, q["documents"])
        filings = D.rows(con, q["all_filings"])
        crawled, coverage = sources(con, rels, documents, D.RawLinks(db, out))
    finally:
        con.close()
    freshness = freshness_of(documents, filings, len({f["dept_key"] for f in filings}), latest_check)
    env = environment(freshness)
    values = {f"fetched:{d['sha256']}": ts(d["fetched_at"]) for d in documents}
    values.update(generated_at=env.globals["generated_at"], latest_fetch=ts(freshness["latest_fetch"]))
    pages = {out / "sources.html": env.get_template("sources.html").render(
        root="", city=saved.get("city"), crawled=crawled, coverage=coverage, documents=documents)}
    for path in [out / "index.html", out / "findings.html", out / "city.html", *sorted((out / "dept").glob("*.html"))]:
        if path.exists():
            pages[path] = restamp(path.read_text("utf-8"), values)
    for path, html in pages.items():
        tmp = path.with_suffix(".html.tmp")
        tmp.write_text(html, "utf-8")
        tmp.replace(path)
    log.info("report: content unchanged; sources page and the stamps of %d pages refreshed in %s", len(pages) - 1, out)
    return True


def ts(v) -> str:
    return "—" if v is None else (v.strftime("%Y-%m-%d %H:%M") if hasattr(v, "hour") else str(v))


def environment(freshness: dict) -> Environment:
    env = Environment(loader=PackageLoader("flows", "templates"), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["amt"] = fmt_amount
    env.filters["cells_html"] = cells_html
    env.filters["pct"] = lambda v: "—" if v is None else f"{v:+.1f}%"
    env.filters["signed"] = lambda v: "—" if v is None else ("+" if v > 0 else "") + fmt_amount(v)
    env.filters["ts"] = ts
    env.globals.update(outcome_zh=D.OUTCOME_ZH, severity_zh=D.SEVERITY_ZH, status_zh=D.STATUS_ZH,
                       review_class=D.REVIEW_CLASS,
                       generated_at=datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M %Z"),
                       freshness=freshness, stamp=stamp)
    return env


def collect(con, db: Path, out: Path) -> dict:
    q = D.queries()
    rels = D.relations(con)
    missing = sorted(set(NEEDED_VIEWS) - rels)
    if missing:  # a warehouse written by an older budgetwatch, not migrated since
        raise RuntimeError(f"数据仓库缺少视图 {'、'.join(missing)}（由旧版本写入）；请先运行 budgetwatch check 升级数据仓库，"
                           "再生成报告")
    link = D.RawLinks(db, out)
    filings = D.rows(con, q["all_filings"])
    primary = {f["filing_id"]: f for f in D.rows(con, q["primary"])}
    totals = {t["filing_id"]: t for t in D.rows(con, q["totals"])}
    by_id = {f["filing_id"]: f for f in filings}
    for f in filings:
        f["primary"] = f["filing_id"] in primary
        f["superseded"] = f.get("is_current") is False
        f["totals"] = totals.get(f["filing_id"], {})
        f["local_pdf"] = link(f["sha256"])

    # the overview shows budgets; a warehouse of final accounts only shows those
    kind = "预算" if any(f["kind"] == "预算" for f in primary.values()) or not primary else "决算"
    district = [{"year": r["fiscal_year"], **r} for r in D.rows(con, q["district_totals"])
                if r["kind"] == kind and r["fiscal_year"] is not None]
    years = [r["year"] for r in district]
    latest_year = years[-1] if years else None
    prev_year = latest_year - 1 if latest_year is not None and latest_year - 1 in years else None
    yoy_rows = D.rows(con, q["year_on_year"])
    yoy = {(r["subject"], r["fiscal_year"], r["kind"], r["measure"]): r
           for r in yoy_rows if r["subject_kind"] == "department"}

    latest_run = None
    if "check_run" in rels:
        latest_run = con.execute("SELECT max(started_at) FROM check_run").fetchone()[0]
    documents = D.rows(con, q["documents"])
    docs = {}
    for d in documents:
        docs[d["sha256"]] = (d["source_url"], link(d["sha256"]))
    findings = _findings(con, q, rels, by_id, primary, latest_run, out, docs)
    _attach_reviews(con, q, findings)
    departments = _departments(con, q, rels, filings, findings, kind, yoy, out)
    dept_by_key = {d["key"]: d for d in departments}
    for f in findings:
        f["dept_name"] = dept_by_key[f["dept_key"]]["name"] if f["dept_key"] in dept_by_key else f["department"]

    charts = {}
    if district:
        charts["district"] = hbar(
            [{"label": f"{r['year']} 年", "values": [r["income_total"], r["expenditure_total"]]} for r in reversed(district)],
            ["收入总计", "支出总计"], title="全区部门预算收支总计（各部门合计）")

    classes = _function_classes(yoy_rows, kind, latest_year)
    if classes:
        series = [f"{latest_year} 年"] + ([f"{prev_year} 年"] if prev_year else [])
        charts["classes"] = hbar(
            [{"label": f"{c['code']} {c['label']}", "values": [c["this"]] + ([c["last"]] if prev_year else [])}
             for c in classes], series, title="按功能分类（类）汇总的支出")

    spend = sorted((d for d in departments if d["latest"] is not None and d["latest"]["year"] == latest_year),
                   key=lambda d: -(d["latest"]["totals"].get("expenditure_total") or 0))
    if spend:
        series = [f"{latest_year} 年"] + ([f"{prev_year} 年"] if prev_year else [])
        charts["spending"] = hbar(
            [{"label": d["name"], "href": f"dept/{d['key']}.html",
              "values": [d["latest"]["totals"].get("expenditure_total")] + ([d["by_year"].get(prev_year, {}).get("expenditure_total")] if prev_year else [])}
             for d in spend], series, title="各部门支出总计")

    sangong = []
    for d in departments:
        if d["latest"] is None or d["latest"]["year"] != latest_year:
            continue
        change = _change(yoy, d["key"], latest_year, kind, "sangong_total")
        sangong.append({"dept": d, "this": d["latest"]["totals"].get("sangong_total"),
                        "last": change["prior_amount_wan"] if prev_year else None,
                        "delta": change["change_wan"], "pct": change["change_pct"]})
    sangong.sort(key=lambda s: (s["delta"] is None, -(s["delta"] or 0), -(s["this"] or 0)))
    if sangong:
        series = [f"{latest_year} 年"] + ([f"{prev_year} 年"] if prev_year else [])
        charts["sangong"] = hbar(
            [{"label": s["dept"]["name"], "href": f"dept/{s['dept']['key']}.html",
              "values": [s["this"]] + ([s["last"]] if prev_year else [])}
             for s in sangong if s["this"] is not None or s["last"] is not None],
            series, title="各部门“三公”经费")

    crawled, coverage = sources(con, rels, documents, link)
    freshness = freshness_of(documents, filings, len(departments),
                             latest_run or max((f["last_seen"] for f in findings if f.get("last_seen")), default=None))
    fails = [f for f in findings if f["outcome"] == "fail" and f["status"] != "resolved"]
    return {
        "city": city_view(primary, totals, fails, by_id),
        "finding_items": group_items(findings),
        "db": str(db.resolve()),
        "years": years, "latest_year": latest_year, "prev_year": prev_year,
        "district": district, "classes": classes, "charts": charts, "sangong": sangong,
        "departments": departments, "findings": findings, "fails": fails,
        "rule_counts": Counter(f["rule_id"] for f in fails).most_common(),
        "documents": documents, "crawled": crawled, "coverage": coverage, "freshness": freshness,
        "rules": {r["rule_id"]: r for r in (D.optional_rows(con, "SELECT * FROM rules") or [])},
        # 需人工核对 (issue 13): an older warehouse without the view has none
        "review": (D.optional_rows(con, q["review_needed"]) or []) if "review_needed" in rels else [],
    }


def sources(con, rels: set[str], documents: list[dict], link) -> tuple[list[dict], list[dict] | None]:
    """The sources page's rows: every URL crawled (or, in a warehouse older than doc_source,
    every document) with its local copy, and the coverage view."""
    crawled = D.optional_rows(con, """
        SELECT s.source_url, s.site, s.title, s.detail_url, s.published_at, s.published_at_source,
               s.first_fetched_at, s.last_fetched_at, d.outcome, d.outcome_detail, d.pages, s.sha256
        FROM doc_source s LEFT JOIN documents d USING (sha256)
        ORDER BY s.last_fetched_at DESC NULLS LAST, s.source_url""")
    if crawled is None:
        crawled = [{**d, "last_fetched_at": d["fetched_at"], "first_fetched_at": None, "site": None, "title": None,
                    "detail_url": None, "published_at": None, "published_at_source": None} for d in documents]
    for c in crawled:
        c["local_file"] = link(c.get("sha256"))
    coverage = D.optional_rows(con, "SELECT * FROM coverage ORDER BY filing_id") if "coverage" in rels else None
    return crawled, coverage


def freshness_of(documents: list[dict], filings: list[dict], departments: int, latest_check) -> dict:
    return {
        "latest_fetch": max((d["fetched_at"] for d in documents if d["fetched_at"]), default=None),
        "latest_published": max((f["published_at"] for f in filings if f["published_at"]), default=None),
        "latest_check": latest_check,
        "documents": len(documents),
        "filings": len(filings),
        "departments": departments,
        "outcomes": Counter(d["outcome"] for d in documents).most_common(),
    }


def _findings(con, q, rels, by_id, primary, latest_run, out, docs) -> list[dict]:
    findings = D.rows(con, q["findings"])
    if "status" in D.columns(con, "findings") and "resolved_findings" in rels:
        # the warehouse tracks the life of a finding itself (new / open / resolved)
        return _decorate(findings + (D.optional_rows(con, q["resolved_findings"]) or []), by_id, out, docs)
    if latest_run is None:
        latest_run = max((f["last_seen"] for f in findings if f.get("last_seen")), default=None)
    current_of = {(f["dept_key"], f["fiscal_year"], f["kind"]): fid for fid, f in primary.items()}
    failing = {(f["filing_id"], f["rule_id"], f.get("subject")) for f in findings if f["outcome"] == "fail"}
    kept = []
    for f in findings:
        filing = by_id.get(f["filing_id"])
        if filing is None:
            continue
        current = current_of.get((filing["dept_key"], filing["fiscal_year"], filing["kind"]))
        superseded = current is not None and current != f["filing_id"]
        still = (current, f["rule_id"], f.get("subject")) in failing
        status = D.finding_status(f, latest_run, superseded, still)
        if status is None:
            continue
        f.update(status=status, superseded=superseded)
        kept.append(f)
    return _decorate(kept, by_id, out, docs)


def _decorate(findings: list[dict], by_id: dict, out: Path, docs: dict) -> list[dict]:
    """Each finding with its filing, its evidence split into sides, and links to the PDF pages
    (`docs`: sha256 → (source URL, local link) for values read from a filing's second file)."""
    kept = []
    for f in findings:
        filing = by_id.get(f["filing_id"])
        if filing is None:
            continue
        identity, sides = D.evidence_sides(f.get("evidence"))
        for side in sides:
            for cell in side["cells"]:
                page = cell["page"]
                anchor = f"#page={page}" if page else ""
                url, local = filing["source_url"], filing["local_pdf"]
                if cell.get("sha256") and cell["sha256"] != filing["sha256"]:
                    url, local = docs.get(cell["sha256"], (None, None))
                cell["href"] = url + anchor if url else None
                cell["local_href"] = local + anchor if local else None
        f.update(identity=identity, sides=sides, department=filing["department"],
                 dept_key=filing["dept_key"], fiscal_year=filing["fiscal_year"], kind=filing["kind"],
                 unit_scope=filing["unit_scope"], status=f.get("status") or "",
                 superseded=f.get("superseded", filing.get("superseded", False)))
        kept.append(f)
    order = {"fail": 0, "error": 1, "insufficient_data": 2, "not_applicable": 3}
    sev = {"high": 0, "medium": 1, "low": 2}
    kept.sort(key=lambda f: (order.get(f["outcome"], 9), f["status"] == "resolved", sev.get(f["severity"], 9),
                             f["department"] or "", -(f["fiscal_year"] or 0), f["rule_id"]))
    return kept


def _attach_reviews(con, q, findings: list[dict]) -> None:
    """Each finding with staff's review of it (issue 16); 待核 where there is none (or the
    warehouse predates reviews)."""
    reviews = {(r["filing_id"], r["rule_id"], r["subject"]): r for r in (D.optional_rows(con, q["reviews"]) or [])}
    for f in findings:
        r = reviews.get((f["filing_id"], f["rule_id"], f.get("subject")), {})
        f.update(review_key=r.get("review_key"), review_status=r.get("review_status") or "待核",
                 review_note=r.get("review_note"), reviewed_by=r.get("reviewed_by"), reviewed_at=r.get("reviewed_at"),
                 group_id=f.get("group_id") or (r.get("group_id") if f.get("status") != "resolved" else None))


def group_items(findings: list[dict]) -> list[dict]:
    """The findings as the report lists them: one item per cause group (its lead, the first in
    the list's order, carries the other members in `members`), other findings as they are."""
    items, leads = [], {}
    for f in findings:
        f["members"] = []
        gid = (f["filing_id"], f.get("group_id")) if f.get("group_id") and f["outcome"] == "fail" \
            and f.get("status") != "resolved" else None
        if gid and gid in leads:
            leads[gid]["members"].append(f)
            continue
        if gid:
            leads[gid] = f
        items.append(f)
    return items


def _departments(con, q, rels, filings, findings, kind, yoy, out) -> list[dict]:
    facts_by_filing = defaultdict(list)
    for r in D.rows(con, q["facts"]):
        facts_by_filing[r["filing_id"]].append(r)
    scores = _scores(con, rels)
    dept_totals = {(t["dept_key"], t["fiscal_year"]): t for t in D.rows(con, q["department_totals"]) if t["kind"] == kind}
    depts: dict[str, dict] = {}
    for f in filings:  # newest year first within a department (query order)
        d = depts.setdefault(f["dept_key"], {"key": f["dept_key"], "name": f["department"], "code": f["dept_code"],
                                              "code_missing": f["code_missing"], "region": f["region_code"],
                                              "filings": [], "by_year": {}, "latest": None})
        f["tables"] = D.pivot_tables(facts_by_filing.get(f["filing_id"], []))
        d["filings"].append(f)
        if f["primary"] and f["kind"] == kind:
            t = dept_totals.get((f["dept_key"], f["fiscal_year"]), {})
            d["by_year"][f["fiscal_year"]] = t
            if d["latest"] is None:
                d["latest"] = {"year": f["fiscal_year"], "totals": t, "filing": f}
                d["name"] = f["department"]
    for d in depts.values():
        d["name"] = d["name"] or next((f["department"] for f in d["filings"] if f["department"]), None) or UNNAMED
        fs = [x for x in findings if x["dept_key"] == d["key"]]
        d["findings"] = fs
        d["n_fail"] = sum(1 for x in fs if x["outcome"] == "fail" and x["status"] != "resolved")
        d["n_new"] = sum(1 for x in fs if x["outcome"] == "fail" and x["status"] == "new")
        d["fail_rules"] = sorted({x["rule_id"] for x in fs if x["outcome"] == "fail" and x["status"] != "resolved"})
        d["n_insufficient"] = sum(1 for x in fs if x["outcome"] in ("insufficient_data", "error"))
        d["finding_items"] = group_items(fs)
        d["review_counts"] = Counter(x["review_status"] for x in fs
                                     if x["outcome"] == "fail" and x["status"] != "resolved")
        ys = sorted(d["by_year"], reverse=True)
        d["yoy"] = []
        for y in ys:
            t = d["by_year"][y]
            d["yoy"].append({"year": y, "totals": t, "delta": {
                k: tuple(_change(yoy, d["key"], y, kind, k)[c] for c in ("change_wan", "change_pct"))
                for k in ("income_total", "expenditure_total", "basic_expenditure", "project_expenditure",
                          "personnel_expenditure", "public_expenditure", "sangong_total")}})
        d["chart"] = hbar([{"label": f"{y} 年", "values": [d["by_year"][y].get("expenditure_total"),
                                                          d["by_year"][y].get("sangong_total")]} for y in ys],
                          ["支出总计", "三公经费"], title="历年支出") if len(ys) > 1 else ""
        d["score"] = scores(d, [f["filing_id"] for f in d["filings"]]) if scores else None
    return sorted(depts.values(), key=lambda d: (-d["n_fail"], d["code"] or "", d["name"] or ""))


def _scores(con, rels):
    """A lookup of the warehouse's compliance_scores (absent from a warehouse older than the view)."""
    if "compliance_scores" not in rels:
        return None
    rows = D.optional_rows(con, "SELECT * FROM compliance_scores") or []
    if not rows:
        return None

    def lookup(dept, filing_ids):
        ids = set(filing_ids)
        mine = [r for r in rows if r.get("filing_id") in ids
                or (r.get("department_code") is not None and r.get("department_code") == dept["code"]
                    and r.get("region_code", dept["region"]) == dept["region"])]
        if not mine:
            return None
        # its columns in Chinese, newest first
        mine = sorted(mine, key=lambda r: (r["fiscal_year"], r["kind"]), reverse=True)
        shown = [{zh: ("、".join(r[col]) if isinstance(r[col], list) else r[col]) for col, zh in SCORE_COLUMNS}
                 for r in mine]
        return {"view": "compliance_scores", "columns": [zh for _, zh in SCORE_COLUMNS], "rows": shown}
    return lookup


SCORE_COLUMNS = (("fiscal_year", "年度"), ("kind", "类型"), ("completeness", "完整性（F2 F3 F5）"),
                 ("timeliness", "及时性（F1）"), ("detail", "细化程度（F4）"), ("score", "总分"),
                 ("failed_rules", "未通过"), ("unevaluated_rules", "无法核对"))


def _change(yoy: dict, dept_key: str, year, kind: str, measure: str) -> dict:
    """The year_on_year row of one amount of a department; NULLs where it has none."""
    return yoy.get((dept_key, year, kind, measure)) or dict.fromkeys(
        ("amount_wan", "prior_amount_wan", "change_wan", "change_pct"))


def _function_classes(yoy_rows: list[dict], kind: str, latest_year) -> list[dict]:
    """The district's spending by 功能分类 类 in the latest year, with its change (view year_on_year)."""
    rows = [r for r in yoy_rows if r["subject_kind"] == "function_class" and r["fiscal_year"] == latest_year
            and r["kind"] == kind]
    return [{"code": r["subject"], "label": r["subject_name"] or "", "this": r["amount_wan"],
             "last": r["prior_amount_wan"], "delta": r["change_wan"], "pct": r["change_pct"]}
            for r in sorted(rows, key=lambda r: (r["subject"], r["region_code"] or ""))]
