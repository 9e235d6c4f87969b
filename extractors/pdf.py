"""extract_file: one document in, one Extraction out, never an exception.

Order of work (cheap before expensive): sniff the bytes, open with pypdfium2
and read every page's text and path count, decide the template profile from
that text, then run pdfplumber's table finder on the table pages only.
"""
from __future__ import annotations

import hashlib
import logging
import re
import time
from pathlib import Path

from pypdfium2 import PdfiumError

from .forms import t11_facts, t12_projects
from .locate import locate
from .meta import cover_is_image, ocr_cover_text, read_meta, year_and_kind
from .model import Extraction, Fact, TableInstance
from .narrative import extract_claims, narrative_pages, section_claims, staff_claims
from .page_source import PageSource
from .plan import page_plan
from .prescreen import KEEP_TABLE_PAGES, Screened
from .profiles import GENERIC_ID, choose_profile, generic_profiles, norm
from .readings import header_unit, read_method, read_table
from .selfcheck import FORM_VERDICT, NOTHING_READ, Verdict, stamp
from .sniff import has_eof_marker, sniff

log = logging.getLogger(__name__)

_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
CORE_TABLES = ("T1", "T3")
_CORE_NAMES = {"T1": "收支总表", "T3": "支出总表"}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def extract_file(path: Path, sha256: str | None = None) -> Extraction:
    path = Path(path)
    started = time.perf_counter()
    try:
        sha = sha256 or sha256_of(path)
    except OSError as exc:
        return Extraction(sha256=sha256 or "", outcome="parse_error", outcome_detail=f"无法读取文件：{exc}")
    try:
        ex = _extract(path, sha)
    except Exception as exc:  # never raise for bad input: report it
        log.exception("extraction failed for %s", path)
        ex = Extraction(sha256=sha, outcome="parse_error",
                        outcome_detail=f"解析失败（{type(exc).__name__}: {str(exc)[:200]}），文件可能已损坏。")
    ex.seconds = round(time.perf_counter() - started, 3)
    return ex


def _extract(path: Path, sha: str) -> Extraction:
    media_type, rejected, detail = sniff(path)
    if media_type == "application/zip" and _is_xlsx(path):
        return _extract_tabular(path, sha, "xlsx")
    if media_type == "text/html":
        ex = _extract_tabular(path, sha, "html")
        if ex.outcome == "not_budget" and path.suffix.lower() == ".pdf":
            # An HTML page behind a .pdf link that holds no budget (an error page, a CMS
            # listing): the download went wrong, say so.
            ex.outcome, ex.outcome_detail = rejected, detail
        return ex
    if rejected:
        return Extraction(sha256=sha, outcome=rejected, outcome_detail=detail, media_type=media_type, pages=0)
    try:
        screened = Screened(path, KEEP_TABLE_PAGES)
    except PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg or "security" in msg:
            return Extraction(sha256=sha, outcome="encrypted", outcome_detail="PDF 已加密（需要密码），无法读取。")
        if not has_eof_marker(path):
            return Extraction(sha256=sha, outcome="truncated",
                              outcome_detail="PDF 文件不完整（缺少文件结尾 %%EOF），可能下载中断，请重新下载。")
        return Extraction(sha256=sha, outcome="parse_error", outcome_detail=f"PDF 结构损坏，无法打开：{exc}")
    try:
        return _extract_screened(path, sha, media_type, screened)
    finally:
        screened.close()


