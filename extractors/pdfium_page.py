"""A page read by pypdfium2, in pdfplumber's shape, for pdfplumber's table finder.

pdfminer's parse of a table page is ~80 % of extraction CPU; pdfium reads the same
page in a few ms. ``PdfiumPage`` is a ``pdfplumber.page.Page`` whose objects (chars,
lines, rects, curves) come from pdfium instead of pdfminer's layout, so every step that
runs on a page today (``find_tables``, ``extract_text_lines``, ``filter``,
``dedupe_chars``, ``Table.extract``) is pdfplumber's own code on the same numbers.

The numbers follow pdfminer's definitions, not pdfium's, so the table finder sees what
it saw before:
- a char's box is ``(0, descent·size) .. (advance, descent·size + size)`` in its
  rendering matrix (pdfminer's ``LTChar``), not pdfium's glyph or loose box;
- a path is split at each move-to; a two-point subpath is a line, a closed axis-aligned
  four-sided one a rect, anything else a curve through its segment end points
  (pdfminer's ``paint_path``);
- coordinates go through pdfminer's page matrix for /Rotate and a MediaBox not at
  the origin, then pdfplumber's flip to a top-left origin.

``page_check`` says when a page must go to pdfminer after all (see there).
"""
from __future__ import annotations

import ctypes
from functools import lru_cache

import pdfplumber.page
import pypdfium2.raw as pdfium_c

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mult(m1: Matrix, m0: Matrix) -> Matrix:
    """m1 then m0, row-vector convention (pdfminer's ``mult_matrix``)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _f32(v: float) -> float:
    """A float32 read from pdfium as the decimal the content stream printed ("56.7", not
    56.70000076): pdfminer parses that decimal, so equal tests (a rule's two ends, a square
    rectangle) and sums come out as they do there."""
    return float(f"{v:.7g}")


def _page_ctm(mediabox: tuple[float, float, float, float], rotation: int) -> Matrix:
    """pdfminer's initial CTM (``PDFPageInterpreter.process_page``)."""
    x0, y0, x1, y1 = mediabox
    if rotation == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotation == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotation == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def _matrix(obj) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (_f32(m.a), _f32(m.b), _f32(m.c), _f32(m.d), _f32(m.e), _f32(m.f))


def _box(getter, raw_page):
    vals = [ctypes.c_float() for _ in range(4)]
    if not getter(raw_page, *vals):
        return None
    return tuple(_f32(v.value) for v in vals)


class PdfiumPage(pdfplumber.page.Page):
    """A pdfplumber page built from pdfium's objects; nothing of pdfminer is touched."""

    def __init__(self, pdf_page, page_number: int, initial_doctop: float = 0):
        raw = pdf_page.raw
        self.pdf = None
        self.root_page = self
        self.page_obj = None
        self.page_number = page_number
        self.initial_doctop = initial_doctop
        self.rotation = pdfium_c.FPDFPage_GetRotation(raw) * 90 % 360
        mb = _box(pdfium_c.FPDFPage_GetMediaBox, raw) or tuple(_f32(v) for v in pdf_page.get_mediabox())
        x0, x1 = sorted((mb[0], mb[2]))
        y0, y1 = sorted((mb[1], mb[3]))
        self._raw_mediabox = (x0, y0, x1, y1)
        mb_raw = pdfplumber.page._normalize_box(self._raw_mediabox, self.rotation)
        mb_height = mb_raw[3] - mb_raw[1]
        self.mediabox = pdfplumber.page._invert_box(mb_raw, mb_height)
        cb = _box(pdfium_c.FPDFPage_GetCropBox, raw)
        self.cropbox = (pdfplumber.page._invert_box(pdfplumber.page._normalize_box(cb, self.rotation), mb_height)
                        if cb else self.mediabox)
        self.bbox = self.mediabox
        self.get_textmap = lru_cache()(self._get_textmap)
        self.fallback_reason = ""  # set when pdfium's text cannot stand in for pdfminer's (see _chars)
        self._objects = _read_objects(pdf_page, self)

    def close(self) -> None:
        self.get_textmap.cache_clear()

    def to_top_left(self, x: float, y: float) -> tuple[float, float]:
        """pdfminer's page coordinates (after the page CTM) to pdfplumber's (x, top)."""
        return x + self.mediabox[0], self.height - y + self.mediabox[1]

    def __repr__(self) -> str:
        return f"<PdfiumPage:{self.page_number}>"


