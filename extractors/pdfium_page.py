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

``PdfiumPage.fallback_reason`` says when a page must go to pdfminer after all: a char
pdfium could not map to Unicode (pdfminer prints "(cid:N)" there, pdfium a control or
private-use code point), or a text object of size 0. extractors/page_source.py acts on it.

Known, measured differences that never reach a fact (benchmarks/RESULTS.md, "Parity"):
pdfium collapses a run of space chars into one (pdfplumber's word grouping drops blanks
anyway), and keeps a font's /Widths and /Descent as whole 1/1000 em units (reportlab's
fractional widths drift a char by ~0.01 pt per glyph before it).
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
    rectangle) and sums come out as they do there. Memoised: a page's rules share a few dozen
    coordinates, and formatting a float costs twenty dict look-ups."""
    got = _F32.get(v)
    if got is None or v == 0:  # 0.0 and -0.0 are one key; each keeps its sign
        if len(_F32) > 65536:
            _F32.clear()
        got = float(f"{v:.7g}")
        if v != 0:
            _F32[v] = got
    return got


_F32: dict[float, float] = {}


def _plain(name: str, restype, *argtypes):
    """A pdfium function taking and returning plain ints (handles as addresses): per char, the
    pointer types of pypdfium2's bindings cost more than the call."""
    import pypdfium2_raw.bindings as bindings

    f = bindings._libs["pdfium"][name]  # a new function object: the bindings' own stay as they are
    f.restype, f.argtypes = restype, list(argtypes)
    return f


_vp, _int, _uint = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint
_text_object = _plain("FPDFText_GetTextObject", _vp, _vp, _int)
_char_origin = _plain("FPDFText_GetCharOrigin", _int, _vp, _int, _vp, _vp)
_char_matrix = _plain("FPDFText_GetMatrix", _int, _vp, _int, _vp)
_text_font = _plain("FPDFTextObj_GetFont", _vp, _vp)
_text_font_size = _plain("FPDFTextObj_GetFontSize", _int, _vp, _vp)
_is_generated = _plain("FPDFText_IsGenerated", _int, _vp, _int)
_count_objects = _plain("FPDFPage_CountObjects", _int, _vp)
_get_object = _plain("FPDFPage_GetObject", _vp, _vp, _int)
_form_count = _plain("FPDFFormObj_CountObjects", _int, _vp)
_form_object = _plain("FPDFFormObj_GetObject", _vp, _vp, _uint)
_obj_type = _plain("FPDFPageObj_GetType", _int, _vp)
_obj_matrix = _plain("FPDFPageObj_GetMatrix", _int, _vp, _vp)
_draw_mode = _plain("FPDFPath_GetDrawMode", _int, _vp, _vp, _vp)
_stroke_width = _plain("FPDFPageObj_GetStrokeWidth", _int, _vp, _vp)
_fill_colour = _plain("FPDFPageObj_GetFillColor", _int, _vp, _vp, _vp, _vp, _vp)
_stroke_colour = _plain("FPDFPageObj_GetStrokeColor", _int, _vp, _vp, _vp, _vp, _vp)
_count_segments = _plain("FPDFPath_CountSegments", _int, _vp)
_segment = _plain("FPDFPath_GetPathSegment", _vp, _vp, _int)
_segment_point = _plain("FPDFPathSegment_GetPoint", _int, _vp, _vp, _vp)
_segment_type = _plain("FPDFPathSegment_GetType", _int, _vp)
_segment_close = _plain("FPDFPathSegment_GetClose", _int, _vp)
_glyph_width = _plain("FPDFFont_GetGlyphWidth", _int, _vp, _uint, ctypes.c_float, _vp)


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


def _matrix(handle: int) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not _obj_matrix(handle, ctypes.addressof(m)):
        return _IDENTITY
    return (_f32(m.a), _f32(m.b), _f32(m.c), _f32(m.d), _f32(m.e), _f32(m.f))


def _box(getter, raw_page):
    vals = [ctypes.c_float() for _ in range(4)]
    if not getter(raw_page, *vals):
        return None
    return tuple(_f32(v.value) for v in vals)


