"""OCR of image-only PDFs: a scanned filing read by the same table reader as an office export.

Engine: rapidocr-onnxruntime 1.x, whose wheel ships the PP-OCRv4 Chinese detection and
recognition models (ONNX) and runs them on the CPU; it never downloads anything (the 2.x/3.x
``rapidocr`` releases fetch their models at first use, and there is no network at run time).

Each scanned page is rendered with pypdfium2 and turned into a "sandwich" page of the same
size: the ruling lines found in the image (OpenCV morphology) drawn as vector lines, and every
recognised text box drawn as text at its place. That PDF goes through the ordinary reader
(prescreen → page_plan → locate → facts), so titles, units, headers and amounts are read by
exactly the code that reads text PDFs. Every fact that comes out is marked ``ocr=True`` and
every narrative claim says so in its text.

OCR costs seconds a page on two cores, and extraction runs in a child process with a wall-time
limit: at most ``MAX_PAGES`` pages and ``TIME_BUDGET_S`` seconds are OCR'd, and the outcome
says how many were.
"""
from __future__ import annotations

import logging
import re
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from flows import settings

from .model import Extraction
from .ocr_probe import MIN_CJK, cjk_count, is_blank, probe_lines

log = logging.getLogger(__name__)

# Operators with a longer per-document timeout (flows' extract_cached: 300 s) may raise these
# through BUDGETWATCH_OCR_PAGES / BUDGETWATCH_OCR_SECONDS (read at each document).
MAX_PAGES = 12
TIME_BUDGET_S = 60.0
# A scan that is a budget says so on its first pages (cover, contents, 概况, or a table title);
# a scanned notice, letter or form saved under a budget link does not, and OCR stops there
# instead of spending seconds a page on the rest of it.
PROBE_PAGES = 2
_BUDGET_WORDS_RE = re.compile(r"(部门|单位)(预算|决算)|收支(预算|决算)?总表|(收入|支出)(预算|决算)?总表|财政拨款|预算表|决算表")
# 144 dpi for an A4 page: PP-OCR reads 9-pt table digits reliably there, and detection cost grows
# with the pixel count. Large pages are capped at MAX_SIDE_PX on the long side.
SCALE = 2.0
MAX_SIDE_PX = 2400
MIN_SCORE = 0.5
MIN_DPI = 100
# onnxruntime, OpenCV and the models reserve ~0.9 GB of address space before reading a page.
OCR_ADDRESS_SPACE_MB = 2048
FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT = "WQYZenHei"
ENGINE = "rapidocr-onnxruntime（PP-OCRv4 中文模型，离线）"


@dataclass
class Box:
    text: str
    score: float
    x0: float  # PDF points, top-left origin
    top: float
    x1: float
    bottom: float


@dataclass
class OcrPage:
    number: int  # 1-based
    width: float  # points
    height: float
    boxes: list[Box]
    hlines: list[tuple[float, float, float]]  # (x0, x1, y) in points
    vlines: list[tuple[float, float, float]]  # (x, top, bottom)


class OcrUnavailable(RuntimeError):
    """The OCR engine cannot run here (not installed, font missing, address-space limit)."""


_SEP_SPACE_RE = re.compile(r"(?<=\d,)\s+(?=\d)|(?<=\d)\s+(?=,\d)")
_engine = None
_active = False


def _raise_address_limit() -> None:
    """The child runs under RLIMIT_AS; isolate.py leaves headroom in the hard limit for OCR."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return
    want = OCR_ADDRESS_SPACE_MB * 1024 * 1024
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_AS, (target, hard))
    if target < want:
        raise OcrUnavailable(f"解析进程内存上限 {target // (1 << 20)} MB，OCR 需要 {OCR_ADDRESS_SPACE_MB} MB")


def engine():
    global _engine
    if _engine is None:
        _raise_address_limit()
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:  # pragma: no cover - a broken install
            raise OcrUnavailable(f"未安装 OCR 引擎 rapidocr-onnxruntime（{exc}）") from exc
        # One thread: extraction runs one worker per core, and a second onnxruntime thread per
        # worker spin-waits on a busy core (measured: 6.7 CPU-s for a page's OCR with two
        # threads, 3.4 s with one, and no slower in wall time with the other worker running).
        _engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    return _engine


def _lines(gray, scale: float) -> tuple[list, list]:
    """Horizontal and vertical ruling lines of a page image, in points."""
    import cv2

    h, w = gray.shape
    ink = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    out = []
    for kernel in ((max(w // 40, 30), 1), (1, max(h // 50, 30))):
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        # Close small breaks of a scanned rule so a cell border stays one segment.
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        segs = []
        for c in contours:
            x, y, bw, bh = cv2.boundingRect(c)
            if kernel[1] == 1:
                segs.append((x / scale, (x + bw) / scale, (y + bh / 2) / scale))
            else:
                segs.append(((x + bw / 2) / scale, y / scale, (y + bh) / scale))
        out.append(segs)
    return out[0], out[1]


def scan_dpi(page) -> float | None:
    """Resolution of the scan on a page: its largest image's pixels per inch as displayed.

    None when no image covers a quarter of the page (nothing to read). Below ``MIN_DPI`` a
    9-pt digit is a few pixels tall and PP-OCR misreads amounts (564.25 read as 64.25 at 60 dpi).
    """
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    best = None
    for obj in page.get_objects(max_depth=2):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        left, bottom, right, top = (getattr(obj, "get_bounds", None) or obj.get_pos)()  # pypdfium2 5 / 4
        if (right - left) * (top - bottom) < 0.25 * width * height:
            continue
        meta = obj.get_metadata()
        dpi = min(meta.horizontal_dpi, meta.vertical_dpi)
        best = dpi if best is None else max(best, dpi)
    return best


def render(page):
    """The page as a grayscale image at the OCR resolution, and that resolution's scale."""
    import numpy as np

    width, height = page.get_size()
    scale = min(SCALE, MAX_SIDE_PX / max(width, height))
    return np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L")), scale