def _read_objects(pdf_page, page: PdfiumPage) -> dict[str, list[dict]]:
    ctm = _page_ctm(page._raw_mediabox, page.rotation)
    objects: dict[str, list[dict]] = {}
    shapes = {"line": [], "rect": [], "curve": []}
    text_order: dict[int, int] = {}  # text object -> its place in the content stream
    for obj, matrix in _walk(pdf_page.raw, ctm):
        if matrix is None:
            text_order[ctypes.c_void_p.from_buffer(obj).value] = len(text_order)
            continue
        for kind, d in _path_shapes(obj, matrix, page):
            shapes[kind].append(d)
    chars = _chars(pdf_page, page, ctm, text_order)
    if chars:
        objects["char"] = chars
    for kind, items in shapes.items():
        if items:
            objects[kind] = items
    return objects


def _walk(raw_page, ctm: Matrix):
    """Every path object with its full matrix (object, enclosing forms, page CTM) and every
    text object (matrix None), in content order, descending into form XObjects as pdfminer does."""
    def walk(count, get, parent: Matrix):
        for i in range(count):
            obj = get(i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                yield obj, None
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield obj, _mult(_matrix(obj), parent)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                inner = _mult(_matrix(obj), parent)
                yield from walk(pdfium_c.FPDFFormObj_CountObjects(obj),
                                lambda j, o=obj: pdfium_c.FPDFFormObj_GetObject(o, j), inner)

    yield from walk(pdfium_c.FPDFPage_CountObjects(raw_page),
                    lambda i: pdfium_c.FPDFPage_GetObject(raw_page, i), ctm)


def _colour(getter, obj) -> tuple:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return ()
    return (r.value / 255, g.value / 255, b.value / 255)


def _path_shapes(obj, matrix: Matrix, page: PdfiumPage):
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, fillmode, stroke)
    fill, stroke = fillmode.value != 0, bool(stroke.value)
    evenodd = fillmode.value == pdfium_c.FPDF_FILLMODE_ALTERNATE
    width = ctypes.c_float()
    linewidth = _f32(width.value) if pdfium_c.FPDFPageObj_GetStrokeWidth(obj, width) else 0
    ncolor = _colour(pdfium_c.FPDFPageObj_GetFillColor, obj)
    scolor = _colour(pdfium_c.FPDFPageObj_GetStrokeColor, obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[str, list[tuple[float, float]]]]] = []
    pending: list[tuple[float, float]] = []  # a Bézier's control points before its end point
    n = pdfium_c.FPDFPath_CountSegments(obj)
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        pt = _apply(matrix, _f32(x.value), _f32(y.value))
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            subpaths.append([("m", [pt])])
            pending = []
        elif not subpaths:
            continue
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            pending.append(pt)
            if len(pending) == 3:
                subpaths[-1].append(("c", pending))
                pending = []
        else:
            subpaths[-1].append(("l", [pt]))
        if pdfium_c.FPDFPathSegment_GetClose(seg) and subpaths and not pending:
            subpaths[-1].append(("h", [subpaths[-1][0][1][0]]))
    style = {"linewidth": linewidth, "stroke": stroke, "fill": fill, "evenodd": evenodd,
             "stroking_color": scolor, "non_stroking_color": ncolor, "dash": None}
    for sub in subpaths:
        if len(sub) < 2:
            continue
        made = _shape(sub, style, page)
        if made:
            yield made


