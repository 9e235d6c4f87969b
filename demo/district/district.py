"""The whole sample district: every department's 2024–2026 budgets on one portal.

``district(seed, epoch)`` returns the portal's filings (``PortalFiling`` with lazy
attachment writers), the expected findings (ground truth) and the site's metadata
(人大 approval dates, variants). Everything is a pure function of (seed, epoch):
epoch 1 is the same portal after one department re-published a corrected filing under
the same URLs.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from demo.district import catalogue as cat
from demo.district import formats
from demo.district.compose import Composer, Layout, summary
from demo.district.faults import SEED_FINDINGS, Fault, a4_item_not_in_parent, e4_unit_differs
from demo.district.faults import catalogue as fault_catalogue
from demo.district.final import FINAL_APPROVALS, FinalComposer, final_departments, final_of
from demo.district.final import summary as final_summary
from demo.district.model import YEARS, DeptYear, Project, dept_year
from demo.district.localise import localiser
from demo.entries import Attachment, PortalFiling, seed_filings
from warehouse.db import approval_dates

DEFAULT_SEED = 2026

# Dates the 区人民代表大会 approved each year's budget (the 20-day rule counts from them): the
# warehouse's defaults (warehouse/approval_dates.yaml), so F1 judges the portal by the same dates.
APPROVALS = {d["fiscal_year"]: d["approved_on"] for d in approval_dates()
             if str(d["region_code"]) == cat.REGION_CODE and d["kind"] == "预算"}
WINDOW_DAYS = 20

# (department, year) → how that filing is published. Everything else: the Wuhan 12-table PDF.
VARIANTS = {
    ("102", 2026): "jiangan", ("103", 2025): "jiangan", ("128", 2024): "jiangan",
    ("110", 2026): "split", ("126", 2025): "split",
    ("132", 2025): "xlsx", ("136", 2024): "xlsx",
    ("134", 2026): "html", ("135", 2025): "html",
    ("141", 2026): "yuan", ("121", 2025): "yuan",
    ("127", 2026): "three_col", ("116", 2025): "three_col",
    ("119", 2026): "long_repeat", ("127", 2025): "long_norepeat",
    ("112", 2026): "landscape", ("124", 2025): "landscape",
    # failure cases: what a crawler meets, each ending as one documents row
    ("137", 2024): "scanned", ("138", 2025): "encrypted", ("139", 2024): "truncated",
    ("150", 2025): "error_page", ("151", 2026): "duplicate", ("152", 2026): "republished",
}
EXPECTED_OUTCOME = {"scanned": "scanned", "encrypted": "encrypted", "truncated": "truncated",
                    "error_page": "not_pdf"}
REPUBLISHED = ("152", 2026)
# 决算 faults: (department, year) → fault
FINAL_FAULTS = {
    ("105", 2024): Fault("E3", "决算 narrative quotes 一般公共预算财政拨款支出年初预算 6.00 万元 above the 2024 budget filing's "
                               "一般公共预算支出 (完成率 consistent with the wrong figure)", narrative={"plan_delta": 60000}),
}


def _src_hash() -> str:
    """The renderers' sources: with the filing dict (which captures the generator's effect)
    they decide an attachment's bytes, so they key the attachment cache."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for p in (here / "formats.py", here.parent / "render_pdf.py", here.parent / "line_breaking.py"):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class District:
    filings: list  # PortalFiling
    ground_truth: list[dict]
    meta: dict = field(default_factory=dict)


def _content_key(*parts) -> str:
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _long_projects(dy: DeptYear, n: int = 36) -> None:
    """A department with many small projects: its 项目支出表 runs over several pages."""
    u = dy.units[0]
    rng = random.Random(f"long|{dy.dept.code}")
    for i in range(n):
        y = rng.randrange(20, 400) * 1000
        u.projects.append(Project(300 + i, f"{cat.STREETS[i % len(cat.STREETS)]}片区专项整治经费（{i + 1:02d}）",
                                  u.unit.code, dy.dept.project_code, "gb", [("30227", y)], True, dy.dept.code, dy.year))