def ocr_page(page, number: int, rendered=None) -> OcrPage:
    """One pypdfium2 page: its text boxes and ruling lines, in PDF points.

    ``rendered`` is ``render(page)`` when the caller has it already (the probe looked at it).
    """
    import numpy as np

    width, height = page.get_size()
    gray, scale = rendered or render(page)
    hlines, vlines = _lines(gray, scale)
    # No angle classifier: a filing's pages are upright, and it turns a short "99" cell upside
    # down into "66" (seen on 上海 T3, 210 99 99 其他卫生健康支出).
    result, _ = engine()(np.stack([gray] * 3, axis=-1), use_cls=False)
    boxes = _boxes(result, scale)
    # A stroke of a large glyph (the 丨 of 申, the 一 of a title) is no rule: a real rule runs past
    # the text box it crosses.
    vlines = [v for v in vlines if not any(b.x0 <= v[0] <= b.x1 and b.top - 2 <= v[1] and v[2] <= b.bottom + 2
                                           for b in boxes)]
    hlines = [ln for ln in hlines if not any(b.top <= ln[2] <= b.bottom and b.x0 - 2 <= ln[0] and ln[1] <= b.x1 + 2
                                             for b in boxes)]
    boxes = [part for b in boxes for part in _split_at_rules(b, vlines)]
    boxes.sort(key=lambda b: (round((b.top + b.bottom) / 2), b.x0))
    return OcrPage(number, width, height, boxes, hlines, vlines)


def _boxes(result, scale: float) -> list[Box]:
    boxes = []
    for quad, text, score in result or []:
        # A wide font's thousands separator reads as ", " ("29, 148, 414"): one amount, printed
        # without the space.
        text = _SEP_SPACE_RE.sub("", (text or "").strip())
        if not text or float(score) < MIN_SCORE:
            continue
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        boxes.append(Box(text, float(score), min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale))
    return boxes


def probe_page(page, number: int, rendered) -> OcrPage:
    """The page's top and tallest text lines only (ocr_probe.py), to judge whether it is a budget's page."""
    gray, scale = rendered
    width, height = page.get_size()
    boxes = _boxes(probe_lines(engine(), gray, MIN_SCORE), scale)
    boxes.sort(key=lambda b: (round((b.top + b.bottom) / 2), b.x0))
    return OcrPage(number, width, height, boxes, [], [])


def _char_weight(ch: str) -> float:
    return 1.0 if ord(ch) > 0x2E80 else 0.55


def _split_at_rules(box: Box, vlines: list) -> list[Box]:
    """A text line the detector ran across a cell border ("564.25|本年支出合计") split at the rule.

    The split point is where the rule falls in the line's width, counting a CJK glyph as one em
    and a digit or Latin letter as about half; a "|" read from the rule itself is dropped.
    """
    mid = (box.top + box.bottom) / 2
    cuts = sorted(x for x, top, bottom in vlines if box.x0 + 3 < x < box.x1 - 3 and top <= mid <= bottom)
    if not cuts:
        text = box.text.strip("|丨").strip()
        return [Box(text, box.score, box.x0, box.top, box.x1, box.bottom)] if text else []
    weights = [_char_weight(ch) for ch in box.text]
    total = sum(weights) or 1.0
    parts, start, acc, edge = [], 0, 0.0, box.x0
    for cut in cuts + [box.x1]:
        frac = (cut - box.x0) / (box.x1 - box.x0)
        end = start
        while end < len(box.text) and (acc + weights[end] / 2) / total < frac:
            acc += weights[end]
            end += 1
        if cut == box.x1:
            end = len(box.text)
        else:
            # Cell contents differ in kind (an amount beside a label): snap to the nearest
            # change between CJK and digits, or a space, within two characters.
            near = [i for i in range(max(start + 1, end - 2), min(len(box.text), end + 3))
                    if box.text[i - 1] == " " or (_char_weight(box.text[i - 1]) != _char_weight(box.text[i]))]
            if near:
                end = min(near, key=lambda i: abs(i - end))
                acc = sum(weights[:end])
        text = box.text[start:end].strip().strip("|丨").strip()
        if text:
            parts.append(Box(text, box.score, edge, box.top, cut, box.bottom))
        start, edge = end, cut
    return parts