def _shape(sub, style: dict, page: PdfiumPage):
    """pdfminer's ``paint_path`` for one subpath, on pdfium's segments. pdfium closes a
    subpath whose end is not its start with a line back to it, so its "…l h" is pdfminer's
    "…h" with the redundant line dropped."""
    ops = [op for op, _ in sub]
    pts = [p[-1] for _, p in sub]
    if ops[-1] == "h" and len(ops) > 2 and ops[-2] == "l" and pts[-2] == pts[0]:
        ops = ops[:-2] + ["h"]
        pts = pts[:-2] + [pts[0]]
    shape = "".join(ops)
    path = [(op, *(page.to_top_left(*q) for q in p)) for op, p in sub]
    if shape in ("ml", "mlh"):
        kind = "line"
        pts = pts[:2]
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        kind = "rect" if pts[0] == pts[4] and square else "curve"
    else:
        kind = "curve"
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    bx0, bx1, by0, by1 = min(xs), max(xs), min(ys), max(ys)
    if kind == "rect":  # LTRect's bbox is its corners 0 and 2, as drawn
        bx0, bx1 = sorted((pts[0][0], pts[2][0]))
        by0, by1 = sorted((pts[0][1], pts[2][1]))
    d = dict(style)
    d.update(_geometry(bx0, by0, bx1, by1, page))
    d["object_type"] = kind
    d["page_number"] = page.page_number
    d["pts"] = [page.to_top_left(*p) for p in pts]
    d["path"] = path
    return kind, d


def _geometry(x0: float, y0: float, x1: float, y1: float, page: PdfiumPage) -> dict:
    """pdfplumber's ``process_object`` coordinates from pdfminer's bbox."""
    top = page.height - y1 + page.mediabox[1]
    bottom = page.height - y0 + page.mediabox[1]
    mb_x0 = page.mediabox[0]
    return {"x0": x0 + mb_x0, "y0": y0, "x1": x1 + mb_x0, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "top": top, "bottom": bottom, "doctop": page.initial_doctop + top}


def _plain(name: str, restype, *argtypes):
    """A pdfium function taking and returning plain ints (handles as addresses): per char, the
    pointer types of pypdfium2's bindings cost more than the call."""
    import pypdfium2_raw.bindings as bindings

    f = bindings._libs["pdfium"][name]  # a new function object: the bindings' own stay as they are
    f.restype, f.argtypes = restype, list(argtypes)
    return f


_vp, _int, _dbl_p = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double)
_text_object = _plain("FPDFText_GetTextObject", _vp, _vp, _int)
_char_origin = _plain("FPDFText_GetCharOrigin", _int, _vp, _int, _vp, _vp)
_is_generated = _plain("FPDFText_IsGenerated", _int, _vp, _int)


class _TextObject:
    """What pdfminer's char box needs of a text object, read once per object."""

    __slots__ = ("font", "fontname", "size", "descent", "order", "matrix", "widths")

    def __init__(self, handle: int, order: int):
        obj = ctypes.cast(handle, pdfium_c.FPDF_PAGEOBJECT)
        self.font = pdfium_c.FPDFTextObj_GetFont(obj)
        size, descent = ctypes.c_float(), ctypes.c_float()
        pdfium_c.FPDFTextObj_GetFontSize(obj, size)
        # per unit of size, in text space: pdfminer's font.get_descent()
        pdfium_c.FPDFFont_GetDescent(self.font, ctypes.c_float(1000.0), descent)
        self.fontname = _font_name(self.font)
        self.size = _f32(size.value)
        self.descent = descent.value / 1000.0
        self.order = order
        self.matrix = None  # (a, b, c, d) of the text page's char matrix, from its first char
        self.widths: dict[str, float] = {}

    def advance(self, ch: str) -> float | None:
        """The glyph's advance in text space (pdfminer's ``textwidth · fontsize``): the font's
        /Widths entry for the char code of ``ch``, which pdfium looks up from the Unicode."""
        width = self.widths.get(ch)
        if width is None:
            w = ctypes.c_float()
            ok = len(ch) == 1 and pdfium_c.FPDFFont_GetGlyphWidth(self.font, ord(ch), ctypes.c_float(1000.0), w)
            width = self.widths[ch] = w.value / 1000.0 if ok else -1.0
        return None if width < 0 else width * self.size


