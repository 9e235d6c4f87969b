"""Another district of the sample city: the sample district's filings under its own name and code.

The generator describes 硚口区 (its catalogue, narrative and faults print that name); a
district after it is the same departments with their own figures (another seed), renamed
where a filing prints the district: department and unit names, the 人大 that approved the
budget, and the region embedded in every project code (预算管理一体化:
420104 + year + department + T + serial).

The D4 faults print 硚口区's registered look-alikes (硌口区, 硃口区: vocabulary.yaml resolves
them to 420104). In another district they would make its filing 硚口's (the measured 4-district
run had 汉阳's 128 of 2026 loaded as a new version of 硚口's), so they take the district's own
name there: that district has no D4 fault, and its ground truth says so (LOOKALIKE_RULES).
"""
from __future__ import annotations

import re
from dataclasses import replace

from demo.district import catalogue as cat

# 420104 26 118 T 000000100: the region before a project code's year, department and serial
_PROJECT_CODE = re.compile(cat.REGION_CODE + r"(?=\d{5}T\d{9})")
_STEM = cat.REGION[:-1]  # '硚口': also in 武汉市硚口区…, 中共武汉市硚口区委…
_LOOKALIKES = ("硌口", "硃口", "桥口")  # vocabulary.yaml's look-alikes of 硚口区
LOOKALIKE_RULES = {("128", 2026, "D4"), ("129", 2025, "D4")}  # demo.district.faults: the look-alike faults


class Localiser:
    def __init__(self, code: str, name: str):
        self.code, self.name, self.stem = code, name, name[:-1]

    def text(self, s: str) -> str:
        if s == cat.REGION_CODE:
            return self.code
        for stem in (_STEM, *_LOOKALIKES):
            s = s.replace(stem, self.stem)
        return _PROJECT_CODE.sub(self.code, s)

    def deep(self, obj):
        """A composed filing (nested dicts and lists of text and numbers) with the district renamed."""
        if isinstance(obj, str):
            return self.text(obj)
        if isinstance(obj, dict):
            return {self.text(k) if isinstance(k, str) else k: self.deep(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self.deep(v) for v in obj]
        if isinstance(obj, tuple):
            return tuple(self.deep(v) for v in obj)
        return obj

    def portal(self, f):
        """A portal entry's own text (title, body, source, link texts) and region."""
        atts = tuple(replace(a, link_text=self.text(a.link_text)) for a in f.attachments)
        return replace(f, department=self.text(f.department), title=self.text(f.title), body=self.text(f.body),
                       body_html=self.text(f.body_html), region_code=self.code, attachments=atts)


def localiser(code: str | None, name: str | None) -> Localiser | None:
    """None for the sample district itself: its output stays byte for byte what it was."""
    if code is None or code == cat.REGION_CODE:
        return None
    return Localiser(code, name)