def _extract_screened(path: Path, sha: str, media_type: str, screened: Screened) -> Extraction:
    pages = screened.pages
    ex = Extraction(sha256=sha, outcome="ok", media_type=media_type, pages=len(pages))
    texts = [p.text for p in pages]
    all_text = "".join(texts)
    if not pages:
        ex.outcome, ex.outcome_detail = "parse_error", "PDF 没有页面。"
        return ex
    if sum(1 for p in pages if p.has_text) == 0:
        from .ocr import ocr_document  # 全部页都没有文字层: OCR, or `scanned` saying why not

        return ocr_document(path, _extract, sha, len(pages), media_type)
    if len(all_text) > 200 and len(_CJK_RE.findall(all_text)) < len(all_text) * 0.02:
        ex.outcome = "scanned"
        ex.outcome_detail = "PDF 字体缺少 Unicode 映射，中文无法读取（只剩数字），需要 OCR 或人工核对。"
        return ex

    fiscal_year, _, _ = year_and_kind(texts[:3], texts[3:])
    profile = choose_profile([line for t in texts for line in t.splitlines()], fiscal_year)
    ex = _read_pdf(path, ex, pages, profile, fiscal_year, screened)
    if ex.outcome == "parse_error" and profile.id != GENERIC_ID:
        # A profile only adds aliases to the national family's reading. A template profile
        # chosen by its markers that reads none of the core tables (another city's profile on
        # an unseen template: 苏州 read as 江苏) must not hide what the generic reading finds.
        fallback = _read_pdf(path, Extraction(sha256=sha, outcome="ok", media_type=media_type, pages=len(pages)),
                             pages, generic_profiles()[0], fiscal_year, screened)
        if fallback.outcome == "ok":
            log.info("%s: profile %s read no core table; the generic reading does", path.name, profile.id)
            fallback.outcome_detail += f"（模板 {profile.id} 未能读出核心表，改用通用读法）"
            return fallback
    return ex


def _read_pdf(path: Path, ex: Extraction, pages: list, profile, fiscal_year: int | None,
              screened: Screened | None = None) -> Extraction:
    """Tables, meta and narrative of a text-layer PDF read through ``profile``, into ``ex``;
    ``screened``: the prescreen's open document and kept pages, read instead of loading again."""
    texts = [p.text for p in pages]
    all_text = "".join(texts)
    table_pages, titled = page_plan(pages, profile, fiscal_year)
    says_budget = fiscal_year is not None or "收支总表" in all_text.replace(" ", "")
    if not titled and says_budget:
        # No title recognised in pypdfium2's lines: let pdfplumber's line reading try every
        # table page before calling the template unknown.
        table_pages = [p.number for p in pages if p.maybe_table]
    regions = []
    if table_pages:
        with PageSource(path, screened=screened) as source:
            regions = locate(source, table_pages, profile, fiscal_year)
        ex.page_model = source.summary()

    facts = read_regions(ex, regions, profile, fiscal_year)
    ex.facts = facts

    ex.meta = read_meta(texts, facts, profile.id)
    if cover_is_image(ex.meta, texts[0], pages[0].n_images):
        cover = ocr_cover_text(path)
        if cover:
            ex.meta = read_meta([cover] + texts[1:], facts, profile.id)
    _profile_defaults(ex, profile)
    first_table = min((p for r in regions for p in r.pages), default=None)
    page_texts = [(p.number, p.text) for p in pages]
    ex.claims = extract_claims(narrative_pages(page_texts, first_table), facts, ex.meta.fiscal_year)
    ex.claims += staff_claims([t for t in page_texts if first_table is None or t[0] < first_table])
    ex.claims += section_claims(page_texts)

    decide_outcome(ex, regions, says_budget, f"共 {len(pages)} 页", profile.id)
    if (ex.outcome == "parse_error" and not regions and not any(p.maybe_table for p in pages)
            and ex.meta.fiscal_year and ex.claims):
        # The narrative half of a filing published as two PDFs (江苏: "…部门预算公开文件" beside
        # "…公开表"): no table anywhere, but a budget's text and figures. It is a filing document;
        # the warehouse pairs it with the tables file of the same department, year, kind and scope.
        ex.outcome = "ok"
        ex.outcome_detail = (f"共 {len(pages)} 页，仅含文字说明（{len(ex.claims)} 条陈述），没有预算表："
                             f"表格应在同一部门同年度另行公开的表格文件中。")
    return ex


