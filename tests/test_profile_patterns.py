"""extractors/profiles.py's any_of: one search of a profile's title patterns joined finds
something exactly where one of the patterns does (match_title skips its per-kind loop on it)."""
from __future__ import annotations

import re

import pytest

from extractors.prescreen import prescreen
from extractors.profiles import _title_text, any_of, load_profiles
from tests.corpus import corpus_file


@pytest.mark.parametrize("patterns,combined", [
    ([r"^a(b)?$", r"c$"], "(?:^a(b)?$)|(?:c$)"),
    ([r"(a)\1"], None),  # a back-reference would point at another group once joined
    ([r"(?i)abc"], None),  # an inline flag would apply to every alternative
    ([re.compile("a", re.I), re.compile("b")], None),  # differing flags
    ([], None),
])
def test_any_of_joins_only_what_keeps_its_meaning(patterns, combined):
    got = any_of([re.compile(p) if isinstance(p, str) else p for p in patterns])
    assert (got.pattern if got else None) == combined


FILES = [
    ("cities/001_上海/2026年上海市交通运输局_部门预算.pdf",
     "34775480bd3e3bf88585b2d25b4a3f3203e9bce27e001f9e74fa9b2ec64f85a5"),
    ("jiangsu/江苏省高级人民法院/省法院2017年度部门预算公开.pdf",
     "324795c7efce9893ca94dcfcc6bd8e1e4573b46ceeaa3042185cd44464aeedb0"),
]


def _lines() -> list[str]:
    """Every profile's titles (hits), and every line of two real filings (mostly misses)."""
    lines = {t for p in load_profiles() for spec in p.tables.values() for t in spec.titles}
    for rel, sha in FILES:
        for page in prescreen(corpus_file(rel, sha)):
            lines.update(_title_text(line, 2026) for line in page.text.splitlines())
    return sorted(lines)


def test_joined_patterns_find_what_one_of_them_finds():
    lines = _lines()
    n_hits = n_profiles = 0
    for profile in load_profiles():
        patterns = [p for spec in profile.tables.values() for p in spec.title_patterns]
        joined = any_of(patterns)
        if joined is None:
            continue
        n_profiles += 1
        for line in lines:
            want = any(p.search(line) for p in patterns)
            assert bool(joined.search(line)) == want, (profile.id, line)
            n_hits += want
    assert n_profiles >= 3 and n_hits > 20