class PdfiumPage(pdfplumber.page.Page):
    """A pdfplumber page built from pdfium's objects; nothing of pdfminer is touched."""

    def __init__(self, pdf_page, page_number: int, initial_doctop: float = 0, textpage=None):
        """``textpage``: the page's text page if already loaded (the caller closes it)."""
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
        self._objects = _read_objects(pdf_page, self, textpage)

    def close(self) -> None:
        self.get_textmap.cache_clear()

    def to_top_left(self, x: float, y: float) -> tuple[float, float]:
        """pdfminer's page coordinates (after the page CTM) to pdfplumber's (x, top)."""
        return x + self.mediabox[0], self.height - y + self.mediabox[1]

    def __repr__(self) -> str:
        return f"<PdfiumPage:{self.page_number}>"


def _read_objects(pdf_page, page: PdfiumPage, textpage=None) -> dict[str, list[dict]]:
    ctm = _page_ctm(page._raw_mediabox, page.rotation)
    objects: dict[str, list[dict]] = {}
    shapes = {"line": [], "rect": [], "curve": []}
    text_order: dict[int, int] = {}  # text object -> its place in the content stream
    scratch = _Scratch()
    for obj, matrix in _walk(pdf_page.raw, ctm):
        if matrix is None:
            text_order[obj] = len(text_order)
            continue
        for kind, d in _path_shapes(obj, matrix, page, scratch):
            shapes[kind].append(d)
    chars = _chars(pdf_page, page, ctm, text_order, textpage)
    if chars:
        objects["char"] = chars
    for kind, items in shapes.items():
        if items:
            objects[kind] = items
    return objects


def _walk(raw_page, ctm: Matrix):
    """Every path object (as an address) with its full matrix (object, enclosing forms, page
    CTM) and every text object (matrix None), in content order, descending into form XObjects
    as pdfminer does."""
    def walk(handles, parent: Matrix):
        for h in handles:
            kind = _obj_type(h)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                yield h, None
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield h, _mult(_matrix(h), parent)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                yield from walk([_form_object(h, j) for j in range(_form_count(h))], _mult(_matrix(h), parent))

    page = ctypes.c_void_p.from_buffer(raw_page).value
    yield from walk([_get_object(page, i) for i in range(_count_objects(page))], ctm)


def _colour(getter, handle: int, sc: "_Scratch") -> tuple:
    if not getter(handle, *sc.uint_p):
        return ()
    r, g, b, _ = sc.uints
    return (r.value / 255, g.value / 255, b.value / 255)


class _Scratch:
    """ctypes out-parameters, allocated once: a page draws hundreds of paths."""

    def __init__(self):
        self.ints = [ctypes.c_int() for _ in range(2)]
        self.uints = [ctypes.c_uint() for _ in range(4)]
        self.floats = [ctypes.c_float() for _ in range(3)]
        self.int_p = [ctypes.addressof(v) for v in self.ints]
        self.uint_p = [ctypes.addressof(v) for v in self.uints]
        self.float_p = [ctypes.addressof(v) for v in self.floats]


_MOVETO, _BEZIERTO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO


