"""`make test`'s two processes keep each expensive session build on one of them (tests/xdist_groups.py)."""
from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

TESTS = Path(__file__).resolve().parent

CONFTEST = '''
import pytest
import xdist_groups

@pytest.fixture(scope="session")
def district_run():
    return 1

@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    xdist_groups.mark(config, items)
'''

MODULE = '''
import time
import pytest

@pytest.mark.parametrize("i", range(4))
def test_built(district_run, i):
    time.sleep(0.05)

@pytest.mark.corpus
@pytest.mark.parametrize("i", range(4))
def test_read(i):
    time.sleep(0.05)

@pytest.fixture(scope="module")
def built_here():
    return 1

@pytest.mark.parametrize("i", range(4))
def test_module(built_here, i):
    time.sleep(0.05)

@pytest.mark.xdist_group("named")
@pytest.mark.parametrize("i", range(4))
def test_named(built_here, i):
    time.sleep(0.05)

@pytest.mark.parametrize("i", range(4))
def test_free(i):
    time.sleep(0.05)
'''


def test_each_group_runs_on_one_process(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    pytester.makeconftest(CONFTEST)
    pytester.makeini("[pytest]\nmarkers =\n    corpus: reads the real corpus\n")
    pytester.makepyfile(test_one=MODULE, test_two=MODULE)
    result = pytester.runpytest_subprocess("-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=40)
    ran = [(line.split()[0], line.split()[-1]) for line in result.outlines if " PASSED " in line]
    groups = ("district_run", "corpus", "module:test_one.py", "module:test_two.py", "named")
    workers = {group: {w for w, name in ran if name.endswith("@" + group)} for group in groups}
    counts = {group: sum(name.endswith("@" + group) for _, name in ran) for group in groups}
    assert counts == {"district_run": 8, "corpus": 8, "module:test_one.py": 4, "module:test_two.py": 4, "named": 8}
    assert sum("@" not in name for _, name in ran) == 8  # the free tests go to either process
    assert all(len(w) == 1 for w in workers.values()), workers
