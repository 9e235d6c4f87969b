"""Which Prefect task runner runs the extraction tasks (one per batch of documents).

`threads` (default): a thread pool on this machine; each task runs the extraction in a child
process (extractors.run_isolated), so the threads only wait. `dask`: prefect-dask's
DaskTaskRunner, on a local cluster or, with BUDGETWATCH_DASK_ADDRESS, on an existing Dask
scheduler whose workers may be on other machines.
"""
from __future__ import annotations

import os

from flows import settings

RUNNERS = ("threads", "dask")


def runner_name(choice: str | None = None) -> str:
    name = (choice or settings.task_runner()).strip().lower()
    if name not in RUNNERS:
        raise ValueError(f"未知的任务执行器 {name!r}（可选：{'、'.join(RUNNERS)}）")
    return name


def worker_count() -> int:
    """BUDGETWATCH_WORKERS, else the CPU count: threads, or local Dask worker processes."""
    return settings.workers() or max(1, os.cpu_count() or 1)


def make_task_runner(choice: str | None = None, workers: int | None = None):
    name = runner_name(choice)
    workers = workers or worker_count()
    if name == "dask":
        from prefect_dask import DaskTaskRunner

        address = settings.dask_address()
        if address:
            return DaskTaskRunner(address=address)
        # One thread per worker process: each task already waits on its own extraction child.
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=workers)