def _path_shapes(h: int, matrix: Matrix, page: PdfiumPage, sc: _Scratch):
    _draw_mode(h, *sc.int_p)
    fillmode, stroke = sc.ints[0].value, bool(sc.ints[1].value)
    linewidth = _f32(sc.floats[2].value) if _stroke_width(h, sc.float_p[2]) else 0
    ncolor = _colour(_fill_colour, h, sc)
    scolor = _colour(_stroke_colour, h, sc)
    x, y = sc.floats[0], sc.floats[1]
    px, py = sc.float_p[0], sc.float_p[1]
    subpaths: list[list[tuple[str, list[tuple[float, float]]]]] = []
    pending: list[tuple[float, float]] = []  # a Bézier's control points before its end point
    ma, mb, mc, md, me, mf = matrix  # _apply, inlined: a table page draws ~400 segments
    for i in range(_count_segments(h)):
        seg = _segment(h, i)
        _segment_point(seg, px, py)
        sx, sy = _f32(x.value), _f32(y.value)
        pt = (ma * sx + mc * sy + me, mb * sx + md * sy + mf)
        kind = _segment_type(seg)
        if kind == _MOVETO:
            subpaths.append([("m", [pt])])
            pending = []
        elif not subpaths:
            continue
        elif kind == _BEZIERTO:
            pending.append(pt)
            if len(pending) == 3:
                subpaths[-1].append(("c", pending))
                pending = []
        else:
            subpaths[-1].append(("l", [pt]))
        if _segment_close(seg) and subpaths and not pending:
            subpaths[-1].append(("h", [subpaths[-1][0][1][0]]))
    style = {"linewidth": linewidth, "stroke": stroke, "fill": fillmode != 0,
             "evenodd": fillmode == pdfium_c.FPDF_FILLMODE_ALTERNATE,
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
    mx, h, my = page.mediabox[0], page.height, page.mediabox[1]  # to_top_left, inlined
    path = [(op, *[(x + mx, h - y + my) for x, y in p]) for op, p in sub]
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
    d["pts"] = [(x + mx, h - y + my) for x, y in pts]
    d["path"] = path
    return kind, d


def _geometry(x0: float, y0: float, x1: float, y1: float, page: PdfiumPage) -> dict:
    """pdfplumber's ``process_object`` coordinates from pdfminer's bbox."""
    top = page.height - y1 + page.mediabox[1]
    bottom = page.height - y0 + page.mediabox[1]
    mb_x0 = page.mediabox[0]
    return {"x0": x0 + mb_x0, "y0": y0, "x1": x1 + mb_x0, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "top": top, "bottom": bottom, "doctop": page.initial_doctop + top}


class _Font:
    """What pdfminer's char box needs of a font, read once per font: name, descent, advances."""

    __slots__ = ("handle", "address", "name", "descent", "widths", "_out", "_out_p")

    def __init__(self, handle):
        self.handle = handle
        self.address = ctypes.cast(handle, ctypes.c_void_p).value
        self._out = ctypes.c_float()  # written by every call that succeeds, read only then
        self._out_p = ctypes.addressof(self._out)
        descent = ctypes.c_float()
        # per unit of size, in text space: pdfminer's font.get_descent()
        pdfium_c.FPDFFont_GetDescent(handle, ctypes.c_float(1000.0), descent)
        self.name = _font_name(handle)
        self.descent = descent.value / 1000.0
        self.widths: dict[str, float] = {}

    def width(self, ch: str) -> float:
        """The glyph's advance per unit of size (pdfminer's ``textwidth``): the font's /Widths
        entry for the char code of ``ch``, which pdfium looks up from the Unicode; -1 if none."""
        w = self.widths.get(ch)
        if w is None:
            # a plain-address call: a page's fonts are asked for ~100 distinct glyphs
            ok = len(ch) == 1 and _glyph_width(self.address, ord(ch), 1000.0, self._out_p)
            w = self.widths[ch] = self._out.value / 1000.0 if ok else -1.0
        return w


class _TextObject:
    """A text object's font, size, place in the content stream and char matrix with the page's
    CTM; the box's vertical extent (pdfminer: descent·size up to descent·size + size)."""

    __slots__ = ("font", "size", "order", "linear", "lo", "hi", "plain")

    def __init__(self, handle: int, order: int, fonts: dict, tp: int, index: int, ctm: Matrix, sc: "_TextScratch"):
        # plain-address calls: a table page holds one text object per cell, ~170 of them
        key = _text_font(handle)
        font = fonts.get(key)
        if font is None:
            font = fonts[key] = _Font(ctypes.cast(key, pdfium_c.FPDF_FONT))
        self.font = font
        sc.size.value = 0.0  # what a fresh out-parameter held where a call fails
        _text_font_size(handle, sc.size_p)
        self.size = _f32(sc.size.value)
        self.order = order
        m = sc.matrix
        ctypes.memset(sc.matrix_p, 0, ctypes.sizeof(m))
        _char_matrix(tp, index, sc.matrix_p)  # the same for every char of the object
        self.linear = _mult((m.a, m.b, m.c, m.d, 0.0, 0.0), (*ctm[:4], 0.0, 0.0))[:4]
        self.lo = self.font.descent * self.size
        self.hi = self.lo + self.size
        a, b, c, d = self.linear
        self.plain = b == 0 and c == 0 and a > 0 and d > 0  # upright, unturned: the usual case


class _TextScratch:
    """Out-parameters of the per-text-object calls, allocated once a page."""

    def __init__(self):
        self.size = ctypes.c_float()
        self.size_p = ctypes.addressof(self.size)
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_p = ctypes.addressof(self.matrix)


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


def _chars(pdf_page, page: PdfiumPage, ctm: Matrix, text_order: dict[int, int], loaded=None) -> list[dict]:
    """pdfminer's chars: content order (pdfium's text page is in reading order, which differs
    on turned pages and where a line is drawn out of order), pdfminer's box (module doc).
    ``loaded``: the page's text page, loaded by the caller, who closes it."""
    textpage = loaded or pdf_page.get_textpage()
    try:
        tp = textpage.raw
        n = pdfium_c.FPDFText_CountChars(tp)
        if n <= 0:
            return []
        text = _text(tp, n)
        tp_int = ctypes.c_void_p.from_buffer(tp).value
        objects: dict[int, _TextObject] = {}
        fonts: dict[int, _Font] = {}
        scratch = _TextScratch()
        out = []
        ox, oy = ctypes.c_double(), ctypes.c_double()
        pox, poy = ctypes.addressof(ox), ctypes.addressof(oy)
        box = pdfium_c.FS_RECTF()
        ca, cb, cc, cd, ce, cf = ctm
        mb_x0, mb_top, height, doctop0 = page.mediabox[0], page.mediabox[1], page.height, page.initial_doctop
        number = page.page_number
        last = None  # the text object of the char before
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
            if handle != last:  # a text object's chars come in a run: its values are read once a run
                obj = objects.get(handle)
                if obj is None:
                    obj = objects[handle] = _TextObject(handle, text_order.get(handle, len(text_order)), fonts,
                                                        tp_int, i, ctm, scratch)
                    if obj.size <= 0:
                        page.fallback_reason = "文字字号为 0（字体矩阵异常）"
                        return []
                last = handle
                fa, fb, fc, fd = obj.linear
                lo, hi, plain, order, size = obj.lo, obj.hi, obj.plain, obj.order, obj.size
                font = obj.font
                widths, fontname = font.widths, font.name
                upright = fa * fd > 0 and fb * fc <= 0
            _char_origin(tp_int, i, pox, poy)
            x, y = ox.value, oy.value
            ex, ey = ca * x + cc * y + ce, cb * x + cd * y + cf  # the origin through the page CTM
            adv = widths.get(ch)
            if adv is None:
                adv = font.width(ch)
            if adv >= 0:
                adv *= size
            else:  # no char code for the text: the loose box ends at the advance
                pdfium_c.FPDFText_GetLooseCharBox(tp, i, box)
                run = (box.right - x) if abs(fa) >= abs(fb) else (box.top - y)
                adv = abs(run) / ((fa * fa + fb * fb) ** 0.5 or 1.0)
            if plain:
                x0, x1, y0, y1 = ex, ex + fa * adv, ey + fd * lo, ey + fd * hi
            else:  # the box's corners (0, lo), (adv, lo), (0, hi), (adv, hi) through the matrix
                xs = (ex + fc * lo, ex + fa * adv + fc * lo, ex + fc * hi, ex + fa * adv + fc * hi)
                ys = (ey + fd * lo, ey + fb * adv + fd * lo, ey + fd * hi, ey + fb * adv + fd * hi)
                x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            top = height - y1 + mb_top
            out.append((order, i, {
                "text": ch, "fontname": fontname, "size": y1 - y0, "adv": adv,
                "upright": upright, "x0": x0 + mb_x0, "y0": y0, "x1": x1 + mb_x0, "y1": y1,
                "width": x1 - x0, "height": y1 - y0, "top": top, "bottom": height - y0 + mb_top,
                "doctop": doctop0 + top, "matrix": (fa, fb, fc, fd, ex, ey), "object_type": "char",
                "page_number": number,
            }))
        out.sort()  # (content order, text page index): never reaches the dicts
        return [t[2] for t in out]
    finally:
        if loaded is None:
            textpage.close()
