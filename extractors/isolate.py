"""run_isolated: extraction in a child process with a wall-clock and an address-space limit.

A hostile or broken PDF can make pdfminer loop or allocate without bound; the
pipeline must survive that and record an outcome instead. The child is
``python -m extractors FILE --json`` under RLIMIT_AS; its JSON on stdout is the
Extraction.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from .model import Extraction
from .ocr import OCR_ADDRESS_SPACE_MB


def _limits(memory_mb: int):
    def apply() -> None:
        limit = memory_mb * 1024 * 1024
        # The hard limit leaves room for OCR (extractors/ocr.py raises its soft limit to that only
        # for an image-only PDF: onnxruntime and OpenCV alone reserve ~0.9 GB of address space).
        resource.setrlimit(resource.RLIMIT_AS, (limit, max(limit, OCR_ADDRESS_SPACE_MB * 1024 * 1024)))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run_isolated(path: Path, timeout_s: float = 120, memory_mb: int = 1024, sha256: str | None = None) -> Extraction:
    from .pdf import sha256_of

    path = Path(path)
    try:
        sha = sha256 or sha256_of(path)
    except OSError as exc:
        return Extraction(sha256=sha256 or "", outcome="parse_error", outcome_detail=f"无法读取文件：{exc}")
    cmd = [sys.executable, "-m", "extractors", str(path), "--json", "--sha256", sha]
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s, env=env,
                              preexec_fn=_limits(memory_mb), check=False)
    except subprocess.TimeoutExpired:
        return Extraction(sha256=sha, outcome="timeout",
                          outcome_detail=f"解析超过 {timeout_s:g} 秒未完成，已中止（文件可能异常复杂或损坏）。")
    if proc.returncode == 0:
        try:
            return Extraction.from_dict(json.loads(proc.stdout))
        except (ValueError, TypeError, KeyError) as exc:
            return Extraction(sha256=sha, outcome="parse_error", outcome_detail=f"子进程输出无法读取：{exc}")
    err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    last = err[-1][:200] if err else ""
    # Hitting RLIMIT_AS shows up as MemoryError, an abort, or a failed import/mmap: name the limit.
    what = "异常退出" if proc.returncode < 0 or "MemoryError" in last else "出错"
    detail = f"解析进程{what}（返回码 {proc.returncode}，内存上限 {memory_mb} MB）：{last}"
    return Extraction(sha256=sha, outcome="parse_error", outcome_detail=detail)
