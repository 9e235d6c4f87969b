"""Extraction children that read several documents, one after the other, each as a fresh child would.

A fresh child per document (isolate.py) costs ~25 ms of CPU beyond the reading itself (the
fork, the copy-on-write faults of a new heap) and, for a scan, ~0.6 s to load the OCR engine
again: about a sixth of a cold ingestion's extraction CPU. Inside ``reused_children()`` each
thread keeps one child and sends it document after document.

A document's outcome must not depend on the documents read before it in the same child. The
reading itself keeps no state between documents (the module caches hold compiled patterns,
fonts' widths and the like, the same whatever filled them); what a reused child has that a
fresh one has not is less room: its heap, the OCR engine of an earlier scan, CPU seconds
spent. So:
- each document starts under the limits a fresh child starts with (the address-space limit is
  set back, and the child retires before its CPU backstop could cut a document short);
- a child that has read earlier documents and fails on one (a parse error, a crash, its wall
  time) has its answer thrown away: the document is read again in a fresh child, whose
  outcome is the one recorded. A success in a child with less room is one a fresh child has too;
- a child retires after ``MAX_DOCUMENTS`` documents, or once its resident set passed
  ``RETIRE_RSS_MB``, or when the caller's environment changed (the settings children read).
"""
from __future__ import annotations

import json
import logging
import resource
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from .child import CHILD_NAME, _child_setup, _extract_reply, _read_reply, _report_and_die, _timeout
from .model import Extraction

log = logging.getLogger(__name__)

MAX_DOCUMENTS = 64
RETIRE_RSS_MB = 400
# Outcomes a child's state could have caused: never taken from a child that read earlier documents.
_RETRIED = ("parse_error", "timeout")

_lock = threading.Lock()
_depth = 0
_workers: dict[int, "_Worker"] = {}  # thread id -> its child


@contextmanager
def reused_children():
    """Within it, ``run_isolated`` sends each thread's documents to one child of that thread;
    the children are closed when the outermost such block ends."""
    global _depth
    with _lock:
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            done = list(_workers.values()) if _depth == 0 else []
            if _depth == 0:
                _workers.clear()
        for w in done:
            w.close()


def active() -> bool:
    return _depth > 0


def run_reused(ctx, path: Path, sha: str, timeout_s: float, memory_mb: int, env: dict,
               fresh: Callable[..., Extraction]) -> Extraction:
    """``path`` read by this thread's child (a new one if it has none fit for the call, the
    caller's environment ``env`` included); ``fresh(ctx, path, sha, timeout_s, memory_mb)``
    reads a document in a fresh child (isolate._run_forked)."""
    tid = threading.get_ident()
    with _lock:
        worker = _workers.pop(tid, None)
    if worker is not None and not worker.fits(timeout_s, memory_mb, env):
        worker.close()
        worker = None
    if worker is None:
        try:
            worker = _Worker(ctx, timeout_s, memory_mb, env)
        except Exception as exc:  # noqa: BLE001 - no child of this kind: a fresh one per document
            log.warning("reusable extraction child unavailable (%s); one child for %s", exc, path)
            return fresh(ctx, path, sha, timeout_s, memory_mb)
    earlier = worker.served
    ex = worker.read(path, sha)
    if ex.outcome in _RETRIED:
        worker.close()
        if earlier:
            log.info("%s failed in a child that had read %d documents (%s); reading it in a fresh child",
                     path, earlier, ex.outcome)
            return fresh(ctx, path, sha, timeout_s, memory_mb)
        return ex
    if worker.spent():
        worker.close()
    else:
        with _lock:
            if _depth > 0:
                _workers[tid] = worker
                worker = None
        if worker is not None:  # the block ended meanwhile
            worker.close()
    return ex


class _Worker:
    """One forked child serving documents on a duplex pipe."""

    def __init__(self, ctx, timeout_s: float, memory_mb: int, env: dict):
        self.conn, theirs = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, name=CHILD_NAME, daemon=True,
                                args=(theirs, memory_mb, timeout_s, env))
        try:
            self.proc.start()
        finally:
            theirs.close()
        self.timeout_s, self.memory_mb, self.env = timeout_s, memory_mb, env
        self.served = 0
        self.cpu_s = 0.0
        self.rss_mb = 0.0

    def fits(self, timeout_s: float, memory_mb: int, env: dict) -> bool:
        return (timeout_s, memory_mb, env) == (self.timeout_s, self.memory_mb, self.env) and self.proc.is_alive()

    def spent(self) -> bool:
        # The CPU backstop of child._limits is 4 x timeout + 60 s: retiring past one timeout's
        # worth leaves every document at least what a fresh child gets.
        return (self.served >= MAX_DOCUMENTS or self.rss_mb > RETIRE_RSS_MB or self.cpu_s > self.timeout_s)

    def read(self, path: Path, sha: str) -> Extraction:
        payload = None
        try:
            self.conn.send_bytes(json.dumps([str(path), sha]).encode("utf-8"))
            if not self.conn.poll(self.timeout_s):
                self.proc.kill()
                return _timeout(sha, self.timeout_s)
            payload = self.conn.recv_bytes()
        except (EOFError, OSError):
            payload = None  # the child died before it could answer
        exitcode = None
        if payload is None or payload.startswith(b"\0"):
            self.proc.join(30)
            exitcode = self.proc.exitcode
        ex, self.cpu_s, rss = _read_reply(payload, sha, exitcode, self.memory_mb, counted=self.cpu_s)
        self.rss_mb = max(self.rss_mb, rss)
        self.served += 1
        return ex

    def close(self) -> None:
        try:
            if self.proc.is_alive():
                self.conn.send_bytes(b"")
            self.conn.close()
        except OSError:
            pass
        self.proc.join(5)
        if self.proc.exitcode is None:
            self.proc.kill()
            self.proc.join()


def _serve(conn, memory_mb: int, timeout_s: float, env: dict) -> None:
    """The child: documents from ``conn`` until an empty message, each answered as ``_child`` answers."""
    _child_setup(memory_mb, timeout_s, env)
    soft = memory_mb * 1024 * 1024
    while True:
        try:
            msg = conn.recv_bytes()
        except (EOFError, OSError):
            break
        if not msg:
            break
        path, sha = json.loads(msg)
        try:
            # Each document starts under a fresh child's limit (OCR raises the soft limit for a scan).
            resource.setrlimit(resource.RLIMIT_AS, (soft, resource.getrlimit(resource.RLIMIT_AS)[1]))
            conn.send_bytes(_extract_reply(path, sha, memory_mb))
        except BaseException as exc:  # noqa: BLE001 - report it to the parent, then die
            _report_and_die(conn, exc)
    conn.close()
