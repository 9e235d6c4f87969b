"""The extraction contract: what every extractor returns and the warehouse loads.

Public entry points: ``extract_file`` (in process, never raises) and
``run_isolated`` (the same in a child process with time and memory limits).
"""
from __future__ import annotations

from pathlib import Path

from .model import PARSER_VERSION, Claim, Extraction, Fact, FilingMeta, TableInstance


def extract_file(path: Path, sha256: str | None = None) -> Extraction:
    from .pdf import extract_file as _extract_file

    return _extract_file(Path(path), sha256)


def run_isolated(path: Path, timeout_s: float = 120, memory_mb: int = 1024) -> Extraction:
    from .isolate import run_isolated as _run_isolated

    return _run_isolated(Path(path), timeout_s=timeout_s, memory_mb=memory_mb)


__all__ = ["PARSER_VERSION", "Claim", "Extraction", "Fact", "FilingMeta", "TableInstance",
           "extract_file", "run_isolated"]
