"""run_isolated: extraction in a child process with a wall-clock and an address-space limit.

A hostile or broken PDF can make pdfminer loop or allocate without bound; the
pipeline must survive that and record an outcome instead. Each document is read in a
child of its own under RLIMIT_AS, killed when its wall time runs out (or, inside
``reuse.reused_children()``, by a child that reads one document after another, each as a
fresh child would: extractors/reuse.py).

The children are forked from multiprocessing's fork server, which has imported the
extractors (pdfplumber, pdfminer, pypdfium2) once: a fresh interpreter per document costs
~0.25 s of CPU before its first page, as much as reading a short filing. Where a fork server
cannot be used (inside a daemonic process, such as a Dask worker, which may not have
children of its own; or BUDGETWATCH_EXTRACT_CHILD=subprocess) the child is
``python -m extractors FILE --json`` instead. Both give the same Extraction and outcomes.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import subprocess
import sys
import threading
import warnings
from pathlib import Path

from flows import settings

from . import reuse
from .child import CHILD_NAME, _child, _failed, _limits, _read_reply, _timeout, child_usage  # noqa: F401
from .model import Extraction

log = logging.getLogger(__name__)
# A child re-runs a main module the fork server preloaded (see _main_module); runpy warns that it
# is already imported, once per document. Imported first in the fork server, this filter is
# inherited by every child.
warnings.filterwarnings("ignore", message=r".* found in sys\.modules after import of package", category=RuntimeWarning)

CHILD_ENV = settings.EXTRACT_CHILD_ENV  # 'forkserver' (default) or 'subprocess'
_PRELOAD = ["extractors.isolate", "extractors.child", "extractors.reuse", "extractors.pdf", "extractors.preload"]
_ctx = None
_ctx_lock = threading.Lock()


def run_isolated(path: Path, timeout_s: float = 120, memory_mb: int = 1024, sha256: str | None = None) -> Extraction:
    from .pdf import sha256_of

    path = Path(path)
    try:
        sha = sha256 or sha256_of(path)
    except OSError as exc:
        return Extraction(sha256=sha256 or "", outcome="parse_error", outcome_detail=f"无法读取文件：{exc}")
    ctx = _fork_server()
    if ctx is None:
        return _run_subprocess(path, sha, timeout_s, memory_mb)
    if reuse.active():
        return reuse.run_reused(ctx, path, sha, timeout_s, memory_mb, dict(os.environ), fresh=_run_forked)
    return _run_forked(ctx, path, sha, timeout_s, memory_mb)


def _fork_server():
    """multiprocessing's forkserver context with the extractors preloaded, or None where a child
    process of this kind cannot be started."""
    global _ctx
    if settings.extract_child() != "forkserver":
        return None
    if multiprocessing.current_process().daemon or "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    with _ctx_lock:
        if _ctx is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD + _main_module())
            _ctx = ctx
    return _ctx


def _main_module() -> list[str]:
    """The program's main module, when it is one by name (``python -m prefect.engine``, a Prefect
    worker's flow run): every child re-runs the main module before its target (multiprocessing's
    spawn preparation), and with its imports already done in the fork server that costs ~nothing.
    A main run as ``__main__`` of a package (``python -m pytest``) is never re-run."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    name = getattr(spec, "name", None)
    return [name] if name and name != "__main__" and not name.endswith(".__main__") else []


def _run_forked(ctx, path: Path, sha: str, timeout_s: float, memory_mb: int) -> Extraction:
    receiver, sender = ctx.Pipe(duplex=False)
    # daemon: an interrupted run ends its children at exit instead of waiting for them.
    proc = ctx.Process(target=_child, name=CHILD_NAME, daemon=True,
                       args=(sender, str(path), sha, memory_mb, timeout_s, dict(os.environ)))
    try:
        proc.start()
    except Exception as exc:  # noqa: BLE001
        # The fork server itself is gone or cannot start (out of processes): one fresh interpreter.
        log.warning("fork server unavailable (%s); extracting %s in a subprocess", exc, path)
        receiver.close()
        sender.close()
        return _run_subprocess(path, sha, timeout_s, memory_mb)
    sender.close()
    payload = None
    timed_out = False
    try:
        if receiver.poll(timeout_s):
            try:
                payload = receiver.recv_bytes()
            except (EOFError, OSError):
                payload = None  # the child died before it could answer
        else:
            timed_out = True
    finally:
        receiver.close()
        if timed_out:
            proc.kill()
        proc.join(30)
        if proc.exitcode is None:
            proc.kill()
            proc.join()
    if timed_out:
        return _timeout(sha, timeout_s)
    return _read_reply(payload, sha, proc.exitcode, memory_mb, counted=0.0)[0]


def _run_subprocess(path: Path, sha: str, timeout_s: float, memory_mb: int) -> Extraction:
    cmd = [sys.executable, "-m", "extractors", str(path), "--json", "--sha256", sha]
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s, env=env,
                              preexec_fn=_limits(memory_mb, timeout_s), check=False)
    except subprocess.TimeoutExpired:
        return _timeout(sha, timeout_s)
    if proc.returncode == 0:
        try:
            return Extraction.from_dict(json.loads(proc.stdout))
        except (ValueError, TypeError, KeyError) as exc:
            return Extraction(sha256=sha, outcome="parse_error", outcome_detail=f"子进程输出无法读取：{exc}")
    err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    return _failed(sha, proc.returncode, memory_mb, err[-1][:200] if err else "")