def read_regions(ex: Extraction, regions: list, profile, fiscal_year: int | None) -> list[Fact]:
    """Facts of every located table, and a TableInstance per table on ``ex``; PDF, XLSX and HTML alike.
    Every table says how it was read and whether it passed its own sums (``selfcheck``)."""
    facts: list[Fact] = []
    for region in regions:
        note = list(region.notes)
        how = read_method(profile, region.kind)
        first = len(ex.tables)
        if region.kind == "T11":
            got, n = t11_facts(region)
            unit = got[0].printed_unit if got else (region.unit or "")
            ex.tables.append(TableInstance("T11", region.title, unit, region.pages, len(got), "；".join(note + n)))
            verdict = FORM_VERDICT
        elif region.kind == "T12":
            got, instances, n = t12_projects(region)
            ex.tables.extend(instances or [TableInstance("T12", region.title, region.unit or "", region.pages, 0,
                                                         "；".join(note + n + ["未找到项目申报表"]))])
            verdict = FORM_VERDICT
        elif region.unit is None and not (unit := header_unit(region)):
            note.append("未找到“单位：万元/元”行，未读取金额")
            ex.tables.append(TableInstance(region.kind, region.title, "", region.pages, 0, "；".join(note)))
            got, verdict = [], NOTHING_READ
        else:
            if region.unit is None:
                region.unit = unit
                note.append(f"单位取自表头（{unit}）")
            reading = read_table(region, profile, fiscal_year)
            got, verdict = reading.facts, reading.verdict
            n = reading.notes + ([f"读法：{reading.how}"] if reading.how else [])
            ex.tables.append(TableInstance(region.kind, region.title, region.unit, region.pages, len(got),
                                           "；".join(note + n)))
        if not got and region.kind not in ("T11", "T12") and _prints_amounts(region):
            # amounts on the page, none read: the table is not empty, its reading failed
            verdict = Verdict("fail", 0, [], "表上印有金额，但一个也未能读出（表头或列未被识别），不能当作空表")
        stamp(got, verdict, how)
        for t in ex.tables[first:]:
            t.read_method, t.self_check, t.self_check_detail = how, verdict.outcome, verdict.detail
        facts.extend(got)
    return facts


# A formatted amount ("2,940.05", "0.00"): what a filled-in table prints and a blank template does
# not. Bare integers are left out: the blank template prints 科目 codes and 栏次 numbers.
_FORMATTED_AMOUNT_RE = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d+$|^-?\d+\.\d+$|^-?\d{1,3}(,\d{3})+$")


def _prints_amounts(region) -> bool:
    return any(_FORMATTED_AMOUNT_RE.match(cell.norm) for grid in region.grids for row in grid.rows for cell in row)


