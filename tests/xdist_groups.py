"""Which tests share one pytest-xdist process (`make test` runs `-n 2 --dist loadgroup`).

The tests that share one expensive build stay on one process, so it is built once:
- the district crawl of `district_run` (a session fixture);
- the real corpus (tests/corpus.py caches extractions by content; two processes would extract
  the same files twice);
- a module's own module- or class-scoped fixture (a module's tests go to one process);
- an explicit `xdist_group` marker wins.
"""
from __future__ import annotations

import pytest


def group_of(item) -> str | None:
    if "district_run" in getattr(item, "fixturenames", ()):
        return "district_run"
    if item.get_closest_marker("corpus"):
        return "corpus"
    if _uses_own_module_fixture(item):
        # One process builds the module's fixture once; split over two, each builds it (the
        # scale-out cluster's two nightly runs took 110 s on each process).
        return "module:" + item.nodeid.split("::", 1)[0]
    return None


def _uses_own_module_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    module = item.nodeid.split("::", 1)[0]
    for defs in (info.name2fixturedefs.values() if info else ()):
        for d in defs:
            if str(getattr(d, "scope", "")) in ("module", "class", "Scope.Module", "Scope.Class") \
                    and (d.baseid or "").split("::", 1)[0] == module:
                return True
    return False


def mark(config, items) -> None:
    """Mark each item of a group `xdist_group(name)`, and give it the node id `…@name` that
    `--dist loadgroup` schedules by.

    pytest-xdist 3.8 writes that id into `item._nodeid`, which pytest 9 no longer reads (the id
    is `item._id`): without the second step every group was split over both processes, and each
    process built the district crawl and extracted the corpus for itself."""
    loadgroup = bool(getattr(config.option, "loadgroup", False))
    for item in items:
        named = [m.args[0] if m.args else m.kwargs.get("name", "default") for m in item.iter_markers("xdist_group")]
        group = named[0] if named else group_of(item)
        if not group:
            continue
        if not named:
            item.add_marker(pytest.mark.xdist_group(group))
        if loadgroup and hasattr(item, "_id") and not hasattr(item, "_nodeid") and "@" not in item.nodeid.rsplit("]", 1)[-1]:
            from _pytest.nodeid import coerce_node_id

            item._id = coerce_node_id(f"{item.nodeid}@{group}")