def district(seed: int = DEFAULT_SEED, epoch: int = 0, region_code: str | None = None,
             region_name: str | None = None) -> District:
    """The sample district; with ``region_code`` / ``region_name`` another district of the sample
    city: the same departments, figures from ``seed``, its own name and code (demo.district.localise)."""
    loc = localiser(region_code, region_name)
    src = _src_hash()
    faults = fault_catalogue()
    depts = cat.departments()
    rng = random.Random(f"portal|{seed}")
    models: dict[tuple[str, int], DeptYear] = {}
    for d in depts:
        for y in YEARS:
            dy = dept_year(d, y, seed)
            if VARIANTS.get((d.code, y), "").startswith("long"):
                _long_projects(dy)
            f = faults.get((d.code, y, "部门"))
            if f and f.model:
                f.model(dy)
            models[(d.code, y)] = dy

    filings, truth = [], []
    doc_id = 2000000

    def history(d, year, unit=None):
        h = {}
        for yy in range(year - 2, year):
            if yy in YEARS:
                dy = models[(d.code, yy)]
                h[yy] = summary(dy.only(unit) if unit else dy)
            else:  # before the sample's first year: plausible figures of the same size
                base = summary((models[(d.code, 2024)].only(unit) if unit else models[(d.code, 2024)]))
                k = 1 - 0.03 * (2024 - yy) + random.Random(f"{d.code}|{yy}|{unit}").uniform(-0.04, 0.04)
                h[yy] = {key: (int(v * k) if isinstance(v, int) else v) for key, v in base.items()}
        return h

    for d in depts:
        for y in YEARS:
            variant = VARIANTS.get((d.code, y), "")
            fault = faults.get((d.code, y, "部门"))
            if (d.code, y) == ("118", 2026) and loc is None:  # another district composes its own
                filings.append(seed_filings()[0])
                for rule, arguable, note in SEED_FINDINGS:
                    truth.append(_gt(d.code, y, "部门", rule, "seed: " + note, arguable))
                continue
            dy = models[(d.code, y)]
            entries = [("部门", None, d.name, dy, fault)]
            if len(d.units) > 1:
                for u in d.units:
                    if fault and fault.rule == "F5" and u.code == "111003":
                        continue
                    udy = dy.only(u.code)
                    if (d.code, y) == ("119", 2025) and u.code == "119002":
                        udy = _copy_unit(dy, u.code)
                        e4_unit_differs(u.code)(udy)
                    entries.append(("单位", u.code, u.name, udy, None))
            for scope, unit_code, name, model, flt in entries:
                doc_id += 1
                layout = Layout(template="jiangan" if variant == "jiangan" else "wuhan", yuan=variant == "yuan",
                                three_col=variant == "three_col")
                comp = Composer(model, history(d, y, unit_code), layout, scope=scope, name=name)
                nar = dict(flt.narrative) if flt else {}
                if epoch == 0 and (d.code, y) == REPUBLISHED and scope == "部门":
                    flt = Fault("A4", "first publication: T3 first 项 row 合计 and 基本支出 +2.00 (corrected in epoch 1)",
                                tables=[a4_item_not_in_parent])
                filing = comp.filing(
                    faults=dict(nar, table_edits=list(flt.tables) if flt else []),
                    drop_tables=flt.drop_tables if flt else (),
                    created=None,
                )
                published = _published(rng, y, late=bool(flt and flt.late))
                if (d.code, y) == REPUBLISHED and scope == "部门":
                    published = date(y, 1, 12) if epoch == 0 else date(y, 1, 24)
                filing["meta"]["pdf_created"] = f"{published - timedelta(days=2)}T09:30:00+08:00"
                filing["render"] = {"compact_forms": True, "landscape": variant == "landscape",
                                    "repeat_headers": variant != "long_norepeat"}
                if loc is not None:
                    filing, name = loc.deep(filing), loc.text(name)
                pf, extra = _portal_entries(PortalFiling, Attachment, d, y, scope, name, filing, variant,
                                            published, doc_id, src, rng, epoch)
                filings += pf
                doc_id += extra
                if variant in ("xlsx", "html"):
                    truth.append(_gt(d.code, y, scope, "F2", f"the {variant} variant publishes 表1–表10 only: "
                                     "表11/表12 (绩效目标表) are missing", False))
                if variant == "html":
                    truth.append(dict(_gt(d.code, y, scope, "F3", "consequence of the F2 fault: the html variant prints "
                                          "the tables and the 情况说明 only, 概况 (职能, 单位构成, 人员构成) and "
                                          "名词解释 are missing", False),
                                      consequence=True))
                if flt:
                    truth.append(_gt(d.code, y, scope, flt.rule, flt.note, False))
                    for rule in flt.also:
                        truth.append(dict(_gt(d.code, y, scope, rule, f"consequence of the {flt.rule} fault: {flt.note}",
                                              False), consequence=True))
                    for rule in flt.arguable:
                        truth.append(_gt(d.code, y, scope, rule, "possible consequence: " + flt.note, True))
    for d in depts:
        if d.code not in final_departments([x.code for x in depts]):
            continue
        for y in FINAL_APPROVALS:
            fin = final_of(models[(d.code, y)], seed)
            if y - 1 in FINAL_APPROVALS:
                prior = final_summary(final_of(models[(d.code, y - 1)], seed))
            else:
                prior = {k: int(v * 0.95) for k, v in final_summary(fin).items()}
            fault = FINAL_FAULTS.get((d.code, y))
            filing = FinalComposer(fin, prior).filing(faults=fault.narrative if fault else None)
            if loc is not None:
                filing = loc.deep(filing)
            published = FINAL_APPROVALS[y] + timedelta(days=rng.randrange(5, WINDOW_DAYS + 1))
            filing["meta"]["pdf_created"] = f"{published - timedelta(days=3)}T10:00:00+08:00"
            doc_id += 1
            key = _content_key(src, filing, "final")
            title = f"{d.name}{y}年度部门决算公开"
            approved = FINAL_APPROVALS[y]
            body = (f"根据《中华人民共和国预算法》有关规定，{d.name}{y}年度部门决算已经硚口区人民代表大会常务委员会于"
                    f"{approved.year}年{approved.month}月{approved.day}日审查批准，现予以公开，详见附件。")
            att = Attachment(file_name=_file_name(rng, published, ".pdf"), link_text=f"{d.name}{y}年度部门决算.pdf",
                             source_key=_content_key(key, "write_pdf"), write=partial(_write, formats.write_pdf, filing))
            filings.append(PortalFiling(department=d.name, department_code=d.code, fiscal_year=y, kind="决算",
                                        unit_scope="部门", title=title, published_at=str(published), doc_id=doc_id,
                                        attachments=(att,), body=body, absolute_links=doc_id % 3 == 0, variant="final"))
            if fault:
                truth.append(dict(_gt(d.code, y, "部门", fault.rule, fault.note, False), kind="决算"))
    for (code, year, _), flt in sorted(faults.items()):
        for later, kind, scope, rule in flt.elsewhere:
            truth.append(dict(_gt(code, year + later, scope, rule, f"consequence of the {flt.rule} fault of {year}: {flt.note}",
                                  False), kind=kind, consequence=True))
    if loc is not None:
        from demo.district.localise import LOOKALIKE_RULES

        filings = [loc.portal(f) for f in filings]
        truth = [t for t in truth if (t["department_code"], t["fiscal_year"], t["rule_id"]) not in LOOKALIKE_RULES]
    meta = {
        "seed": seed, "epoch": epoch, "region_code": loc.code if loc else cat.REGION_CODE,
        "region": loc.name if loc else cat.REGION,
        "approvals": {str(y): str(d) for y, d in APPROVALS.items()},
        "final_approvals": {str(y): str(d) for y, d in FINAL_APPROVALS.items()},
        "approval_note": "区人民代表大会批准当年预算的日期；部门预算应在批准后 20 日内公开（预算法第十四条）。",
        "variants": {f"{k[0]}-{k[1]}": v for k, v in sorted(VARIANTS.items())},
        "departments": len(depts),
    }
    return District(filings, truth, meta)


