"""The warm-up filing the extraction fork server reads once before forking (extractors/preload.py).

`budget-2026.pdf` is a 22-page 2026 budget the sample district generator (demo/) wrote for
武汉市硚口区崇仁路小学: fictional figures in the national 12-table layout, nothing from ../shared.
"""
from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)
WARMUP_PDF = Path(__file__).with_name("budget-2026.pdf")


def warm_up(path: Path = WARMUP_PDF) -> str | None:
    """Extract the warm-up filing; its outcome, or None when reading it raised (a warm-up is an
    optimisation: a failure here must never stop the fork server)."""
    from extractors.pdf import extract_file

    try:
        return extract_file(path, "warmup").outcome
    except Exception:  # noqa: BLE001
        log.warning("extraction warm-up on %s failed; children start cold", path, exc_info=True)
        return None
