"""The real corpus for tests: files read in place from ../shared/corpus/real/, each pinned to its
sha256, skipped cleanly when ../shared is absent; each file extracted once, through the pipeline's
content-hash cache in a folder of its own per version of the extractors' code."""
from __future__ import annotations

import copy
import hashlib
import os
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def corpus_file(rel: str, sha256: str) -> Path:
    path = CORPUS / rel
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared not mounted)")
    assert _sha256(path) == sha256, f"{rel} changed; re-pin its test"
    return path


# Table layouts of three cities (上海 ruled grid, 深圳, 江苏 2017) on whose every table page a fast
# equivalent of a pdfplumber step is proved equal to pdfplumber's own.
FAST_PATH_FILES = [
    ("cities/001_上海/2026年上海市交通运输局_部门预算.pdf",
     "34775480bd3e3bf88585b2d25b4a3f3203e9bce27e001f9e74fa9b2ec64f85a5"),
    ("cities/003_深圳/2026年深圳市交通运输局部门预算.pdf",
     "ba91de610d1e3685df24d85d46797d6adcc2ab5b4957eec86e18df6adcc495eb"),
    ("jiangsu/江苏省高级人民法院/省法院2017年度部门预算公开.pdf",
     "324795c7efce9893ca94dcfcc6bd8e1e4573b46ceeaa3042185cd44464aeedb0"),
]


def table_pages(path: Path):
    """Each page the prescreen takes for a table page, as the pipeline reads it (pdfium's model);
    released after the caller's step."""
    from extractors.page_source import PageSource
    from extractors.prescreen import prescreen

    numbers = [p.number for p in prescreen(path) if p.maybe_table]
    assert numbers, f"{path.name}: no table page"
    with PageSource(path, "pdfium") as source:
        for number in numbers:
            page = source.page(number)
            try:
                yield page
            finally:
                source.release(page)


@lru_cache(maxsize=None)
def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_extraction(rel: str, sha256: str):
    """extract_file of the pinned file; several test modules pin facts of the same file, so it is
    parsed once and each caller gets its own copy (a loader may change what it is given)."""
    return copy.deepcopy(_extraction(rel, sha256))


@lru_cache(maxsize=None)
def extraction_cache_dir() -> Path:
    """Where the tests keep corpus extractions between sessions (the pinned files' tests and the
    whole-corpus precision test share them). The folder is named by a hash of the extractors'
    own files: the pipeline's cache key (sha256, PARSER_VERSION) trusts a version bump, and a
    test must never read what an older edit of the code extracted."""
    h = hashlib.sha256()
    for path in sorted((ROOT / "extractors").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".json"):
            h.update(path.relative_to(ROOT).as_posix().encode())
            h.update(path.read_bytes())
    base = Path(os.environ.get("BUDGETWATCH_CORPUS_CACHE", ROOT / "data" / "corpus-cache"))
    return base / h.hexdigest()[:16]


@lru_cache(maxsize=None)
def _extraction(rel: str, sha256: str):
    from flows.pipeline import Document, extract_cached

    return extract_cached(Document(corpus_file(rel, sha256), sha256), extraction_cache_dir())
