"""Every environment variable is read in flows/settings.py, when it is used."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows import settings

ROOT = Path(__file__).resolve().parents[1]
# Files that may touch os.environ for another reason than reading a setting: the environment given
# to a child process and Prefect's own defaults (written).
ALLOWED = {"flows/settings.py", "flows/prefect_env.py", "extractors/isolate.py", "extractors/child.py",
           "spiders/run.py"}


def test_no_module_reads_the_environment_but_settings():
    readers = sorted(
        str(p.relative_to(ROOT)) for pkg in ("extractors", "flows", "warehouse", "spiders", "demo")
        for p in (ROOT / pkg).rglob("*.py")
        if "_build" not in p.parts and re.search(r"os\.environ|getenv", p.read_text("utf-8")))
    assert [r for r in readers if r not in ALLOWED] == []


@pytest.mark.parametrize("var, value, read, expected", [
    ("BUDGETWATCH_TASK_RUNNER", " Dask ", settings.task_runner, "dask"),
    ("BUDGETWATCH_TASK_RUNNER", None, settings.task_runner, "threads"),
    ("BUDGETWATCH_WORKERS", "3", settings.workers, 3),
    ("BUDGETWATCH_WORKERS", None, settings.workers, 0),
    ("BUDGETWATCH_DASK_ADDRESS", "tcp://s:8786", settings.dask_address, "tcp://s:8786"),
    ("BUDGETWATCH_DASK_ADDRESS", "", settings.dask_address, None),
    ("BUDGETWATCH_REVIEWER", "张三", settings.reviewer, "张三"),
    ("BUDGETWATCH_EXTRACT_CHILD", None, settings.extract_child, "forkserver"),
    ("BUDGETWATCH_PROFILES_OFF", "wuhan,all", settings.profiles_off, "wuhan,all"),
    ("BUDGETWATCH_OCR_PAGES", "5", lambda: settings.ocr_pages(12), 5),
    ("BUDGETWATCH_OCR_PAGES", None, lambda: settings.ocr_pages(12), 12),
    ("BUDGETWATCH_OCR_SECONDS", "7.5", lambda: settings.ocr_seconds(60.0), 7.5),
    ("BUDGETWATCH_TEST_CRASH_AT", "after_copy", settings.test_crash_at, "after_copy"),
    ("BUDGETWATCH_CONTACT", None, settings.crawl_contact, "https://github.com/budgetwatch"),
    ("BUDGETWATCH_DEMO_CACHE", "/tmp/c", settings.demo_cache_dir, Path("/tmp/c")),
    ("PREFECT_UI_URL", "http://127.0.0.1:4200", settings.prefect_ui_url, "http://127.0.0.1:4200"),
    ("BUDGETWATCH_ALERT_URLS", "", settings.alert_urls_configured, True),
    ("BUDGETWATCH_ALERT_URLS", None, settings.alert_urls_configured, False),
    ("BUDGETWATCH_DUCKDB_MEMORY", None, settings.write_memory, "300MB"),
    ("BUDGETWATCH_DUCKDB_MEMORY", "None", settings.write_memory, None),
    ("BUDGETWATCH_DUCKDB_MEMORY", " 1GB ", settings.write_memory, "1GB"),
])
def test_each_setting_is_read_when_used(monkeypatch, var, value, read, expected):
    if value is None:
        monkeypatch.delenv(var, raising=False)
    else:
        monkeypatch.setenv(var, value)
    assert read() == expected


@pytest.mark.parametrize("value, expected", [("1", 1), ("3", 3)])
def test_ingest_extracts_with_budgetwatch_workers_threads(monkeypatch, tmp_path, value, expected):
    """`ingest` (flows.pipeline.extract_all) sizes its pool as the nightly's runner does."""
    from flows import pipeline

    seen = []

    class Pool(pipeline.ThreadPoolExecutor):
        def __init__(self, max_workers=None):
            seen.append(max_workers)
            super().__init__(max_workers=max_workers)

    monkeypatch.setenv("BUDGETWATCH_WORKERS", value)
    monkeypatch.setattr(pipeline, "ThreadPoolExecutor", Pool)
    pipeline.extract_all([], tmp_path / "cache")
    assert seen == [expected]