def decide_outcome(ex: Extraction, regions: list, says_budget: bool, size: str, template: str) -> None:
    facts = ex.facts
    found = {t.table_kind for t in ex.tables if t.n_facts}
    located = {r.kind for r in regions}
    core_regions = [r for r in regions if r.kind in CORE_TABLES]
    missing = [k for k in CORE_TABLES if k not in found]
    # A document that calls itself a budget but whose tables we could not read is our failure
    # (parse_error: template not covered), not "not a budget".
    if not regions and not says_budget:
        ex.outcome = "not_budget"
        ex.outcome_detail = f"{size}，未找到任何预算表（收支总表、支出总表等），不是部门预算/决算文件。"
    elif core_regions and not facts and not any(_prints_amounts(r) for r in core_regions):
        # The official template handed out to departments: every table in place, every amount
        # cell blank. It is a form to fill in, not a filing.
        ex.outcome = "not_budget"
        ex.outcome_detail = (f"{size}，识别到 {len(regions)} 张表（含 "
                             f"{'、'.join(sorted({r.kind for r in core_regions}))}），但所有金额单元格均为空白："
                             f"这是空白模板，不是一份预算/决算申报。")
    elif (missing and len(missing) < len(CORE_TABLES) and not (set(missing) & located)
          and len(found) >= 4):
        # The template is read (the other core table and several more have amounts) but a core
        # table's title is nowhere in the document: most likely the filing omits that table (普陀's
        # altered 决算 drops 支出决算表). The checks needing it report insufficient_data; the
        # detail says so, and that an unknown title is the other explanation.
        names = "、".join(f"{k}（{_CORE_NAMES[k]}）" for k in missing)
        ex.outcome_detail = (f"{size}，识别 {len(ex.tables)} 张表、{len(facts)} 个金额、"
                             f"{len(ex.claims)} 条说明文字陈述（模板 {template}）；文件中未找到核心表 {names}："
                             f"该表缺失，或其标题尚未收录在模板配置中，相关核对无法进行。")
    elif missing:
        ex.outcome = "parse_error"
        claimed = f"{ex.meta.fiscal_year}年{ex.meta.kind or '预算'}" if ex.meta.fiscal_year else "预算文件"
        ex.outcome_detail = (f"文件自称{claimed}，但核心表 "
                             f"{'、'.join(missing)}（收支总表/支出总表）未能读出金额（识别到 {len(regions)} 张表），"
                             f"可能是尚未收录的表格模板，需要补充模板配置。")
    else:
        ex.outcome_detail = (f"{size}，识别 {len(ex.tables)} 张表、{len(facts)} 个金额、"
                             f"{len(ex.claims)} 条说明文字陈述（模板 {template}）。")


def _is_xlsx(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def _extract_tabular(path: Path, sha: str, fmt: str) -> Extraction:
    """An XLSX workbook or an HTML page: the same tables, facts, metadata and claims as a PDF."""
    from .tabular import XLSX_MEDIA_TYPE, html_events, locate_events, xlsx_events

    chosen = {}

    def profile_for(lines: list[str]):
        fiscal_year, _, _ = year_and_kind(["\n".join(lines[:60])])
        chosen["p"] = (choose_profile([norm(x) for x in lines], fiscal_year), fiscal_year)
        return chosen["p"]

    if fmt == "xlsx":
        pages, lines = xlsx_events(path, profile_for)
        media_type, size = XLSX_MEDIA_TYPE, f"共 {len(pages)} 个工作表"
    else:
        events, lines = html_events(path)
        pages = [events]
        profile_for(lines)
        media_type, size = "text/html", "HTML 网页"
    profile, fiscal_year = chosen["p"]
    ex = Extraction(sha256=sha, outcome="ok", media_type=media_type, pages=len(pages))
    regions = locate_events(pages, profile, fiscal_year)
    ex.facts = read_regions(ex, regions, profile, fiscal_year)
    text = "\n".join(lines)
    ex.meta = read_meta([text], ex.facts, profile.id)
    _profile_defaults(ex, profile)
    narrative = [line for what, line in (e for page in pages for e in page) if what == "line"]
    narrative_page = [(1, "\n".join(narrative))]
    ex.claims = extract_claims(narrative_page, ex.facts, ex.meta.fiscal_year)
    ex.claims += staff_claims(narrative_page) + section_claims(narrative_page)
    says_budget = bool(regions) and fiscal_year is not None
    decide_outcome(ex, regions, says_budget, size, profile.id)
    if ex.outcome == "ok":
        ex.outcome_detail += "（表格来自 " + ("XLSX 工作表，page 为工作表序号" if fmt == "xlsx" else "HTML 网页，page 为 1") + \
            "，无页面坐标 bbox）"
    return ex


def _profile_defaults(ex: Extraction, profile) -> None:
    """Kind and scope the document does not print (a 公开表 file, a workbook) come from its template."""
    if ex.meta.kind is None and profile.kind in ("预算", "决算"):
        ex.meta.kind = profile.kind
    if ex.meta.unit_scope is None and profile.scope in ("部门", "单位"):
        ex.meta.unit_scope = profile.scope
