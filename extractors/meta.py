"""Filing metadata read from the document itself: who, where, which year, which kind."""
from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from . import canon
from .model import Fact, FilingMeta

log = logging.getLogger(__name__)

_COVER_RE = re.compile(r"^(.*?)(20\d\d)年度?([\u4e00-\u9fff（）()]{0,30}?)(部门|单位)(预算|决算)")
# 江苏 2018's cover names no 部门/单位: "2018 年度江苏省高级人民法院预算公开".
_COVER_PUBLIC_RE = re.compile(r"^(20\d\d)年度?([\u4e00-\u9fff（）()]{2,30}?)(预算|决算)公开")
_YEAR_KIND_RE = re.compile(r"(20\d\d)年度?[\u4e00-\u9fff（）()]{0,30}?(部门|单位)?(预算|决算)")
_UNIT_LINE_RE = re.compile(
    r"(?:部门/单位|预算单位|编制单位|编制部门|部门名称|单位名称|^部门)[:：]([\u4e00-\u9fff()（）]+?)(?:金额单位[:：]|单位[:：]|$)")
# A cover's text before the year that is only a place ("上海市2026年市级单位预算"), not a department.
_PLACE_ONLY_RE = re.compile(r"^[\u4e00-\u9fff]{1,6}(省|市|区|县)$")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


_PAGE_MARK_RE = re.compile(r"^[-—–]\d+[-—–]|^\d+(?=[\u4e00-\u9fff])")
_CPC_RE = re.compile(r"^中国共产党(.+?)委员会")


def canonical_department(name: str | None) -> str | None:
    """One spelling per department, so that files of the same filing (江苏's 说明 and 公开表)
    carry the same name: a page mark read with the cover ("-1-") dropped, "中国共产党…委员会"
    and "中共…委" reduced to "…委"."""
    if not name:
        return name
    name = _PAGE_MARK_RE.sub("", name)
    name = _CPC_RE.sub(lambda m: m.group(1) + "委", name)
    return name.removeprefix("中共") or name


def year_and_kind(first_pages: list[str], later_pages: list[str] = ()) -> tuple[int | None, str | None, str | None]:
    """From the cover pages; failing that (江苏's 公开表 files print no cover) from the first
    table title that names its year ("2019年政府采购预算表")."""
    for text in list(first_pages) + list(later_pages):
        m = _YEAR_KIND_RE.search(_squash(text))
        if m:
            return int(m.group(1)), m.group(3), m.group(2)
    return None, None, None


def read_meta(page_texts: list[str], facts: list[Fact], template: str | None) -> FilingMeta:
    meta = FilingMeta(template=template)
    meta.fiscal_year, meta.kind, meta.unit_scope = year_and_kind(page_texts[:3], page_texts[3:])
    cover = _squash(page_texts[0]) if page_texts else ""
    m = _COVER_RE.search(cover)
    unit_lines = Counter(
        m2.group(1) for t in page_texts for line in t.splitlines() if (m2 := _UNIT_LINE_RE.search(_squash(line)))
    )
    cover_name = (m.group(1) or m.group(3)) if m else ""
    if not m and (m_public := _COVER_PUBLIC_RE.search(cover)):
        cover_name = m_public.group(2)
    if cover_name in ("市级", "区级", "省级", "县级", "本级"):
        cover_name = ""
    if cover_name and not (_PLACE_ONLY_RE.match(cover_name) and unit_lines):
        meta.department = cover_name  # "硚口区…中心2026年部门预算" or "2026年深圳市信访局部门预算"
    elif unit_lines:
        meta.department = unit_lines.most_common(1)[0][0]
    if meta.unit_scope is None and m:
        meta.unit_scope = m.group(4)
    printed_name = meta.department
    meta.department = canonical_department(meta.department)

    # Department code: the 3-digit unit row of 收入总表 / 一般公共预算支出表(分单位) / 项目支出表.
    for kind in ("T2", "T5-2", "T10"):
        codes = [f.row_code for f in facts if f.table_kind == kind and re.fullmatch(r"\d{3}", f.row_code)
                 and not (kind == "T2" and f.row_code in canon.FUNC_CLASSES)]  # 上海's T2 rows are 功能类
        if codes:
            meta.department_code = codes[0]
            break
    if meta.department_code is None and meta.department:
        # As printed ("[147]中共武汉市硚口区委党校"), not only in its one canonical spelling.
        spellings = "|".join(re.escape(n) for n in dict.fromkeys(filter(None, (printed_name, meta.department))))
        m3 = re.search(r"\[(\d{3})\](?:" + spellings + ")", "".join(_squash(t) for t in page_texts))
        if m3:
            meta.department_code = m3.group(1)

    # Region through the alias table: 硚口区 / 硌口区 / 硃口区 all resolve to 420104.
    all_text = "".join(_squash(t) for t in page_texts)
    # The department's own name decides before the unit lines: a table header that misprints a
    # neighbour's look-alike (硌口区 in 江岸区's filing) must not move the filing to that district.
    in_name = [c for a, c in canon.REGION_ALIASES.items() if meta.department and a in meta.department]
    in_units = [c for a, c in canon.REGION_ALIASES.items() if any(a in u for u in unit_lines)]
    if in_name or in_units:
        code = (in_name or in_units)[0]
        meta.region_code = code
        meta.region_name = next(a for a, c in canon.REGION_ALIASES.items() if c == code)

    # Every spelling of the unit's name (rule D4), found around the name's core.
    names: list[str] = []
    if meta.department:
        core = meta.department
        aliases = [a for a, c in canon.REGION_ALIASES.items() if c == meta.region_code]
        for a in aliases:
            core = core.replace(a, "")
        if core != meta.department:
            pattern = re.compile(r"(?:武汉市)?(?:" + "|".join(map(re.escape, aliases)) + ")" + re.escape(core))
            texts = [all_text] + [f.row_label for f in facts]
            for t in texts:
                for hit in pattern.findall(t):
                    if hit not in names:
                        names.append(hit)
        if meta.department not in names:
            names.insert(0, meta.department)
    if printed_name and printed_name not in names:
        names.append(printed_name)
    meta.names_seen = names
    return meta


def cover_is_image(meta: FilingMeta, first_page_text: str, first_page_images: int) -> bool:
    """The department is named nowhere in the text, and the cover carries images but (almost) no
    text: its title is drawn as pictures of glyphs (江苏省政协办公厅 2019 年度部门预算公开)."""
    return meta.department is None and first_page_images > 0 and len(_PAGE_MARK_LINE_RE.sub("", first_page_text).strip()) < 5


_PAGE_MARK_LINE_RE = re.compile(r"(?m)^\s*[-—–]?\s*\d+\s*[-—–]?\s*$")


def ocr_cover_text(path: Path) -> str | None:
    """The cover page read by OCR (one page, ~3 s), or None when OCR is not available."""
    import pypdfium2 as pdfium

    from .ocr import OcrUnavailable, ocr_page

    try:
        doc = pdfium.PdfDocument(str(path))
        try:
            page = doc[0]
            try:
                got = ocr_page(page, 1)
            finally:
                page.close()
        finally:
            doc.close()
    except (OcrUnavailable, MemoryError, OSError) as exc:
        log.info("cover OCR unavailable for %s: %s", path.name, exc)
        return None
    return "\n".join(b.text for b in got.boxes)
