"""The real corpus for tests: files read in place from ../shared/corpus/real/, each pinned to its
sha256, skipped cleanly when ../shared is absent; an extraction made once per test session."""
from __future__ import annotations

import copy
import hashlib
from functools import lru_cache
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"


def corpus_file(rel: str, sha256: str) -> Path:
    path = CORPUS / rel
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared not mounted)")
    assert _sha256(path) == sha256, f"{rel} changed; re-pin its test"
    return path


@lru_cache(maxsize=None)
def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_extraction(rel: str, sha256: str):
    """extract_file of the pinned file; several test modules pin facts of the same file, so it is
    parsed once and each caller gets its own copy (a loader may change what it is given)."""
    return copy.deepcopy(_extraction(rel, sha256))


@lru_cache(maxsize=None)
def _extraction(rel: str, sha256: str):
    from extractors import extract_file

    return extract_file(corpus_file(rel, sha256), sha256)
