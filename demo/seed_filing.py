"""The seed filing (硚口区城市运行管理中心 2026 年部门预算) as structured data.

The data lives in ``demo/seed/qiaokou_118_2026.json`` (generated once from the seed's
text export by ``demo/tools/seed_from_txt.py`` and committed), so the demo runs on a
machine without the shared seed folder. Every printed string is kept as printed, typos included:
they are the findings a checker must report.

Shape (see the JSON): ``meta`` (filing identity), ``cover``, ``toc``, ``part_titles``,
``part1`` / ``part3`` / ``part4`` (ordered ``{"kind": "heading"|"para", "text", "level"}``),
``table_order`` and ``tables[id]`` with ``caption`` ('表 1.收支预算总表'), ``title``,
``dept_line``, ``unit_line``, ``notes``, ``statement`` and ``blocks`` (or, for T12,
``forms`` each holding ``blocks``). A block is one printed grid: ``ncols``,
``header_rows``, ``rows`` (lists of cell strings, '' for blank), ``bold_rows`` (row
indexes) and ``spans`` ([row0, col0, row1, col1], inclusive, merged cells).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

SEED_PATH = Path(__file__).resolve().parent / "seed" / "qiaokou_118_2026.json"


@lru_cache(maxsize=None)
def _load(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_seed(path: Path = SEED_PATH) -> dict[str, Any]:
    """A fresh copy of the seed filing's data (callers may mutate it)."""
    return json.loads(_load(str(path)))


def table_blocks(table: dict[str, Any]) -> list[dict[str, Any]]:
    """All grid blocks of a table, T12's forms flattened in order."""
    if "forms" in table:
        return [b for f in table["forms"] for b in f["blocks"]]
    return list(table["blocks"])
