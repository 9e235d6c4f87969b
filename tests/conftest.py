"""Session fixtures shared by the test modules: each warehouse is built once per session.

- ``district_run``: the whole sample district crawled by the nightly flow, (site folder, warehouse);
- ``sample_db``: the seed filing alone, crawled by the nightly flow;
- ``district_db``: the seed warehouse grown into a small district with known figures;
- ``cq``: the real 重庆 TRS detail pages the constructed portal layouts serve (tests/layouts.py).

Callers open the warehouses read-only, or restore what they change (see each builder's doc).
"""
from __future__ import annotations

import os
import tempfile

import pytest

import district_run as _district
import sample_warehouse as _sample
import xdist_groups
from layouts import cq  # noqa: F401  (the pinned 重庆 detail pages, a session fixture of the portal-layout tests)

# Tests that serve a portal and run the whole flow, read the real corpus or deploy to a Prefect
# server take seconds to minutes each: they are in `make test`, not in `make test-fast`.
SLOW_BY_NATURE = ("e2e", "corpus", "deploy")

# Under pytest-xdist (`make test` and `make test-fast` run on two processes) each process has
# its own Prefect home: two temporary Prefect servers on one SQLite database lock each other out.
if os.environ.get("PYTEST_XDIST_WORKER") and "PREFECT_HOME" not in os.environ:
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix=f"bw-prefect-{os.environ['PYTEST_XDIST_WORKER']}-")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups into the node ids
def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(item.get_closest_marker(m) for m in SLOW_BY_NATURE):
            item.add_marker(pytest.mark.slow)
    xdist_groups.mark(config, items)


@pytest.fixture(scope="session")
def district_run(tmp_path_factory):
    return _district.district_run(tmp_path_factory)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    return _sample.sample_db(tmp_path_factory)


@pytest.fixture(scope="session")
def district_db(tmp_path_factory):
    return _sample.district_db(tmp_path_factory)
