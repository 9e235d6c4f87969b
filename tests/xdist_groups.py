"""Which tests share one pytest-xdist process (`make test` runs `-n 2 --dist loadgroup`).

The tests that share one expensive session build stay on one process: the district crawl of
`district_run` is built once, and the real corpus is extracted once (tests/corpus.py caches by
content; two processes would extract the same files twice).
"""
from __future__ import annotations

import pytest


def group_of(item) -> str | None:
    if "district_run" in getattr(item, "fixturenames", ()):
        return "district_run"
    if item.get_closest_marker("corpus"):
        return "corpus"
    return None


def mark(config, items) -> None:
    """Mark each item of a group `xdist_group(name)`, and give it the node id `…@name` that
    `--dist loadgroup` schedules by.

    pytest-xdist 3.8 writes that id into `item._nodeid`, which pytest 9 no longer reads (the id
    is `item._id`): without the second step every group was split over both processes, and each
    process built the district crawl and extracted the corpus for itself."""
    loadgroup = bool(getattr(config.option, "loadgroup", False))
    for item in items:
        group = group_of(item)
        if not group:
            continue
        item.add_marker(pytest.mark.xdist_group(group))
        if loadgroup and hasattr(item, "_id") and not hasattr(item, "_nodeid") and "@" not in item.nodeid.rsplit("]", 1)[-1]:
            from _pytest.nodeid import coerce_node_id

            item._id = coerce_node_id(f"{item.nodeid}@{group}")
