"""Session fixtures shared by the test modules: each warehouse is built once per session.

- ``district_run``: the whole sample district crawled by the nightly flow, (site folder, warehouse);
- ``sample_db``: the seed filing alone, crawled by the nightly flow;
- ``district_db``: the seed warehouse grown into a small district with known figures.

Callers open the warehouses read-only, or restore what they change (see each builder's doc).
"""
from __future__ import annotations

import pytest

import district_run as _district
import sample_warehouse as _sample

# Tests that serve a portal and run the whole flow, read the real corpus or deploy to a Prefect
# server take seconds to minutes each: they are in `make test`, not in `make test-fast`.
SLOW_BY_NATURE = ("e2e", "corpus", "deploy")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(item.get_closest_marker(m) for m in SLOW_BY_NATURE):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def district_run(tmp_path_factory):
    return _district.district_run(tmp_path_factory)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    return _sample.sample_db(tmp_path_factory)


@pytest.fixture(scope="session")
def district_db(tmp_path_factory):
    return _sample.district_db(tmp_path_factory)
