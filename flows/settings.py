"""Where budgetwatch keeps its files, resolved once from flags and the environment."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("data/budget.duckdb")


def resolve_db(flag: str | os.PathLike | None = None) -> Path:
    """--db, then BUDGETWATCH_DB, then data/budget.duckdb (DEVELOPERS.md contract)."""
    if flag:
        return Path(flag)
    env = os.environ.get("BUDGETWATCH_DB")
    return Path(env) if env else DEFAULT_DB


def alert_urls() -> list[str]:
    raw = os.environ.get("BUDGETWATCH_ALERT_URLS", "")
    return [u.strip() for u in raw.split(",") if u.strip()]


@dataclass(frozen=True)
class Paths:
    """The raw-file store and the extraction cache live beside the database."""

    db: Path

    @property
    def data_dir(self) -> Path:
        return self.db.resolve().parent

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    def ensure(self) -> "Paths":
        for d in (self.data_dir, self.raw_dir, self.cache_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self
