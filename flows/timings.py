"""Wall-clock seconds per stage of a run, so a slow night says where its time went."""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Iterator

log = logging.getLogger("budgetwatch.timings")


class Stages:
    """Seconds per named stage, in the order the stages first ran; a stage run twice adds up."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in self.seconds.items()}

    def line(self) -> str:
        return " ".join(f"{k}={v:.2f}s" for k, v in self.seconds.items())