def _copy_unit(dy: DeptYear, unit_code: str) -> DeptYear:
    import copy

    return copy.deepcopy(dy.only(unit_code))


def _gt(code, year, scope, rule, note, arguable) -> dict:
    row = {"department_code": code, "fiscal_year": year, "kind": "预算", "unit_scope": scope, "rule_id": rule,
           "note": note}
    if arguable:
        row["arguable"] = True
    return row


def _published(rng: random.Random, year: int, late: bool) -> date:
    approved = APPROVALS[year]
    if late:
        return approved + timedelta(days=79 + rng.randrange(0, 2))
    return approved + timedelta(days=rng.randrange(4, WINDOW_DAYS + 1))


def _file_name(rng: random.Random, published: date, ext: str) -> str:
    return f"P0{published:%Y%m%d}{rng.randrange(10**11, 10**12)}{ext}"


def _portal_entries(PortalFiling, Attachment, d, y, scope, name, filing, variant, published, doc_id, src, rng, epoch):
    """The detail page(s) of one filing and their attachments, by variant."""
    word = "部门预算" if scope == "部门" else "单位预算"
    title = f"{name}{y}年{word}公开"
    key = _content_key(src, filing, variant)
    approved = APPROVALS[y]
    body = (f"根据《中华人民共和国预算法》和财政部关于部门预算公开的有关规定，{name}{y}年{word}已经"
            f"硚口区人民代表大会于{approved.year}年{approved.month}月{approved.day}日审查批准，现予以公开，详见附件。")
    extra_pages = 0
    first = date(y, 1, 12) if (d.code, y) == REPUBLISHED and scope == "部门" else None

    def att(ext, writer, text, outcome="ok", salt=""):
        return Attachment(file_name=_file_name(rng, first or published, ext), link_text=text,
                          source_key=_content_key(key, salt, writer.__name__ if hasattr(writer, "__name__") else str(writer)),
                          write=partial(_write, writer, filing), expected_outcome=outcome)

    base = dict(department=name, department_code=d.code, fiscal_year=y, kind="预算", unit_scope=scope,
                title=title, published_at=str(published), doc_id=doc_id, variant=variant or "wuhan")
    pdf_name = f"{name}{y}年{word}.pdf"
    if variant == "split":
        atts = (att(".pdf", _pdf_tables, f"{name}{y}年{word}表.pdf"),
                att(".pdf", _pdf_narrative, f"{name}{y}年{word}情况说明.pdf", salt="n"))
    elif variant == "xlsx":
        atts = (att(".xlsx", formats.write_xlsx, f"{name}{y}年{word}公开表.xlsx"),)
    elif variant == "html":
        body = body.replace("，详见附件。", "，公开内容如下。")
        return [PortalFiling(**base, body=body, body_html=formats.tables_html(filing))], 0
    elif variant in EXPECTED_OUTCOME:
        writer = {"scanned": formats.write_scanned, "encrypted": formats.write_encrypted,
                  "truncated": formats.write_truncated, "error_page": formats.write_error_page}[variant]
        atts = (att(".pdf", writer, pdf_name, EXPECTED_OUTCOME[variant]),)
    else:
        atts = (att(".pdf", formats.write_pdf, pdf_name),)
    entries = [PortalFiling(**base, attachments=atts, body=body,
                            first_published=str(first) if first else "",
                            absolute_links=doc_id % 3 == 0)]
    if variant == "republished" and epoch == 1:
        entries[0] = replace(entries[0], body=body + "（更正：原公开文件支出总表数据有误，现予更正并重新公开。）")
    if variant == "duplicate":
        # the same file again, on a second page of the column (a re-post under another URL)
        a = atts[0]
        twin = Attachment(file_name=_file_name(rng, published + timedelta(days=3), ".pdf"), link_text=a.link_text,
                          source_key=a.source_key, write=a.write)
        entries.append(PortalFiling(**dict(base, title=f"{name}{y}年{word}公开（重发）", doc_id=doc_id + 1,
                                           published_at=str(published + timedelta(days=3))),
                                    attachments=(twin,), body=body))
        extra_pages = 1
    return entries, extra_pages


def _write(writer, filing, path):
    writer(filing, path)


def _pdf_tables(filing, path):
    formats.write_pdf(filing, path, parts="tables")


def _pdf_narrative(filing, path):
    formats.write_pdf(filing, path, parts="narrative")