def write_sandwich(pages: list[OcrPage], out: Path) -> None:
    """A PDF whose pages carry the OCR'd text and rules where the image showed them."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    if not FONT_PATH.exists():
        raise OcrUnavailable(f"缺少 CJK 字体 {FONT_PATH}（Debian 包 fonts-wqy-zenhei）")
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))
    face = pdfmetrics.getFont(FONT).face
    ascent, descent = face.ascent / 1000, face.descent / 1000  # descent is negative
    c = Canvas(str(out), invariant=1)
    for p in pages:
        c.setPageSize((p.width, p.height))
        c.setLineWidth(0.5)
        for x0, x1, y in p.hlines:
            c.line(x0, p.height - y, x1, p.height - y)
        for x, top, bottom in p.vlines:
            c.line(x, p.height - top, x, p.height - bottom)
        for b in p.boxes:
            h = b.bottom - b.top
            size = max(h * 0.8, 2.0)
            natural = pdfmetrics.stringWidth(b.text, FONT, size)
            # The glyph box [baseline+descent, baseline+ascent] centred on the OCR box's middle.
            mid = p.height - (b.top + b.bottom) / 2
            baseline = mid - (ascent + descent) / 2 * size
            t = c.beginText(b.x0, baseline)
            t.setFont(FONT, size)
            if natural > 0:
                t.setHorizScale(100.0 * (b.x1 - b.x0) / natural)
            t.textOut(b.text)
            c.drawText(t)
        c.showPage()
    c.save()


def ocr_document(path: Path, extract: Callable[[Path, str], Extraction], sha: str, n_pages: int,
                 media_type: str) -> Extraction:
    """The Extraction of an image-only PDF: read through OCR, or ``scanned`` saying what OCR found.

    ``extract`` is the text-PDF reader (``pdf._extract``), applied to the OCR sandwich.
    """
    import pypdfium2 as pdfium

    global _active
    if _active:  # the sandwich itself came out textless: never OCR it again
        return _scanned(sha, media_type, n_pages, "OCR 没有识别出可用的文字。")
    started = time.perf_counter()
    limit = min(n_pages, settings.ocr_pages(MAX_PAGES))
    budget_s = settings.ocr_seconds(TIME_BUDGET_S)
    budget = False
    ocr_pages: list[OcrPage] = []
    # Probe pages judged by their top and tallest lines only, kept rendered: should a later probe page
    # show budget words, they get the full OCR after all.
    probed: dict[int, tuple] = {}
    low_dpi: list[float] = []
    try:
        doc = pdfium.PdfDocument(str(path))
        try:
            for i in range(limit):
                # The probe pages are always read and judged first: whether a file reads as a
                # budget must not depend on how busy the machine was when the time budget ran out.
                if i == PROBE_PAGES and not budget:
                    break
                if i >= PROBE_PAGES and time.perf_counter() - started > budget_s:
                    break
                page = doc[i]
                try:
                    dpi = scan_dpi(page)
                    if dpi is None or dpi < MIN_DPI:
                        if dpi is not None:
                            low_dpi.append(dpi)
                        # Kept as an empty page so page numbers stay those of the document.
                        w, h = page.get_size()
                        ocr_pages.append(OcrPage(i + 1, w, h, [], [], []))
                        continue
                    rendered = render(page)
                    probe_says = False
                    if not budget:
                        blank = is_blank(rendered[0])
                        probe = OcrPage(i + 1, *page.get_size(), [], [], []) if blank else \
                            probe_page(page, i + 1, rendered)
                        probe_says = _says_budget([probe])
                        # A page the probe cannot judge (too little text read) gets the full OCR.
                        if blank or (not probe_says and cjk_count("".join(b.text for b in probe.boxes)) >= MIN_CJK):
                            probed[len(ocr_pages)] = rendered
                            ocr_pages.append(probe)
                            continue
                    ocr_pages.append(ocr_page(page, i + 1, rendered))
                    if not budget and (probe_says or _says_budget([ocr_pages[-1]])):
                        budget = True
                        _read_probed_pages(doc, ocr_pages, probed)
                finally:
                    page.close()
        finally:
            doc.close()
    except (OcrUnavailable, MemoryError) as exc:
        return _scanned(sha, media_type, n_pages, f"OCR 无法运行：{exc}。")
    except RuntimeError as exc:  # onnxruntime's own errors (bad_alloc under the limit)
        return _scanned(sha, media_type, n_pages, f"OCR 运行出错：{str(exc)[:160]}。")
    # Without budget words the reading stopped within the probe pages.
    probe_failed = not budget
    seconds = time.perf_counter() - started
    done = len(ocr_pages)
    n_boxes = sum(len(p.boxes) for p in ocr_pages)
    scope = f"OCR（{ENGINE}）识别了前 {done} 页" + (f"（共 {n_pages} 页，其余未识别）" if done < n_pages else "") + \
        ("，每页只识别了最上方和字号最大的几行" if probe_failed and probed else "") + \
        f"，{n_boxes} 段文字，用时 {seconds:.0f} 秒"
    log.info("ocr %s: %d/%d pages (%d probed only), %d boxes, %.1fs", path, done, n_pages, len(probed), n_boxes, seconds)
    if probe_failed and n_boxes:
        first = _largest_text(ocr_pages[0])
        said = (f"前 {done} 页未见“部门预算”“收支总表”“财政拨款”等字样，第 1 页最大字号的文字为“{first}”，"
                "看来不是部门预算/决算，其余页未识别。") if done < n_pages else \
            (f"全部 {done} 页未见“部门预算”“收支总表”“财政拨款”等字样，未找到预算表，第 1 页最大字号的文字为“{first}”，"
             "看来不是部门预算/决算。")
        return Extraction(sha256=sha, outcome="scanned", media_type=media_type, pages=n_pages, outcome_detail=(
                        f"全部 {n_pages} 页都没有文字层（扫描件或图片）；{scope}：{said}"))
    if n_boxes == 0:
        if low_dpi:
            return _scanned(sha, media_type, n_pages,
                            f"扫描分辨率约 {min(low_dpi):.0f} dpi，低于可靠识别金额所需的 {MIN_DPI} dpi，未做 OCR。")
        return _scanned(sha, media_type, n_pages, f"{scope}：没有识别出文字。")

    with tempfile.TemporaryDirectory(prefix="bw-ocr-") as tmp:
        sandwich = Path(tmp) / "ocr.pdf"
        try:
            write_sandwich(ocr_pages, sandwich)
        except OcrUnavailable as exc:
            return _scanned(sha, media_type, n_pages, f"{scope}，但 {exc}。")
        _active = True
        try:
            ex = extract(sandwich, sha)
        finally:
            _active = False
    ex.sha256, ex.media_type, ex.pages = sha, media_type, n_pages
    for f in ex.facts:
        f.ocr = True
    for c in ex.claims:
        c.text = "（OCR 识别）" + c.text
    if ex.outcome == "ok":
        ex.outcome_detail = f"扫描件，{scope}；金额均标记为 OCR 识别，需人工核对。{ex.outcome_detail}"
        return ex
    first = _largest_text(ocr_pages[0])
    why = {"not_budget": f"未找到预算表，第 1 页最大字号的文字为“{first}”，看来不是部门预算/决算",
           "parse_error": "未能读出核心表（收支总表/支出总表）的金额"}.get(ex.outcome, ex.outcome_detail)
    ex.outcome = "scanned"
    ex.outcome_detail = (f"全部 {n_pages} 页都没有文字层（扫描件或图片）；{scope}：{why}"
                         f"（{len(ex.facts)} 个金额、{len(ex.claims)} 条说明文字陈述，均为 OCR 结果），需人工核对。")
    return ex


def _read_probed_pages(doc, ocr_pages: list[OcrPage], probed: dict[int, tuple]) -> None:
    """The full OCR of the pages only probed so far, now that the document shows it is a budget:
    every page of a budget is read alike, whatever its probe said."""
    for k, rendered in probed.items():
        page = doc[ocr_pages[k].number - 1]
        try:
            ocr_pages[k] = ocr_page(page, ocr_pages[k].number, rendered)
        finally:
            page.close()
    probed.clear()


def _says_budget(pages: list[OcrPage]) -> bool:
    return bool(_BUDGET_WORDS_RE.search("".join(b.text for p in pages for b in p.boxes).replace(" ", "")))


def _largest_text(page: OcrPage) -> str:
    first = max((b for b in page.boxes if len(b.text) >= 4), key=lambda b: b.bottom - b.top, default=None)
    return first.text if first else ""


def _scanned(sha: str, media_type: str, n_pages: int, why: str) -> Extraction:
    return Extraction(sha256=sha, outcome="scanned", media_type=media_type, pages=n_pages,
                      outcome_detail=f"全部 {n_pages} 页都没有文字层（扫描件或图片），需要 OCR 后才能提取；{why}")