@lru_cache(maxsize=256)
def _decode_name(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _font_name(font) -> str:
    n = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    if n <= 0:
        return ""
    buf = ctypes.create_string_buffer(n)
    pdfium_c.FPDFFont_GetBaseFontName(font, buf, n)
    return _decode_name(buf.value)


# pdfium's own line breaks and the spaces it infers between words (pdfminer has neither)
_MAYBE_GENERATED = frozenset("\r\n \ufffe\x02")


def _text(tp, n: int) -> str:
    buf = ctypes.create_string_buffer((n + 1) * 2)
    got = pdfium_c.FPDFText_GetText(tp, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: max(0, got - 1) * 2].decode("utf-16-le", "surrogatepass")
    if len(text) != n:  # a char outside the BMP shifts the indices: ask one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, i)) for i in range(n))
    return text


def _unmapped(ch: str) -> bool:
    """No Unicode for the glyph: pdfium hands out a control char, a private-use code point or
    U+FFFD where pdfminer would print "(cid:N)"."""
    return ch < " " or "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd"


def _chars(pdf_page, page: PdfiumPage, ctm: Matrix, text_order: dict[int, int]) -> list[dict]:
    """pdfminer's chars: content order (pdfium's text page is in reading order, which differs
    on turned pages and where a line is drawn out of order), pdfminer's box (module doc)."""
    textpage = pdf_page.get_textpage()
    try:
        tp = textpage.raw
        n = pdfium_c.FPDFText_CountChars(tp)
        if n <= 0:
            return []
        text = _text(tp, n)
        tp_int = ctypes.c_void_p.from_buffer(tp).value
        objects: dict[int, _TextObject] = {}
        out = []
        m = pdfium_c.FS_MATRIX()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        pox, poy = ctypes.addressof(ox), ctypes.addressof(oy)
        box = pdfium_c.FS_RECTF()
        mb_x0, mb_top, height, doctop0 = page.mediabox[0], page.mediabox[1], page.height, page.initial_doctop
        number = page.page_number
        for i in range(n):
            ch = text[i]
            if ch in _MAYBE_GENERATED and _is_generated(tp_int, i):
                continue
            if ch == "\ufffe":  # pdfium's mark for a hyphen at a line end: the printed "-"
                ch = "-"
            elif _unmapped(ch):
                page.fallback_reason = f"字符 U+{ord(ch):04X} 无 Unicode 映射"
                return []
            handle = _text_object(tp_int, i)
            if not handle:
                continue
            obj = objects.get(handle)
            if obj is None:
                obj = objects[handle] = _TextObject(handle, text_order.get(handle, len(text_order)))
                if obj.size <= 0:
                    page.fallback_reason = "文字字号为 0（字体矩阵异常）"
                    return []
                pdfium_c.FPDFText_GetMatrix(tp, i, m)
                obj.matrix = (m.a, m.b, m.c, m.d)
            a, b, c, d = obj.matrix
            _char_origin(tp_int, i, pox, poy)
            adv = obj.advance(ch)
            if adv is None:  # no char code for the text: the loose box ends at the advance
                pdfium_c.FPDFText_GetLooseCharBox(tp, i, box)
                run = (box.right - ox.value) if abs(a) >= abs(b) else (box.top - oy.value)
                adv = run / ((a * a + b * b) ** 0.5 or 1.0)
            lo = obj.descent * obj.size
            hi = lo + obj.size
            full = _mult((a, b, c, d, ox.value, oy.value), ctm)
            fa, fb, fc, fd, fe, ff = full
            # the box's corners (0, lo), (adv, lo), (0, hi), (adv, hi) through the char matrix
            xs = (fe + fc * lo, fe + fa * adv + fc * lo, fe + fc * hi, fe + fa * adv + fc * hi)
            ys = (ff + fd * lo, ff + fb * adv + fd * lo, ff + fd * hi, ff + fb * adv + fd * hi)
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            top = height - y1 + mb_top
            out.append((obj.order, i, {
                "text": ch, "fontname": obj.fontname, "size": y1 - y0, "adv": adv,
                "upright": fa * fd > 0 and fb * fc <= 0, "x0": x0 + mb_x0, "y0": y0, "x1": x1 + mb_x0, "y1": y1,
                "width": x1 - x0, "height": y1 - y0, "top": top, "bottom": height - y0 + mb_top,
                "doctop": doctop0 + top, "matrix": full, "object_type": "char", "page_number": number,
            }))
        out.sort(key=_order)
        return [t[2] for t in out]
    finally:
        textpage.close()


def _order(t: tuple) -> tuple:
    return t[0], t[1]
