"""The extraction child's side: its set-up and limits, one document's reply, and the parent's
reading of that reply (extractors/isolate.py forks a child per document, extractors/reuse.py
one for several)."""
from __future__ import annotations

import json
import os
import resource
import threading
from pathlib import Path

from .model import Extraction
from .ocr import OCR_ADDRESS_SPACE_MB

CHILD_NAME = "bw-extract"  # the children's /proc comm: what `ps -o comm` and `top` show
# Resources of the forked children so far: they are the fork server's children, so this
# process's RUSAGE_CHILDREN never sees them (benchmarks add these figures).
_usage = {"cpu_s": 0.0, "max_rss_mb": 0.0, "children": 0}
_usage_lock = threading.Lock()


def child_usage() -> dict:
    """CPU seconds, largest resident set and number of the forked extraction children so far,
    and (`server_cpu_s`) the fork server's own CPU: its imports and warm-up. The server lives
    until this process exits, so no RUSAGE_CHILDREN ever holds it."""
    with _usage_lock:
        usage = dict(_usage)
    usage["server_cpu_s"] = _server_cpu_s()
    return usage


def _server_cpu_s() -> float:
    from multiprocessing import forkserver

    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    if not pid:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # utime and stime only: the children's (cutime, cstime) are counted one by one in _usage
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _limits(memory_mb: int, timeout_s: float):
    def apply() -> None:
        limit = memory_mb * 1024 * 1024
        # The hard limit leaves room for OCR (extractors/ocr.py raises its soft limit to that only
        # for an image-only PDF: onnxruntime and OpenCV alone reserve ~0.9 GB of address space).
        resource.setrlimit(resource.RLIMIT_AS, (limit, max(limit, OCR_ADDRESS_SPACE_MB * 1024 * 1024)))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # A backstop for a child whose parent died (it then has no one to kill it at its wall
        # time): CPU seconds, generous because OCR runs several threads.
        cpu = int(4 * timeout_s + 60)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    return apply


def _timeout(sha: str, timeout_s: float) -> Extraction:
    return Extraction(sha256=sha, outcome="timeout",
                      outcome_detail=f"解析超过 {timeout_s:g} 秒未完成，已中止（文件可能异常复杂或损坏）。")


def _failed(sha: str, returncode: int, memory_mb: int, last: str) -> Extraction:
    # Hitting RLIMIT_AS shows up as MemoryError, an abort, or a failed import/mmap: name the limit.
    what = "异常退出" if returncode < 0 or "MemoryError" in last else "出错"
    detail = f"解析进程{what}（返回码 {returncode}，内存上限 {memory_mb} MB）：{last}"
    return Extraction(sha256=sha, outcome="parse_error", outcome_detail=detail)


def _child_setup(memory_mb: int, timeout_s: float, env: dict) -> None:
    """What a forked child does before its first document: its name, silence, the caller's
    environment and the limits."""
    try:
        with open("/proc/self/comm", "w") as fh:
            fh.write(CHILD_NAME)
    except OSError:
        pass
    # Like the subprocess's captured stdout/stderr: the libraries' warnings are not the user's.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    # The fork server was started once, with the environment of that moment; the caller's may
    # have changed since (BUDGETWATCH_OCR_* settings).
    os.environ.clear()
    os.environ.update(env)
    _limits(memory_mb, timeout_s)()


def _extract_reply(path: str, sha: str, memory_mb: int) -> bytes:
    """One document read in this child: the reply the parent reads (_read_reply)."""
    from .pdf import extract_file

    ex = extract_file(Path(path), sha)
    if ex.outcome == "parse_error" and "MemoryError" in (ex.outcome_detail or ""):
        ex.outcome_detail = f"解析进程内存不足（内存上限 {memory_mb} MB）：{ex.outcome_detail}"
    ru = resource.getrusage(resource.RUSAGE_SELF)
    reply = {"extraction": ex.to_dict(), "cpu_s": ru.ru_utime + ru.ru_stime, "max_rss_mb": ru.ru_maxrss / 1024}
    return json.dumps(reply, ensure_ascii=False).encode("utf-8")


def _report_and_die(conn, exc: BaseException) -> None:
    try:
        conn.send_bytes(b"\0" + f"{type(exc).__name__}: {exc}"[:200].encode("utf-8"))
    finally:
        os._exit(1)


def _child(conn, path: str, sha: str, memory_mb: int, timeout_s: float, env: dict) -> None:
    """The forked child: the caller's environment, limits, extraction, the JSON back on ``conn``."""
    _child_setup(memory_mb, timeout_s, env)
    try:
        conn.send_bytes(_extract_reply(path, sha, memory_mb))
    except BaseException as exc:  # noqa: BLE001 - report it to the parent, then die
        _report_and_die(conn, exc)
    conn.close()


def _read_reply(payload: bytes | None, sha: str, exitcode: int | None, memory_mb: int,
                counted: float) -> tuple[Extraction, float, float]:
    """The Extraction a child sent (or its failure), the child's CPU seconds so far and its
    largest resident set (MB); the CPU beyond ``counted`` (what earlier replies of the same
    child counted) is added to the children's usage."""
    if payload and not payload.startswith(b"\0"):
        try:
            reply = json.loads(payload)
            ex = Extraction.from_dict(reply["extraction"])
        except (ValueError, TypeError, KeyError) as exc:
            return (Extraction(sha256=sha, outcome="parse_error", outcome_detail=f"子进程输出无法读取：{exc}"),
                    counted, 0.0)
        cpu, rss = float(reply.get("cpu_s") or 0), float(reply.get("max_rss_mb") or 0)
        with _usage_lock:
            _usage["cpu_s"] += max(0.0, cpu - counted)
            _usage["max_rss_mb"] = max(_usage["max_rss_mb"], rss)
            if not counted:
                _usage["children"] += 1
        return ex, cpu, rss
    last = payload[1:].decode("utf-8", "replace") if payload else ""
    return _failed(sha, exitcode if exitcode is not None else -9, memory_mb, last), counted, 0.0
