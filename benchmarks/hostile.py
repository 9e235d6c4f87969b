"""Hostile PDFs, built from code (nothing binary is committed).

Each builder returns the bytes of a small file that attacks one part of a PDF reader:

- ``decompression_bomb``: a page content stream that inflates to ``gib`` GiB of zeros
  (FlateDecode, optionally twice so that the file itself is a few kilobytes);
- ``kids_loop``: a page tree whose /Kids contains the tree itself (and a two-node cycle);
- ``nested_arrays``: arrays nested ``depth`` deep in the page dictionary and the content stream;
- ``huge_page_count``: a page tree that claims 2 000 000 000 pages (one real page), and
  one that lists the same page ``n`` times;
- ``xref_prev_loop``: an xref section whose /Prev points at itself;
- ``huge_image``: an image XObject that claims 10^6 × 10^6 pixels;
- ``huge_length``: a stream whose /Length claims a terabyte.

``HOSTILE`` maps a name to a builder with its default arguments; the tests and the fuzzer use it.
"""
from __future__ import annotations

import zlib
from typing import Callable

_HELLO = b"BT /F1 24 Tf 72 720 Td (budgetwatch hostile test page) Tj ET"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def build_pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"", xref: bool = True) -> bytes:
    """Objects numbered 1..n in order, a classic xref table and a trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, start)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _simple(pages_obj: bytes, page_obj: bytes, content: bytes, extra_objects: list[bytes] = ()) -> bytes:
    # 1 catalog, 2 pages, 3 page, 4 content, 5 font, 6.. extra
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", pages_obj, page_obj, content, _FONT, *extra_objects])


_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"


def plain_page() -> bytes:
    """A well-formed one-page PDF (the control: every reader opens it)."""
    return _simple(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE, stream(_HELLO))


def _zero_deflate(n_mib: int) -> bytes:
    """zlib data of n_mib MiB of zeros, built without compressing them: full-flush segments
    of deflate are independent, so one 1 MiB segment repeated is a valid stream."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    seg = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.flush()
    length = n_mib << 20
    adler = ((length % 65521) << 16) | 1  # adler32 of `length` zero bytes
    return b"\x78\xda" + seg * n_mib + end + adler.to_bytes(4, "big")


def decompression_bomb(gib: int = 4, twice: bool = True) -> bytes:
    data = _zero_deflate(gib * 1024)
    filt = b"/Filter /FlateDecode"
    if twice:
        data = zlib.compress(data, 9)
        filt = b"/Filter [/FlateDecode /FlateDecode]"
    return _simple(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE, stream(data, filt + b" "))


def kids_loop(two_node: bool = False) -> bytes:
    if not two_node:
        return _simple(b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", _PAGE, stream(_HELLO))
    # 2 -> 6 -> 2, with the real page hanging off 6
    return _simple(b"<< /Type /Pages /Kids [6 0 R] /Count 2 >>", _PAGE.replace(b"/Parent 2 0 R", b"/Parent 6 0 R"),
                   stream(_HELLO), [b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 2 >>"])


def nested_arrays(depth: int = 200_000) -> bytes:
    nest = b"[" * depth + b"]" * depth
    content = _HELLO + b"\n" + nest + b" pop\n"
    page = _PAGE.replace(b">> /Contents", b">> /Deep " + nest + b" /Contents")
    return _simple(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, stream(content))


def huge_page_count(claimed: int = 2_000_000_000, repeat: int = 0) -> bytes:
    if repeat:
        kids = b" ".join([b"3 0 R"] * repeat)
        return _simple(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % repeat, _PAGE, stream(_HELLO))
    return _simple(b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % claimed, _PAGE, stream(_HELLO))


def xref_prev_loop() -> bytes:
    """The trailer's /Prev points at the xref section it belongs to."""
    pdf = plain_page()
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    return pdf.replace(b"/Root 1 0 R ", b"/Root 1 0 R /Prev %d " % start)


def huge_image(side: int = 1_000_000) -> bytes:
    img = stream(b"\x00" * 16, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                               b"/BitsPerComponent 8 " % (side, side))
    page = _PAGE.replace(b"/Font << /F1 5 0 R >>", b"/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>")
    content = _HELLO + b"\nq 500 0 0 500 50 50 cm /Im1 Do Q"
    return _simple(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, stream(content), [img])


def huge_length() -> bytes:
    body = b"<< /Length 1099511627776 >>\nstream\n" + _HELLO + b"\nendstream"
    return _simple(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE, body)


HOSTILE: dict[str, Callable[[], bytes]] = {
    "decompression_bomb_flate_x2": lambda: decompression_bomb(4, twice=True),
    "decompression_bomb_flate": lambda: decompression_bomb(1, twice=False),
    "kids_self_loop": kids_loop,
    "kids_two_node_loop": lambda: kids_loop(two_node=True),
    "nested_arrays": nested_arrays,
    "huge_page_count_claim": huge_page_count,
    "page_listed_100k_times": lambda: huge_page_count(repeat=100_000),
    "xref_prev_loop": xref_prev_loop,
    "huge_image": huge_image,
    "huge_stream_length": huge_length,
}
