"""Safe publishing: a run writes to a staging copy and publishes it by an atomic rename.

    from warehouse.publish import publishing
    with publishing("data/budget.duckdb") as con:   # writable connection on the staging copy
        load_extraction(con, x, source)
        run_checks(con)
    # on a clean exit: CHECKPOINT, close, fsync, os.replace onto the published path

Why: DuckDB lets one process write a file and nobody else open it meanwhile, not even
read-only. Oversight staff keep the published file open in the DuckDB shell, DBeaver or a
notebook; a nightly run must never lock them out or show them half a night's load.

Semantics
- Readers open the published path read-only (``warehouse.db.connect(path, read_only=True)``).
  They see the previous night's file until the rename, then the new one; an open connection
  keeps reading the file it opened (POSIX rename leaves the old inode alive).
- Writers take an exclusive ``fcntl`` lock on ``<db>.lock``. A second run **waits** for the
  first (logging who holds it); with ``wait=False`` or after ``timeout`` seconds it raises
  ``WarehouseBusy`` instead. The lock file holds the owner's pid and start time.
- On an exception, or when the process is killed, the staging file is never renamed: the
  published file is untouched. Leftover staging files of killed runs are removed by the next
  run (it holds the lock, so they cannot belong to a live run).
- The staging copy starts as a byte copy of the published file (a checkpointed file, since
  every publish checkpoints), so the loads stay incremental and keyed on content.

Tests kill a run at named points through ``BUDGETWATCH_TEST_CRASH_AT=<point>`` (see
``crash_point``); points: ``after_copy``, ``mid_load`` (inside a document's transaction),
``after_load``, ``before_checkpoint``, ``before_replace``, ``after_replace``.
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import shutil
import signal
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

from flows import settings

log = logging.getLogger(__name__)

CRASH_ENV = "BUDGETWATCH_TEST_CRASH_AT"


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse's write lock."""


def crash_point(name: str) -> None:
    """Test hook: SIGKILL this process when BUDGETWATCH_TEST_CRASH_AT names this point."""
    if settings.test_crash_at() == name:
        log.warning("test crash at %s", name)
        os.kill(os.getpid(), signal.SIGKILL)


def staging_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.staging-{os.getpid()}")


@contextmanager
def write_lock(db_path: str | Path, wait: bool = True, timeout: float | None = None) -> Iterator[None]:
    """Exclusive lock for writers of one published database (readers never take it)."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db_path.with_name(db_path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, lock_path, wait, timeout)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, lock_path: Path, wait: bool, timeout: float | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except OSError as e:
        if e.errno not in (errno.EAGAIN, errno.EACCES):
            raise
    holder = _holder(lock_path)
    if not wait:
        raise WarehouseBusy(f"另一次运行正在写入数据仓库（{holder}），请稍后再试 / warehouse is being written by {holder}")
    log.info("waiting for the warehouse write lock held by %s", holder)
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.EACCES):
                raise
        if deadline is not None and time.monotonic() > deadline:
            raise WarehouseBusy(f"等待 {timeout:g} 秒后仍有另一次运行在写入数据仓库（{holder}） / "
                                f"still locked by {holder} after {timeout:g}s")
        time.sleep(0.1)


def _holder(lock_path: Path) -> str:
    try:
        text = lock_path.read_text().strip()
    except OSError:
        text = ""
    return f"pid {text}" if text else "another process"


@contextmanager
def publishing(db_path: str | Path, wait: bool = True, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a writable connection on a staging copy; publish it atomically on a clean exit."""
    from warehouse.db import connect

    db_path = Path(db_path)
    with write_lock(db_path, wait=wait, timeout=timeout):
        _remove_stale_staging(db_path)
        staging = staging_path(db_path)
        _discard(staging)
        try:  # a full disk can stop the copy or the connection half way: leave no staging file
            if db_path.exists():
                _copy(db_path, staging)
            crash_point("after_copy")
            con = connect(staging)
        except BaseException:
            _discard(staging)
            raise
        try:
            yield con
            crash_point("before_checkpoint")
            con.execute("CHECKPOINT")
            con.close()
        except BaseException:
            _close_quietly(con)
            _discard(staging)
            raise
        try:
            _fsync_file(staging)
            crash_point("before_replace")
            os.replace(staging, db_path)
            _fsync_dir(db_path.parent)
        except BaseException:
            _discard(staging)
            raise
        # A stale WAL of the published name would be replayed onto the new file: never leave one.
        _discard_file(db_path.with_name(db_path.name + ".wal"))
        crash_point("after_replace")
        log.info("published %s", db_path)


def _copy(src: Path, dst: Path) -> None:
    # A published file is always checkpointed; a WAL beside it means somebody wrote to it
    # directly (an older version of the flows): carry it over so the staging copy replays it.
    shutil.copyfile(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, dst.with_name(dst.name + ".wal"))


def _remove_stale_staging(db_path: Path) -> None:
    for p in db_path.parent.glob(f".{db_path.name}.staging-*"):
        log.warning("removing staging file of an interrupted run: %s", p.name)
        _discard_file(p)


def _discard(staging: Path) -> None:
    _discard_file(staging)
    _discard_file(staging.with_name(staging.name + ".wal"))
    _discard_file(staging.with_name(staging.name + ".tmp"))


def _discard_file(p: Path) -> None:
    # DuckDB spills past its memory limit into `<staging>.tmp/`, a folder it removes on a clean
    # close only: a killed run leaves it behind.
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
        return
    try:
        p.unlink()
    except FileNotFoundError:
        pass


def _close_quietly(con) -> None:
    try:
        con.close()
    except Exception:  # the original error matters more
        log.exception("closing the staging connection failed")


def _fsync_file(p: Path) -> None:
    fd = os.open(p, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(d: Path) -> None:
    fd = os.open(d, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
