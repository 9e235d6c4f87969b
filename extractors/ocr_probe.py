"""The cheap first look at a scanned page: does it print budget words, before paying for a full OCR.

A full OCR of a page (text detection at 144 dpi, then recognition of every text line) costs 2–4
CPU-seconds, nearly all of it recognition of body text; the scans of a budget link that are no
budget (notices, letters, forms) spent all of that only to learn so. A budget's first pages say
what they are in their largest print: the cover's title, the contents' heading and entries, a
table's title. The probe detects text lines on the page image at half the resolution (a quarter
of the pixels), and recognises only the top three lines and then the tallest ones, up to
``PROBE_LINES`` lines and ``PROBE_WIDTH`` line heights of text in all (recognition costs in
proportion to a line's length: about 10 ms of CPU per line height), cut from the full-resolution
image so they read as well as in the full OCR. A page whose probe shows budget words, or that the
probe cannot judge (almost no text recognised), gets the full OCR; the probe's text itself is
never fed to the table reader.
"""
from __future__ import annotations

import numpy as np

# Recognised lines per probe page: a cover title split over up to three lines, a contents
# heading and its first entries, a table title with its unit and header lines. A title is short;
# the body lines of a notice, nearly as tall as its title, are 20 characters or more each, and
# a longer line than the width left is passed over for a shorter one.
PROBE_LINES = 12
PROBE_WIDTH = 60.0
TOP_LINES = 3
# Below this many CJK characters recognised the probe cannot tell (a photo, a stamp, a faint
# scan): the page gets the full OCR.
MIN_CJK = 8
DET_DOWNSCALE = 2
# A page with less ink than this share of its pixels is blank (the back of a cover, a separator
# sheet): a page number or a speck of dust, nothing to judge. One title line of a cover is
# about 0.2 %.
BLANK_INK = 0.0005


def probe_lines(engine, gray: np.ndarray, min_score: float) -> list[tuple[list, str, float]]:
    """(quad in ``gray``'s pixels, text, score) of the top and the tallest text lines of a page image."""
    import cv2

    small = cv2.resize(gray, None, fx=1 / DET_DOWNSCALE, fy=1 / DET_DOWNSCALE, interpolation=cv2.INTER_AREA)
    det = engine.text_det
    saved = det.limit_side_len
    # limit_type "min" scales the short side up to limit_side_len: at the image's own short side
    # the detector sees the half-resolution image as it is.
    det.limit_side_len = min(small.shape)
    try:
        quads, _ = det(np.stack([small] * 3, axis=-1))
    finally:
        det.limit_side_len = saved
    if quads is None or len(quads) == 0:
        return []
    quads = [q.astype(np.float32) * DET_DOWNSCALE for q in quads]
    # A table's title is its page's top line but not always its tallest: a header cell of two
    # lines is detected as one taller box.
    top = sorted(quads, key=lambda q: float(q[:, 1].min()))[:TOP_LINES]
    tall = sorted(quads, key=lambda q: float(q[:, 1].max() - q[:, 1].min()), reverse=True)
    chosen, width = [], 0.0
    for q in top + [q for q in tall if not any(q is t for t in top)]:
        # The crop's shape as rapidocr cuts it (get_crop_img_list): top edge by left edge.
        ratio = float(np.linalg.norm(q[0] - q[1])) / max(float(np.linalg.norm(q[0] - q[3])), 1.0)
        if width + ratio > PROBE_WIDTH:
            continue
        chosen.append(q)
        width += ratio
        if len(chosen) == PROBE_LINES:
            break
    if not chosen:
        return []
    crops = engine.get_crop_img_list(np.stack([gray] * 3, axis=-1), chosen)
    recognised, _ = engine.text_rec(crops)
    out = []
    for quad, res in zip(chosen, recognised):
        text, score = res[0], float(res[1])
        if text and score >= min_score:
            out.append((quad.tolist(), text, score))
    return out


def is_blank(gray: np.ndarray) -> bool:
    return int(np.count_nonzero(gray < 128)) < BLANK_INK * gray.size


def cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
